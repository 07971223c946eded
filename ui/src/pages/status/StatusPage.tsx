/** Runtime and build information (`status/runtimeinfo`, `status/buildinfo`). */
import { useApi } from "../../api/useApi.ts";
import { Loader } from "../../components/Loader.tsx";
import { useT } from "../../i18n/i18n.ts";

type Info = Readonly<Record<string, string | number | boolean>>;

function InfoTable({ info }: { readonly info: Info }) {
  return (
    <table className="table kv">
      <tbody>
        {Object.entries(info).map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{String(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The `/status` page. */
export function StatusPage() {
  const t = useT();
  const [runtime, reloadRuntime] = useApi<Info>("status/runtimeinfo");
  const [build, reloadBuild] = useApi<Info>("status/buildinfo");
  return (
    <div className="page" data-testid="page-status">
      <section className="card">
        <h2>{t("status.build")}</h2>
        <Loader loaded={build} reload={reloadBuild}>
          {(info) => <InfoTable info={info} />}
        </Loader>
      </section>
      <section className="card">
        <h2>{t("status.runtime")}</h2>
        <Loader loaded={runtime} reload={reloadRuntime}>
          {(info) => <InfoTable info={info} />}
        </Loader>
      </section>
    </div>
  );
}
