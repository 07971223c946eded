/**
 * Serves the built web UI (`ui/dist`, see `ui/README.md`) under the route
 * prefix: the client-side routes answer the entry HTML with a `<base href>`
 * naming the prefix, `/assets/*` answers the hashed bundles with long cache
 * headers, and a missing build answers a clear 503.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { methodNotAllowed, reply, replyCompressed } from "./http.ts";

/** Where `vite build ui` writes the UI, relative to this file. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL("../../ui/dist", import.meta.url));

/** The client routes of `vigil server`'s UI (upstream Prometheus 3.x names). */
export const SERVER_UI_ROUTES: readonly string[] = [
  "/query",
  "/alerts",
  "/rules",
  "/targets",
  "/service-discovery",
  "/status",
  "/flags",
  "/config",
  "/tsdb-status",
];

/** What one UI (an HTML entry of `ui/dist`) is served from. */
export interface UiOptions {
  /** The build directory; default {@link DEFAULT_UI_DIR}. */
  readonly dir?: string;
  /** The entry HTML inside `dir`; default `index.html`. */
  readonly entry?: string;
  /** The route prefix: "" or `/a/b` (no trailing slash). */
  readonly prefix: string;
  /**
   * Paths (relative to the prefix) answered with the entry HTML; a `:name`
   * segment matches any one non-empty segment (`/silences/:id`). Listing `/`
   * serves the entry there instead of redirecting to `home`.
   */
  readonly routes: readonly string[];
  /** Where `/` redirects to (relative to the prefix), unless `routes` lists `/`. */
  readonly home: string;
  /** Old paths redirected to new ones, the query string kept (`/graph` → `/query`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Answers entry requests while the UI is not built; default the 503 {@link NOT_BUILT_PAGE}. */
  readonly notBuilt?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/** Serves `rel` (a path relative to the prefix) when it is the UI's; false when it is not. */
export type UiHandler = (req: IncomingMessage, res: ServerResponse, rel: string) => Promise<boolean>;

const ASSET_CACHE = "public, max-age=31536000, immutable";
const HTML = "text/html; charset=utf-8";

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".map": "application/json",
};

/** The 503 page served while `ui/dist` does not exist. */
export const NOT_BUILT_PAGE =
  "<!doctype html><html><head><title>UI not built</title></head><body>" +
  "<h1>UI not built: run npm run build:ui</h1>" +
  "<p>The web UI has not been built. Run <code>npm run build:ui</code> and reload this page; " +
  "the HTTP API under <code>api/v1/</code> works without it.</p></body></html>\n";

/** Builds the handler for one UI; files are read on demand so a later build is picked up. */
export function createUiHandler(opts: UiOptions): UiHandler {
  const dir = opts.dir ?? DEFAULT_UI_DIR;
  const entry = opts.entry ?? "index.html";
  const routes = new Set(opts.routes.filter((r) => !r.includes("/:")));
  const patterns = opts.routes.filter((r) => r.includes("/:")).map((r) => r.split("/"));
  const isRoute = (rel: string) => routes.has(rel) || patterns.some((p) => matchesPattern(p, rel));
  const aliases = opts.aliases ?? {};
  return async (req, res, rel) => {
    const isAsset = rel.startsWith("/assets/") || rel === "/favicon.svg";
    const target = rel === "/" && !routes.has("/") ? opts.home : aliases[rel];
    if (!isAsset && target === undefined && !isRoute(rel)) return false;
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      methodNotAllowed(res, ["GET", "HEAD", "OPTIONS"]);
      return true;
    }
    if (target !== undefined) {
      const search = new URL(req.url ?? "/", "http://localhost").search;
      redirect(res, `${opts.prefix}${target}${search}`);
      return true;
    }
    if (isAsset) return serveAsset(req, res, dir, rel);
    const html = await readOptional(join(dir, entry));
    if (html === undefined && opts.notBuilt !== undefined) {
      await opts.notBuilt(req, res);
      return true;
    }
    if (html === undefined) {
      res.setHeader("Cache-Control", "no-store");
      reply(res, 503, HTML, NOT_BUILT_PAGE);
      return true;
    }
    res.setHeader("Cache-Control", "no-cache");
    await replyCompressed(req, res, 200, HTML, withBase(html.toString("utf8"), opts.prefix));
    return true;
  };
}

/** True when `rel` has the pattern's segments, a `:name` segment standing for any non-empty one. */
function matchesPattern(pattern: readonly string[], rel: string): boolean {
  const segs = rel.split("/");
  return (
    segs.length === pattern.length &&
    pattern.every((p, i) => (p.startsWith(":") ? segs[i] !== "" : p === segs[i]))
  );
}

/** Points the entry's `<base href>` at the prefix so relative asset and API URLs resolve under it. */
export function withBase(html: string, prefix: string): string {
  const base = `<base href="${escapeAttr(`${prefix}/`)}" />`;
  return /<base href="[^"]*"\s*\/?>/.test(html)
    ? html.replace(/<base href="[^"]*"\s*\/?>/, base)
    : html.replace("<head>", `<head>${base}`);
}

async function serveAsset(
  req: IncomingMessage,
  res: ServerResponse,
  dir: string,
  rel: string,
): Promise<boolean> {
  const path = normalize(join(dir, rel));
  if (!path.startsWith(dir + sep)) return false;
  const body = await readOptional(path);
  if (body === undefined) return false;
  res.setHeader("Cache-Control", rel.startsWith("/assets/") ? ASSET_CACHE : "no-cache");
  await replyCompressed(req, res, 200, TYPES[extname(path)] ?? "application/octet-stream", body);
  return true;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

function redirect(res: ServerResponse, location: string): void {
  res.setHeader("Location", location);
  reply(res, 302, HTML, `<a href="${escapeAttr(location)}">Found</a>.\n\n`);
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
