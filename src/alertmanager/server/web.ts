/**
 * The Alertmanager's HTTP surface (upstream's `ui.Register`, `api.Register`
 * and the route prefix of `cmd/alertmanager`): `/-/healthy`, `/-/ready`,
 * `POST /-/reload`, `/metrics`, the web UI (`ui/alertmanager.html`, a
 * plain start page while the UI is not built), the removed API v1 (410),
 * and API v2 behind the GET concurrency limit and `--web.timeout`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { availableParallelism } from "node:os";
import type { MetricFamily } from "../../exposition/types.ts";
import type { Logger } from "../../log/log.ts";
import { httpError, methodNotAllowed, notFound, reply, TEXT_PLAIN } from "../../web/http.ts";
import { serveMetrics } from "../../web/metrics.ts";
import { createUiHandler, type UiHandler } from "../../web/ui.ts";
import { formatGoDuration } from "../config/common.ts";
import type { ServerMetrics } from "./metrics.ts";

/** What {@link createWebHandler} serves. */
export interface WebDeps {
  /** Normalised route prefix: `/` or `/path` without a trailing slash. */
  readonly routePrefix: string;
  /** API v2 (`createAPIv2Handler`): resolves false for paths outside `/api/v2`. */
  readonly api: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Reloads the config; rejects with the reason when it is refused. */
  readonly reload: () => Promise<void>;
  readonly gather: () => Promise<readonly MetricFamily[]>;
  readonly metrics: ServerMetrics;
  /** `--web.get-concurrency` (≤ 0: max(CPU count, 8)). */
  readonly getConcurrency: number;
  /** `--web.timeout`, ms (≤ 0: none). */
  readonly timeoutMs: number;
  readonly externalURL: string;
  readonly logger: Logger;
  /** The UI build directory; default `ui/dist` (see `src/web/ui.ts`). */
  readonly uiDir?: string;
}

/** The web UI's client routes (`ui/src/alertmanager/app.ts`); upstream's `#/…` hash routes as paths. */
export const ALERTMANAGER_UI_ROUTES: readonly string[] = [
  "/",
  "/alerts",
  "/silences",
  "/silences/new",
  "/silences/:id",
  "/silences/:id/edit",
  "/status",
];

const V1_GONE =
  '{"status":"deprecated","error":"The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API"}\n';

/** Upstream's `route-prefix` normalisation: `/` + the prefix without surrounding slashes. */
export function normalizeRoutePrefix(prefix: string): string {
  return `/${prefix.replace(/^\/+|\/+$/g, "")}`;
}

function indexPage(externalURL: string, prefix: string): string {
  const base = prefix === "/" ? "" : prefix;
  const link = (p: string, text: string) => `<li><a href="${base}${p}">${text}</a></li>`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Alertmanager</title></head><body>',
    "<h1>Vigil Alertmanager</h1>",
    `<p>External URL: ${externalURL.replace(/[<>&"]/g, "")}</p>`,
    "<p>The web UI is not built yet. Use amtool or the API:</p><ul>",
    link("/api/v2/alerts", "alerts"),
    link("/api/v2/alerts/groups", "alert groups"),
    link("/api/v2/silences", "silences"),
    link("/api/v2/status", "status and configuration"),
    link("/metrics", "metrics"),
    "</ul></body></html>",
    "",
  ].join("\n");
}

/** The handler label of a request path, silence IDs folded as upstream. */
function handlerLabel(path: string): string {
  return path.startsWith("/api/v2/silence/") ? "/api/v2/silence/{silenceID}" : path;
}

function instrument(deps: WebDeps, handler: string, req: IncomingMessage, res: ServerResponse): void {
  const end = deps.metrics.requestDuration.startTimer({
    handler,
    method: (req.method ?? "GET").toLowerCase(),
  });
  res.once("finish", () => {
    end();
    const size = Number(res.getHeader("content-length") ?? 0);
    deps.metrics.responseSize.observe(
      { handler, method: (req.method ?? "GET").toLowerCase() },
      Number.isFinite(size) ? size : 0,
    );
  });
}

/** The UI's handler; while it is not built, `/` (and any UI route) answers the plain start page. */
function uiHandler(deps: WebDeps, prefix: string): UiHandler {
  return createUiHandler({
    dir: deps.uiDir,
    entry: "alertmanager.html",
    prefix,
    routes: ALERTMANAGER_UI_ROUTES,
    home: "/alerts",
    notBuilt: (_req, res) => {
      res.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
      reply(res, 200, "text/html; charset=utf-8", indexPage(deps.externalURL, deps.routePrefix));
    },
  });
}

/** The handler label of a UI request, bounded as upstream's (`/`, `/assets/*path`). */
function uiLabel(path: string): string {
  return path.startsWith("/assets/") ? "/assets/*path" : path === "/favicon.svg" ? path : "/";
}

async function serveLocal(deps: WebDeps, path: string, req: IncomingMessage, res: ServerResponse) {
  const method = req.method ?? "GET";
  const getOrHead = method === "GET" || method === "HEAD";
  switch (path) {
    case "/-/healthy":
    case "/-/ready":
      if (!getOrHead) return methodNotAllowed(res, ["GET", "HEAD", "OPTIONS"]);
      return reply(res, 200, TEXT_PLAIN, "OK");
    case "/-/reload":
      if (method !== "POST") return methodNotAllowed(res, ["OPTIONS", "POST"]);
      try {
        await deps.reload();
        return reply(res, 200, "", "");
      } catch (err) {
        return httpError(res, 500, `failed to reload config: ${(err as Error).message}`);
      }
    case "/metrics":
      if (!getOrHead) return methodNotAllowed(res, ["GET", "HEAD", "OPTIONS"]);
      return serveMetrics(req, res, deps.gather);
  }
  if (path.startsWith("/api/v1/") || path === "/api/v1") {
    deps.logger.warn("v1 API received a request on a removed endpoint", { path, method });
    return reply(res, 410, "application/json", V1_GONE);
  }
  notFound(res);
}

/** Go's `http.TimeoutHandler` for a promise-returning handler: 503 when `ms` pass first. */
async function withTimeout(ms: number, res: ServerResponse, run: () => Promise<void>): Promise<void> {
  if (ms <= 0) return run();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  const work = run().then(() => "done" as const);
  const first = await Promise.race([work, timedOut]);
  clearTimeout(timer);
  if (first === "timeout") {
    work.catch(() => {});
    if (!res.headersSent) httpError(res, 503, `Exceeded configured timeout of ${formatGoDuration(ms)}.\n`);
  }
}

/**
 * The request listener. Paths outside the route prefix are 404 (except `/`,
 * redirected to the prefix); the prefix is stripped before routing.
 */
export function createWebHandler(deps: WebDeps): RequestListener {
  const limit = deps.getConcurrency > 0 ? deps.getConcurrency : Math.max(availableParallelism(), 8);
  let inFlight = 0;
  const prefix = deps.routePrefix === "/" ? "" : deps.routePrefix;
  const ui = uiHandler(deps, prefix);
  const local = new Set(["/-/healthy", "/-/ready", "/-/reload", "/metrics"]);

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: string) {
    if (path === "/api/v2") {
      res.setHeader("Location", `${prefix}/api/v2/${query}`);
      return reply(
        res,
        301,
        "text/html; charset=utf-8",
        `<a href="${prefix}/api/v2/">Moved Permanently</a>.\n\n`,
      );
    }
    if (path.startsWith("/api/v2/")) {
      instrument(deps, handlerLabel(path), req, res);
      req.url = `${path}${query}`;
      if (await deps.api(req, res)) return;
      return notFound(res);
    }
    if (!local.has(path) && !path.startsWith("/api/")) {
      instrument(deps, uiLabel(path), req, res);
      if (await ui(req, res, path)) return;
      return notFound(res);
    }
    instrument(deps, path, req, res);
    return serveLocal(deps, path, req, res);
  }

  return (req, res) => {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const fullPath = q < 0 ? raw : raw.slice(0, q);
    const query = q < 0 ? "" : raw.slice(q);
    let path = fullPath;
    if (prefix !== "") {
      if (fullPath === "/" && (req.method === "GET" || req.method === "HEAD")) {
        res.setHeader("Location", prefix);
        return reply(res, 302, "text/html; charset=utf-8", `<a href="${prefix}">Found</a>.\n\n`);
      }
      if (fullPath !== prefix && !fullPath.startsWith(`${prefix}/`)) return notFound(res);
      path = fullPath.slice(prefix.length) || "/";
    }
    const isGet = req.method === "GET";
    if (isGet && inFlight >= limit) {
      deps.metrics.concurrencyLimitExceeded.inc({ method: "get" });
      return httpError(res, 503, `Limit of concurrent GET requests reached (${limit}), try again later.\n`);
    }
    if (isGet) {
      inFlight++;
      deps.metrics.inFlight.inc({ method: "get" });
    }
    withTimeout(deps.timeoutMs, res, () => route(req, res, path, query))
      .catch((err: unknown) => {
        deps.logger.error("HTTP handler failed", { path, err: String(err) });
        if (!res.headersSent) httpError(res, 500, String(err));
      })
      .finally(() => {
        if (!isGet) return;
        inFlight--;
        deps.metrics.inFlight.dec({ method: "get" });
      });
  };
}
