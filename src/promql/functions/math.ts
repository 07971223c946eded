/**
 * Functions applied to each float sample of an instant vector: arithmetic,
 * rounding, clamping, logarithms and trigonometry (upstream's
 * `simpleFloatFunc` family), plus the date functions of `date.ts`.
 */
import { DATE_FUNCTIONS } from "./date.ts";
import type { ElementwiseFn } from "./types.ts";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high word of a float64 in `u32` (little-endian hosts: 1).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Go's `math.Log2`: exact for powers of two, `log(frac)/ln2 + exp` otherwise. */
export function goLog2(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log(x) * Math.LOG2E;
  // frexp: x = frac · 2^exp with frac in [0.5, 1).
  f64[0] = x;
  let biased = (u32[HI]! >>> 20) & 0x7ff;
  let scale = 0;
  if (biased === 0) {
    // Subnormal: normalise first.
    f64[0] = x * 2 ** 52;
    biased = (u32[HI]! >>> 20) & 0x7ff;
    scale = -52;
  }
  const exp = biased - 1022 + scale;
  u32[HI] = (u32[HI]! & 0x800fffff) | (1022 << 20);
  const frac = f64[0]!;
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * Math.LOG2E + exp;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Go's `math.Log` on amd64 (the reference's assembly): like `Math.log`, except
 * that a subnormal x is read as if it were normal, `1.mantissa · 2^-1023`.
 */
export function goLog(x: number): number {
  if (!(x > 0 && x < MIN_NORMAL)) return Math.log(x);
  f64[0] = x;
  u32[HI] = (u32[HI]! & 0x000fffff) | (1023 << 20);
  return Math.log(f64[0]!) - 1023 * Math.LN2;
}

/** Go's `math.Log10`: `log(x) · (1/ln10)`. */
export function goLog10(x: number): number {
  return goLog(x) * Math.LOG10E;
}

/** `round(v, to_nearest)`: ties go up, the step is applied through its inverse as upstream does. */
function round(v: number, step: number, params: readonly Float64Array[]): number {
  const toNearest = params.length > 0 ? params[0]![step]! : 1;
  const inverse = 1.0 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
}

function sgn(v: number): number {
  if (v < 0) return -1;
  if (v > 0) return 1;
  return v;
}

/** `clamp(v, min, max)`; see {@link isClampEmpty} for steps where min > max. */
function clamp(v: number, step: number, params: readonly Float64Array[]): number {
  return Math.max(params[0]![step]!, Math.min(params[1]![step]!, v));
}

/**
 * True when `clamp(v, min, max)` yields no samples at `step` (min > max).
 * NaN bounds are not empty: they make every result NaN.
 */
export function isClampEmpty(step: number, params: readonly Float64Array[]): boolean {
  return params[1]![step]! < params[0]![step]!;
}

const MATH_FUNCTIONS: [string, ElementwiseFn][] = [
  ["abs", Math.abs],
  ["ceil", Math.ceil],
  ["floor", Math.floor],
  ["exp", Math.exp],
  ["sqrt", Math.sqrt],
  ["ln", goLog],
  ["log2", goLog2],
  ["log10", goLog10],
  ["round", round],
  ["sgn", sgn],
  ["clamp", clamp],
  ["clamp_min", (v, step, params) => Math.max(params[0]![step]!, Math.min(Number.POSITIVE_INFINITY, v))],
  ["clamp_max", (v, step, params) => Math.max(Number.NEGATIVE_INFINITY, Math.min(params[0]![step]!, v))],
  ["sin", Math.sin],
  ["cos", Math.cos],
  ["tan", Math.tan],
  ["asin", Math.asin],
  ["acos", Math.acos],
  ["atan", Math.atan],
  ["sinh", Math.sinh],
  ["cosh", Math.cosh],
  ["tanh", Math.tanh],
  ["asinh", Math.asinh],
  ["acosh", Math.acosh],
  ["atanh", Math.atanh],
  ["deg", (v) => (v * 180) / Math.PI],
  ["rad", (v) => (v * Math.PI) / 180],
];

/**
 * Every function applied elementwise to an instant vector's floats, by name.
 * All of them drop the metric name (with delayed removal: mark `dropName`).
 * The date functions take a Unix time in seconds; called without an argument
 * upstream applies them to `time()`, which the engine passes.
 */
export const ELEMENTWISE_FUNCTIONS: ReadonlyMap<string, ElementwiseFn> = new Map<string, ElementwiseFn>([
  ...MATH_FUNCTIONS,
  ...DATE_FUNCTIONS,
]);
