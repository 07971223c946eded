/** Alerting rules with their state and active alerts (`rules?type=alert`), filtered by state and text. */
import { useState } from "react";
import type { AlertingRule, RuleGroup } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { FilterBar, matchesText, toggled } from "../../components/Filter.tsx";
import { LabelBadges, StateBadge } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { type Translate, useT } from "../../i18n/i18n.ts";
import { formatDuration } from "../../lib/format.ts";
import { ago } from "./RulesPage.tsx";

const STATES: Readonly<Record<AlertingRule["state"], MessageKey>> = {
  inactive: "alerts.inactive",
  pending: "alerts.pending",
  firing: "alerts.firing",
};

function alertingRules(groups: readonly RuleGroup[]): AlertingRule[] {
  return groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => r.type === "alerting"));
}

/** The `/alerts` page. */
export function AlertsPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [states, setStates] = useState<ReadonlySet<string>>(new Set());
  const [rules, reload] = useApi<{ readonly groups: readonly RuleGroup[] }>(
    "rules",
    { type: "alert" },
    15_000,
  );
  return (
    <div className="page" data-testid="page-alerts">
      <h1>{t("alerts.title")}</h1>
      <Loader loaded={rules} reload={reload}>
        {(data) => {
          const all = alertingRules(data.groups);
          const options = (["inactive", "pending", "firing"] as const).map((s) => ({
            value: s,
            label: t(STATES[s]),
            count: all.filter((r) => r.state === s).length,
          }));
          const shown = all.filter(
            (r) =>
              (states.size === 0 || states.has(r.state)) &&
              matchesText(text, r.name, r.query, ...Object.entries(r.labels ?? {}).flat()),
          );
          return (
            <>
              <FilterBar
                text={text}
                onText={setText}
                states={options}
                selected={states}
                onToggle={(v) => setStates(toggled(states, v))}
              />
              {all.length === 0 && <p className="muted">{t("alerts.none")}</p>}
              {all.length > 0 && shown.length === 0 && <p className="muted">{t("common.noMatch")}</p>}
              {shown.map((r) => (
                <AlertRule key={`${r.name}/${r.query}`} rule={r} t={t} />
              ))}
            </>
          );
        }}
      </Loader>
    </div>
  );
}

function AlertRule({ rule, t }: { readonly rule: AlertingRule; readonly t: Translate }) {
  return (
    <details
      className={`card pool alert-rule state-${rule.state}`}
      open={rule.state !== "inactive"}
      data-testid="alert-rule"
    >
      <summary>
        <span className="pool-name">{rule.name}</span>
        <StateBadge state={rule.state} text={t(STATES[rule.state])} />
        {rule.alerts.length > 0 && (
          <span className="muted">{t("alerts.activeAlerts", { count: rule.alerts.length })}</span>
        )}
      </summary>
      <pre className="code inline">
        {rule.query}
        {rule.duration > 0 && `\n${t("alerts.for", { duration: formatDuration(rule.duration * 1000) })}`}
      </pre>
      {rule.labels !== undefined && <LabelBadges labels={rule.labels} />}
      {rule.alerts.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t("common.labels")}</th>
                <th>{t("common.state")}</th>
                <th>{t("alerts.activeSince")}</th>
                <th>{t("common.value")}</th>
              </tr>
            </thead>
            <tbody>
              {rule.alerts.map((a) => (
                <tr key={JSON.stringify(a.labels)}>
                  <td>
                    <LabelBadges labels={a.labels} />
                    {Object.entries(a.annotations).map(([k, v]) => (
                      <div key={k} className="annotation">
                        <strong>{k}:</strong> {v}
                      </div>
                    ))}
                  </td>
                  <td>
                    <StateBadge state={a.state} text={t(STATES[a.state])} />
                  </td>
                  <td>{a.activeAt === undefined ? "" : ago(a.activeAt, t)}</td>
                  <td className="mono">{a.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
