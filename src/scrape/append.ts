/**
 * The append path of one target, upstream's `scrapeLoop.append`,
 * `updateStaleMarkers`, `report` and `reportStale`: parse a scraped body,
 * look each series line up in the scrape cache (a hit costs no label parse),
 * attach target labels and relabel on a miss, enforce the limits, append to
 * storage, write staleness markers for series that vanished, and append the
 * report series (`up`, `scrape_duration_seconds`, …).
 *
 * Hot path: one scrape of 2000 cached series must stay around a millisecond;
 * guarded by `npm run bench -- scrape`.
 */
import { ContentTypeError, parseContentType } from "../exposition/negotiate.ts";
import { newParser } from "../exposition/newparser.ts";
import { Entry, ParseError, type Parser } from "../exposition/parser.ts";
import type { Format } from "../exposition/types.ts";
import type { Logger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { isValidLabels, METRIC_NAME_LABEL, type NameValidationScheme } from "../model/labels/validate.ts";
import { STALE_NAN } from "../model/value/value.ts";
import type { RelabelConfig } from "../relabel/relabel.ts";
import { isSampleError, StorageError } from "../storage/errors.ts";
import type { Appender, SeriesRef } from "../storage/interface.ts";
import type { ScrapeCache } from "./cache.ts";
import { MetaKind } from "./metadata.ts";
import type { ScrapeMetrics } from "./metrics.ts";
import {
  type LabelLimits,
  mutateReportSampleLabels,
  mutateSampleLabels,
  verifyLabelLimits,
} from "./mutate.ts";

/** Upstream's `maxAheadTime`: samples more than 10 minutes in the future are out of bounds. */
const MAX_AHEAD_MS = 10 * 60 * 1000;

/** Per-sample storage errors that skip the sample and are counted; any other fails the scrape. */
const COUNTED_ERRORS: ReadonlySet<string> = new Set([
  "out_of_order",
  "too_old",
  "duplicate_sample",
  "out_of_bounds",
]);

/** The longest the append path runs before letting other work in (ms). */
const YIELD_AFTER_MS = 2;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Upstream's `errSampleLimit` text. */
export const SAMPLE_LIMIT_EXCEEDED = "sample limit exceeded";

/** Upstream's report series, in the order they are appended. */
export const REPORT_METRICS = [
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
] as const;

/** How a target's samples are treated; fixed for the life of a scrape loop. */
export interface AppendOptions {
  /** The target's public labels. */
  readonly targetLabels: Labels;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly trackTimestampsStaleness: boolean;
  readonly metricRelabelConfigs: readonly RelabelConfig[];
  /** 0: unlimited. */
  readonly sampleLimit: number;
  readonly labelLimits: LabelLimits;
  readonly validationScheme: NameValidationScheme;
  /** `fallback_scrape_protocol` as a parser format. */
  readonly fallbackFormat?: Format;
}

/** What one body contributed, for the report series; `error` fails the scrape. */
export interface AppendResult {
  total: number;
  added: number;
  seriesAdded: number;
  error: Error | null;
}

interface AppendErrors {
  outOfOrder: number;
  duplicates: number;
  outOfBounds: number;
}

/** Appends one target's scrapes; owns nothing but its report-series refs. */
export class TargetAppender {
  readonly cache: ScrapeCache;
  readonly #opts: AppendOptions;
  readonly #metrics: ScrapeMetrics;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #reportRefs: SeriesRef[] = [0, 0, 0, 0, 0];
  readonly #reportLabels: Labels[];
  #lastFormat: Format | undefined;

  constructor(
    cache: ScrapeCache,
    opts: AppendOptions,
    metrics: ScrapeMetrics,
    log: Logger,
    now: () => number,
  ) {
    this.cache = cache;
    this.#opts = opts;
    this.#metrics = metrics;
    this.#log = log;
    this.#now = now;
    this.#reportLabels = REPORT_METRICS.map((name) =>
      mutateReportSampleLabels(Labels.fromStrings(METRIC_NAME_LABEL, name), opts.targetLabels),
    );
  }

  /**
   * Appends a scraped body at default timestamp `t` (ms). An empty body only
   * writes staleness markers. A failing body (parse error, a limit) returns
   * its error and the counts so far; the caller rolls back. A big body is
   * appended in slices of about 2 ms, yielding to the event loop between
   * them; the caller must not start another append on this target meanwhile.
   */
  async append(app: Appender, body: Uint8Array, contentType: string, t: number): Promise<AppendResult> {
    const res: AppendResult = { total: 0, added: 0, seriesAdded: 0, error: null };
    if (body.length === 0) {
      res.error = this.#updateStaleMarkers(app, t);
      this.cache.iterDone(false);
      return res;
    }
    try {
      const { format, warning } = parseContentType(contentType, this.#opts.fallbackFormat);
      if (format !== this.#lastFormat) {
        this.cache.metadata.clearLines(); // HELP escapes differ between the formats
        this.#lastFormat = format;
      }
      if (warning !== undefined)
        this.#log.debug("Invalid content type on scrape, using fallback setting.", { err: warning });
      this.cache.begin();
      await this.#appendBody(app, body, format, t, res);
    } catch (e) {
      res.error = scrapeError(e);
    }
    if (res.error === null) res.error = this.#updateStaleMarkers(app, t);
    if (res.error === null) this.cache.iterDone(true);
    else this.cache.abortPass();
    return res;
  }

  async #appendBody(
    app: Appender,
    body: Uint8Array,
    format: Format,
    defTime: number,
    res: AppendResult,
  ): Promise<void> {
    const cache = this.cache;
    const o = this.#opts;
    const p = newParser(body, format);
    const maxTime = this.#now() + MAX_AHEAD_MS;
    const errs: AppendErrors = { outOfOrder: 0, duplicates: 0, outOfBounds: 0 };
    let limitHit = false;
    let appended = 0;
    let entries = 0;
    let sliceStart = performance.now();
    for (let et = p.next(); et !== Entry.EOF; et = p.next()) {
      // A big body must not hold the event loop: other scrapes and queries wait.
      if ((++entries & 255) === 0 && performance.now() - sliceStart > YIELD_AFTER_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
      if (et !== Entry.Series) {
        this.#meta(p, et, body);
        continue;
      }
      res.total++;
      let t = defTime;
      let explicit = false;
      if (o.honorTimestamps && p.timestampMs !== undefined) {
        t = p.timestampMs;
        explicit = true;
      }
      const s = p.seriesStart;
      const e = p.seriesEnd;
      const ce = cache.get(body, s, e); // an entry index, -1 on a miss
      let dup = false;
      let lset: Labels;
      let ref = 0;
      const hash = cache.lastHash;
      if (ce >= 0) {
        dup = !cache.markSeen(ce);
        const cached = cache.lset(ce);
        if (cached === null) continue; // dropped by metric relabeling
        lset = cached;
        ref = cache.ref(ce);
      } else {
        const mutated = mutateSampleLabels(
          p.labels(),
          o.targetLabels,
          o.honorLabels,
          o.metricRelabelConfigs,
          o.honorLabels ? p.emptyLabelNames() : [],
        );
        if (mutated === null) {
          cache.add(body, s, e, hash, null, 0);
          continue;
        }
        lset = mutated;
        this.#checkLabels(lset);
      }
      // Upstream's appender chain: duplicate check, sample limit, time limit, storage.
      let kind: string | null = null;
      if (dup && !explicit) kind = "duplicate_sample";
      else if (o.sampleLimit > 0 && ++appended > o.sampleLimit) kind = "limit";
      else if (t > maxTime) kind = "out_of_bounds";
      else {
        try {
          ref = app.append(ref, lset, t, p.value);
        } catch (err) {
          if (!isSampleError(err) || !COUNTED_ERRORS.has(err.kind)) throw err;
          kind = err.kind;
        }
      }
      const track = !explicit || o.trackTimestampsStaleness;
      if (kind === "limit") limitHit = true;
      else if (kind !== null) this.#countError(kind, errs);
      if (ce >= 0) {
        if (kind === null) {
          cache.setRef(ce, ref);
          if (track) cache.track(ce);
        }
      } else {
        if (ref !== 0) {
          const added = cache.add(body, s, e, hash, lset, ref);
          if (track) cache.track(added);
        } else if (track) cache.trackUncached(lset);
        if (kind === null && !limitHit) res.seriesAdded++;
      }
      res.added++;
    }
    this.#logErrors(errs);
    if (limitHit) {
      this.#metrics.exceededSampleLimit.inc();
      throw new FailScrape(SAMPLE_LIMIT_EXCEEDED);
    }
  }

  #checkLabels(lset: Labels): void {
    if (!lset.has(METRIC_NAME_LABEL))
      throw new FailScrape(`missing metric name (${METRIC_NAME_LABEL} label)`);
    if (!isValidLabels(lset, this.#opts.validationScheme)) {
      throw new FailScrape(`invalid metric name or label names: ${lset.toString()}`);
    }
    const err = verifyLabelLimits(lset, this.#opts.labelLimits);
    if (err !== null) {
      this.#metrics.poolExceededLabelLimits.inc();
      throw new FailScrape(err.message);
    }
  }

  /** TYPE, HELP, UNIT: an unchanged line costs a hash of its bytes, as a series line does. */
  #meta(p: Parser, et: Entry, body: Uint8Array): void {
    const kind =
      et === Entry.Type
        ? MetaKind.Type
        : et === Entry.Help
          ? MetaKind.Help
          : et === Entry.Unit
            ? MetaKind.Unit
            : -1;
    if (kind === -1) return;
    const meta = this.cache.metadata;
    const o = p as unknown as MetaOffsets;
    const start = o.nameS;
    const end = o.textE;
    const keyed = typeof start === "number" && typeof end === "number" && start >= 0 && end >= start;
    if (keyed && meta.metaLineSeen(kind, body, start, end)) return;
    const hash = meta.lastHash;
    if (kind === MetaKind.Type) meta.setType(p.familyName(), p.type);
    else if (kind === MetaKind.Help) meta.setHelp(p.familyName(), p.text());
    else meta.setUnit(p.familyName(), p.text());
    if (keyed) meta.addMetaLine(kind, body, start, end, hash);
  }

  #countError(kind: string, errs: AppendErrors): void {
    const m = this.#metrics;
    if (kind === "out_of_order" || kind === "too_old") {
      errs.outOfOrder++;
      m.sampleOutOfOrder.inc();
    } else if (kind === "duplicate_sample") {
      errs.duplicates++;
      m.sampleDuplicate.inc();
    } else if (kind === "out_of_bounds") {
      errs.outOfBounds++;
      m.sampleOutOfBounds.inc();
    }
  }

  #logErrors(errs: AppendErrors): void {
    const log = this.#log;
    if (errs.outOfOrder > 0)
      log.warn("Error on ingesting out-of-order samples", { num_dropped: errs.outOfOrder });
    if (errs.duplicates > 0) {
      log.warn("Error on ingesting samples with different value but same timestamp", {
        num_dropped: errs.duplicates,
      });
    }
    if (errs.outOfBounds > 0) {
      log.warn("Error on ingesting samples that are too old or are too far into the future", {
        num_dropped: errs.outOfBounds,
      });
    }
  }

  /** Staleness markers for the series the previous scrape had and this one lacks. */
  #updateStaleMarkers(app: Appender, t: number): Error | null {
    let failure: Error | null = null;
    this.cache.forEachStale((lset) => {
      try {
        app.append(0, lset, t, STALE_NAN);
      } catch (e) {
        // Expected when a target goes away and comes back with a new loop.
        if (e instanceof StorageError && (e.kind === "out_of_order" || e.kind === "duplicate_sample"))
          return true;
        failure = e as Error;
        return false;
      }
      return true;
    });
    return failure;
  }

  /**
   * Appends the report series at `t` (the scrape's timestamp). `scraped`,
   * `added` and `seriesAdded` are the body's counts; `failed` sets `up` 0.
   * Returns an error when storage refused one (out-of-order ones are ignored).
   */
  report(app: Appender, t: number, durationSeconds: number, r: AppendResult, failed: boolean): Error | null {
    const values = [failed ? 0 : 1, durationSeconds, r.total, r.added, r.seriesAdded];
    for (let i = 0; i < values.length; i++) {
      const err = this.#addReportSample(app, i, t, values[i]);
      if (err !== null) return err;
    }
    return null;
  }

  /** Staleness markers for the report series, when the target went away. */
  reportStale(app: Appender, t: number): Error | null {
    for (let i = 0; i < REPORT_METRICS.length; i++) {
      const err = this.#addReportSample(app, i, t, STALE_NAN);
      if (err !== null) return err;
    }
    return null;
  }

  #addReportSample(app: Appender, i: number, t: number, v: number): Error | null {
    try {
      this.#reportRefs[i] = app.append(this.#reportRefs[i], this.#reportLabels[i], t, v);
      return null;
    } catch (e) {
      if (e instanceof StorageError && (e.kind === "out_of_order" || e.kind === "duplicate_sample"))
        return null;
      return e as Error;
    }
  }
}

/**
 * The parsers' offsets of a metadata entry: family name start to text end.
 * They are not published by `Parser` yet; without them (another parser)
 * metadata takes the decoding path on every scrape.
 */
interface MetaOffsets {
  readonly nameS?: unknown;
  readonly textE?: unknown;
}

/** A problem that fails the whole scrape with its message as the target's error. */
class FailScrape extends Error {}

function scrapeError(e: unknown): Error {
  if (e instanceof ParseError) return new Error(e.detail, { cause: e });
  if (e instanceof ContentTypeError || e instanceof FailScrape) return new Error(e.message, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}
