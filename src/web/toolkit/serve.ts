/**
 * exporter-toolkit's `ListenAndServe`: serves a request listener on a
 * `host:port`, over HTTPS when the web config file sets up TLS, with basic
 * auth, extra headers and rate limiting from the same file. The file is
 * re-read when it changes: for each request (auth, headers) and for each new
 * connection (certificates and client policy), so renewed certificates are
 * picked up without a restart. A reload that fails keeps the last good setup
 * (upstream fails the handshakes instead) and is logged.
 */
import { statSync } from "node:fs";
import type { RequestListener, Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { type Logger, nopLogger } from "../../log/log.ts";
import { joinHostPort, listen, parseListenAddress } from "../listen.ts";
import { createServer as createHttpServer } from "../nodehttp.ts";
import { validateUsers, WebConfigSource, withWebConfig } from "./auth.ts";
import { refuseReason, type ServerTLS, serverTLS, tlsEnabled } from "./tls.ts";
import { WebConfigError } from "./webconfig.ts";

/** How long `close` waits for in-flight requests before cutting connections. */
const DEFAULT_GRACE_MS = 5000;

/** A server started by {@link listenAndServe}. */
export interface RunningServer {
  readonly server: Server;
  /** The bound address in Go's form, e.g. `[::]:9090` or `127.0.0.1:41234`. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** True when serving HTTPS. */
  readonly tls: boolean;
  /** Stops accepting connections; resolves when open ones are done (cut after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

/** Server limits of {@link listenAndServe}. */
export interface ServeOptions {
  /** `--web.read-timeout`: longest time to receive a whole request, ms (0: none). */
  readonly readTimeoutMs?: number;
  /** `--web.max-connections`: connections beyond it are refused (0: no limit). */
  readonly maxConnections?: number;
}

/**
 * Listens on `address` (`host:port`, an empty host meaning every interface)
 * and serves `handler`, set up by `webConfigFile` when given ("" for plain
 * HTTP). Rejects with a {@link WebConfigError} for a bad file, a
 * `ListenAddressError` for a malformed address, or the listen error.
 */
export async function listenAndServe(
  handler: RequestListener,
  address: string,
  logger: Logger = nopLogger,
  webConfigFile = "",
  opts: ServeOptions = {},
): Promise<RunningServer> {
  const listenAt = parseListenAddress(address);
  let server: Server;
  let tls = false;
  if (webConfigFile === "") {
    server = createHttpServer(handler);
  } else {
    const source = new WebConfigSource(webConfigFile);
    const config = source.current();
    validateUsers(config, webConfigFile);
    const wrapped = withWebConfig(handler, source, logger);
    if (tlsEnabled(config.tls)) {
      server = httpsServer(wrapped, source, logger);
      tls = true;
    } else {
      server = createHttpServer(wrapped);
    }
  }
  if (opts.readTimeoutMs !== undefined) server.requestTimeout = opts.readTimeoutMs;
  if (opts.maxConnections !== undefined && opts.maxConnections > 0)
    server.maxConnections = opts.maxConnections;
  const bound = await listen(server, listenAt);
  const formatted = joinHostPort(bound.host, bound.port);
  logger.info("Listening on", { address: formatted });
  logger.info(tls ? "TLS is enabled." : "TLS is disabled.", { http2: false, address: formatted });
  return {
    server,
    address: formatted,
    host: bound.host,
    port: bound.port,
    tls,
    close: (g) => close(server, g),
  };
}

function tlsOf(source: WebConfigSource): ServerTLS {
  try {
    return serverTLS(source.current().tls);
  } catch (err) {
    if (err instanceof WebConfigError) throw err;
    throw new WebConfigError(`${source.file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Changes when the web config or one of the files it names changes. */
function tlsStamp(source: WebConfigSource): string {
  const t = source.current().tls;
  const files = [source.file, t.certFile, t.keyFile, t.clientCAFile].filter((f) => f !== "");
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${f}:${s.size}:${s.mtimeMs}:${s.ino}`;
      } catch {
        return `${f}:missing`;
      }
    })
    .join("|");
}

function httpsServer(handler: RequestListener, source: WebConfigSource, logger: Logger): Server {
  let current = tlsOf(source);
  let stamp = tlsStamp(source);
  const server = createHttpsServer(current.options, handler);
  const settable = server as unknown as { requestCert: boolean; rejectUnauthorized: boolean };
  // Before node:tls wraps the socket: pick up a changed file for this connection.
  server.prependListener("connection", (_socket: Socket) => {
    let next: ServerTLS;
    let nextStamp: string;
    try {
      nextStamp = tlsStamp(source);
      if (nextStamp === stamp) return;
      next = tlsOf(source);
    } catch (err) {
      logger.error("Unable to reload TLS configuration, keeping the previous one", {
        err: (err as Error).message,
      });
      return;
    }
    stamp = nextStamp;
    server.setSecureContext(next.options);
    settable.requestCert = next.options.requestCert === true;
    settable.rejectUnauthorized = next.options.rejectUnauthorized === true;
    current = next;
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    const reason = refuseReason(socket, current);
    if (reason !== undefined) {
      logger.debug("TLS client refused", { reason });
      socket.destroy();
    }
  });
  server.on("tlsClientError", (err) => logger.debug("TLS handshake error", { err: err.message }));
  return server;
}

function close(server: Server, graceMs = DEFAULT_GRACE_MS): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
