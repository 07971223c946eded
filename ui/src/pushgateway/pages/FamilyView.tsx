/** One pushed metric family: name, type, help and a table of its samples. */
import { LabelBadges } from "../../components/Labels.tsx";
import { useT } from "../../i18n/i18n.ts";
import type { PgFamily, PgMetric } from "../api.ts";

function valueText(m: PgMetric): string {
  if (m.value !== undefined) return m.value;
  const parts: string[] = [];
  for (const [q, v] of Object.entries(m.quantiles ?? {})) parts.push(`{quantile="${q}"} ${v}`);
  for (const [le, v] of Object.entries(m.buckets ?? {})) parts.push(`{le="${le}"} ${v}`);
  if (m.count !== undefined) parts.push(`count ${m.count}`);
  if (m.sum !== undefined) parts.push(`sum ${m.sum}`);
  return parts.join("\n");
}

/** A family, collapsed to its heading until opened. */
export function FamilyView({ name, family }: { readonly name: string; readonly family: PgFamily }) {
  const t = useT();
  return (
    <details className="family" data-testid="pg-family">
      <summary className="family-summary">
        <span className="mono">{name}</span>
        <span className="state-badge tone-neutral">{family.type.toLowerCase()}</span>
        <span className="muted">{t("pg.samples", { count: family.metrics.length })}</span>
        {family.help !== undefined && <span className="muted small">{family.help}</span>}
      </summary>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t("common.labels")}</th>
              <th>{t("common.value")}</th>
            </tr>
          </thead>
          <tbody>
            {family.metrics.map((m) => (
              <tr key={JSON.stringify(m.labels)}>
                <td>
                  <LabelBadges labels={m.labels} />
                </td>
                <td className="mono pre">{valueText(m)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="muted small">{t("pg.familyTime", { time: family.time_stamp })}</div>
    </details>
  );
}
