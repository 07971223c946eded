/**
 * Aggregation operators (`sum`, `avg`, `topk`, `count_values`, …) over the
 * columnar step grid, with upstream's semantics: grouping keys are computed
 * once per series, then each step aggregates the series present at it in input
 * order (so float results match upstream's summation order).
 */
import { formatGoFloat } from "../cli/tsdb/format.ts";
import { Labels, LabelsBuilder } from "../model/labels/labels.ts";
import { goQuote } from "../model/labels/strings.ts";
import { isValidUTF8Name } from "../model/labels/validate.ts";
import { type Annotations, annotations } from "./annotations.ts";
import { executionError } from "./errors.ts";
import type { AggregateOp, PosRange } from "./parser/ast.ts";
import { LabelsIndex, labelsSampleOffset, METRIC_NAME } from "./signature.ts";
import { newStepSeries, type StepSeries } from "./value.ts";

export interface AggContext {
  n: number;
  annos: Annotations;
  /** Of the aggregate expression. */
  pos: PosRange;
  /** Of the parameter expression (topk's k, quantile's q, …). */
  paramPos: PosRange | null;
}

// Units of work (series×steps) between yields to the engine's driver.
const YIELD_EVERY = 8192;

// The float64 range convertible to int64 (upstream's convertibleToInt64).
const MAX_INT64 = 2 ** 63 - 1024;
const MIN_INT64 = -(2 ** 63);

/**
 * Evaluates `op` over `input`, grouped `by`/`without` the `grouping` labels.
 * `param` is the per-step scalar of topk, bottomk, limitk, limit_ratio and
 * quantile, or the label name of count_values.
 */
export function* aggregate(
  op: AggregateOp,
  input: StepSeries[],
  grouping: readonly string[],
  without: boolean,
  param: Float64Array | string | null,
  ctx: AggContext,
): Generator<void, StepSeries[]> {
  switch (op) {
    case "count_values":
      if (typeof param !== "string") throw new Error("count_values needs a label name");
      return yield* countValues(input, grouping, without, param, ctx);
    case "topk":
    case "bottomk":
    case "limitk":
    case "limit_ratio":
      if (!(param instanceof Float64Array)) throw new Error(`${op} needs a scalar parameter`);
      return yield* aggregateK(op, input, grouping, without, param, ctx);
    default:
      if (op === "quantile" && !(param instanceof Float64Array)) throw new Error("quantile needs a scalar");
      return yield* aggregateGroups(op, input, grouping, without, param as Float64Array | null, ctx);
  }
}

/** Upstream's `generateGroupingLabels`. */
function groupingLabels(metric: Labels, grouping: readonly string[], without: boolean): Labels {
  if (without) return metric.without(METRIC_NAME, ...grouping);
  if (grouping.length > 0) return metric.keep(...grouping);
  return Labels.EMPTY;
}

/** Group ids of each input series (same grouping labels, same group) and the groups' labels. */
function assignGroups(
  input: StepSeries[],
  grouping: readonly string[],
  without: boolean,
): { groupOf: Int32Array; index: LabelsIndex } {
  const index = new LabelsIndex();
  const groupOf = new Int32Array(input.length);
  for (let s = 0; s < input.length; s++)
    groupOf[s] = index.add(groupingLabels(input[s].labels, grouping, without));
  return { groupOf, index };
}

function paramRange(param: Float64Array): { min: number; max: number; anyNaN: boolean } {
  // Math.min/max propagate NaN like Go's math.Min/Max.
  let min = Number.MAX_VALUE;
  let max = -Number.MAX_VALUE;
  let anyNaN = false;
  for (let i = 0; i < param.length; i++) {
    const v = param[i];
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (Number.isNaN(v)) anyNaN = true;
  }
  return { min, max, anyNaN };
}

/** Neumaier-compensated addition; returns the new sum and sets `kahanC`. */
let kahanC = 0;
function kahanSumInc(inc: number, sum: number, c: number): number {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  kahanC = c;
  return t;
}

// Group state slots per block of steps (groups × steps), to bound memory.
const BLOCK_SLOTS = 1 << 16;

/**
 * sum, avg, count, min, max, group, stddev, stdvar, quantile.
 *
 * The grid is cut into blocks of steps; within a block each series is walked
 * along its steps (cache-friendly), updating its group's slot for each step.
 * Per group and step, samples are still combined in input order.
 */
function* aggregateGroups(
  op: AggregateOp,
  input: StepSeries[],
  grouping: readonly string[],
  without: boolean,
  param: Float64Array | null,
  ctx: AggContext,
): Generator<void, StepSeries[]> {
  const n = ctx.n;
  if (op === "quantile") {
    const { min, max, anyNaN } = paramRange(param!);
    if (anyNaN) ctx.annos.add(annotations.invalidQuantile(Number.NaN, ctx.paramPos));
    if (max > 1) ctx.annos.add(annotations.invalidQuantile(max, ctx.paramPos));
    if (min < 0) ctx.annos.add(annotations.invalidQuantile(min, ctx.paramPos));
  }
  const { groupOf, index } = assignGroups(input, grouping, without);
  const G = index.size;
  const out: (StepSeries | undefined)[] = new Array(G);
  const lastDrop = new Uint8Array(G);
  if (op === "quantile") yield* quantileSteps(input, groupOf, index.labels, param!, n, out, lastDrop);
  else {
    const B = Math.max(1, Math.min(n, Math.floor(BLOCK_SLOTS / Math.max(1, G))));
    const st = new GroupState(G * B);
    for (let t0 = 0; t0 < n; t0 += B) {
      const t1 = Math.min(n, t0 + B);
      st.seen.fill(0);
      yield* accumulate(op, input, groupOf, B, t0, t1, st);
      for (let g = 0; g < G; g++) {
        for (let t = t0; t < t1; t++) {
          const i = g * B + t - t0;
          if (st.seen[i] === 0) continue;
          let o = out[g];
          if (o === undefined) out[g] = o = newStepSeries(index.labels[g], n);
          o.values[t] = finish(op, st, i);
          o.present[t] = 1;
          lastDrop[g] = st.drop[i];
        }
      }
    }
  }
  const result: StepSeries[] = [];
  for (let g = 0; g < G; g++) {
    const o = out[g];
    if (o === undefined) continue;
    o.dropName = lastDrop[g] === 1;
    result.push(o);
  }
  return result;
}

/** Running aggregation state, one slot per (group, step of the block). */
class GroupState {
  readonly value: Float64Array;
  /** Kahan compensation. */
  readonly comp: Float64Array;
  readonly mean: Float64Array;
  readonly count: Float64Array;
  readonly seen: Uint8Array;
  /** avg switched to an incremental mean (the sum would overflow). */
  readonly incremental: Uint8Array;
  /** Some sample of the slot is flagged for name removal. */
  readonly drop: Uint8Array;

  constructor(size: number) {
    this.value = new Float64Array(size);
    this.comp = new Float64Array(size);
    this.mean = new Float64Array(size);
    this.count = new Float64Array(size);
    this.seen = new Uint8Array(size);
    this.incremental = new Uint8Array(size);
    this.drop = new Uint8Array(size);
  }
}

/** Folds the samples of steps [t0, t1) into `st`, series by series in input order. */
function* accumulate(
  op: AggregateOp,
  input: StepSeries[],
  groupOf: Int32Array,
  B: number,
  t0: number,
  t1: number,
  st: GroupState,
): Generator<void, void> {
  const { value, comp, mean, count, seen, incremental, drop } = st;
  let work = 0;
  for (let s = 0; s < input.length; s++) {
    const { values, present, dropName } = input[s];
    const base = groupOf[s] * B - t0;
    const d = dropName ? 1 : 0;
    for (let t = t0; t < t1; t++) {
      if (present[t] !== 1) continue;
      const f = values[t];
      const i = base + t;
      if (seen[i] === 0) {
        // First sample of the group at this step.
        seen[i] = 1;
        drop[i] = d;
        count[i] = 1;
        comp[i] = 0;
        mean[i] = f;
        incremental[i] = 0;
        if (op === "stddev" || op === "stdvar") value[i] = Number.isFinite(f) ? 0 : Number.NaN;
        else if (op === "group") value[i] = 1;
        else value[i] = f;
        continue;
      }
      drop[i] |= d;
      switch (op) {
        case "sum":
          value[i] = kahanSumInc(f, value[i], comp[i]);
          comp[i] = kahanC;
          break;
        case "avg": {
          // Direct mean (compensated sum / count) while the sum stays finite,
          // then an incremental mean from the point where it would overflow.
          const c = ++count[i];
          if (incremental[i] === 0) {
            const v = kahanSumInc(f, value[i], comp[i]);
            if (v !== Infinity && v !== -Infinity) {
              value[i] = v;
              comp[i] = kahanC;
              break;
            }
            incremental[i] = 1;
            mean[i] = value[i] / (c - 1);
            comp[i] /= c - 1;
          }
          const q = (c - 1) / c;
          mean[i] = kahanSumInc(f / c, q * mean[i], q * comp[i]);
          comp[i] = kahanC;
          break;
        }
        case "count":
          count[i]++;
          break;
        case "max":
          if (value[i] < f || Number.isNaN(value[i])) value[i] = f;
          break;
        case "min":
          if (value[i] > f || Number.isNaN(value[i])) value[i] = f;
          break;
        case "stddev":
        case "stdvar": {
          const c = ++count[i];
          const delta = f - mean[i];
          mean[i] += delta / c;
          value[i] += delta * (f - mean[i]);
          break;
        }
        case "group":
          break;
        default:
          throw new Error(`unexpected aggregation ${op}`);
      }
    }
    work += t1 - t0;
    if (work >= YIELD_EVERY) {
      work = 0;
      yield;
    }
  }
}

/** The result of slot `i`. */
function finish(op: AggregateOp, st: GroupState, i: number): number {
  switch (op) {
    case "sum":
      return st.value[i] + st.comp[i];
    case "avg":
      return st.incremental[i] === 1
        ? st.mean[i] + st.comp[i]
        : st.value[i] / st.count[i] + st.comp[i] / st.count[i];
    case "count":
      return st.count[i];
    case "stdvar":
      return st.value[i] / st.count[i];
    case "stddev":
      return Math.sqrt(st.value[i] / st.count[i]);
    default:
      return st.value[i];
  }
}

/** quantile, step by step: gathers each group's values at the step, then interpolates. */
function* quantileSteps(
  input: StepSeries[],
  groupOf: Int32Array,
  labels: Labels[],
  param: Float64Array,
  n: number,
  out: (StepSeries | undefined)[],
  lastDrop: Uint8Array,
): Generator<void, void> {
  const G = labels.length;
  const start = new Int32Array(G + 1);
  const fill = new Int32Array(G);
  const drop = new Uint8Array(G);
  const buf = new Float64Array(input.length);
  let work = 0;
  for (let t = 0; t < n; t++) {
    start.fill(0);
    drop.fill(0);
    for (let s = 0; s < input.length; s++) {
      if (input[s].present[t] !== 1) continue;
      const g = groupOf[s];
      start[g + 1]++;
      if (input[s].dropName) drop[g] = 1;
    }
    for (let g = 0; g < G; g++) {
      start[g + 1] += start[g];
      fill[g] = start[g];
    }
    for (let s = 0; s < input.length; s++) {
      if (input[s].present[t] === 1) buf[fill[groupOf[s]]++] = input[s].values[t];
    }
    for (let g = 0; g < G; g++) {
      if (start[g + 1] === start[g]) continue;
      let o = out[g];
      if (o === undefined) out[g] = o = newStepSeries(labels[g], n);
      o.values[t] = quantile(param[t], buf, start[g], start[g + 1]);
      o.present[t] = 1;
      lastDrop[g] = drop[g];
    }
    work += input.length + G;
    if (work >= YIELD_EVERY) {
      work = 0;
      yield;
    }
  }
}

/**
 * Upstream's `quantile` over `vals[from, to)`, sorting it in place (NaN first,
 * as upstream's ordering treats NaN as the smallest value).
 */
export function quantile(q: number, vals: Float64Array, from: number, to: number): number {
  const len = to - from;
  if (len === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // Move NaNs to the front, then sort the rest ascending.
  let w = from;
  for (let i = from; i < to; i++) {
    const v = vals[i];
    if (Number.isNaN(v)) {
      vals[i] = vals[w];
      vals[w++] = v;
    }
  }
  if (to - w > 1) vals.subarray(w, to).sort();
  const rank = q * (len - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(len - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return vals[from + lower] * (1 - weight) + vals[from + upper] * weight;
}

// ---- topk, bottomk, limitk, limit_ratio ----

/**
 * One group's selection at a step: series indices and their values, kept as a
 * binary heap exactly like Go's container/heap, so ties resolve as upstream's.
 */
interface Heap {
  idx: number[];
  val: number[];
}

// Heap order: topk/limitk/limit_ratio keep the smallest on top; bottomk the
// largest. NaN counts as "less" than anything in both orders.
function heapLess(h: Heap, i: number, j: number, rev: boolean): boolean {
  const vi = h.val[i];
  const vj = h.val[j];
  if (Number.isNaN(vi)) return true;
  return rev ? vi > vj : vi < vj;
}

function heapSwap(h: Heap, i: number, j: number): void {
  const ti = h.idx[i];
  h.idx[i] = h.idx[j];
  h.idx[j] = ti;
  const tv = h.val[i];
  h.val[i] = h.val[j];
  h.val[j] = tv;
}

function heapUp(h: Heap, j: number, rev: boolean): void {
  for (;;) {
    const i = ((j - 1) / 2) | 0;
    if (i === j || !heapLess(h, j, i, rev)) break;
    heapSwap(h, i, j);
    j = i;
  }
}

function heapDown(h: Heap, i0: number, n: number, rev: boolean): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && heapLess(h, j2, j1, rev)) j = j2;
    if (!heapLess(h, j, i, rev)) break;
    heapSwap(h, i, j);
    i = j;
  }
  return i > i0;
}

function heapPush(h: Heap, s: number, v: number, rev: boolean): void {
  h.idx.push(s);
  h.val.push(v);
  heapUp(h, h.idx.length - 1, rev);
}

function heapFix0(h: Heap, rev: boolean): void {
  if (!heapDown(h, 0, h.idx.length, rev)) heapUp(h, 0, rev);
}

/**
 * Orders a topk (rev = false) or bottomk (rev = true) heap for output: best
 * first, NaN last. Up to 12 elements this is exactly the insertion sort Go's
 * sort.Sort runs; beyond, a stable sort (ties may then differ from upstream).
 */
function heapSortForOutput(h: Heap, rev: boolean): void {
  const len = h.idx.length;
  if (len <= 1) return;
  if (len <= 12) {
    for (let i = 1; i < len; i++) {
      for (let j = i; j > 0 && heapLess(h, j - 1, j, rev); j--) heapSwap(h, j, j - 1);
    }
    return;
  }
  const order = Array.from({ length: len }, (_, i) => i);
  order.sort((a, b) => {
    const va = h.val[a];
    const vb = h.val[b];
    if (Number.isNaN(va)) return Number.isNaN(vb) ? 0 : 1;
    if (Number.isNaN(vb)) return -1;
    if (va === vb) return 0;
    return (rev ? va > vb : va < vb) ? 1 : -1;
  });
  const idx = order.map((i) => h.idx[i]);
  const val = order.map((i) => h.val[i]);
  h.idx = idx;
  h.val = val;
}

function* aggregateK(
  op: "topk" | "bottomk" | "limitk" | "limit_ratio",
  input: StepSeries[],
  grouping: readonly string[],
  without: boolean,
  param: Float64Array,
  ctx: AggContext,
): Generator<void, StepSeries[]> {
  const n = ctx.n;
  const { min, max } = paramRange(param);
  if (op === "limit_ratio") {
    if (max === 0 && min === 0) return [];
    if (max > 1) ctx.annos.add(annotations.invalidRatio(max, 1, ctx.paramPos));
    if (min < -1) ctx.annos.add(annotations.invalidRatio(min, -1, ctx.paramPos));
  } else if (max < 1) return [];
  const { groupOf, index } = assignGroups(input, grouping, without);
  const G = index.size;
  const S = input.length;
  const rev = op === "bottomk";
  const heaps: Heap[] = [];
  for (let g = 0; g < G; g++) heaps.push({ idx: [], val: [] });
  const seen = new Uint8Array(G);
  let offsets: Float64Array | null = null;
  if (op === "limit_ratio") {
    offsets = new Float64Array(S);
    for (let s = 0; s < S; s++) offsets[s] = labelsSampleOffset(input[s].labels);
  }
  // Range evaluation: one output per selected input series.
  const outOf: (StepSeries | undefined)[] = n > 1 ? new Array(S) : [];
  const instant: StepSeries[] = [];

  let work = 0;
  for (let t = 0; t < n; t++) {
    const p = param[t];
    let k = 0;
    let r = 0;
    let checked = false;
    seen.fill(0);
    for (let s = 0; s < S; s++) {
      if ((++work & (YIELD_EVERY - 1)) === 0) yield;
      const series = input[s];
      if (series.present[t] !== 1) continue;
      if (!checked) {
        // Upstream checks the parameter once a step has a sample, and drops
        // the whole step when k < 1 or the ratio is 0.
        checked = true;
        if (op === "limit_ratio") {
          if (Number.isNaN(p)) throw executionError(`Ratio value ${formatGoFloat(p)} is NaN`);
          if (p === 0) break;
          r = p < -1 ? -1 : p > 1 ? 1 : p;
        } else {
          if (!(p <= MAX_INT64 && p >= MIN_INT64)) {
            throw executionError(`Scalar value ${formatGoFloat(p)} overflows int64`);
          }
          k = Math.min(Math.trunc(p), S);
          if (k < 1) break;
        }
      }
      const f = series.values[t];
      const g = groupOf[s];
      const h = heaps[g];
      if (seen[g] === 0) {
        seen[g] = 1;
        h.idx.length = 0;
        h.val.length = 0;
        if (op !== "limit_ratio" || ratioSelects(r, offsets![s])) heapPush(h, s, f, rev);
        continue;
      }
      switch (op) {
        case "topk":
          if (h.idx.length < k) heapPush(h, s, f, false);
          else if (h.val[0] < f || (Number.isNaN(h.val[0]) && !Number.isNaN(f))) {
            h.idx[0] = s;
            h.val[0] = f;
            if (k > 1) heapFix0(h, false);
          }
          break;
        case "bottomk":
          if (h.idx.length < k) heapPush(h, s, f, true);
          else if (h.val[0] > f || (Number.isNaN(h.val[0]) && !Number.isNaN(f))) {
            h.idx[0] = s;
            h.val[0] = f;
            if (k > 1) heapFix0(h, true);
          }
          break;
        case "limitk":
          if (h.idx.length < k) heapPush(h, s, f, false);
          break;
        case "limit_ratio":
          if (ratioSelects(r, offsets![s])) heapPush(h, s, f, false);
          break;
      }
    }
    for (let g = 0; g < G; g++) {
      if (seen[g] === 0) continue;
      const h = heaps[g];
      if (n === 1) {
        if (op === "topk" || op === "bottomk") heapSortForOutput(h, rev);
        for (let i = 0; i < h.idx.length; i++) {
          const src = input[h.idx[i]];
          const o = newStepSeries(src.labels, 1, src.dropName);
          o.values[0] = h.val[i];
          o.present[0] = 1;
          instant.push(o);
        }
        continue;
      }
      for (let i = 0; i < h.idx.length; i++) {
        const s = h.idx[i];
        let o = outOf[s];
        if (o === undefined) outOf[s] = o = newStepSeries(input[s].labels, n, input[s].dropName);
        o.values[t] = h.val[i];
        o.present[t] = 1;
      }
    }
  }
  if (n === 1) return instant;
  const result: StepSeries[] = [];
  for (let s = 0; s < S; s++) if (outOf[s] !== undefined) result.push(outOf[s]!);
  return result;
}

/** Upstream's `AddRatioSample`: a negative ratio selects the complement of the positive one. */
function ratioSelects(r: number, offset: number): boolean {
  return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r);
}

// ---- count_values ----

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  let mant = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const neg = mant[0] === "-";
  if (neg) mant = mant.slice(1);
  const dot = mant.indexOf(".");
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const point = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/**
 * Go's %q of a string. A lone surrogate U+DC80–U+DCFF stands for the raw
 * byte 0x80–0xFF of an invalid UTF-8 string and prints as `\xNN`.
 */
function quoteName(s: string): string {
  if (s.isWellFormed()) return goQuote(s);
  let out = '"';
  let seg = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += goQuote(seg).slice(1, -1);
      seg = "";
      out += c >= 0xdc80 && c <= 0xdcff ? `\\x${(c - 0xdc00).toString(16)}` : "\uFFFD";
    } else seg += ch;
  }
  return `${out}${goQuote(seg).slice(1, -1)}"`;
}

function* countValues(
  input: StepSeries[],
  grouping: readonly string[],
  without: boolean,
  label: string,
  ctx: AggContext,
): Generator<void, StepSeries[]> {
  if (!isValidUTF8Name(label)) throw executionError(`invalid label name ${quoteName(label)}`);
  const n = ctx.n;
  const groupBy = without ? grouping : [...grouping, label];
  const index = new LabelsIndex();
  const out: StepSeries[] = [];
  const builder = new LabelsBuilder();
  let work = 0;
  for (const series of input) {
    let last = Number.NaN;
    let lastId = -1;
    for (let t = 0; t < n; t++) {
      if (series.present[t] !== 1) continue;
      const v = series.values[t];
      if (lastId < 0 || !Object.is(v, last)) {
        builder.reset(series.labels).set(label, formatFloatPlain(v));
        lastId = index.add(groupingLabels(builder.labels(), groupBy, without));
        last = v;
        if (lastId === out.length) out.push(newStepSeries(index.labels[lastId], n));
      }
      const o = out[lastId];
      o.values[t] += 1;
      o.present[t] = 1;
    }
    work += n;
    if (work >= YIELD_EVERY) {
      work = 0;
      yield;
    }
  }
  return out;
}
