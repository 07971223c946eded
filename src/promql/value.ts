/**
 * Values inside the engine, and the results a query returns.
 *
 * The engine evaluates every node over a whole step grid at once, column by
 * column: an instant vector is a list of `StepSeries`, each holding one value
 * slot per step plus a presence flag. A series' labels (and so its grouping
 * and matching signatures) are computed once per query, not once per step, and
 * an instant query is simply a grid of one step.
 */
import type { Labels } from "../model/labels/labels.ts";

/** The timestamps a node is evaluated at: `start + i*interval` for `0 <= i < n`. */
export interface Grid {
  start: number;
  end: number;
  /** Step in ms; 1 for an instant query's single step. */
  interval: number;
  n: number;
}

export function gridOf(start: number, end: number, interval: number): Grid {
  return { start, end, interval, n: Math.floor((end - start) / interval) + 1 };
}

/** Timestamp of step `i`. */
export function stepTime(g: Grid, i: number): number {
  return g.start + i * g.interval;
}

/** One series of an instant vector, across all steps of the grid. */
export interface StepSeries {
  labels: Labels;
  /** Value at each step; meaningless where `present[i] === 0`. */
  values: Float64Array;
  /** 1 where the series has a sample at the step. */
  present: Uint8Array;
  /**
   * Delayed name removal: the metric name is to be dropped when the query
   * finishes (set by functions and operators that change a value's meaning).
   */
  dropName: boolean;
}

export function newStepSeries(labels: Labels, n: number, dropName = false): StepSeries {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n), dropName };
}

/** Samples of one series in time order, e.g. a matrix selector's input or a subquery's output. */
export interface RangeSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  /** Number of valid entries in `ts`/`vs`. */
  len: number;
  dropName: boolean;
}

/** An evaluated expression. */
export type EvalValue =
  | { type: "scalar"; values: Float64Array }
  | { type: "vector"; series: StepSeries[] }
  | { type: "matrix"; series: RangeSeries[] }
  | { type: "string"; value: string };

/** One sample of an instant-query vector result. */
export interface Sample {
  metric: Labels;
  t: number;
  f: number;
}

/** One series of a range-query (or range-vector) result. */
export interface MatrixSeries {
  metric: Labels;
  /** Timestamps, ms. */
  t: number[];
  f: number[];
}

/** What a query returns, shaped like the API's `resultType`/`result`. */
export type QueryValue =
  | { type: "scalar"; t: number; v: number }
  | { type: "string"; t: number; v: string }
  | { type: "vector"; samples: Sample[] }
  | { type: "matrix"; series: MatrixSeries[] };
