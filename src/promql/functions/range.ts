/**
 * Range-vector functions (`rate(x[5m])`, `avg_over_time(x[1h])`, …): the
 * numeric core of upstream's `promql/functions.go` for float samples. Each
 * function reduces the window `[lo, hi)` of one series at one step to one
 * value, or to nothing.
 *
 * The engine never calls a function on an empty window (upstream skips the
 * call), so validation and warnings here only fire for windows with samples;
 * the functions still return false on an empty window to be safe.
 */
import { annotations } from "../annotations.ts";
import { executionError } from "../errors.ts";
import { kahan, kahanInc } from "./kahan.ts";
import { quantile } from "./quantile.ts";
import type { RangeFn, RangeFnContext } from "./types.ts";

/** Reused sort buffer for the quantile-based functions. */
let scratch = new Float64Array(64);

function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/** Go's `time.Duration.Seconds()` of a whole number of milliseconds. */
function durationSeconds(ms: number): number {
  return Math.trunc(ms / 1000) + ((ms % 1000) * 1e6) / 1e9;
}

/**
 * `rate`, `increase` and `delta`: the change over the window, corrected for
 * counter resets when `isCounter`, extrapolated towards the window edges and,
 * for counters, never below zero at the start.
 */
function extrapolatedRate(c: RangeFnContext, isCounter: boolean, isRate: boolean): boolean {
  const { ts, vs, lo, hi } = c;
  if (hi - lo < 2) return false;
  const first = vs[lo]!;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let result = vs[hi - 1]! - first;
  if (isCounter) {
    let prev = first;
    for (let i = lo + 1; i < hi; i++) {
      const v = vs[i]!;
      if (v < prev) result += prev;
      prev = v;
    }
  }

  let durationToStart = (firstT - c.rangeStart) / 1000;
  let durationToEnd = (c.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (hi - lo - 1);

  // Extrapolate all the way to an edge only when a sample is missing there by
  // no more than 10% over the average spacing; otherwise by half a spacing.
  const threshold = averageInterval * 1.1;
  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  if (isCounter && result > 0 && first >= 0) {
    // A counter cannot go below zero: stop the extrapolation where it would reach it.
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;

  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= durationSeconds(c.rangeEnd - c.rangeStart);
  c.out = result * factor;
  return true;
}

/** `irate` and `idelta`: from the last two samples only. */
function instantValue(c: RangeFnContext, isRate: boolean): boolean {
  const { ts, vs, hi } = c;
  if (hi - c.lo < 2) return false;
  const last = vs[hi - 1]!;
  const prev = vs[hi - 2]!;
  const interval = ts[hi - 1]! - ts[hi - 2]!;
  if (interval === 0) return false;
  // A drop is a counter reset for irate: the counter restarted from zero.
  let result = isRate && last < prev ? last : last - prev;
  if (isRate) result /= interval / 1000;
  c.out = result;
  return true;
}

let regSlope = 0;
let regIntercept = 0;

/**
 * Least-squares fit over the window with x in seconds relative to
 * `interceptTime`, with compensated sums; leaves slope and intercept (at
 * `interceptTime`) in `regSlope`/`regIntercept`. A constant series has slope 0,
 * unless it is infinite (NaN then).
 */
function linearRegression(
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  interceptTime: number,
): void {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptTime) / 1e3;
    // kahanInc, written out four times: this loop runs once per sample per
    // step, and the sums stay in registers this way.
    let t = sumX + x;
    if (t === Infinity || t === -Infinity) cX = 0;
    else if (Math.abs(sumX) >= Math.abs(x)) cX += sumX - t + x;
    else cX += x - t + sumX;
    sumX = t;
    t = sumY + y;
    if (t === Infinity || t === -Infinity) cY = 0;
    else if (Math.abs(sumY) >= Math.abs(y)) cY += sumY - t + y;
    else cY += y - t + sumY;
    sumY = t;
    const xy = x * y;
    t = sumXY + xy;
    if (t === Infinity || t === -Infinity) cXY = 0;
    else if (Math.abs(sumXY) >= Math.abs(xy)) cXY += sumXY - t + xy;
    else cXY += xy - t + sumXY;
    sumXY = t;
    const x2 = x * x;
    t = sumX2 + x2;
    if (t === Infinity || t === -Infinity) cX2 = 0;
    else if (Math.abs(sumX2) >= Math.abs(x2)) cX2 += sumX2 - t + x2;
    else cX2 += x2 - t + sumX2;
    sumX2 = t;
  }
  if (constY) {
    if (initY === Number.POSITIVE_INFINITY || initY === Number.NEGATIVE_INFINITY) {
      regSlope = Number.NaN;
      regIntercept = Number.NaN;
    } else {
      regSlope = 0;
      regIntercept = initY;
    }
    return;
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  regSlope = covXY / varX;
  regIntercept = sumY / n - (regSlope * sumX) / n;
}

function deriv(c: RangeFnContext): boolean {
  if (c.hi - c.lo < 2) return false;
  // Relative to the first sample, to keep x small (upstream issue 2674).
  linearRegression(c.ts, c.vs, c.lo, c.hi, c.ts[c.lo]!);
  c.out = regSlope;
  return true;
}

function predictLinear(c: RangeFnContext): boolean {
  if (c.hi - c.lo < 2) return false;
  const duration = c.params[0]![c.step]!;
  linearRegression(c.ts, c.vs, c.lo, c.hi, c.stepTime);
  c.out = regSlope * duration + regIntercept;
  return true;
}

/**
 * Go's `%f` (six decimals, ties to even on the exact binary value), for the
 * texts of errors upstream formats that way.
 */
export function formatGoFixed6(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let s: string;
  if (a >= 1e21) {
    s = `${BigInt(a).toString()}.000000`;
  } else if (Number.isInteger(a * 128) && a < 2 ** 40) {
    // Only values with at most 7 fractional bits can sit exactly halfway at
    // the 7th decimal; JavaScript's toFixed would round those up.
    const int = Math.floor(a);
    const scaled = (a - int) * 1e6; // exact: (k/128)·1e6 has few bits
    let frac = Math.floor(scaled);
    const rest = scaled - frac;
    if (rest > 0.5 || (rest === 0.5 && frac % 2 === 1)) frac++;
    const carry = frac === 1e6 ? 1 : 0;
    s = `${int + carry}.${String(carry ? 0 : frac).padStart(6, "0")}`;
  } else {
    s = a.toFixed(6);
  }
  return neg ? `-${s}` : s;
}

/**
 * Holt's linear (double exponential) smoothing with smoothing factor `sf` and
 * trend factor `tf`, both strictly between 0 and 1 (else the query fails).
 */
function doubleExponentialSmoothing(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  const sf = c.params[0]![c.step]!;
  const tf = c.params[1]![c.step]!;
  if (!(sf > 0 && sf < 1)) {
    throw executionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFixed6(sf)}`);
  }
  if (!(tf > 0 && tf < 1)) {
    throw executionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFixed6(tf)}`);
  }
  if (hi - lo < 2) return false;
  let s0 = 0;
  let s1 = vs[lo]!;
  let b = vs[lo + 1]! - vs[lo]!;
  for (let i = lo + 1; i < hi; i++) {
    const x = sf * vs[i]!;
    // The trend: the initial difference at first, then blended with the last smoothed step.
    if (i > lo + 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  c.out = s1;
  return true;
}

function changes(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  let n = 0;
  let prev = vs[lo]!;
  for (let i = lo + 1; i < hi; i++) {
    const v = vs[i]!;
    if (v !== prev && !(Number.isNaN(v) && Number.isNaN(prev))) n++;
    prev = v;
  }
  c.out = n;
  return true;
}

function resets(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  let n = 0;
  let prev = vs[lo]!;
  for (let i = lo + 1; i < hi; i++) {
    const v = vs[i]!;
    if (v < prev) n++;
    prev = v;
  }
  c.out = n;
  return true;
}

/**
 * Mean with compensated summation; once the running sum would overflow, it
 * switches to an incremental mean, which cannot.
 */
function avgOverTime(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  let sum = vs[lo]!;
  let count = 1;
  let mean = 0;
  let kc = 0;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const v = vs[i]!;
    count = i - lo + 1;
    if (!incremental) {
      kahanInc(v, sum, kc);
      if (kahan.sum !== Number.POSITIVE_INFINITY && kahan.sum !== Number.NEGATIVE_INFINITY) {
        sum = kahan.sum;
        kc = kahan.c;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      kc /= count - 1;
    }
    const q = (count - 1) / count;
    kahanInc(v / count, q * mean, q * kc);
    mean = kahan.sum;
    kc = kahan.c;
  }
  c.out = incremental ? mean + kc : sum / count + kc / count;
  return true;
}

function sumOverTime(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  let sum = 0;
  let kc = 0;
  for (let i = lo; i < hi; i++) {
    kahanInc(vs[i]!, sum, kc);
    sum = kahan.sum;
    kc = kahan.c;
  }
  c.out = sum === Number.POSITIVE_INFINITY || sum === Number.NEGATIVE_INFINITY ? sum : sum + kc;
  return true;
}

function countOverTime(c: RangeFnContext): boolean {
  if (c.hi <= c.lo) return false;
  c.out = c.hi - c.lo;
  return true;
}

function presentOverTime(c: RangeFnContext): boolean {
  if (c.hi <= c.lo) return false;
  c.out = 1;
  return true;
}

function lastOverTime(c: RangeFnContext): boolean {
  if (c.hi <= c.lo) return false;
  c.out = c.vs[c.hi - 1]!;
  return true;
}

function tsOfLastOverTime(c: RangeFnContext): boolean {
  if (c.hi <= c.lo) return false;
  c.out = c.ts[c.hi - 1]! / 1000;
  return true;
}

/**
 * Extremes in the window: `better(cur, best)` says when a sample replaces the
 * current best. A NaN best is always replaced, so NaN only wins when all are NaN.
 */
function compareOverTime(
  c: RangeFnContext,
  better: (cur: number, best: number) => boolean,
  timestamp: boolean,
): boolean {
  const { ts, vs, lo, hi } = c;
  if (hi <= lo) return false;
  let best = vs[lo]!;
  let bestT = ts[lo]!;
  for (let i = lo; i < hi; i++) {
    const v = vs[i]!;
    if (better(v, best) || Number.isNaN(best)) {
      best = v;
      bestT = ts[i]!;
    }
  }
  c.out = timestamp ? bestT / 1000 : best;
  return true;
}

const greater = (cur: number, best: number): boolean => cur > best;
const less = (cur: number, best: number): boolean => cur < best;
const greaterOrEqual = (cur: number, best: number): boolean => cur >= best;
const lessOrEqual = (cur: number, best: number): boolean => cur <= best;

/** Population variance by Welford's method with compensated sums. */
function varianceOverTime(c: RangeFnContext, sqrt: boolean): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i]!;
    count++;
    const delta = v - (mean + cMean);
    kahanInc(delta / count, mean, cMean);
    mean = kahan.sum;
    cMean = kahan.c;
    kahanInc(delta * (v - (mean + cMean)), aux, cAux);
    aux = kahan.sum;
    cAux = kahan.c;
  }
  const variance = (aux + cAux) / count;
  c.out = sqrt ? Math.sqrt(variance) : variance;
  return true;
}

function quantileOverTime(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  const q = c.params[0]![c.step]!;
  if (Number.isNaN(q) || q < 0 || q > 1) c.annos.add(annotations.invalidQuantile(q, c.pos));
  const n = hi - lo;
  const buf = scratchOf(n);
  for (let i = 0; i < n; i++) buf[i] = vs[lo + i]!;
  c.out = quantile(q, buf, n);
  return true;
}

/** Median absolute deviation from the median. */
function madOverTime(c: RangeFnContext): boolean {
  const { vs, lo, hi } = c;
  if (hi <= lo) return false;
  const n = hi - lo;
  const buf = scratchOf(n);
  for (let i = 0; i < n; i++) buf[i] = vs[lo + i]!;
  const median = quantile(0.5, buf, n);
  for (let i = 0; i < n; i++) buf[i] = Math.abs(vs[lo + i]! - median);
  c.out = quantile(0.5, buf, n);
  return true;
}

/**
 * The range-vector functions by name. `absent_over_time` is the engine's (it
 * depends on which series exist, not on their samples).
 */
export const RANGE_FUNCTIONS: ReadonlyMap<string, RangeFn> = new Map<string, RangeFn>([
  ["rate", (c) => extrapolatedRate(c, true, true)],
  ["increase", (c) => extrapolatedRate(c, true, false)],
  ["delta", (c) => extrapolatedRate(c, false, false)],
  ["irate", (c) => instantValue(c, true)],
  ["idelta", (c) => instantValue(c, false)],
  ["deriv", deriv],
  ["predict_linear", predictLinear],
  ["double_exponential_smoothing", doubleExponentialSmoothing],
  ["changes", changes],
  ["resets", resets],
  ["avg_over_time", avgOverTime],
  ["sum_over_time", sumOverTime],
  ["count_over_time", countOverTime],
  ["min_over_time", (c) => compareOverTime(c, less, false)],
  ["max_over_time", (c) => compareOverTime(c, greater, false)],
  ["last_over_time", lastOverTime],
  ["present_over_time", presentOverTime],
  ["stddev_over_time", (c) => varianceOverTime(c, true)],
  ["stdvar_over_time", (c) => varianceOverTime(c, false)],
  ["quantile_over_time", quantileOverTime],
  ["mad_over_time", madOverTime],
  ["ts_of_min_over_time", (c) => compareOverTime(c, lessOrEqual, true)],
  ["ts_of_max_over_time", (c) => compareOverTime(c, greaterOrEqual, true)],
  ["ts_of_last_over_time", tsOfLastOverTime],
]);

/**
 * Range-vector functions whose result keeps the metric name (upstream:
 * every matrix function drops it except `last_over_time`).
 */
export const RANGE_FUNCTIONS_KEEPING_NAME: ReadonlySet<string> = new Set(["last_over_time"]);
