/**
 * The boundary between what writes samples (scrape, rules, remote write,
 * backfill) and what reads them (PromQL, federation, the API) on one side, and
 * the storage engine (`src/tsdb`) on the other. Mirrors upstream's
 * `storage/interface.go`, synchronously: Vigil's TSDB serves reads from memory
 * and page-cached files, so iterators never wait on I/O.
 */
import type { Labels } from "../model/labels/labels.ts";
import type { Matcher } from "../model/labels/matcher.ts";

/** A storage-local reference to a series; 0 means "unknown, look it up by labels". */
export type SeriesRef = number;

/** What an iterator is positioned on; only floats exist in Vigil's storage today. */
export const ValueType = { None: 0, Float: 1 } as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/**
 * Collects samples for one batch. Nothing appended is visible to queries
 * until `commit`; `rollback` drops the batch. Per-sample problems (out of order,
 * out of bounds, duplicates) throw a `StorageError` from `append` and leave the
 * rest of the batch intact; failures of the batch as a whole (the WAL cannot be
 * written, e.g. the disk is full) throw from `commit`, and then nothing of the
 * batch is stored.
 */
export interface Appender {
  /** Returns the series' reference, to pass back on the next append of the same series. */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  commit(): void;
  rollback(): void;
}

export interface Appendable {
  appender(): Appender;
}

/** Hints a querier may use to read less; never needed for correctness. */
export interface SelectHints {
  start: number;
  end: number;
  /** Query step in ms, 0 for instant queries. */
  step?: number;
  /** The function the selector is an argument of (e.g. "rate"), "series" for metadata calls. */
  func?: string;
  /** Results are cut at this many series (0 or absent: no limit). */
  limit?: number;
}

export interface LabelHints {
  limit?: number;
}

/** A growable run of samples in typed arrays (see `SampleIterator.readRange`). */
export interface SampleRun {
  ts: Float64Array;
  vs: Float64Array;
  n: number;
  /** Appends `ts[from, to)` and `vs[from, to)`, growing the arrays as needed. */
  append(ts: Float64Array, vs: Float64Array, from: number, to: number): void;
}

/** An iterator over the samples of one series, in timestamp order. */
export interface SampleIterator {
  /** Advances; returns the type of the new current value, `ValueType.None` at the end. */
  next(): ValueType;
  /** Advances to the first sample at or after `t` (never backwards); `ValueType.None` if none. */
  seek(t: number): ValueType;
  atT(): number;
  atV(): number;
  err(): Error | null;
  /**
   * Optional fast path for readers that want a whole range: on an iterator
   * not yet advanced, appends every sample with `mint <= t <= maxt` to `out`
   * (staleness markers included) in bulk, and consumes the iterator. Errors
   * are reported by `err()` afterwards.
   */
  readRange?(mint: number, maxt: number, out: SampleRun): void;
}

export interface Series {
  readonly labels: Labels;
  /** A fresh iterator; `reuse` may be recycled if it came from the same storage. */
  iterator(reuse?: SampleIterator): SampleIterator;
}

export interface SeriesSet {
  next(): boolean;
  at(): Series;
  err(): Error | null;
  /** Non-fatal problems (e.g. a block could not be read), reported as annotations. */
  warnings(): readonly string[];
}

/** Reads series over the time range `[mint, maxt]` it was opened with. */
export interface Querier {
  /** Series matching all matchers; sorted by labels when `sorted` (needed for merging). */
  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet;
  /** Sorted distinct values of `name` among series matching the matchers (all series if none). */
  labelValues(name: string, hints: LabelHints | undefined, ...matchers: Matcher[]): string[];
  /** Sorted distinct label names among series matching the matchers (all series if none). */
  labelNames(hints: LabelHints | undefined, ...matchers: Matcher[]): string[];
  close(): void;
}

/** A selector a query will run, with the time range it reads (ms, inclusive). */
export interface SelectorRange {
  readonly matchers: readonly Matcher[];
  readonly mint: number;
  readonly maxt: number;
}

export interface Queryable {
  querier(mint: number, maxt: number): Querier;
  /**
   * Optional asynchronous step before a query (upstream's engine resolves its
   * selectors before evaluating): fetches what selects of `selectors` over
   * their ranges need from slow sources (remote read) and resolves to a
   * Queryable that answers those selects synchronously from memory. Callers
   * that skip this step get only what the queryable holds locally. Failures
   * of best-effort sources do not reject: they surface as warnings of the
   * selects. `signal` aborts the fetching.
   */
  prepare?(selectors: readonly SelectorRange[], signal?: AbortSignal): Promise<Queryable>;
}

/** Storage is what components are given: something to append to and something to query. */
export interface Storage extends Appendable, Queryable {
  /** The oldest timestamp the storage holds, `Infinity` when empty. */
  startTime(): number;
  close(): Promise<void>;
}

export const emptySeriesSet: SeriesSet = {
  next: () => false,
  at: () => {
    throw new Error("emptySeriesSet.at called");
  },
  err: () => null,
  warnings: () => [],
};
