/** The pushgateway's status (`/status`): build information, start time and flags. */
import { useState } from "react";
import { useApi } from "../../api/useApi.ts";
import { FilterBar, matchesText } from "../../components/Filter.tsx";
import { Loader } from "../../components/Loader.tsx";
import { useT } from "../../i18n/i18n.ts";
import { formatTimestamp } from "../../lib/format.ts";
import type { PgStatus } from "../api.ts";

/** The `/status` page. */
export function PgStatusPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [status, reload] = useApi<PgStatus>("status");
  return (
    <div className="page" data-testid="page-pg-status">
      <Loader loaded={status} reload={reload}>
        {(s) => (
          <>
            <section className="card">
              <h2>{t("status.build")}</h2>
              <table className="table kv">
                <tbody>
                  {Object.entries(s.build_information).map(([k, v]) => (
                    <tr key={k}>
                      <th>{k}</th>
                      <td>{v}</td>
                    </tr>
                  ))}
                  <tr>
                    <th>{t("pg.startTime")}</th>
                    <td>{formatTimestamp(Date.parse(s.start_time), false)}</td>
                  </tr>
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2>{t("status.flags")}</h2>
              <FilterBar text={text} onText={setText} />
              <table className="table kv">
                <tbody>
                  {Object.entries(s.flags)
                    .filter(([k, v]) => matchesText(text, k, v))
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([k, v]) => (
                      <tr key={k}>
                        <th>--{k}</th>
                        <td>{v}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
          </>
        )}
      </Loader>
    </div>
  );
}
