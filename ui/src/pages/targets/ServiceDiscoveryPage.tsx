/** Discovered labels before and after relabeling per scrape pool (`targets?state=any`), dropped targets included. */
import { useState } from "react";
import type { Labels, TargetsData } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { FilterBar, matchesText } from "../../components/Filter.tsx";
import { LabelBadges, StateBadge } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import { useT } from "../../i18n/i18n.ts";
import { byPool } from "./TargetsPage.tsx";

interface Row {
  readonly scrapePool: string;
  readonly discovered: Labels;
  readonly target: Labels | undefined;
}

function rows(data: TargetsData): Row[] {
  return [
    ...data.activeTargets.map((x) => ({
      scrapePool: x.scrapePool,
      discovered: x.discoveredLabels,
      target: x.labels,
    })),
    ...data.droppedTargets.map((x) => ({
      scrapePool: x.scrapePool ?? x.discoveredLabels.job ?? "",
      discovered: x.discoveredLabels,
      target: undefined,
    })),
  ];
}

/** The `/service-discovery` page. */
export function ServiceDiscoveryPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [targets, reload] = useApi<TargetsData>("targets", { state: "any" });
  return (
    <div className="page" data-testid="page-service-discovery">
      <h1>{t("sd.title")}</h1>
      <FilterBar text={text} onText={setText} />
      <Loader loaded={targets} reload={reload}>
        {(data) => {
          const all = rows(data).filter((r) => matchesText(text, ...Object.entries(r.discovered).flat()));
          if (all.length === 0) return <p className="muted">{t("common.empty")}</p>;
          return [...byPool(all)].map(([pool, list]) => {
            const dropped = list.filter((r) => r.target === undefined).length;
            return (
              <details key={pool} className="card pool" open data-testid="sd-pool">
                <summary>
                  <span className="pool-name">{pool}</span>
                  <span className="muted">
                    {t("sd.activeCount", { active: list.length - dropped, dropped })}
                  </span>
                </summary>
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>{t("sd.discovered")}</th>
                        <th>{t("sd.target")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((r) => (
                        <tr key={JSON.stringify(r.discovered)}>
                          <td>
                            <LabelBadges labels={r.discovered} />
                          </td>
                          <td>
                            {r.target === undefined ? (
                              <StateBadge state="down" text={t("sd.dropped")} />
                            ) : (
                              <LabelBadges labels={r.target} />
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            );
          });
        }}
      </Loader>
    </div>
  );
}
