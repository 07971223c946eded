/** The Alertmanager's status (`/status`): uptime, cluster, version and the loaded configuration. */
import { useLoad } from "../../api/useLoad.ts";
import { Loader } from "../../components/Loader.tsx";
import { YamlView } from "../../components/Yaml.tsx";
import { useT } from "../../i18n/i18n.ts";
import { type AmStatus, v2Get } from "../api.ts";
import { localTime, relative } from "../format.ts";

/** The `/status` page. */
export function AmStatusPage() {
  const t = useT();
  const [status, reload] = useLoad(v2Get<AmStatus>, "status");
  return (
    <div className="page" data-testid="page-am-status">
      <Loader loaded={status} reload={reload}>
        {(s) => (
          <>
            <section className="card">
              <h2>{t("am.status.title")}</h2>
              <table className="table kv">
                <tbody>
                  <tr>
                    <th>{t("am.status.uptime")}</th>
                    <td>
                      {localTime(s.uptime)} ({relative(s.uptime, t)})
                    </td>
                  </tr>
                  <tr>
                    <th>{t("am.status.cluster")}</th>
                    <td data-testid="cluster-status">{s.cluster.status}</td>
                  </tr>
                  {s.cluster.name !== undefined && (
                    <tr>
                      <th>{t("common.name")}</th>
                      <td>{s.cluster.name}</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2>{t("status.build")}</h2>
              <table className="table kv">
                <tbody>
                  {Object.entries(s.versionInfo).map(([k, v]) => (
                    <tr key={k}>
                      <th>{k}</th>
                      <td>{v}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2>{t("status.config")}</h2>
              <YamlView text={s.config.original} />
            </section>
          </>
        )}
      </Loader>
    </div>
  );
}
