/** Rule groups (`rules`): per group its interval, evaluation time and last evaluation; per rule its health and last error. */
import type { RuleGroup } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { StateBadge } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import { type Translate, useT } from "../../i18n/i18n.ts";
import { formatDuration, formatSeconds, sinceMs } from "../../lib/format.ts";

/** "3s ago" or "never" for an RFC 3339 time. */
export function ago(rfc3339: string, t: Translate): string {
  const ms = sinceMs(rfc3339);
  return ms === undefined ? t("common.never") : t("common.ago", { duration: formatDuration(ms) });
}

/** The `/rules` page. */
export function RulesPage() {
  const t = useT();
  const [rules, reload] = useApi<{ readonly groups: readonly RuleGroup[] }>("rules", undefined, 15_000);
  return (
    <div className="page" data-testid="page-rules">
      <h1>{t("rules.title")}</h1>
      <Loader loaded={rules} reload={reload}>
        {(data) =>
          data.groups.length === 0 ? (
            <p className="muted">{t("rules.none")}</p>
          ) : (
            data.groups.map((g) => <Group key={`${g.file}/${g.name}`} group={g} t={t} />)
          )
        }
      </Loader>
    </div>
  );
}

function Group({ group, t }: { readonly group: RuleGroup; readonly t: Translate }) {
  return (
    <details className="card pool" open data-testid="rule-group">
      <summary>
        <span className="pool-name">{group.name}</span>
        <span className="muted">{group.file}</span>
        <span className="muted">
          {t("rules.interval", { interval: formatDuration(group.interval * 1000) })}
        </span>
        <span className="muted">
          {t("common.lastEvaluation")}: {ago(group.lastEvaluation, t)} · {t("common.evaluationTime")}:{" "}
          {formatSeconds(group.evaluationTime)}
        </span>
      </summary>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t("rules.rule")}</th>
              <th>{t("common.health")}</th>
              <th>{t("common.lastEvaluation")}</th>
              <th>{t("common.evaluationTime")}</th>
            </tr>
          </thead>
          <tbody>
            {group.rules.map((r) => (
              <tr key={`${r.type}/${r.name}/${r.query}`}>
                <td>
                  <div className="mono">
                    <span className="muted">
                      {t(r.type === "alerting" ? "rules.alerting" : "rules.recording")}:{" "}
                    </span>
                    <strong>{r.name}</strong>
                  </div>
                  <pre className="code inline">{r.query}</pre>
                  {r.lastError !== undefined && r.lastError !== "" && (
                    <div className="error-text">
                      {t("common.lastError")}: {r.lastError}
                    </div>
                  )}
                </td>
                <td>
                  <StateBadge state={r.health} text={t(`health.${r.health}`)} />
                </td>
                <td>{ago(r.lastEvaluation, t)}</td>
                <td>{formatSeconds(r.evaluationTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
