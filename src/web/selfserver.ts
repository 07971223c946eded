import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { negotiate } from "../exposition/negotiate.ts";
import type { MetricFamily } from "../exposition/types.ts";
import { writeFamilies } from "../exposition/writer.ts";
import type { Logger } from "../log/log.ts";
import { acceptsGzip, reply, TEXT_PLAIN } from "./http.ts";
import { createServer } from "./nodehttp.ts";

/** What the self-metrics web server serves. */
export interface SelfServerOptions {
  /** Called on every `/metrics` request; its families are written in the negotiated format. */
  readonly collect: () => readonly MetricFamily[];
  readonly logger: Logger;
}

/**
 * A bare node:http server with upstream's telemetry endpoints: `/metrics`
 * (content negotiated from `Accept`, gzip when accepted, as client_golang's
 * handler), `/-/healthy` and `/-/ready` (GET and HEAD, 200, Prometheus' bodies
 * with "Vigil"), and Go's `404 page not found` for anything else.
 */
export function createSelfServer(options: SelfServerOptions): Server {
  return createServer((req, res) => {
    try {
      route(req, res, options);
    } catch (err) {
      options.logger.error("Error serving request", { path: req.url, err });
      if (!res.headersSent) reply(res, 500, TEXT_PLAIN, "Internal Server Error\n");
      else res.destroy();
    }
  });
}

function route(req: IncomingMessage, res: ServerResponse, options: SelfServerOptions): void {
  const path = (req.url ?? "/").split("?", 1)[0];
  const handler = path === undefined ? undefined : ROUTES[path];
  if (handler === undefined) {
    res.setHeader("X-Content-Type-Options", "nosniff");
    reply(res, 404, TEXT_PLAIN, "404 page not found\n");
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    reply(res, 405, TEXT_PLAIN, "Method Not Allowed\n");
    return;
  }
  handler(req, res, options);
}

type Handler = (req: IncomingMessage, res: ServerResponse, options: SelfServerOptions) => void;

const ROUTES: Readonly<Record<string, Handler>> = {
  "/metrics": serveMetrics,
  "/-/healthy": (_req, res) => reply(res, 200, TEXT_PLAIN, "Vigil is Healthy.\n"),
  "/-/ready": (_req, res) => reply(res, 200, TEXT_PLAIN, "Vigil is Ready.\n"),
};

function serveMetrics(req: IncomingMessage, res: ServerResponse, options: SelfServerOptions): void {
  // No OpenMetrics offer: Prometheus' own /metrics does not enable it either.
  const { format, contentType, escaping } = negotiate(req.headers.accept);
  const text = writeFamilies(options.collect(), format, { escaping });
  if (acceptsGzip(req.headers["accept-encoding"])) {
    res.setHeader("Content-Encoding", "gzip");
    reply(res, 200, contentType, gzipSync(text));
    return;
  }
  reply(res, 200, contentType, text);
}
