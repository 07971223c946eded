/**
 * The HTTP side of a scrape, upstream's `targetScraper`: one dispatcher per
 * scrape pool from the shared HTTP client config (`config/client.ts`: TLS,
 * proxy, redirects, auth and `http_headers`), Go's 90 s idle keep-alive,
 * upstream's scrape request headers, the body read with `body_size_limit`
 * enforced while streaming and gzip decoded off the main thread. Errors
 * read like Go's.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { Dispatcher } from "undici";
import { checkClientConfig, newDispatcher, requestHeaders, usesProxy } from "../config/client.ts";
import type { HTTPClientConfig, ScrapeProtocol } from "../config/types.ts";
import { DEFAULT_MAX_BODY_BYTES } from "../exposition/parser.ts";
import { BodySizeLimitError, HttpStatusError, ScrapeError } from "./errors.ts";
import { type BodyBuffer, type FetchResult, fetchBody, newBodyBuffer } from "./fetch.ts";
import { H1Agent } from "./h1.ts";

const gunzipAsync = promisify(gunzip);

/** Go's `http.Transport.IdleConnTimeout` of the scrape client: 90 s. */
const IDLE_CONN_TIMEOUT_MS = 90_000;

/** Upstream's `config.ScrapeProtocolsHeaders`, without the protobuf format Vigil cannot parse. */
const PROTOCOL_MEDIA_TYPES: Readonly<Record<ScrapeProtocol, string | undefined>> = {
  PrometheusProto: undefined,
  "OpenMetricsText1.0.0": "application/openmetrics-text;version=1.0.0",
  "OpenMetricsText0.0.1": "application/openmetrics-text;version=0.0.1",
  "PrometheusText1.0.0": "text/plain;version=1.0.0",
  "PrometheusText0.0.4": "text/plain;version=0.0.4",
};

/**
 * Upstream's `acceptHeader`: the protocols in order of preference with
 * falling weights (`q=0.6` down), `escaping=<scheme>` on the 1.0.0 formats,
 * then `*\/*`. `PrometheusProto` is left out: Vigil does not parse protobuf.
 */
export function acceptHeader(protocols: readonly ScrapeProtocol[], escaping: string): string {
  const vals: string[] = [];
  let weight = Object.keys(PROTOCOL_MEDIA_TYPES).length + 1;
  for (const p of protocols) {
    let val = PROTOCOL_MEDIA_TYPES[p];
    if (val === undefined) continue;
    if (p === "PrometheusText1.0.0" || p === "OpenMetricsText1.0.0") val += `;escaping=${escaping}`;
    vals.push(`${val};q=0.${weight}`);
    weight--;
  }
  vals.push(`*/*;q=0.${weight}`);
  return vals.join(",");
}

/** What one scrape request needs besides the URL. */
export interface ScrapeRequest {
  readonly url: string;
  readonly accept: string;
  readonly enableCompression: boolean;
  readonly timeoutMs: number;
  /** Bytes; 0 means no limit (the parser's 256 MiB cap still applies). */
  readonly bodySizeLimit: number;
  readonly userAgent: string;
  /** Aborted when the pool shuts down. */
  readonly signal: AbortSignal;
  /** The loop's body buffer, reused between its scrapes; default a fresh one. */
  readonly buffer?: BodyBuffer;
}

/** A successful response: the (decompressed) body and its Content-Type. */
export interface ScrapeResponse {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The HTTP client of one scrape pool. `scrape` never throws anything but an
 * Error whose message is the target's `lastError`.
 */
export class ScrapeClient {
  readonly #config: HTTPClientConfig;
  /** undici, made on first use when h1.ts carries the plain-HTTP scrapes (see config/undici.ts). */
  #dispatcher: Dispatcher | null = null;
  /** The plain-HTTP client (h1.ts) for `http://` targets when no proxy is configured. */
  readonly #h1: H1Agent | null;

  /** Throws when the config cannot make a client (unreadable TLS files, oauth2), as upstream's `NewClientFromConfig`. */
  constructor(config: HTTPClientConfig) {
    this.#config = config;
    const proxied = usesProxy(config);
    if (proxied) this.#undici();
    else checkClientConfig(config);
    this.#h1 = proxied ? null : new H1Agent(IDLE_CONN_TIMEOUT_MS);
  }

  #undici(): Dispatcher {
    this.#dispatcher ??= newDispatcher(this.#config, { keepAliveTimeoutMs: IDLE_CONN_TIMEOUT_MS });
    return this.#dispatcher;
  }

  async scrape(req: ScrapeRequest): Promise<ScrapeResponse> {
    const limit = req.bodySizeLimit > 0 ? req.bodySizeLimit : DEFAULT_MAX_BODY_BYTES;
    const started = performance.now();
    const opts = {
      url: req.url,
      headers: await this.#headers(req),
      timeoutMs: req.timeoutMs,
      shutdown: req.signal,
      // Upstream fails once n >= limit, so at most limit - 1 bytes are accepted.
      maxBytes: limit - 1,
      into: req.buffer ?? newBodyBuffer(),
    };
    let res: FetchResult;
    if (this.#h1 !== null && req.url.startsWith("http://")) {
      try {
        res = await fetchBody(this.#h1, opts);
      } catch (e) {
        // Redirects are undici's job: ask again through it, within what is left of the timeout.
        const redirect = e instanceof HttpStatusError && e.statusCode >= 300 && e.statusCode < 400;
        if (!redirect || !this.#config.follow_redirects) throw e;
        const left = Math.max(1, req.timeoutMs - (performance.now() - started));
        res = await fetchBody(this.#undici(), { ...opts, timeoutMs: left });
      }
    } else {
      res = await fetchBody(this.#undici(), opts);
    }
    const body = res.contentEncoding === "gzip" ? await gunzipBounded(res.body, limit) : res.body;
    return { body, contentType: res.contentType };
  }

  async #headers(req: ScrapeRequest): Promise<Record<string, string | string[]>> {
    return {
      Accept: req.accept,
      "Accept-Encoding": req.enableCompression ? "gzip" : "identity",
      "User-Agent": req.userAgent,
      "X-Prometheus-Scrape-Timeout-Seconds": String(req.timeoutMs / 1000),
      ...(await requestHeaders(this.#config)),
    };
  }

  /** Closes idle connections; in-flight requests finish. */
  async close(): Promise<void> {
    await this.#h1?.close();
    await this.#dispatcher?.close();
  }
}

/** Gunzips on the libuv pool, never producing more than `limit` bytes. */
async function gunzipBounded(raw: Buffer, limit: number): Promise<Buffer> {
  let out: Buffer;
  try {
    out = await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new BodySizeLimitError();
    throw new ScrapeError(gzipMessage(e as Error, raw.length), { cause: e });
  }
  if (out.length >= limit) throw new BodySizeLimitError();
  return out;
}

/** Go's gzip errors for the common cases (a header is 10 bytes; shorter input is an unexpected EOF). */
function gzipMessage(e: Error, length: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (length < 10) return "unexpected EOF";
  if (code === "Z_DATA_ERROR" && /header/i.test(e.message)) return "gzip: invalid header";
  if (code === "Z_BUF_ERROR") return "unexpected EOF";
  return `gzip: ${e.message}`;
}
