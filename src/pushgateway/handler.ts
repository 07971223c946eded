/**
 * The Pushgateway's HTTP interface, upstream's routes (`main.go`): the push
 * API under `<prefix>/metrics/job…`, `<prefix><telemetry-path>`,
 * `/-/healthy`, `/-/ready`, `/-/quit`, `/api/v1/{status,metrics,admin/wipe}`,
 * and the web UI at `/` and `/status` (`ui/pushgateway.html`; the plain
 * overview of `statuspage.ts` while the UI is not built).
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { nopLogger } from "../log/log.ts";
import { createUiHandler } from "../web/ui.ts";
import { metricsData, statusData, success } from "./api.ts";
import { serveMetrics } from "./exposition.ts";
import { del, push } from "./push.ts";
import { cleanPath, httpError, Router, redirect, textReply } from "./router.ts";
import { statusPage } from "./statuspage.ts";
import { count, ownFamilies, type PushgatewayWebOptions } from "./web.ts";

/**
 * Upstream's `computeRoutePrefix`: `--web.route-prefix`, else the path of
 * `--web.external-url`; `/` becomes empty; otherwise a leading `/` and no
 * trailing one.
 */
export function computeRoutePrefix(prefix: string, externalUrl: string): string {
  let p = prefix;
  if (p === "") p = externalUrl === "" ? "" : new URL(externalUrl).pathname;
  if (p === "/" || p === "") return "";
  if (!p.startsWith("/")) p = `/${p}`;
  return p.endsWith("/") ? p.slice(0, -1) : p;
}

/** The web UI's client routes (`ui/src/pushgateway/app.ts`): upstream's page paths. */
export const PUSHGATEWAY_UI_ROUTES: readonly string[] = ["/", "/status"];

const CORS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type, Origin",
  "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Date",
  "Cache-Control": "no-cache, no-store, must-revalidate",
};

/** A node:http request listener serving the whole Pushgateway. */
export function createHandler(
  options: PushgatewayWebOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const logger = options.logger ?? nopLogger;
  const prefix = options.routePrefix ?? "";
  const router = mainRoutes(options, prefix);
  const api = apiRoutes(options);
  const apiBase = `${prefix}/api/v1`;
  return (req, res) => {
    serve(req, res, prefix, router, api, apiBase).catch((err: unknown) => {
      logger.error("error serving request", { path: req.url, err });
      if (!res.headersSent) httpError(res, 500, "Internal Server Error");
      else res.destroy();
    });
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  prefix: string,
  router: Router,
  api: Router,
  apiBase: string,
): Promise<void> {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  let path: string;
  try {
    path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
  } catch {
    httpError(res, 400, "Bad Request");
    return;
  }
  const clean = cleanPath(path);
  if (clean !== path) {
    redirect(res, 301, clean + (q < 0 ? "" : raw.slice(q)));
    return;
  }
  const inApi = path.startsWith(`${apiBase}/`);
  const served = inApi ? api.serve(req, res, path.slice(apiBase.length)) : router.serve(req, res, path);
  if (served !== false) return served === true ? undefined : served;
  if (!inApi && req.method !== "GET" && path === `${prefix}/metrics/job/`) {
    // httprouter's trailing-slash redirect, which the push routes get for non-GET methods.
    redirect(res, 307, `${prefix}/metrics/job`);
    return;
  }
  req.resume();
  httpError(res, 404, "404 page not found");
}

function mainRoutes(o: PushgatewayWebOptions, prefix: string): Router {
  const r = new Router();
  r.handle("GET", `${prefix}/-/healthy`, (_req, res) => textReply(res, 200, "OK"));
  r.handle("GET", `${prefix}/-/ready`, (_req, res) => textReply(res, 200, "OK"));
  r.handle("GET", joinPath(prefix, o.telemetryPath ?? "/metrics"), async (req, res) => {
    await serveMetrics(req, res, o.store, await ownFamilies(o));
  });
  for (const suffix of ["", "@base64"]) {
    const base = `${prefix}/metrics/job${suffix}/:job`;
    for (const tail of ["", "/*labels"]) {
      r.handle("PUT", base + tail, (req, res, p) => push(o, req, res, p, suffix !== "", true));
      r.handle("POST", base + tail, (req, res, p) => push(o, req, res, p, suffix !== "", false));
      r.handle("DELETE", base + tail, (req, res, p) => del(o, req, res, p, suffix !== ""));
    }
  }
  const plainPage = (_req: IncomingMessage, res: ServerResponse): void => {
    const body = statusPage(o.store.groupList(), prefix, o.telemetryPath ?? "/metrics");
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.setHeader("Content-Length", Buffer.byteLength(body));
    res.end(res.req.method === "HEAD" ? undefined : body);
  };
  const ui = createUiHandler({
    dir: o.uiDir,
    entry: "pushgateway.html",
    prefix,
    routes: PUSHGATEWAY_UI_ROUTES,
    home: "/",
    notBuilt: plainPage,
  });
  const page = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rel = (req.url ?? "/").split("?")[0]!.slice(prefix.length) || "/";
    if (!(await ui(req, res, rel))) httpError(res, 404, "404 page not found");
  };
  for (const path of [...PUSHGATEWAY_UI_ROUTES, "/favicon.svg", "/assets/*file"]) {
    r.handle("GET", `${prefix}${path}`, page);
  }
  const quit = (_req: IncomingMessage, res: ServerResponse): void => {
    if (!o.enableLifecycle) {
      textReply(res, 403, "Lifecycle API is not enabled.");
      return;
    }
    textReply(res, 200, "Requesting termination... Goodbye!");
    res.once("finish", () => o.onQuit?.());
  };
  r.handle("PUT", `${prefix}/-/quit`, quit);
  r.handle("POST", `${prefix}/-/quit`, quit);
  r.handle("GET", "/-/quit", (_req, res) => textReply(res, 405, "Only POST or PUT requests allowed."));
  return r;
}

/** Go's `path.Join` of the prefix and the telemetry path. */
function joinPath(prefix: string, p: string): string {
  return cleanPath(`${prefix}/${p}`).replace(/(.)\/$/, "$1");
}

function apiRoutes(o: PushgatewayWebOptions): Router {
  const r = new Router();
  const wrap =
    (name: string, body: () => string | undefined) => (req: IncomingMessage, res: ServerResponse) => {
      for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
      const text = body();
      res.statusCode = 200;
      if (text !== undefined) res.setHeader("Content-Type", "application/json");
      res.setHeader("Content-Length", Buffer.byteLength(text ?? ""));
      res.end(text);
      count(o, name, req, 200);
    };
  r.handle(
    "OPTIONS",
    "/*path",
    wrap("api/v1/options", () => undefined),
  );
  r.handle(
    "GET",
    "/status",
    wrap("api/v1/status", () => success(statusData(o.status))),
  );
  r.handle(
    "GET",
    "/metrics",
    wrap("api/v1/metrics", () => success(metricsData(o.store.groupList()))),
  );
  if (o.enableAdminApi) {
    r.handle("PUT", "/admin/wipe", (_req, res) => {
      o.store.wipe();
      res.statusCode = 202;
      res.setHeader("Content-Length", 0);
      res.end();
    });
  }
  return r;
}
