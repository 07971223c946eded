/**
 * Shapes shared by the numeric cores of PromQL's functions (upstream's
 * `promql/functions.go`, `promql/quantile.go`). The engine selects the data,
 * computes the windows and handles labels; these types describe what it hands
 * to a function for one series at one step.
 */
import type { Annotations } from "../annotations.ts";
import type { PosRange } from "../parser/ast.ts";

/**
 * One call of a range-vector function: one series, one step. The engine may
 * keep one mutable instance and refill it for every call.
 */
export interface RangeFnContext {
  /** Sample timestamps (ms) of one series, ascending. */
  ts: Float64Array;
  /** Sample values (float samples only; staleness markers never appear). */
  vs: Float64Array;
  /** The window is samples `[lo, hi)`: all with `rangeStart < t <= rangeEnd`. */
  lo: number;
  hi: number;
  /** Window bounds in ms: exclusive start, inclusive end. */
  rangeStart: number;
  rangeEnd: number;
  /**
   * Evaluation time of the step in ms (upstream's `enh.Ts`), before offset and
   * `@`: `predict_linear` anchors its intercept here (functions.test expects
   * `predict_linear(x[55m] @ 3000, 3600)` at 10m to predict for 600+3600 s).
   */
  stepTime: number;
  /** Step index, to read per-step scalar parameters. */
  step: number;
  /** The scalar arguments other than the range vector, one value per step each, in argument order. */
  params: readonly Float64Array[];
  /** Result of the call, valid when the function returns true. */
  out: number;
  /** Where warnings go. */
  annos: Annotations;
  /**
   * Position reported with annotations: upstream uses the call's first
   * argument (the quantile for `quantile_over_time`, the range otherwise).
   */
  pos: PosRange;
}

/** A range-vector function; false means no output sample at this step. */
export type RangeFn = (c: RangeFnContext) => boolean;

/**
 * A function applied to each float sample of an instant vector (math, trig,
 * dates). `params` are the further scalar arguments, one value per step.
 */
export type ElementwiseFn = (v: number, step: number, params: readonly Float64Array[]) => number;

/** One bucket of a classic histogram: cumulative `count` of observations `<= upperBound`. */
export interface Bucket {
  upperBound: number;
  count: number;
}
