/**
 * One target's scrape loop, upstream's `scrapeLoop.run`, `scrapeAndReport`
 * and `endOfRunStaleness`. The first scrape waits for the target's offset in
 * the interval (a hash of the target, XOR the server's seed, pinned to
 * absolute time), then scrapes follow a fixed grid: a scrape never overlaps
 * the previous one, a late tick fires at once and the missed ones are
 * skipped, and a timestamp within 2 ms (at most 1% of the interval) of its
 * slot is set to the slot, so samples land on a regular grid (upstream's
 * `ScrapeTimestampTolerance`).
 */
import type { Logger } from "../log/log.ts";
import type { Appendable, Appender } from "../storage/interface.ts";
import type { AppendResult, TargetAppender } from "./append.ts";
import type { ScrapeCache } from "./cache.ts";
import type { ScrapeClient } from "./client.ts";
import { BodySizeLimitError } from "./errors.ts";
import { type BodyBuffer, releaseBodyBuffer, takeBodyBuffer } from "./fetch.ts";
import type { ScrapeMetrics } from "./metrics.ts";
import type { Target } from "./target.ts";

/** Upstream's `ScrapeTimestampTolerance`. */
export const SCRAPE_TIMESTAMP_TOLERANCE_MS = 2;
/**
 * How early a scrape's timer is aimed. Node's timers have millisecond
 * resolution and fire 0–1 ms after their time on an idle event loop, a few
 * more under load, where Go's fire within microseconds. Aiming half the
 * tolerance early centres that spread inside the snap window, so scrapes
 * keep their grid timestamps (what upstream's tolerance is for: regular
 * timestamps compress to nothing in chunks).
 */
const TIMER_LEAD_RATIO = 0.5;

const EMPTY = new Uint8Array(0);

/** Everything a loop needs; the pool builds one per target. */
export interface LoopOptions {
  readonly target: Target;
  readonly client: ScrapeClient;
  readonly appendable: Appendable;
  readonly appender: TargetAppender;
  readonly metrics: ScrapeMetrics;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly offsetSeed: number;
  readonly accept: string;
  readonly enableCompression: boolean;
  readonly bodySizeLimit: number;
  readonly userAgent: string;
  /** The pool's signal: aborted on shutdown (no staleness markers then). */
  readonly shutdown: AbortSignal;
  readonly now: () => number;
  /** Start scraping at once instead of at the target's offset (tests). */
  readonly skipOffsetting?: boolean;
}

/** See the module comment. Not reusable after `stop`. */
export class ScrapeLoop {
  readonly #o: LoopOptions;
  readonly #stop = new AbortController();
  #forcedError: Error | null = null;
  #endOfRunStaleness = true;
  #stopped: Promise<void> | null = null;
  #finished: Promise<void> = Promise.resolve();
  #resolveStopped: () => void = () => {};
  readonly #intervalLabel: string;
  /** Size of the last body, to take a fitting shared buffer (fetch.ts). */
  #lastBodyBytes = 0;

  constructor(opts: LoopOptions) {
    this.#o = opts;
    this.#intervalLabel = goDuration(opts.intervalMs);
    opts.target.setMetadataStore(opts.appender.cache.metadata);
  }

  get cache(): ScrapeCache {
    return this.#o.appender.cache;
  }

  /** Makes every scrape fail with `err` (target limit, bad interval label); null clears it. */
  setForcedError(err: Error | null): void {
    this.#forcedError = err;
  }

  /** Skips the staleness markers after `stop` (the cache moves to a new loop on reload). */
  disableEndOfRunStalenessMarkers(): void {
    this.#endOfRunStaleness = false;
  }

  /** Starts scraping in the background; a no-op once started or stopped. */
  start(): void {
    if (this.#stopped !== null || this.#stop.signal.aborted) return;
    this.#stopped = new Promise((resolve) => {
      this.#resolveStopped = resolve;
    });
    this.#finished = this.#run();
  }

  /**
   * Stops scheduling scrapes and resolves once the scrape in flight (if any)
   * is stored. Staleness markers for the target's series follow about two
   * intervals later unless the pool shuts down first (see `finished`).
   */
  async stop(): Promise<void> {
    this.#stop.abort();
    if (this.#stopped !== null) await this.#stopped;
  }

  /** Resolves when the loop and its end-of-run staleness work are over. */
  finished(): Promise<void> {
    return this.#finished;
  }

  async #run(): Promise<void> {
    const o = this.#o;
    const interval = o.intervalMs;
    const tolerance = Math.min(interval / 100, SCRAPE_TIMESTAMP_TOLERANCE_MS);
    let next = o.now() + (o.skipOffsetting === true ? 0 : o.target.offset(interval, o.offsetSeed, o.now()));
    let last: number | null = null;
    try {
      const lead = tolerance * TIMER_LEAD_RATIO;
      while (await sleepUntil(next - lead, o.now, this.#stop.signal, o.shutdown)) {
        let t = o.now();
        if (Math.abs(t - next) <= tolerance) t = next;
        last = await this.#scrapeAndReport(last, t);
        next += interval;
        const now = o.now();
        while (next + interval <= now) next += interval; // like Go's ticker: one late tick, the rest dropped
      }
    } finally {
      this.#resolveStopped();
    }
    if (this.#endOfRunStaleness && last !== null && !o.shutdown.aborted) await this.#endOfRun(next);
  }

  /** One scrape: fetch, append, report, commit. Returns when it started (ms). */
  async #scrapeAndReport(last: number | null, appendTime: number): Promise<number> {
    const o = this.#o;
    const start = o.now();
    if (last !== null)
      o.metrics.intervalLength.observe({ interval: this.#intervalLabel }, (start - last) / 1000);
    // A shared buffer (fetch.ts), held until the body is appended.
    const buffer = takeBodyBuffer(this.#lastBodyBytes);
    buffer.used = 0;
    try {
      return await this.#scrapeInto(start, appendTime, buffer);
    } finally {
      if (buffer.used > 0) this.#lastBodyBytes = buffer.used;
      releaseBodyBuffer(buffer);
    }
  }

  async #scrapeInto(start: number, appendTime: number, buffer: BodyBuffer): Promise<number> {
    const o = this.#o;
    let scrapeErr: Error | null = this.#forcedError;
    let body: Uint8Array = EMPTY;
    let contentType = "";
    if (scrapeErr === null) {
      try {
        ({ body, contentType } = await o.client.scrape({
          url: o.target.scrapeUrl(),
          accept: o.accept,
          enableCompression: o.enableCompression,
          timeoutMs: o.timeoutMs,
          bodySizeLimit: o.bodySizeLimit,
          userAgent: o.userAgent,
          signal: o.shutdown,
          buffer,
        }));
      } catch (e) {
        scrapeErr = e as Error;
        o.logger.debug("Scrape failed", { err: scrapeErr.message });
        if (e instanceof BodySizeLimitError) o.metrics.exceededBodySizeLimit.inc();
      }
      if (o.shutdown.aborted) return start; // shutting down: store nothing, restart where we were
    }
    let app = o.appendable.appender();
    const res = await o.appender.append(app, body, contentType, appendTime);
    if (res.error !== null) {
      app.rollback();
      app = o.appendable.appender();
      o.logger.debug("Append failed", { err: res.error.message });
      app = await this.#appendEmpty(app, appendTime);
      scrapeErr ??= res.error;
    }
    const duration = (o.now() - start) / 1000;
    o.target.report(new Date(appendTime), duration, scrapeErr);
    this.#commit(app, o.appender.report(app, appendTime, duration, res, scrapeErr !== null));
    return start;
  }

  /** An empty scrape (staleness markers only); returns the appender to continue with. */
  async #appendEmpty(app: Appender, t: number): Promise<Appender> {
    const res: AppendResult = await this.#o.appender.append(app, EMPTY, "", t);
    if (res.error === null) return app;
    app.rollback();
    this.#o.logger.warn("Append failed", { err: res.error.message });
    return this.#o.appendable.appender();
  }

  #commit(app: Appender, reportErr: Error | null): void {
    if (reportErr !== null) {
      this.#o.logger.warn("Appending scrape report failed", { err: reportErr.message });
      app.rollback();
      return;
    }
    try {
      app.commit();
    } catch (e) {
      this.#o.logger.error("Scrape commit failed", { err: (e as Error).message });
    }
  }

  /**
   * Upstream's `endOfRunStaleness`: the target may come back, so wait for
   * the slot of the next scrape (its time is the markers' timestamp), one
   * more interval and a tenth, then mark every series stale. Markers that
   * land behind a newer loop's samples are out of order and ignored.
   */
  async #endOfRun(next: number): Promise<void> {
    const o = this.#o;
    const staleTime = next;
    const wakeAt = next + o.intervalMs + o.intervalMs / 10;
    if (!(await sleepUntil(wakeAt, o.now, o.shutdown))) return;
    let app = o.appendable.appender();
    const res = await o.appender.append(app, EMPTY, "", staleTime);
    if (res.error !== null) {
      app.rollback();
      app = o.appendable.appender();
      o.logger.warn("Stale append failed", { err: res.error.message });
    }
    const err = o.appender.reportStale(app, staleTime);
    if (err !== null) {
      o.logger.warn("Stale report failed", { err: err.message });
      app.rollback();
      return;
    }
    try {
      app.commit();
    } catch (e) {
      o.logger.warn("Stale commit failed", { err: (e as Error).message });
    }
  }
}

/** Sleeps until `at` (ms on the `now` clock); false when a signal aborted first. */
function sleepUntil(at: number, now: () => number, ...signals: AbortSignal[]): Promise<boolean> {
  if (signals.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener("abort", onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, at - now()));
    for (const s of signals) s.addEventListener("abort", onAbort, { once: true });
  });
}

/** Go's `time.Duration.String()` for whole milliseconds: `500ms`, `10s`, `1m0s`, `1h30m0s`, `1.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  let out = "";
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  return `${out}${s}s`;
}
