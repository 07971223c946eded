/**
 * The Alertmanager's alerts (`/alerts`), grouped as the routing tree groups
 * them (`api/v2/alerts/groups`), filtered by matchers in upstream's syntax,
 * by receiver and by the silenced/inhibited/muted toggles; the state lives
 * in the URL (`?filter=…&receiver=…&silenced=true`).
 */
import { useEffect, useState } from "react";
import type { Labels } from "../../api/types.ts";
import { useLoad } from "../../api/useLoad.ts";
import { LabelBadges, StateBadge } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import { type Translate, useT } from "../../i18n/i18n.ts";
import { Link, navigate, useRoute } from "../../shell/router.tsx";
import { type AlertGroup, type AmAlert, v2Get } from "../api.ts";
import { equalityMatchers, literalRegex, localTime, relative } from "../format.ts";
import { formatFilter, formatMatcher, parseFilter } from "../matchers.ts";
import { MatcherBadges } from "./Matchers.tsx";

const TOGGLES = ["silenced", "inhibited", "muted"] as const;

/** The `/alerts` page. */
export function AmAlertsPage() {
  const t = useT();
  const route = useRoute();
  const q = new URLSearchParams(route.search);
  const filter = q.get("filter") ?? "";
  const receiver = q.get("receiver") ?? "";
  const parsed = parseFilter(filter);
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(route.search);
    if (value === undefined || value === "") next.delete(key);
    else next.set(key, value);
    const s = next.toString();
    navigate(`/alerts${s === "" ? "" : `?${s}`}`, true);
  };
  const params = {
    filter: parsed.ok ? parsed.matchers.map(formatMatcher) : [],
    receiver: receiver === "" ? undefined : literalRegex(receiver),
    active: "true",
    silenced: String(q.get("silenced") === "true"),
    inhibited: String(q.get("inhibited") === "true"),
    muted: String(q.get("muted") === "true"),
  };
  const [groups, reload] = useLoad(v2Get<AlertGroup[]>, "alerts/groups", params, 15_000);
  const [receivers] = useLoad(v2Get<{ readonly name: string }[]>, "receivers");
  const draftParsed = parseFilter(draft);
  return (
    <div className="page" data-testid="page-am-alerts">
      <form
        className="filter-bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (draftParsed.ok) set("filter", formatFilter(draftParsed.matchers));
        }}
      >
        <input
          type="search"
          className="filter-text mono"
          data-testid="alert-filter"
          placeholder={t("am.filterPlaceholder")}
          aria-label={t("am.filter")}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">{t("am.apply")}</button>
        <select
          aria-label={t("am.receiver")}
          data-testid="receiver-filter"
          value={receiver}
          onChange={(e) => set("receiver", e.target.value)}
        >
          <option value="">{t("am.allReceivers")}</option>
          {receivers.state === "ok" &&
            receivers.result.data.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
              </option>
            ))}
        </select>
        {TOGGLES.map((k) => (
          <label key={k} className="chip">
            <input
              type="checkbox"
              data-testid={`toggle-${k}`}
              checked={q.get(k) === "true"}
              onChange={(e) => set(k, e.target.checked ? "true" : undefined)}
            />
            {t(`am.show.${k}`)}
          </label>
        ))}
      </form>
      {!draftParsed.ok && (
        <p className="error-text">
          {t("am.filterError", { error: draftParsed.error, pos: draftParsed.pos + 1 })}
        </p>
      )}
      {parsed.ok && (
        <MatcherBadges
          matchers={parsed.matchers}
          removeLabel={t("am.removeMatcher")}
          onRemove={(i) => set("filter", formatFilter(parsed.matchers.filter((_, j) => j !== i)))}
        />
      )}
      <Loader loaded={groups} reload={reload}>
        {(data) =>
          data.length === 0 ? (
            <p className="muted">{t("am.noAlerts")}</p>
          ) : (
            data.map((g) => <Group key={`${g.receiver.name}/${JSON.stringify(g.labels)}`} group={g} t={t} />)
          )
        }
      </Loader>
    </div>
  );
}

function Group({ group, t }: { readonly group: AlertGroup; readonly t: Translate }) {
  return (
    <details className="card pool am-group" open data-testid="alert-group">
      <summary>
        {Object.keys(group.labels).length === 0 ? (
          <span className="muted">{t("am.noGrouping")}</span>
        ) : (
          <LabelBadges labels={group.labels} />
        )}
        <span className="muted">{t("am.receiverIs", { name: group.receiver.name })}</span>
        <span className="muted">{t("am.alertCount", { count: group.alerts.length })}</span>
      </summary>
      {group.alerts.map((a) => (
        <AlertItem key={a.fingerprint} alert={a} groupLabels={group.labels} t={t} />
      ))}
    </details>
  );
}

function ownLabels(labels: Labels, group: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([k, v]) => group[k] !== v));
}

function AlertItem(props: { readonly alert: AmAlert; readonly groupLabels: Labels; readonly t: Translate }) {
  const { alert: a, t } = props;
  const silenced = a.status.silencedBy.length > 0;
  const inhibited = a.status.inhibitedBy.length > 0;
  const state = a.status.state === "active" ? "firing" : "unknown";
  const silenceLink = `/silences/new?filter=${encodeURIComponent(formatFilter(equalityMatchers(a.labels)))}`;
  return (
    <div className="am-alert" data-testid="alert" data-fingerprint={a.fingerprint}>
      <div className="am-alert-head">
        <span className="mono" title={localTime(a.startsAt)}>
          {localTime(a.startsAt)} ({relative(a.startsAt, t)})
        </span>
        <StateBadge state={state} text={t(`am.state.${a.status.state}`)} />
        {silenced && <StateBadge state="unknown" text={t("am.silenced")} />}
        {inhibited && <StateBadge state="unknown" text={t("am.inhibited")} />}
        <Link to={silenceLink} className="button-link" data-testid="silence-alert">
          {t("am.silence")}
        </Link>
        {a.generatorURL !== undefined && a.generatorURL !== "" && (
          <a href={a.generatorURL} className="button-link" target="_blank" rel="noreferrer">
            {t("am.source")}
          </a>
        )}
        {a.status.silencedBy.map((id) => (
          <Link key={id} to={`/silences/${id}`} className="mono small">
            {t("am.silencedBy", { id: id.slice(0, 8) })}
          </Link>
        ))}
      </div>
      <LabelBadges labels={ownLabels(a.labels, props.groupLabels)} />
      {Object.entries(a.annotations).map(([k, v]) => (
        <div key={k} className="annotation">
          <strong>{k}:</strong> {v}
        </div>
      ))}
    </div>
  );
}
