import { getServers } from "node:dns";

/**
 * Scrape errors as upstream prints them. A failed request reads like Go's
 * `*url.Error` (`Get "http://h:9100/metrics": dial tcp 127.0.0.1:9100:
 * connect: connection refused`), so a target's `lastError` matches what
 * Prometheus shows for the same failure.
 */

/** An error whose message is already the final scrape error text. */
export class ScrapeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ScrapeError";
  }
}

/** Upstream's `errBodySizeLimit` text. */
export const BODY_SIZE_LIMIT_EXCEEDED = "body size limit exceeded";

/** The body exceeded `body_size_limit` (`scrape_body_size_bytes` reports -1). */
export class BodySizeLimitError extends ScrapeError {
  constructor() {
    super(BODY_SIZE_LIMIT_EXCEEDED);
    this.name = "BodySizeLimitError";
  }
}

/** A non-200 response: `server returned HTTP status 500 Internal Server Error`. */
export class HttpStatusError extends ScrapeError {
  readonly statusCode: number;
  /** `statusText` is the reason phrase as received (Go's `resp.Status` is the raw status line). */
  constructor(statusCode: number, statusText: string) {
    super(`server returned HTTP status ${statusText === "" ? statusCode : `${statusCode} ${statusText}`}`);
    this.name = "HttpStatusError";
    this.statusCode = statusCode;
  }
}

/** Go's syscall error strings for the errno codes a scrape meets. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connect: connection refused",
  EHOSTUNREACH: "connect: no route to host",
  ENETUNREACH: "connect: network is unreachable",
  EADDRNOTAVAIL: "connect: cannot assign requested address",
  ETIMEDOUT: "i/o timeout",
};

interface NodeError {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message: string;
  cause?: unknown;
}

/**
 * Turns what undici, node:net or node:tls threw into upstream's text.
 * `signal` is the request's combined signal (timeout or shutdown), `shutdown`
 * the pool's; `gotHeaders` tells whether the failure came while reading the
 * body, where Go reports the bare context error.
 */
export function formatClientError(
  e: unknown,
  url: string,
  gotHeaders: boolean,
  signal: { readonly aborted: boolean },
  shutdown: { readonly aborted: boolean },
): ScrapeError {
  if (e instanceof ScrapeError) return e;
  const wrap = (msg: string): ScrapeError =>
    new ScrapeError(gotHeaders ? msg : `Get ${JSON.stringify(url)}: ${msg}`, { cause: e });
  if (shutdown.aborted) return wrap("context canceled");
  if (signal.aborted) return wrap("context deadline exceeded");
  return wrap(describe(e, gotHeaders));
}

function describe(e: unknown, inBody: boolean): string {
  let err = e as NodeError;
  // undici wraps connector errors; the socket error is the cause.
  while (err.code === undefined && err.cause !== undefined && typeof err.cause === "object") {
    err = err.cause as NodeError;
  }
  const code = err.code ?? "";
  if (code in ERRNO_TEXT) return `dial tcp ${hostPort(err)}: ${ERRNO_TEXT[code]}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `dial tcp: lookup ${err.hostname ?? ""}${resolver()}: no such host`;
  if (code === "UND_ERR_CONNECT_TIMEOUT") return "dial tcp: i/o timeout";
  // A body cut short: Go's reader reports io.ErrUnexpectedEOF.
  if (
    inBody &&
    (code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH" || code === "UND_ERR_SOCKET" || code === "ECONNRESET")
  ) {
    return "unexpected EOF";
  }
  if (code === "ECONNRESET") return "read: connection reset by peer";
  if (code === "UND_ERR_SOCKET" || code === "EPIPE") return "EOF";
  if (code === "UND_ERR_MAX_REDIRECTS" || /^Redirect loop detected/.test(err.message))
    return "stopped after 10 redirects";
  if (
    /SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG)$/.test(code) ||
    /wrong version number|packet length too long/.test(err.message)
  ) {
    return "tls: first record does not look like a TLS handshake";
  }
  const tls = tlsMessage(code, err.message);
  if (tls !== undefined) return `tls: failed to verify certificate: x509: ${tls}`;
  return err.message;
}

/** Go's x509 wording for Node's certificate verification codes. */
function tlsMessage(code: string, message: string): string | undefined {
  switch (code) {
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_GET_ISSUER_CERT":
      return "certificate signed by unknown authority";
    case "CERT_HAS_EXPIRED":
      return "certificate has expired or is not yet valid";
    case "CERT_NOT_YET_VALID":
      return "certificate has expired or is not yet valid";
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return message.replace(/^Hostname\/IP does not match certificate's altnames: /, "");
    default:
      return undefined;
  }
}

/** ` on <server>:53`, the resolver Go names in lookup errors, or "" when unknown. */
function resolver(): string {
  const server = getServers()[0];
  if (server === undefined) return "";
  if (/^\[.*\]:\d+$|^[^:]+:\d+$/.test(server)) return ` on ${server}`;
  return server.includes(":") ? ` on [${server}]:53` : ` on ${server}:53`;
}

function hostPort(err: NodeError): string {
  const host = err.address ?? "";
  const h = host.includes(":") ? `[${host}]` : host;
  return err.port === undefined ? h : `${h}:${err.port}`;
}
