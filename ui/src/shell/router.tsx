/**
 * A tiny history-based router. Paths are relative to the route prefix, which
 * the server writes into `<base href>`: `basePath()` is that prefix ("" or
 * `/a/b`), `useRoute()` the current path below it and its query string.
 */
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from "react";
import { useSyncExternalStore } from "react";

const NAVIGATE = "vigil:navigate";

/** The route prefix the page was served under: "" or `/a/b`, no trailing slash. */
export function basePath(): string {
  return new URL(document.baseURI).pathname.replace(/\/+$/, "");
}

/** The current path below the prefix (`/query`) and search string (`?g0.expr=…`). */
export interface Route {
  readonly path: string;
  readonly search: string;
}

function snapshot(): string {
  const base = basePath();
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname;
  return `${path || "/"}${location.search}`;
}

function subscribe(l: () => void): () => void {
  window.addEventListener("popstate", l);
  window.addEventListener(NAVIGATE, l);
  return () => {
    window.removeEventListener("popstate", l);
    window.removeEventListener(NAVIGATE, l);
  };
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const s = useSyncExternalStore(subscribe, snapshot);
  const q = s.indexOf("?");
  return q < 0 ? { path: s, search: "" } : { path: s.slice(0, q), search: s.slice(q) };
}

/** Goes to `to` (a path below the prefix, optionally with a query string); `replace` keeps history short. */
export function navigate(to: string, replace = false): void {
  const url = `${basePath()}${to}`;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** An anchor that navigates within the app; modified clicks open normally. */
export function Link(
  props: { readonly to: string; readonly children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>,
) {
  const { to, children, onClick, ...rest } = props;
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${basePath()}${to}`} onClick={click} {...rest}>
      {children}
    </a>
  );
}
