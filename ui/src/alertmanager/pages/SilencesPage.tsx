/** The silences (`/silences`): active, pending and expired tabs, filtered by matchers. */
import { useEffect, useState } from "react";
import { useLoad } from "../../api/useLoad.ts";
import { Loader } from "../../components/Loader.tsx";
import { useT } from "../../i18n/i18n.ts";
import { Link, navigate, useRoute } from "../../shell/router.tsx";
import { type Silence, type SilenceState, v2Get } from "../api.ts";
import { formatFilter, formatMatcher, parseFilter } from "../matchers.ts";
import { SilenceCard } from "./SilenceCard.tsx";

const STATES: readonly SilenceState[] = ["active", "pending", "expired"];

/** The `/silences` page; `?state=` picks the tab, `?filter=` the matchers. */
export function SilencesPage() {
  const t = useT();
  const route = useRoute();
  const q = new URLSearchParams(route.search);
  const tab = (STATES as readonly string[]).includes(q.get("state") ?? "")
    ? (q.get("state") as SilenceState)
    : "active";
  const filter = q.get("filter") ?? "";
  const parsed = parseFilter(filter);
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const go = (state: SilenceState, f: string) => {
    const next = new URLSearchParams({ state });
    if (f !== "") next.set("filter", f);
    navigate(`/silences?${next}`, true);
  };
  const [silences, reload] = useLoad(
    v2Get<Silence[]>,
    "silences",
    { filter: parsed.ok ? parsed.matchers.map(formatMatcher) : [] },
    15_000,
  );
  const draftParsed = parseFilter(draft);
  return (
    <div className="page" data-testid="page-silences">
      <div className="page-head">
        <h1>{t("am.silences")}</h1>
        <Link to="/silences/new" className="button-link primary" data-testid="new-silence">
          {t("am.newSilence")}
        </Link>
      </div>
      <form
        className="filter-bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (draftParsed.ok) go(tab, formatFilter(draftParsed.matchers));
        }}
      >
        <input
          type="search"
          className="filter-text mono"
          placeholder={t("am.filterPlaceholder")}
          aria-label={t("am.filter")}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">{t("am.apply")}</button>
      </form>
      {!draftParsed.ok && (
        <p className="error-text">
          {t("am.filterError", { error: draftParsed.error, pos: draftParsed.pos + 1 })}
        </p>
      )}
      <Loader loaded={silences} reload={reload}>
        {(data) => {
          const shown = data
            .filter((s) => s.status.state === tab)
            .sort((a, b) =>
              tab === "expired" ? b.endsAt.localeCompare(a.endsAt) : a.endsAt.localeCompare(b.endsAt),
            );
          return (
            <>
              <div className="tabs" role="tablist">
                {STATES.map((s) => (
                  <button
                    key={s}
                    type="button"
                    role="tab"
                    aria-selected={s === tab}
                    data-testid={`tab-${s}`}
                    className={s === tab ? "tab active" : "tab"}
                    onClick={() => go(s, filter)}
                  >
                    {t(`am.silence.${s}`)} ({data.filter((x) => x.status.state === s).length})
                  </button>
                ))}
              </div>
              {shown.length === 0 && <p className="muted">{t("am.noSilences")}</p>}
              {shown.map((s) => (
                <SilenceCard key={s.id} silence={s} onChange={reload} />
              ))}
            </>
          );
        }}
      </Loader>
    </div>
  );
}
