/**
 * One remote-write POST on the plain-HTTP client of scrape/h1.ts (used for
 * `http://` endpoints without a proxy; undici carries the rest). Cheaper
 * than undici's `request` per send: no body stream, no per-request objects
 * beyond the handler, one timer. The whole exchange is bounded by the
 * timeout, as upstream's `remote_timeout` context bounds `Client.Store`.
 * Failures reject with the texts undici's `request` uses for the same
 * cases, so the log reads the same whichever client carried the send.
 */
import type { Dispatcher } from "undici";
import { splitURL } from "../scrape/fetch.ts";
import type { H1Agent } from "../scrape/h1.ts";

/** How many bytes of an error answer are kept: enough for the 1024 characters shown. */
export const ERROR_BODY_BYTES = 4096;

/** The answer to one POST. */
export interface PostResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  /** The start of the body of a non-2xx answer (its first {@link ERROR_BODY_BYTES} bytes, UTF-8); "" for 2xx. */
  readonly errorText: string;
}

/** What {@link post} sends. */
export interface PostOptions {
  readonly headers: Record<string, string | string[]>;
  readonly body: Uint8Array;
  readonly timeoutMs: number;
  /** Aborts the send (shutdown); the rejection carries the signal's reason, as undici's. */
  readonly signal?: AbortSignal;
}

/**
 * POSTs `o.body` to `url` (an `http://` URL) through `agent`. Resolves with
 * any status once the whole answer is read (the connection is then reused);
 * rejects on a connection error, at the timeout (`Headers Timeout Error`)
 * or on abort before the status line; after it, such a failure ends the
 * body early and the answer stands with what was read (upstream ignores
 * errors reading the body: the status decides). The request is marked
 * idempotent: a reused connection found closed before any answer is
 * retried once on a new one (see the README).
 */
export function post(agent: H1Agent, url: string, o: PostOptions): Promise<PostResponse> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    let statusCode = 0;
    let headers: Record<string, string | string[]> = {};
    let kept: Buffer[] | null = null;
    let keptBytes = 0;

    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      if (err !== null && statusCode === 0) {
        reject(err);
        return;
      }
      const errorText = kept === null ? "" : Buffer.concat(kept, keptBytes).toString("utf8");
      resolve({ statusCode, headers, errorText });
    };
    // After the status line an error only cuts the body short: the answer stands, with what was read.
    const abort = (err: Error): void => {
      if (controller !== null && !controller.aborted) controller.abort(err);
      finish(err);
    };
    const onAbort = (): void => {
      const r = o.signal?.reason;
      abort(r instanceof Error ? r : new DOMException("This operation was aborted", "AbortError"));
    };
    const timer = setTimeout(() => {
      abort(Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }));
    }, o.timeoutMs);
    if (o.signal?.aborted === true) {
      onAbort();
      return;
    }
    o.signal?.addEventListener("abort", onAbort, { once: true });

    const { origin, path } = splitURL(url);
    try {
      agent.dispatch(
        { origin, path, method: "POST", headers: o.headers, body: o.body, idempotent: true },
        {
          onRequestStart(c) {
            controller = c;
            if (settled) c.abort(new Error("aborted"));
          },
          onResponseStart(_c, status, h) {
            statusCode = status;
            headers = h as Record<string, string | string[]>;
            if (status < 200 || status >= 300) kept = [];
          },
          onResponseData(_c, chunk) {
            // Chunks are views of a shared read buffer: copy what is kept.
            if (kept === null || keptBytes >= ERROR_BODY_BYTES) return;
            const part = chunk.subarray(0, ERROR_BODY_BYTES - keptBytes);
            kept.push(Buffer.from(part));
            keptBytes += part.length;
          },
          onResponseEnd() {
            finish(null);
          },
          onResponseError(_c, err) {
            finish(err);
          },
        },
      );
    } catch (e) {
      finish(e as Error);
    }
  });
}
