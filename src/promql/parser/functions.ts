/**
 * The PromQL function table of Prometheus v3.5 (upstream's `parser.Functions`):
 * argument types, how many trailing arguments may be left out, return type, and
 * whether the function is experimental (parsed only with experimental functions
 * enabled). Aggregations such as `limitk` are not functions: see the parser.
 */
import type { FunctionDef, ValueType } from "./ast.ts";

type Sig = [args: ValueType[], ret: ValueType, variadic?: number, experimental?: boolean];

const V: ValueType = "vector";
const M: ValueType = "matrix";
const S: ValueType = "scalar";
const STR: ValueType = "string";

const TABLE: Record<string, Sig> = {
  abs: [[V], V],
  absent: [[V], V],
  absent_over_time: [[M], V],
  acos: [[V], V],
  acosh: [[V], V],
  asin: [[V], V],
  asinh: [[V], V],
  atan: [[V], V],
  atanh: [[V], V],
  avg_over_time: [[M], V],
  ceil: [[V], V],
  changes: [[M], V],
  clamp: [[V, S, S], V],
  clamp_max: [[V, S], V],
  clamp_min: [[V, S], V],
  cos: [[V], V],
  cosh: [[V], V],
  count_over_time: [[M], V],
  days_in_month: [[V], V, 1],
  day_of_month: [[V], V, 1],
  day_of_week: [[V], V, 1],
  day_of_year: [[V], V, 1],
  deg: [[V], V],
  delta: [[M], V],
  deriv: [[M], V],
  double_exponential_smoothing: [[M, S, S], V, 0, true],
  exp: [[V], V],
  floor: [[V], V],
  histogram_avg: [[V], V],
  histogram_count: [[V], V],
  histogram_fraction: [[S, S, V], V],
  histogram_quantile: [[S, V], V],
  histogram_stddev: [[V], V],
  histogram_stdvar: [[V], V],
  histogram_sum: [[V], V],
  hour: [[V], V, 1],
  idelta: [[M], V],
  increase: [[M], V],
  info: [[V, V], V, 1, true],
  irate: [[M], V],
  label_join: [[V, STR, STR, STR], V, -1],
  label_replace: [[V, STR, STR, STR, STR], V],
  last_over_time: [[M], V],
  ln: [[V], V],
  log10: [[V], V],
  log2: [[V], V],
  mad_over_time: [[M], V, 0, true],
  max_over_time: [[M], V],
  min_over_time: [[M], V],
  minute: [[V], V, 1],
  month: [[V], V, 1],
  pi: [[], S],
  predict_linear: [[M, S], V],
  present_over_time: [[M], V],
  quantile_over_time: [[S, M], V],
  rad: [[V], V],
  rate: [[M], V],
  resets: [[M], V],
  round: [[V, S], V, 1],
  scalar: [[V], S],
  sgn: [[V], V],
  sin: [[V], V],
  sinh: [[V], V],
  sort: [[V], V],
  sort_by_label: [[V, STR], V, -1, true],
  sort_by_label_desc: [[V, STR], V, -1, true],
  sort_desc: [[V], V],
  sqrt: [[V], V],
  stddev_over_time: [[M], V],
  stdvar_over_time: [[M], V],
  sum_over_time: [[M], V],
  tan: [[V], V],
  tanh: [[V], V],
  time: [[], S],
  timestamp: [[V], V],
  ts_of_last_over_time: [[M], V, 0, true],
  ts_of_max_over_time: [[M], V, 0, true],
  ts_of_min_over_time: [[M], V, 0, true],
  vector: [[S], V],
  year: [[V], V, 1],
};

/** Every PromQL function by name. Entries are shared and frozen: compare by identity or name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  Object.entries(TABLE).map(([name, [argTypes, returnType, variadic = 0, experimental = false]]) => [
    name,
    Object.freeze({
      name,
      argTypes: Object.freeze(argTypes) as ValueType[],
      variadic,
      returnType,
      experimental,
    }),
  ]),
);

/**
 * Functions whose value depends on the evaluation time itself (not only on the data):
 * upstream's test runner does not pin queries using them with `@`.
 */
export const TIME_DEPENDENT_FUNCTIONS: ReadonlySet<string> = new Set([
  "time",
  "timestamp",
  "predict_linear",
  "minute",
  "hour",
  "day_of_week",
  "day_of_month",
  "day_of_year",
  "days_in_month",
  "month",
  "year",
]);
