/**
 * kube-state-metrics' two HTTP servers: the metrics port (`/metrics`,
 * `/healthz`, `/livez`) and the telemetry port (`/metrics` with the
 * exporter's own metrics, `/readyz`), each with a landing page on `/`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { writeFamilies } from "../../exposition/writer.ts";
import { buildInfoFamily } from "../../version/metric.ts";
import { acceptsGzip, notFound, reply, TEXT_PLAIN } from "../../web/http.ts";
import { collectSelfMetrics } from "../../web/selfmetrics.ts";
import type { KubeStateExporter } from "./exporter.ts";
import type { Telemetry } from "./telemetry.ts";

/** Content type of both `/metrics` endpoints (Prometheus text format 0.0.4). */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function landing(title: string, links: readonly string[]): string {
  const items = links.map((l) => `<li><a href="${l}">${l}</a></li>`).join("\n");
  return `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items}\n</ul>\n</body>\n</html>\n`;
}

/** The metrics port: `/metrics` (gzip when `gzip` and accepted), `/healthz` and `/livez` answer `OK`. */
export function metricsHandler(exporter: KubeStateExporter, gzip: boolean): Handler {
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    switch (path) {
      case "/metrics": {
        const body = exporter.write();
        if (gzip && acceptsGzip(req.headers["accept-encoding"])) {
          res.setHeader("Content-Encoding", "gzip");
          reply(res, 200, METRICS_CONTENT_TYPE, gzipSync(body));
        } else reply(res, 200, METRICS_CONTENT_TYPE, body);
        return;
      }
      case "/healthz":
      case "/livez":
        reply(res, 200, TEXT_PLAIN, "OK");
        return;
      case "/":
        reply(
          res,
          200,
          "text/html; charset=utf-8",
          landing("Kube Metrics Server", ["/metrics", "/healthz", "/livez"]),
        );
        return;
      default:
        notFound(res);
    }
  };
}

/**
 * The telemetry port: `/metrics` with list/watch counts, sharding, build
 * info and process metrics; `/readyz` is 200 once `ready()` (every store
 * listed once), 503 before.
 */
export function telemetryHandler(telemetry: Telemetry, ready: () => boolean): Handler {
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    switch (path) {
      case "/metrics": {
        const self = collectSelfMetrics().filter((f) => f.name !== "vigil_build_info");
        const families = [buildInfoFamily("kube_state_metrics"), ...telemetry.families(), ...self].sort(
          (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
        );
        reply(res, 200, METRICS_CONTENT_TYPE, writeFamilies(families, "prometheus-text"));
        return;
      }
      case "/readyz":
        if (ready()) reply(res, 200, TEXT_PLAIN, "OK");
        else reply(res, 503, TEXT_PLAIN, "not ready: waiting for the initial list of every resource\n");
        return;
      case "/":
        reply(
          res,
          200,
          "text/html; charset=utf-8",
          landing("Kube-State-Metrics Metrics", ["/metrics", "/readyz"]),
        );
        return;
      default:
        notFound(res);
    }
  };
}
