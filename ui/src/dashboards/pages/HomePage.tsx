/** Home: search dashboards and folders by title (`GET /api/search`), grouped by folder. */
import { useEffect, useState } from "react";
import { useT } from "../../i18n/i18n.ts";
import { Link, navigate } from "../../shell/router.tsx";
import { currentUser, logout, type SearchHit, search } from "../api.ts";

/** Lists dashboards. */
export function HomePage() {
  const t = useT();
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [user, setUser] = useState("");
  useEffect(() => {
    currentUser().then(
      (u) => setUser(u.login),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    const id = setTimeout(() => {
      search(query).then(
        (h) => {
          setHits(h);
          setError(undefined);
        },
        (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
      );
    }, 150);
    return () => clearTimeout(id);
  }, [query]);
  const folders = new Map<string, SearchHit[]>();
  for (const h of hits ?? []) {
    if (h.type !== "dash-db") continue;
    const f = h.folderTitle ?? t("dash.general");
    folders.set(f, [...(folders.get(f) ?? []), h]);
  }
  return (
    <div className="dash-home" data-testid="home">
      <div className="dash-bar">
        <h1>{t("dash.dashboards")}</h1>
        <div className="dash-actions">
          <Link to="/dashboard/import" className="button-link" data-testid="import-link">
            {t("dash.import")}
          </Link>
          {user !== "" && (
            <button
              type="button"
              onClick={() => logout().then(() => navigate("/login"))}
              data-testid="logout"
            >
              {t("dash.logout", { user })}
            </button>
          )}
        </div>
      </div>
      <input
        className="dash-search"
        placeholder={t("dash.search")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="search"
      />
      {error !== undefined && <p className="dash-error">{error}</p>}
      {hits !== undefined && folders.size === 0 && <p className="muted">{t("dash.noDashboards")}</p>}
      {[...folders].map(([folder, list]) => (
        <section key={folder} className="card dash-folder">
          <h2>{folder}</h2>
          <ul>
            {list.map((h) => (
              <li key={h.uid}>
                <Link to={`/d/${encodeURIComponent(h.uid)}`} data-testid="search-hit">
                  {h.title}
                </Link>
                {h.tags.map((tag) => (
                  <span key={tag} className="dash-tag">
                    {tag}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
