/**
 * The page registry: an app (the server's UI, later the Alertmanager's and
 * the pushgateway's) is a list of pages the shell routes to and lists in its
 * navigation. See `ui/README.md`.
 */
import type { ComponentType } from "react";
import type { MessageKey } from "../i18n/en.ts";

/** One page of an app. */
export interface PageDef {
  /** The path below the route prefix, e.g. `/targets`; a `:name` segment matches any one segment (`/silences/:id`). */
  readonly path: string;
  /** The navigation and document title. */
  readonly title: MessageKey;
  /** The page; it reads its own state from the URL. */
  readonly component: ComponentType;
  /** Where it is listed: the top bar, a menu named by a key, or nowhere. */
  readonly nav: "top" | MessageKey | "hidden";
}

/** An app: a brand, its pages and the page `/` shows. */
export interface AppDef {
  readonly brand: MessageKey;
  readonly pages: readonly PageDef[];
  readonly home: string;
}

/** The first page whose path matches `path` (`:name` segments match any non-empty segment). */
export function findPage(pages: readonly PageDef[], path: string): PageDef | undefined {
  const segs = path.split("/");
  return pages.find((p) => {
    if (p.path === path) return true;
    const parts = p.path.split("/");
    return (
      parts.length === segs.length &&
      parts.every((s, i) => (s.startsWith(":") ? segs[i] !== "" : s === segs[i]))
    );
  });
}
