/** One silence: matchers, times, author and comment, with view/edit/expire actions. */
import { useState } from "react";
import { StateBadge } from "../../components/Labels.tsx";
import { type Translate, useT } from "../../i18n/i18n.ts";
import { Link } from "../../shell/router.tsx";
import { type Silence, type SilenceState, v2Call } from "../api.ts";
import { localTime, relative } from "../format.ts";
import { fromSilenceMatcher } from "../matchers.ts";
import { MatcherBadges } from "./Matchers.tsx";

/** The badge tone of each silence state (`StateBadge` names). */
export const SILENCE_TONE: Readonly<Record<SilenceState, string>> = {
  active: "ok",
  pending: "pending",
  expired: "unknown",
};

/** The time line of a silence: "Ends in 2h" while active, "Starts in …" while pending, "Expired … ago". */
export function silenceTimes(s: Silence, t: Translate): string {
  if (s.status.state === "pending") return t("am.startsIn", { when: relative(s.startsAt, t) });
  if (s.status.state === "active") return t("am.endsIn", { when: relative(s.endsAt, t) });
  return t("am.expiredAt", { when: relative(s.endsAt, t) });
}

/** Expires silence `id` (`DELETE api/v2/silence/<id>`) after a second click; calls `onDone` when it did. */
export function ExpireButton(props: { readonly id: string; readonly onDone: () => void }) {
  const t = useT();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const expire = async () => {
    try {
      await v2Call("DELETE", `silence/${encodeURIComponent(props.id)}`);
      setConfirm(false);
      props.onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      {confirm ? (
        <button type="button" className="danger" data-testid="expire-confirm" onClick={expire}>
          {t("am.expireConfirm")}
        </button>
      ) : (
        <button type="button" data-testid="expire" onClick={() => setConfirm(true)}>
          {t("am.expire")}
        </button>
      )}
      {error !== undefined && <span className="error-text">{t("common.error", { message: error })}</span>}
    </>
  );
}

/** A silence's card; `detail` hides the link to its own page. */
export function SilenceCard(props: {
  readonly silence: Silence;
  readonly onChange: () => void;
  readonly detail?: boolean;
}) {
  const t = useT();
  const s = props.silence;
  const expired = s.status.state === "expired";
  return (
    <section className="card silence" data-testid="silence" data-silence-id={s.id}>
      <div className="am-alert-head">
        <StateBadge state={SILENCE_TONE[s.status.state]} text={t(`am.silence.${s.status.state}`)} />
        <span className="muted" title={`${localTime(s.startsAt)} – ${localTime(s.endsAt)}`}>
          {silenceTimes(s, t)}
        </span>
        <span className="spacer" />
        {props.detail !== true && (
          <Link to={`/silences/${s.id}`} className="button-link" data-testid="view-silence">
            {t("am.view")}
          </Link>
        )}
        <Link to={`/silences/${s.id}/edit`} className="button-link" data-testid="edit-silence">
          {t(expired ? "am.recreate" : "am.edit")}
        </Link>
        {!expired && <ExpireButton id={s.id} onDone={props.onChange} />}
      </div>
      <MatcherBadges matchers={s.matchers.map(fromSilenceMatcher)} />
      <div className="silence-meta">
        <span>
          <strong>{s.createdBy}</strong>: {s.comment}
        </span>
      </div>
    </section>
  );
}
