/**
 * The HTTP side every HTTP-based receiver shares: a client built from the
 * integration's `http_config` (upstream's `NewClientFromConfig`), requests
 * with upstream's `User-Agent` and content type, and upstream's `Retrier`
 * (2xx succeed, 5xx and the integration's extra codes are retried, anything
 * else fails for good; the error names the status and the body).
 */
import { readFile } from "node:fs/promises";
import { type Dispatcher, request } from "undici";
import { newDispatcher, requestHeaders } from "../../../config/client.ts";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../../../config/httpclient.ts";
import type { HTTPClientConfig } from "../../../config/types.ts";
import { NotifyError, type NotifyResult, reasonFromStatus } from "../notifier.ts";

/** Upstream's `UserAgentHeader` (the Alertmanager version Vigil follows). */
export const USER_AGENT = "Alertmanager/0.33.1";

/** A response, its body read whole. */
export interface HTTPResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One request. */
export interface HTTPRequest {
  readonly url: string;
  readonly body: string;
  readonly method?: "POST" | "PUT";
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

/** An HTTP client for one integration. */
export class HTTPClient {
  readonly #cfg: HTTPClientConfig;
  readonly #dispatcher: Dispatcher;

  constructor(cfg: HTTPClientConfig | undefined) {
    this.#cfg = cfg ?? DEFAULT_HTTP_CLIENT_CONFIG;
    this.#dispatcher = newDispatcher(this.#cfg);
  }

  /** Sends `req`; rejects on a network error or an abort. */
  async send(req: HTTPRequest): Promise<HTTPResponse> {
    const headers: Record<string, string | string[]> = {
      "User-Agent": USER_AGENT,
      "Content-Type": req.contentType ?? "application/json",
      ...req.headers,
      ...(await requestHeaders(this.#cfg)),
    };
    const res = await request(req.url, {
      method: req.method ?? "POST",
      body: req.body,
      headers,
      dispatcher: this.#dispatcher,
      signal: req.signal,
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  }

  /**
   * Sends `req` and judges the outcome, as every simple receiver does: a
   * response through {@link checkStatus} with `retrier`, a failure before any
   * response through {@link transportFailure} with `transportPrefix`.
   */
  async sendChecked(req: HTTPRequest, retrier: Retrier = {}, transportPrefix = ""): Promise<NotifyResult> {
    let res: HTTPResponse;
    try {
      res = await this.send(req);
    } catch (e) {
      return transportFailure(e, transportPrefix);
    }
    return checkStatus(res, retrier);
  }
}

/** Upstream's `Retrier`: the retry codes beyond 5xx and an optional way to word the body. */
export interface Retrier {
  readonly retryCodes?: readonly number[];
  readonly details?: (status: number, body: string) => string;
}

/** Upstream's `Retrier.Check` as a {@link NotifyResult}: success on 2xx. */
export function checkStatus(res: HTTPResponse, retrier: Retrier = {}, prefix = ""): NotifyResult {
  if (Math.floor(res.status / 100) === 2) return { retry: false };
  const retry = Math.floor(res.status / 100) === 5 || (retrier.retryCodes ?? []).includes(res.status);
  const details = retrier.details !== undefined ? retrier.details(res.status, res.body) : res.body;
  const msg = `unexpected status code ${res.status}${details === "" ? "" : `: ${details}`}`;
  return { retry, error: new NotifyError(reasonFromStatus(res.status), `${prefix}${msg}`) };
}

/** A request that failed before a response (network error, abort): retried, with the URL kept out of the message. */
export function transportFailure(err: unknown, prefix = ""): NotifyResult {
  if (err instanceof NotifyError) return { retry: true, error: err };
  const reason = (err as Error)?.name === "AbortError" ? "contextCanceled" : "other";
  return {
    retry: true,
    error: new NotifyError(reason, `${prefix}${(err as Error).message}`, { cause: err }),
  };
}

/**
 * A value given inline or in a file (`*_file`, trimmed); the inline value
 * wins. With `fileField`, an unreadable file fails as upstream words it:
 * `read <fileField>: <cause>`.
 */
export async function inlineOrFile(value: string, file: string, fileField?: string): Promise<string> {
  if (value !== "") return value;
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (e) {
    if (fileField === undefined) throw e;
    throw new Error(`read ${fileField}: ${(e as Error).message}`, { cause: e });
  }
}
