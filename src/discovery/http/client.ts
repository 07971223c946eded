/**
 * A small GET client for HTTP SD on the shared prometheus/common
 * `HTTPClientConfig` client (`config/client.ts`: TLS, proxy, redirects, auth,
 * `http_headers`, secrets from files read on every request), with a bound on
 * the response body and Go's status texts.
 */

import { newDispatcher, readBody, requestHeaders } from "../../config/client.ts";
import type { HTTPClientConfig } from "../../config/types.ts";
import { undici } from "../../config/undici.ts";
import { STATUS_CODES } from "../../web/nodehttp.ts";

/** A response with its whole body. */
export interface HTTPResponse {
  readonly status: number;
  /** Go's `resp.Status` text, e.g. `500 Internal Server Error`. */
  readonly statusText: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** Performs a GET with extra headers; rejects on network errors, timeouts and bodies over the limit. */
export type HTTPGet = (
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<HTTPResponse>;

/** Options besides the config. */
export interface ClientOptions {
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes. */
  readonly bodyLimit: number;
}

/** Builds a GET client for `config`; throws when the config cannot be honoured (e.g. `oauth2`). */
export function newHTTPGet(config: HTTPClientConfig, options: ClientOptions): HTTPGet {
  const dispatcher = newDispatcher(config);
  return async (url, headers, signal) => {
    const res = await undici().request(url, {
      method: "GET",
      headers: { ...headers, ...(await requestHeaders(config)) },
      dispatcher,
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    const body = await readBody(res.body, options.bodyLimit);
    if (body === undefined) throw new Error(`response body exceeds the limit of ${options.bodyLimit} bytes`);
    const ct = res.headers["content-type"];
    return {
      status: res.statusCode,
      statusText: `${res.statusCode} ${statusName(res.statusCode)}`.trimEnd(),
      contentType: Array.isArray(ct) ? ct[0] : (ct ?? ""),
      body,
    };
  };
}

function statusName(code: number): string {
  return STATUS_CODES[code] ?? "";
}
