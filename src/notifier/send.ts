/**
 * One POST of a payload to one Alertmanager endpoint, upstream's `sendOne`:
 * JSON body, Prometheus-style `User-Agent`, the set's HTTP client headers
 * (auth, `http_headers`), success on any 2xx. Failures read as Go prints
 * them: `Post "<url>": context deadline exceeded`, `bad response status 500
 * Internal Server Error`.
 */

import type { Dispatcher } from "undici";
import { requestHeaders } from "../config/client.ts";
import type { HTTPClientConfig } from "../config/types.ts";
import { undici } from "../config/undici.ts";
import { formatClientError } from "../scrape/errors.ts";
import { STATUS_CODES } from "../web/nodehttp.ts";

/** One request to make. */
export interface PostRequest {
  readonly url: string;
  /** The JSON payload. */
  readonly body: string;
  /** Per-request deadline, milliseconds (the set's `timeout`). */
  readonly timeoutMs: number;
  readonly userAgent: string;
  /** The set's client config, for per-request headers (secrets files are re-read). */
  readonly config: HTTPClientConfig;
  readonly dispatcher: Dispatcher;
}

const NEVER = new AbortController().signal;

/** Posts `req.body`; resolves on a 2xx response, rejects with upstream's error text otherwise. */
export async function postAlerts(req: PostRequest): Promise<void> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  let status: number;
  try {
    const headers = {
      "User-Agent": req.userAgent,
      "Content-Type": "application/json",
      ...(await requestHeaders(req.config)),
    };
    const res = await undici().request(req.url, {
      method: "POST",
      body: req.body,
      headers,
      signal,
      dispatcher: req.dispatcher,
    });
    status = res.statusCode;
    await res.body.dump().catch(() => {});
  } catch (e) {
    // The scrape client words Go's *url.Error for a GET; the causes are the same.
    const err = formatClientError(e, req.url, false, signal, NEVER);
    throw new Error(err.message.replace(/^Get /, "Post "), { cause: e });
  }
  if (Math.floor(status / 100) !== 2) {
    const text = STATUS_CODES[status];
    throw new Error(`bad response status ${text === undefined ? status : `${status} ${text}`}`);
  }
}
