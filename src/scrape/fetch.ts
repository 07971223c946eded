/**
 * One scrape request on undici's low-level `dispatch` API: the body goes
 * straight into a buffer the scrape loop owns and reuses (no stream, no
 * async iterator, no per-scrape concatenation), the deadline is one timer,
 * and `body_size_limit` cuts the connection as soon as it is passed. About
 * a fifth of the CPU of `undici.request` per scrape; guarded by
 * `npm run bench -- scrape`.
 */
import type { Dispatcher } from "undici";
import { BodySizeLimitError, formatClientError, HttpStatusError } from "./errors.ts";

/** What carries a scrape: an undici Dispatcher, or the plain-HTTP client of h1.ts. */
export interface ScrapeTransport {
  dispatch(
    opts: { origin: string; path: string; method: "GET"; headers: Record<string, string | string[]> },
    handler: Dispatcher.DispatchHandler,
  ): boolean;
}

/** A body buffer, reused from one scrape to the next (shared by the loops: see takeBodyBuffer). */
export interface BodyBuffer {
  buf: Buffer;
  /** Bytes the last body written into it took. */
  used: number;
}

/** A new, empty {@link BodyBuffer}. */
export function newBodyBuffer(): BodyBuffer {
  return { buf: Buffer.alloc(0), used: 0 };
}

/**
 * Body buffers shared by all scrape loops: a loop takes one for a scrape and
 * gives it back once the body is appended. Only a few scrapes are in flight
 * at a time (targets are spread over the interval), so a few buffers serve
 * any number of targets instead of one body-sized buffer per target.
 */
const sharedBuffers: BodyBuffer[] = [];
/** Buffers kept for reuse; more in flight at once are allocated and dropped. */
const SHARED_BUFFERS_MAX = 8;

/**
 * A body buffer for one scrape; give it back with {@link releaseBodyBuffer}.
 * `sizeHint` is the size of the loop's last body: the smallest pooled buffer
 * that holds it is taken (else the biggest), so a small target does not take
 * a big target's buffer, and then let it go as mostly unused (see fetchBody).
 */
export function takeBodyBuffer(sizeHint = 0): BodyBuffer {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < sharedBuffers.length; i++) {
    const len = sharedBuffers[i]!.buf.length;
    const better =
      best < 0 ||
      (len >= sizeHint ? bestLen < sizeHint || len < bestLen : bestLen < sizeHint && len > bestLen);
    if (better) {
      best = i;
      bestLen = len;
    }
  }
  if (best < 0) return newBodyBuffer();
  const b = sharedBuffers[best]!;
  sharedBuffers[best] = sharedBuffers[sharedBuffers.length - 1]!;
  sharedBuffers.pop();
  return b;
}

/** Returns a buffer taken with {@link takeBodyBuffer}; the body in it must no longer be used. */
export function releaseBodyBuffer(b: BodyBuffer): void {
  if (sharedBuffers.length < SHARED_BUFFERS_MAX) sharedBuffers.push(b);
}

/** What {@link fetchBody} needs. */
export interface FetchOptions {
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  readonly timeoutMs: number;
  /** Aborts the request (the pool is stopping). */
  readonly shutdown: AbortSignal;
  /** More bytes than this fail the scrape. */
  readonly maxBytes: number;
  /** Where the body is written; a view of it is returned, valid until the next fetch into it. */
  readonly into: BodyBuffer;
}

/** A 200 response: its body and the headers a scrape looks at. */
export interface FetchResult {
  readonly body: Buffer;
  readonly contentType: string;
  readonly contentEncoding: string;
}

/** A buffer no bigger than this is kept for the next scrape even when this body used little of it. */
const KEEP_BYTES = 1 << 20;

const targets = new Map<string, { origin: string; path: string }>();

/** `origin` and `path` of a URL, memoized (a target's or endpoint's URL rarely changes). */
export function splitURL(url: string): { origin: string; path: string } {
  let t = targets.get(url);
  if (t === undefined) {
    const u = new URL(url);
    t = { origin: u.origin, path: `${u.pathname}${u.search}` };
    if (targets.size > 10_000) targets.clear();
    targets.set(url, t);
  }
  return t;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

/**
 * GETs `url`; resolves with the body of a 200 response, rejects with a
 * `ScrapeError` worded as Go's client (`HttpStatusError` for other statuses,
 * `BodySizeLimitError` past `maxBytes`).
 */
export function fetchBody(dispatcher: ScrapeTransport, o: FetchOptions): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const deadline = { aborted: false };
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    let gotHeaders = false;
    let status = 0;
    let statusText = "";
    let contentType = "";
    let contentEncoding = "";
    let n = 0;
    const into = o.into;

    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.shutdown.removeEventListener("abort", onShutdown);
      if (err !== null) {
        reject(
          err instanceof BodySizeLimitError || err instanceof HttpStatusError
            ? err
            : formatClientError(err, o.url, gotHeaders, deadline, o.shutdown),
        );
        return;
      }
      if (status !== 200) {
        reject(new HttpStatusError(status, statusText));
        return;
      }
      into.used = n;
      if (into.buf.length > KEEP_BYTES && into.buf.length > 4 * n) {
        // A small body in a big buffer: let the buffer go (a one-off huge body must not stay pinned), keep a copy.
        const body = Buffer.from(into.buf.subarray(0, n));
        into.buf = Buffer.alloc(0);
        resolve({ body, contentType, contentEncoding });
        return;
      }
      resolve({ body: into.buf.subarray(0, n), contentType, contentEncoding });
    };
    const abort = (err: Error): void => {
      if (controller !== null && !controller.aborted) controller.abort(err);
      finish(err);
    };
    const onShutdown = (): void => abort(new Error("context canceled"));
    const timer = setTimeout(() => {
      deadline.aborted = true;
      abort(new Error("context deadline exceeded"));
    }, o.timeoutMs);
    if (o.shutdown.aborted) {
      onShutdown();
      return;
    }
    o.shutdown.addEventListener("abort", onShutdown, { once: true });

    const { origin, path } = splitURL(o.url);
    dispatcher.dispatch(
      { origin, path, method: "GET", headers: o.headers },
      {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(new Error("context canceled"));
        },
        onResponseStart(_c, statusCode, headers, statusMessage) {
          gotHeaders = true;
          status = statusCode;
          statusText = statusMessage ?? "";
          contentType = header(headers, "content-type");
          contentEncoding = header(headers, "content-encoding");
          const length = Number(header(headers, "content-length"));
          if (status === 200 && length > 0 && length <= o.maxBytes && into.buf.length < length) {
            into.buf = Buffer.allocUnsafe(length);
          }
        },
        onResponseData(_c, chunk) {
          if (settled || status !== 200) return;
          const end = n + chunk.length;
          if (end > o.maxBytes) {
            abort(new BodySizeLimitError());
            return;
          }
          if (end > into.buf.length) {
            // A quarter of slack, not doubling: the buffer is kept for the target's next scrapes.
            const grown = Buffer.allocUnsafe(Math.min(Math.max(end + (end >> 2), 64 * 1024), o.maxBytes));
            into.buf.copy(grown, 0, 0, n);
            into.buf = grown;
          }
          chunk.copy(into.buf, n);
          n = end;
        },
        onResponseEnd() {
          finish(null);
        },
        onResponseError(_c, err) {
          finish(err);
        },
      },
    );
  });
}
