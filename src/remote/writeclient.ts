/**
 * Sends one compressed write request (upstream's `remote.Client.Store`):
 * snappy body, the protocol's headers, the endpoint's `headers` and HTTP
 * client config (basic auth, authorization, TLS, proxy via config/client.ts),
 * `remote_timeout`. 5xx and 429 are recoverable (with Retry-After, if the
 * server sent one); other non-2xx answers are not; connection errors are.
 */
import { type Dispatcher, request } from "undici";
import { newDispatcher, requestHeaders } from "../config/client.ts";
import type { RemoteWriteConfig } from "../config/types.ts";
import { buildInfo } from "../version/info.ts";
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

/** An HTTP client for one `remote_write` endpoint. */
export class WriteClient {
  readonly url: string;
  private readonly cfg: RemoteWriteConfig;
  private readonly dispatcher: Dispatcher;
  private readonly v2: boolean;

  constructor(cfg: RemoteWriteConfig) {
    this.cfg = cfg;
    this.url = String(cfg.url);
    this.dispatcher = newDispatcher(cfg);
    this.v2 = cfg.protobuf_message === PROTO_V2;
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
    try {
      const res = await request(this.url, {
        method: "POST",
        body,
        headers,
        dispatcher: this.dispatcher,
        headersTimeout: this.cfg.remote_timeout,
        bodyTimeout: this.cfg.remote_timeout,
        signal,
      });
      if (res.statusCode >= 200 && res.statusCode < 300) {
        await res.body.dump();
        const w = res.headers["x-prometheus-remote-write-samples-written"];
        return { ok: true, samplesWritten: w === undefined ? undefined : Number(w) };
      }
      let text = "";
      try {
        text = (await res.body.text()).slice(0, 1024).trim();
      } catch {}
      const error = `server returned HTTP status ${res.statusCode} ${statusText(res.statusCode)}: ${text}`;
      const recoverable = res.statusCode >= 500 || res.statusCode === 429;
      const ra = res.headers["retry-after"];
      return {
        ok: false,
        recoverable,
        error,
        retryAfterMs: recoverable ? retryAfterMs(Array.isArray(ra) ? ra[0] : ra) : undefined,
      };
    } catch (err) {
      return { ok: false, recoverable: true, error: (err as Error)?.message ?? String(err) };
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close();
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
