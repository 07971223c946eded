/**
 * The HTTP handler of `vigil dashboards`: the Grafana-shaped API
 * (`/api/...`, `/login`, `/logout`), `/api/health`, `/metrics`, and
 * everything else handed to the UI hook ({@link DashboardsHandlerOptions.serveUI},
 * filled by the web UI; a placeholder page until then).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MetricFamily } from "../../exposition/types.ts";
import { writeFamilies } from "../../exposition/writer.ts";
import { type Logger, nopLogger } from "../../log/log.ts";
import { Labels } from "../../model/labels/labels.ts";
import { collectSelfMetrics } from "../../web/selfmetrics.ts";
import type { Authenticator } from "../auth/auth.ts";
import type { Store } from "../store/store.ts";
import type { ApiContext } from "./context.ts";
import { dashboardRoutes } from "./dashboards.ts";
import { dataSourceRoutes } from "./datasources.ts";
import { DEFAULT_PROXY_LIMITS, type ProxyLimits } from "./proxy.ts";
import { errorBody, type RouteResult, Router, sendJson, statusOf } from "./router.ts";
import { dashboardsUI } from "./ui.ts";
import { userRoutes } from "./users.ts";

/** A request listener for the UI's pages. */
export type UiHook = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link createDashboardsHandler}. */
export interface DashboardsHandlerOptions {
  readonly store: Store;
  readonly auth: Authenticator;
  readonly logger?: Logger;
  readonly proxyLimits?: ProxyLimits;
  readonly maxBodyBytes?: number;
  readonly secure?: boolean;
  readonly bcryptCost?: number;
  /** Serves every non-API path. Default: the built dashboards UI (`api/ui.ts`), else a placeholder page. */
  readonly serveUI?: UiHook;
  /** Version reported by `/api/health`. */
  readonly version?: string;
}

/** The dashboards server's request handler. */
export function createDashboardsHandler(
  opts: DashboardsHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const logger = opts.logger ?? nopLogger;
  const ctx: ApiContext = {
    store: opts.store,
    auth: opts.auth,
    logger,
    proxyLimits: opts.proxyLimits ?? DEFAULT_PROXY_LIMITS,
    maxBodyBytes: opts.maxBodyBytes ?? 32 << 20,
    secure: opts.secure ?? false,
    bcryptCost: opts.bcryptCost ?? 10,
  };
  const router = new Router([...userRoutes(ctx), ...dataSourceRoutes(ctx), ...dashboardRoutes(ctx)]);
  const requests = new Map<string, number>();
  const count = (handler: string, code: number): void => {
    const key = `${handler}\u0000${code}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
  };
  const serveUI = opts.serveUI ?? dashboardsUI(placeholderUI);
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/api/health") {
      sendJson(res, 200, {
        commit: "",
        database: healthy(opts.store) ? "ok" : "failing",
        version: opts.version ?? "",
      });
      return;
    }
    if (url.pathname === "/metrics") {
      const body = writeFamilies(
        [...collectSelfMetrics(), ...ownMetrics(opts.store, requests)],
        "prometheus-text",
      );
      res.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      res.end(body);
      return;
    }
    const m = router.match(req.method ?? "GET", url.pathname);
    if (m === undefined) {
      if (url.pathname.startsWith("/api/")) sendJson(res, 404, { message: "Not found" });
      else serveUI(req, res);
      return;
    }
    if ("allowed" in m && req.method === "GET" && !url.pathname.startsWith("/api/")) {
      serveUI(req, res);
      return;
    }
    if ("allowed" in m) {
      res.setHeader("Allow", m.allowed.join(", "));
      sendJson(res, 405, { message: "Method Not Allowed" });
      return;
    }
    const { route, params } = m;
    const run = async (): Promise<RouteResult> => {
      const principal = route.role === "public" ? undefined : await ctx.auth.authorize(req, route.role);
      return route.handle({ req, res, url, params, principal });
    };
    run().then(
      (result) => {
        count(route.path, result?.status ?? res.statusCode);
        if (result !== undefined) sendJson(res, result.status ?? 200, result.body, result.headers);
      },
      (err: unknown) => {
        const status = statusOf(err);
        count(route.path, status);
        if (status >= 500) logger.error("request failed", { path: url.pathname, err });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (status === 413) res.setHeader("Connection", "close");
        sendJson(res, status, errorBody(err));
      },
    );
  };
}

function healthy(store: Store): boolean {
  try {
    store.db.prepare("SELECT 1").get();
    return true;
  } catch {
    return false;
  }
}

function ownMetrics(store: Store, requests: ReadonlyMap<string, number>): MetricFamily[] {
  const gauge = (name: string, help: string, value: number): MetricFamily => ({
    name,
    type: "gauge",
    help,
    samples: [{ name, labels: Labels.EMPTY, value }],
  });
  return [
    gauge("grafana_stat_totals_dashboard", "total amount of dashboards", store.dashboards.list().length),
    gauge("grafana_stat_total_users", "total amount of users", store.users.list().length),
    gauge("grafana_stat_totals_datasource", "total amount of datasources", store.datasources.list().length),
    {
      name: "vigil_dashboards_http_requests_total",
      type: "counter",
      help: "API requests by route and status code.",
      samples: [...requests].map(([key, value]) => {
        const [handler, code] = key.split("\u0000");
        return {
          name: "vigil_dashboards_http_requests_total",
          labels: Labels.fromObject({ code: code!, handler: handler! }),
          value,
        };
      }),
    },
  ];
}

/** Served until the UI helper fills the hook: says where the UI will be and that the API works. */
export function placeholderUI(req: IncomingMessage, res: ServerResponse): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil dashboards</title></head>
<body><h1>Vigil dashboards</h1><p>The dashboards user interface is not built into this Vigil yet. The Grafana-compatible HTTP API is served under <code>/api/</code>.</p></body></html>
`;
  res.statusCode = req.url === "/" || req.url?.startsWith("/d/") || req.url === "/login" ? 200 : 404;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end(req.method === "HEAD" ? undefined : body);
}
