/** The Table tab: instant vector series with their labels and values, or a scalar/string, or a range vector's samples. */
import type { QueryResult } from "../../api/types.ts";
import { useT } from "../../i18n/i18n.ts";
import { formatSeries } from "../../lib/format.ts";

/** At most this many rows are rendered. */
export const MAX_ROWS = 10_000;

/** Renders `result` as a table. */
export function TableView({ result }: { readonly result: QueryResult }) {
  const t = useT();
  switch (result.resultType) {
    case "scalar":
    case "string":
      return (
        <table className="table result-table" data-testid="result-table">
          <tbody>
            <tr>
              <td className="mono muted">
                {t(result.resultType === "scalar" ? "query.scalar" : "query.string")}
              </td>
              <td className="mono num">{result.result[1]}</td>
            </tr>
          </tbody>
        </table>
      );
    case "vector":
    case "matrix": {
      if (result.result.length === 0) return <p className="muted">{t("query.noData")}</p>;
      const rows = result.result.slice(0, MAX_ROWS);
      return (
        <>
          {result.result.length > MAX_ROWS && (
            <p className="muted">{t("query.truncated", { shown: MAX_ROWS, total: result.result.length })}</p>
          )}
          <div className="table-wrap">
            <table className="table result-table" data-testid="result-table">
              <tbody>
                {rows.map((s) => (
                  <tr key={JSON.stringify(s.metric)}>
                    <td className="mono series">{formatSeries(s.metric)}</td>
                    <td className="mono num">
                      {"value" in s
                        ? s.value[1]
                        : s.values.map(([ts, v]) => (
                            <div key={ts}>
                              {v} @{ts}
                            </div>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      );
    }
  }
}
