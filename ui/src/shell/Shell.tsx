/**
 * The app frame every UI shares: a top bar with the brand, the navigation
 * built from the page registry, the theme toggle and the language switch,
 * then the routed page.
 */
import { useEffect, useState } from "react";
import type { MessageKey } from "../i18n/en.ts";
import { LANGUAGES, type Lang, setLang, useLang, useT } from "../i18n/i18n.ts";
import { type AppDef, findPage, type PageDef } from "./pages.ts";
import { Link, navigate, useRoute } from "./router.tsx";
import { setTheme, useTheme } from "./theme.ts";

/** Renders `app` at the current route. */
export function Shell({ app }: { readonly app: AppDef }) {
  const t = useT();
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const page = findPage(app.pages, route.path);
  useEffect(() => {
    if (route.path === "/" && app.home !== "/") navigate(app.home, true);
  }, [route.path, app.home]);
  const title = page === undefined ? t(app.brand) : `${t(page.title)} – ${t(app.brand)}`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => {
    if (route.path === "") return;
    setMenuOpen(false);
    for (const d of document.querySelectorAll<HTMLDetailsElement>("details.nav-menu")) d.open = false;
  }, [route.path]);
  const Page = page?.component;
  return (
    <div className="app">
      <header className="topbar">
        <Link to={app.home} className="brand">
          {t(app.brand)}
        </Link>
        <button
          type="button"
          className="menu-toggle"
          aria-label={t("nav.menu")}
          aria-expanded={menuOpen}
          onClick={() => setMenuOpen(!menuOpen)}
        >
          ☰
        </button>
        <nav className={menuOpen ? "nav open" : "nav"}>
          <NavItems pages={app.pages} current={route.path} />
        </nav>
        <div className="toolbar">
          <ThemeToggle />
          <LangSwitch />
        </div>
      </header>
      <main className="content">
        {Page === undefined ? <p className="muted">{t("shell.notFound")}</p> : <Page />}
      </main>
    </div>
  );
}

function NavItems({ pages, current }: { readonly pages: readonly PageDef[]; readonly current: string }) {
  const t = useT();
  const groups = new Map<MessageKey, PageDef[]>();
  const items: (PageDef | MessageKey)[] = [];
  for (const p of pages) {
    if (p.nav === "hidden") continue;
    if (p.nav === "top") {
      items.push(p);
      continue;
    }
    const g = groups.get(p.nav);
    if (g === undefined) {
      groups.set(p.nav, [p]);
      items.push(p.nav);
    } else g.push(p);
  }
  return items.map((item) => {
    if (typeof item !== "string") {
      return (
        <Link
          key={item.path}
          to={item.path}
          className={isCurrent(item.path, current) ? "nav-link active" : "nav-link"}
        >
          {t(item.title)}
        </Link>
      );
    }
    const members = groups.get(item) ?? [];
    const active = members.some((p) => p.path === current);
    return (
      <details key={item} className="nav-menu">
        <summary className={active ? "nav-link active" : "nav-link"}>{t(item)}</summary>
        <div className="nav-dropdown">
          {members.map((p) => (
            <Link key={p.path} to={p.path} className="nav-link" data-testid={`nav-${p.path.slice(1)}`}>
              {t(p.title)}
            </Link>
          ))}
        </div>
      </details>
    );
  });
}

/** True for the page's own path and paths below it (`/silences/<id>` under `/silences`). */
function isCurrent(path: string, current: string): boolean {
  return path === current || (path !== "/" && current.startsWith(`${path}/`));
}

function ThemeToggle() {
  const t = useT();
  const theme = useTheme();
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="theme-toggle"
      title={`${t("shell.theme")}: ${t(next === "dark" ? "shell.themeDark" : "shell.themeLight")}`}
      onClick={() => setTheme(next)}
    >
      {theme === "dark" ? "☀" : "☾"}
    </button>
  );
}

function LangSwitch() {
  const t = useT();
  const lang = useLang();
  return (
    <select
      aria-label={t("shell.language")}
      data-testid="lang-switch"
      value={lang}
      onChange={(e) => setLang(e.target.value as Lang)}
    >
      {LANGUAGES.map((l) => (
        <option key={l.lang} value={l.lang}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
