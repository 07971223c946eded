/** The command-line flags (`status/flags`), filterable. */
import { useState } from "react";
import { useApi } from "../../api/useApi.ts";
import { FilterBar, matchesText } from "../../components/Filter.tsx";
import { Loader } from "../../components/Loader.tsx";
import { useT } from "../../i18n/i18n.ts";

/** The `/flags` page. */
export function FlagsPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [flags, reload] = useApi<Readonly<Record<string, string>>>("status/flags");
  return (
    <div className="page" data-testid="page-flags">
      <h1>{t("status.flags")}</h1>
      <FilterBar text={text} onText={setText} />
      <Loader loaded={flags} reload={reload}>
        {(data) => (
          <table className="table kv">
            <tbody>
              {Object.entries(data)
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
        )}
      </Loader>
    </div>
  );
}
