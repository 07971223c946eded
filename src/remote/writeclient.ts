/**
 * Sends one compressed write request (upstream's `remote.Client.Store`):
 * snappy body, the protocol's headers, the endpoint's `headers` and HTTP
 * client config (basic auth, authorization, TLS, proxy via config/client.ts),
 * `remote_timeout`. 5xx and 429 are recoverable (with Retry-After, if the
 * server sent one); other non-2xx answers are not; connection errors are.
 * Plain `http://` endpoints without a proxy are sent to by the small
 * HTTP/1.1 client of scrape/h1.ts (post.ts), the rest by undici, the same
 * split as the scrape client's.
 */
import type { Dispatcher } from "undici";
import { checkClientConfig, newDispatcher, requestHeaders, usesProxy } from "../config/client.ts";
import type { RemoteWriteConfig } from "../config/types.ts";
import { undici } from "../config/undici.ts";
import { H1Agent } from "../scrape/h1.ts";
import { buildInfo } from "../version/info.ts";
import { ERROR_BODY_BYTES, post } from "./post.ts";
import { PROTO_V2 } from "./receiver.ts";

/** The outcome of one attempt. */
export type StoreResult =
  | { readonly ok: true; readonly samplesWritten?: number }
  | {
      readonly ok: false;
      readonly recoverable: boolean;
      readonly error: string;
      readonly retryAfterMs?: number;
    };

/** Upstream's `retryAfterDuration`: seconds or an HTTP date; undefined when absent or unparsable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header === "") return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && /^\d+$/.test(header.trim())) return secs * 1000;
  const when = Date.parse(header);
  if (Number.isNaN(when)) return undefined;
  return Math.max(0, when - now);
}

/** prometheus/common's `IdleConnTimeout` of the HTTP client: 5 minutes. */
const IDLE_CONN_TIMEOUT_MS = 5 * 60_000;

/** Upstream's `maxErrMsgLen`: characters of an error answer's body kept in the error. */
const MAX_ERR_MSG_LEN = 1024;

/** Status code, headers and error body of an answer, whichever client carried it. */
interface Answer {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly errorText: string;
}

/** An HTTP client for one `remote_write` endpoint. */
export class WriteClient {
  readonly url: string;
  private readonly cfg: RemoteWriteConfig;
  /** undici, made on first use: an endpoint h1.ts carries never needs it (see config/undici.ts). */
  private dispatcher: Dispatcher | null = null;
  /** The plain-HTTP client, when the endpoint is `http://` and no proxy is configured. */
  private readonly h1: H1Agent | null;
  private readonly v2: boolean;

  constructor(cfg: RemoteWriteConfig) {
    this.cfg = cfg;
    this.url = String(cfg.url);
    this.h1 = this.url.startsWith("http://") && !usesProxy(cfg) ? new H1Agent(IDLE_CONN_TIMEOUT_MS) : null;
    // Bad client config (TLS files, oauth2) fails here either way, as upstream's NewWriteClient.
    if (this.h1 === null) this.dispatcher = newDispatcher(cfg);
    else checkClientConfig(cfg);
    this.v2 = cfg.protobuf_message === PROTO_V2;
  }

  /** Which client carries the sends: "h1" (scrape/h1.ts) or "undici". */
  get transport(): "h1" | "undici" {
    return this.h1 === null ? "undici" : "h1";
  }

  /** One attempt; `signal` aborts it (a recoverable failure). */
  async store(body: Uint8Array, attempt: number, signal?: AbortSignal): Promise<StoreResult> {
    const headers: Record<string, string | string[]> = {
      ...(this.cfg.headers ?? {}),
      "Content-Encoding": "snappy",
      "Content-Type": this.v2 ? `application/x-protobuf;proto=${PROTO_V2}` : "application/x-protobuf",
      "User-Agent": `Prometheus/${buildInfo().version}`,
      "X-Prometheus-Remote-Write-Version": this.v2 ? "2.0.0" : "0.1.0",
      ...(await requestHeaders(this.cfg)),
    };
    if (attempt > 0) headers["Retry-Attempt"] = String(attempt);
    let res: Answer;
    try {
      res =
        this.h1 !== null
          ? await post(this.h1, this.url, { headers, body, timeoutMs: this.cfg.remote_timeout, signal })
          : await this.#undici(body, headers, signal);
    } catch (err) {
      return { ok: false, recoverable: true, error: (err as Error)?.message ?? String(err) };
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const w = res.headers["x-prometheus-remote-write-samples-written"];
      return { ok: true, samplesWritten: w === undefined ? undefined : Number(w) };
    }
    const text = res.errorText.slice(0, MAX_ERR_MSG_LEN).trim();
    const error = `server returned HTTP status ${res.statusCode} ${statusText(res.statusCode)}: ${text}`;
    const recoverable = res.statusCode >= 500 || res.statusCode === 429;
    const ra = res.headers["retry-after"];
    return {
      ok: false,
      recoverable,
      error,
      retryAfterMs: recoverable ? retryAfterMs(Array.isArray(ra) ? ra[0] : ra) : undefined,
    };
  }

  /** One POST through undici; rejects on connection errors, timeouts and aborts. */
  async #undici(
    body: Uint8Array,
    headers: Record<string, string | string[]>,
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    const res = await undici().request(this.url, {
      method: "POST",
      body,
      headers,
      dispatcher: (this.dispatcher ??= newDispatcher(this.cfg)),
      headersTimeout: this.cfg.remote_timeout,
      bodyTimeout: this.cfg.remote_timeout,
      signal,
    });
    // As upstream, errors reading the body are ignored: the status decides, with what was read.
    if (res.statusCode >= 200 && res.statusCode < 300) {
      await res.body.dump().catch(() => {});
      return { statusCode: res.statusCode, headers: res.headers, errorText: "" };
    }
    const chunks: Buffer[] = [];
    let n = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (n < ERROR_BODY_BYTES) chunks.push(chunk);
        n += chunk.length;
      }
    } catch {}
    const errorText = Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString("utf8");
    return { statusCode: res.statusCode, headers: res.headers, errorText };
  }

  /** Closes idle connections; sends in flight finish (abort them with the store's signal). */
  async close(): Promise<void> {
    await this.h1?.close();
    await this.dispatcher?.close();
  }
}

function statusText(code: number): string {
  const t: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
  };
  return t[code] ?? "";
}
