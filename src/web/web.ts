/**
 * Vigil's web handler, upstream's `web.Handler`: the routes under the route
 * prefix (`/-/healthy`, `/-/ready`, `/-/reload`, `/-/quit`, `/metrics`,
 * `/federate`, `/api/v1/…`, the web UI of `./ui.ts`), readiness, the
 * lifecycle API and the HTTP metrics. It is a plain node:http request listener; serve it with
 * `listenAndServe` from `./toolkit/serve.ts` (TLS, basic auth).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { MetricFamily } from "../exposition/types.ts";
import type { Logger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { FastRegexMatcher } from "../model/labels/regex.ts";
import { ApiHandler } from "./api/v1/api.ts";
import type { ApiDeps } from "./api/v1/deps.ts";
import { serveFederation } from "./federate.ts";
import {
  httpError,
  methodNotAllowed,
  notFound,
  type ReadyState,
  reply,
  serviceUnavailable,
  TEXT_PLAIN,
} from "./http.ts";
import { gatherFamilies, serveMetrics, WebMetrics } from "./metrics.ts";
import { collectSelfMetrics } from "./selfmetrics.ts";
import { createUiHandler, SERVER_UI_ROUTES, type UiHandler } from "./ui.ts";

/** Everything the web handler serves from. */
export interface WebOptions {
  /** The API's dependencies (storage, engine, targets, …); `api.ready()` is the server's readiness. */
  readonly api: ApiDeps;
  /** Served at `/metrics`; the HTTP metrics are registered on it. */
  readonly registry: Registry;
  readonly logger: Logger;
  /** `--web.external-url`; its path is the default route prefix. */
  readonly externalUrl?: string;
  /** `--web.route-prefix`; overrides the external URL's path. */
  readonly routePrefix?: string;
  /** `--web.enable-lifecycle`: `/-/reload` and `/-/quit` act instead of answering 403. */
  readonly enableLifecycle?: boolean;
  /** `--web.cors.origin`, a fully anchored RE2 regex; default `.*`. */
  readonly corsOrigin?: string;
  /** `--query.lookback-delta` for `/federate`, ms; default 5m. */
  readonly lookbackDelta?: number;
  /** The external labels `/federate` adds; default none. */
  externalLabels?(): Labels;
  /** Reloads the configuration; rejects with the reason. */
  reload?(): Promise<void>;
  /** Starts a graceful shutdown. */
  quit?(): void;
  /** True while shutting down (`X-Prometheus-Stopping: true`). */
  stopping?(): boolean;
  /** Families added to `/metrics` besides the registry's; default the process and Node.js families. */
  selfMetrics?(): readonly MetricFamily[];
  /** Largest accepted request body; default 10 MiB. */
  readonly maxBodyBytes?: number;
  /** The built web UI (`ui/dist`); default the repository's. */
  readonly uiDir?: string;
}

/** A configured web handler. */
export interface WebHandler {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The route prefix in use: "" or `/prefix` (no trailing slash). */
  readonly routePrefix: string;
}

const DEFAULT_LOOKBACK_MS = 5 * 60_000;

/** `--web.route-prefix` (or the external URL's path) as a prefix: "" or `/a/b`. */
export function routePrefixOf(externalUrl: string | undefined, routePrefix: string | undefined): string {
  let p = routePrefix !== undefined && routePrefix !== "" ? routePrefix : pathOf(externalUrl);
  if (!p.startsWith("/")) p = `/${p}`;
  return p.replace(/\/+$/, "");
}

function pathOf(url: string | undefined): string {
  if (url === undefined || url === "") return "/";
  try {
    return new URL(url).pathname;
  } catch {
    return "/";
  }
}

/** Builds the handler; throws when `corsOrigin` is not a valid regex. */
export function createWebHandler(opts: WebOptions): WebHandler {
  const prefix = routePrefixOf(opts.externalUrl, opts.routePrefix);
  const cors = new FastRegexMatcher(opts.corsOrigin ?? ".*");
  const state = (): ReadyState => {
    if (opts.stopping?.() === true) return "stopping";
    return opts.api.ready() ? "ready" : "not-ready";
  };
  const metrics = new WebMetrics(opts.registry, () => state() === "ready");
  const api = new ApiHandler({
    deps: opts.api,
    logger: opts.logger,
    metrics,
    corsOrigin: cors.matches,
    readyState: state,
    maxBodyBytes: opts.maxBodyBytes,
  });
  const ui = createUiHandler({
    dir: opts.uiDir,
    prefix,
    routes: SERVER_UI_ROUTES,
    home: "/query",
    aliases: { "/graph": "/query" },
  });
  const ctx: Context = { opts, metrics, api, ui, state, quitting: false };
  for (const path of Object.keys(ROUTES)) metrics.init(path);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    route(ctx, prefix, req, res).catch((err: unknown) => {
      opts.logger.error("Error serving request", { path: req.url, err });
      if (!res.headersSent) httpError(res, 500, "Internal Server Error");
      else res.destroy();
    });
  };
  return { handle, routePrefix: prefix };
}

interface Context {
  readonly opts: WebOptions;
  readonly metrics: WebMetrics;
  readonly api: ApiHandler;
  readonly ui: UiHandler;
  readonly state: () => ReadyState;
  quitting: boolean;
}

type Handler = (
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
) => Promise<void> | void;

interface TopRoute {
  readonly methods: readonly string[];
  readonly handler: Handler;
}

const GET = ["GET", "HEAD"];

/** The routes outside `/api/v1`, relative to the prefix; keys are also the `handler` label. */
const ROUTES: Readonly<Record<string, TopRoute>> = {
  "/-/healthy": {
    methods: GET,
    handler: (_c, _q, res) => reply(res, 200, TEXT_PLAIN, "Vigil is Healthy.\n"),
  },
  "/-/ready": {
    methods: GET,
    handler: gated((_c, _q, res) => reply(res, 200, TEXT_PLAIN, "Vigil is Ready.\n")),
  },
  "/-/reload": { methods: ["POST", "PUT"], handler: reload },
  "/-/quit": { methods: ["POST", "PUT"], handler: quit },
  "/metrics": {
    methods: ["GET"],
    handler: (ctx, req, res) =>
      serveMetrics(req, res, () =>
        gatherFamilies(ctx.opts.registry, ctx.opts.selfMetrics ?? collectSelfMetrics),
      ),
  },
  "/federate": { methods: ["GET"], handler: gated(federate) },
};

async function route(ctx: Context, prefix: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (prefix !== "" && path === prefix) return redirect(res, `${prefix}/`, 301);
  if (!path.startsWith(`${prefix}/`)) return notFound(res);
  const rel = path.slice(prefix.length);
  if (rel === "/api/v1") return redirect(res, `${prefix}/api/v1/`, 301);
  if (rel.startsWith("/api/v1/")) return ctx.api.serve(req, res, rel.slice("/api/v1".length));
  const r = ROUTES[rel];
  if (r === undefined) {
    if (!(await ctx.ui(req, res, rel))) notFound(res);
    return;
  }
  const method = req.method ?? "GET";
  if (!r.methods.includes(method)) return wrongMethod(res, rel, r.methods);
  ctx.metrics.instrument(rel, res);
  await r.handler(ctx, req, res, url.searchParams);
}

function wrongMethod(res: ServerResponse, rel: string, methods: readonly string[]): void {
  if (rel === "/-/reload" || rel === "/-/quit") {
    reply(res, 405, TEXT_PLAIN, "Only POST or PUT requests allowed");
    return;
  }
  methodNotAllowed(res, [...methods, "OPTIONS"]);
}

function redirect(res: ServerResponse, location: string, status: number): void {
  res.setHeader("Location", location);
  const text = status === 301 ? "Moved Permanently" : "Found";
  reply(res, status, "text/html; charset=utf-8", `<a href="${location}">${text}</a>.\n\n`);
}

/** upstream's `testReady`: 503 unless ready. */
function gated(h: Handler): Handler {
  return (ctx, req, res, query) => {
    const s = ctx.state();
    if (s !== "ready") return serviceUnavailable(res, s);
    return h(ctx, req, res, query);
  };
}

function federate(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const o = ctx.opts;
  return serveFederation(req, res, query, {
    queryable: o.api.queryable,
    externalLabels: () => o.externalLabels?.() ?? Labels.EMPTY,
    lookbackDelta: o.lookbackDelta ?? DEFAULT_LOOKBACK_MS,
    now: o.api.now ?? Date.now,
    onError: () => ctx.metrics.federationErrors.inc(),
    onWarnings: (n) => ctx.metrics.federationWarnings.inc(n),
  });
}

const LIFECYCLE_DISABLED = "Lifecycle API is not enabled.";

async function reload(ctx: Context, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (ctx.opts.enableLifecycle !== true || ctx.opts.reload === undefined) {
    reply(res, 403, TEXT_PLAIN, LIFECYCLE_DISABLED);
    return;
  }
  try {
    await ctx.opts.reload();
  } catch (err) {
    httpError(res, 500, `failed to reload config: ${(err as Error)?.message ?? String(err)}`);
    return;
  }
  reply(res, 200, "", "");
}

function quit(ctx: Context, _req: IncomingMessage, res: ServerResponse): void {
  if (ctx.opts.enableLifecycle !== true || ctx.opts.quit === undefined) {
    reply(res, 403, TEXT_PLAIN, LIFECYCLE_DISABLED);
    return;
  }
  if (ctx.quitting) {
    reply(res, 200, TEXT_PLAIN, "Termination already in progress.");
    return;
  }
  ctx.quitting = true;
  reply(res, 200, TEXT_PLAIN, "Requesting termination... Goodbye!");
  ctx.opts.quit();
}
