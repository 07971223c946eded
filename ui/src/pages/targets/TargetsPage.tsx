/** Targets per scrape pool (`targets?state=active`): health, labels, last scrape, duration, error; filters. */
import { useState } from "react";
import type { ActiveTarget, TargetsData } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { FilterBar, matchesText, toggled } from "../../components/Filter.tsx";
import { LabelBadges, StateBadge } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { type Translate, useT } from "../../i18n/i18n.ts";
import { formatDuration, formatSeconds, sinceMs } from "../../lib/format.ts";

const HEALTH: Readonly<Record<ActiveTarget["health"], MessageKey>> = {
  up: "targets.up",
  down: "targets.down",
  unknown: "targets.unknown",
};

/** Groups targets by scrape pool, keeping pools in name order. */
export function byPool<T extends { readonly scrapePool?: string }>(items: readonly T[]): Map<string, T[]> {
  const pools = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => (a.scrapePool ?? "").localeCompare(b.scrapePool ?? ""))) {
    const key = item.scrapePool ?? "";
    const list = pools.get(key);
    if (list === undefined) pools.set(key, [item]);
    else list.push(item);
  }
  return pools;
}

/** The `/targets` page. */
export function TargetsPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [health, setHealth] = useState<ReadonlySet<string>>(new Set());
  const [targets, reload] = useApi<TargetsData>("targets", { state: "active" }, 15_000);
  return (
    <div className="page" data-testid="page-targets">
      <h1>{t("targets.title")}</h1>
      <Loader loaded={targets} reload={reload}>
        {(data) => {
          const all = data.activeTargets;
          const count = (h: string) => all.filter((x) => x.health === h).length;
          const states = (["up", "down", "unknown"] as const).map((h) => ({
            value: h,
            label: t(HEALTH[h]),
            count: count(h),
          }));
          const shown = all.filter(
            (x) =>
              (health.size === 0 || health.has(x.health)) &&
              matchesText(text, x.scrapeUrl, x.lastError, ...Object.entries(x.labels).flat()),
          );
          const pools = byPool(shown);
          return (
            <>
              <FilterBar
                text={text}
                onText={setText}
                states={states}
                selected={health}
                onToggle={(v) => setHealth(toggled(health, v))}
              />
              {all.length === 0 && <p className="muted">{t("targets.none")}</p>}
              {all.length > 0 && shown.length === 0 && <p className="muted">{t("common.noMatch")}</p>}
              {[...pools].map(([pool, list]) => (
                <Pool key={pool} pool={pool} targets={list} t={t} />
              ))}
            </>
          );
        }}
      </Loader>
    </div>
  );
}

function Pool(props: {
  readonly pool: string;
  readonly targets: readonly ActiveTarget[];
  readonly t: Translate;
}) {
  const { t, targets } = props;
  const up = targets.filter((x) => x.health === "up").length;
  return (
    <details className="card pool" open data-testid="scrape-pool">
      <summary>
        <span className="pool-name">{props.pool}</span>
        <StateBadge
          state={up === targets.length ? "up" : "down"}
          text={t("targets.upCount", { up, total: targets.length })}
        />
      </summary>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t("targets.endpoint")}</th>
              <th>{t("common.labels")}</th>
              <th>{t("targets.lastScrape")}</th>
              <th>{t("targets.scrapeDuration")}</th>
              <th>{t("common.state")}</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((x) => (
              <tr key={x.scrapeUrl + JSON.stringify(x.labels)}>
                <td className="mono">
                  <a href={x.scrapeUrl}>{x.scrapeUrl}</a>
                  {x.lastError !== "" && <div className="error-text">{x.lastError}</div>}
                </td>
                <td>
                  <LabelBadges labels={x.labels} />
                </td>
                <td>{lastScrape(x.lastScrape, t)}</td>
                <td>{formatSeconds(x.lastScrapeDuration)}</td>
                <td>
                  <StateBadge state={x.health} text={t(HEALTH[x.health])} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function lastScrape(rfc3339: string, t: Translate): string {
  const ms = sinceMs(rfc3339);
  return ms === undefined ? t("common.never") : t("common.ago", { duration: formatDuration(ms) });
}
