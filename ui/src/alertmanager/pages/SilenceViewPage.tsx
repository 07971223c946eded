/** One silence (`/silences/<id>`): its details and the alerts it silences now. */

import { useLoad } from "../../api/useLoad.ts";
import { LabelBadges } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import { useT } from "../../i18n/i18n.ts";
import { useRoute } from "../../shell/router.tsx";
import { type AmAlert, type Silence, v2Get } from "../api.ts";
import { localTime } from "../format.ts";
import { formatMatcher, fromSilenceMatcher } from "../matchers.ts";
import { SilenceCard } from "./SilenceCard.tsx";

/** The `/silences/<id>` page. */
export function SilenceViewPage() {
  const t = useT();
  const id = decodeURIComponent(useRoute().path.split("/")[2] ?? "");
  const [silence, reload] = useLoad(v2Get<Silence>, `silence/${encodeURIComponent(id)}`, undefined, 15_000);
  return (
    <div className="page" data-testid="page-silence">
      <h1>{t("am.silenceTitle")}</h1>
      <Loader loaded={silence} reload={reload}>
        {(s) => (
          <>
            <SilenceCard silence={s} onChange={reload} detail />
            <table className="table kv card">
              <tbody>
                <tr>
                  <th>ID</th>
                  <td className="mono" data-testid="silence-id">
                    {s.id}
                  </td>
                </tr>
                <tr>
                  <th>{t("am.form.start")}</th>
                  <td>{localTime(s.startsAt)}</td>
                </tr>
                <tr>
                  <th>{t("am.form.end")}</th>
                  <td>{localTime(s.endsAt)}</td>
                </tr>
                <tr>
                  <th>{t("am.updatedAt")}</th>
                  <td>{localTime(s.updatedAt)}</td>
                </tr>
              </tbody>
            </table>
            {s.status.state !== "expired" && <Affected silence={s} />}
          </>
        )}
      </Loader>
    </div>
  );
}

function Affected({ silence }: { readonly silence: Silence }) {
  const t = useT();
  const params = {
    filter: silence.matchers.map((m) => formatMatcher(fromSilenceMatcher(m))),
    active: "true",
    silenced: "true",
    inhibited: "true",
    muted: "true",
  };
  const [alerts, reload] = useLoad(v2Get<AmAlert[]>, "alerts", params, 15_000);
  return (
    <section className="card" data-testid="affected-alerts">
      <Loader loaded={alerts} reload={reload}>
        {(data) => {
          const shown =
            silence.status.state === "active"
              ? data.filter((a) => a.status.silencedBy.includes(silence.id))
              : data;
          return (
            <>
              <h2>{t("am.affected", { count: shown.length })}</h2>
              {shown.map((a) => (
                <div key={a.fingerprint} className="am-alert">
                  <LabelBadges labels={a.labels} />
                </div>
              ))}
            </>
          );
        }}
      </Loader>
    </section>
  );
}
