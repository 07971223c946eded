/**
 * Binary operators over the columnar step grid: vector/vector (with
 * on/ignoring and group_left/group_right matching, and the set operators
 * and/or/unless), vector/scalar and scalar/scalar, with upstream's semantics.
 *
 * Matching signatures and result labels are computed once per series (or per
 * matched pair of series); the per-step work is plain typed-array loops.
 * Upstream's per-step matching errors are detected up front, step by step, on
 * the only series that can cause them.
 */
import { type Labels, LabelsBuilder } from "../model/labels/labels.ts";
import type { Annotations } from "./annotations.ts";
import { executionError } from "./errors.ts";
import type { ArithmeticOp, BinaryOp, ComparisonOp, PosRange, VectorMatching } from "./parser/ast.ts";
import { LabelsIndex, METRIC_NAME, METRIC_TYPE, METRIC_UNIT, matchLabels } from "./signature.ts";
import { newStepSeries, type StepSeries } from "./value.ts";

export interface BinopContext {
  n: number;
  annos: Annotations;
  /** Of the binary expression. */
  pos: PosRange;
}

// Units of work (series×steps) between yields to the engine's driver.
const YIELD_EVERY = 8192;

const DUPLICATE_LABELSET = "vector cannot contain metrics with the same labelset";

// Operator codes for the hot loops.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MOD = 4;
const POW = 5;
const ATAN2 = 6;
const EQL = 7;
const NEQ = 8;
const GTR = 9;
const LSS = 10;
const GTE = 11;
const LTE = 12;

const OP_CODES: Record<ArithmeticOp | ComparisonOp, number> = {
  "+": ADD,
  "-": SUB,
  "*": MUL,
  "/": DIV,
  "%": MOD,
  "^": POW,
  atan2: ATAN2,
  "==": EQL,
  "!=": NEQ,
  ">": GTR,
  "<": LSS,
  ">=": GTE,
  "<=": LTE,
};

function opCode(op: BinaryOp): number {
  const c = OP_CODES[op as ArithmeticOp | ComparisonOp];
  if (c === undefined) throw new Error(`operator ${op} not allowed here`);
  return c;
}

/** True for operators whose result is no longer the input metric (arithmetic). */
function changesMetricSchema(code: number): boolean {
  return code <= ATAN2;
}

/** Go's math.Pow, which differs from `**` for a base of 1 and for -1 to ±Inf. */
function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

// Whether the last elem() comparison holds (always true for arithmetic).
let keep = true;

/** Upstream's float `vectorElemBinop`: comparisons return the left value and set `keep`. */
function elem(code: number, l: number, r: number): number {
  keep = true;
  switch (code) {
    case ADD:
      return l + r;
    case SUB:
      return l - r;
    case MUL:
      return l * r;
    case DIV:
      return l / r;
    case MOD:
      return l % r;
    case POW:
      return goPow(l, r);
    case ATAN2:
      return Math.atan2(l, r);
    case EQL:
      keep = l === r;
      return l;
    case NEQ:
      keep = l !== r;
      return l;
    case GTR:
      keep = l > r;
      return l;
    case LSS:
      keep = l < r;
      return l;
    case GTE:
      keep = l >= r;
      return l;
    case LTE:
      keep = l <= r;
      return l;
  }
  throw new Error(`bad operator code ${code}`);
}

/**
 * The element operation on two floats (Go semantics: `%` is math.Mod, `^`
 * math.Pow). Comparisons return 1 when they hold and 0 otherwise.
 */
export function binopFloat(op: ArithmeticOp | ComparisonOp, l: number, r: number): number {
  const code = opCode(op);
  const v = elem(code, l, r);
  return code > ATAN2 ? (keep ? 1 : 0) : v;
}

/** scalar op scalar at each step (comparisons, which need `bool`, give 0 or 1). */
export function scalarBinop(
  op: BinaryOp,
  a: Float64Array,
  b: Float64Array,
  _returnBool: boolean,
): Float64Array {
  const code = opCode(op);
  const out = new Float64Array(a.length);
  const cmp = code > ATAN2;
  for (let i = 0; i < a.length; i++) {
    const v = elem(code, a[i], b[i]);
    out[i] = cmp ? (keep ? 1 : 0) : v;
  }
  return out;
}

/** vector op scalar, or scalar op vector when `scalarOnLeft`. */
export function* vectorScalarBinop(
  op: BinaryOp,
  vec: StepSeries[],
  scalar: Float64Array,
  scalarOnLeft: boolean,
  returnBool: boolean,
  ctx: BinopContext,
): Generator<void, StepSeries[]> {
  const n = ctx.n;
  const code = opCode(op);
  const cmp = code > ATAN2;
  const dropsName = changesMetricSchema(code) || returnBool;
  const result: StepSeries[] = [];
  let work = 0;
  for (const s of vec) {
    let o: StepSeries | null = null;
    for (let t = 0; t < n; t++) {
      if (s.present[t] !== 1) continue;
      const v = s.values[t];
      let r = scalarOnLeft ? elem(code, scalar[t], v) : elem(code, v, scalar[t]);
      // A comparison keeps the vector's value, whichever side it is on.
      if (cmp && scalarOnLeft) r = v;
      if (returnBool) {
        r = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      if (o === null) o = newStepSeries(s.labels, n, s.dropName || dropsName);
      o.values[t] = r;
      o.present[t] = 1;
    }
    if (o !== null) result.push(o);
    work += n;
    if (work >= YIELD_EVERY) {
      work = 0;
      yield;
    }
  }
  return result;
}

/**
 * Output series of a vector/vector operation, unique by labels. Writing a
 * step twice to the same labels is upstream's duplicate-labelset error.
 */
class Outputs {
  readonly #n: number;
  readonly #index = new LabelsIndex();
  readonly series: StepSeries[] = [];
  // Earliest step written per output, to settle dropName when sources merge.
  readonly #first: number[] = [];

  constructor(n: number) {
    this.#n = n;
  }

  id(labels: Labels, dropName: boolean): number {
    const id = this.#index.add(labels);
    if (id === this.series.length) {
      this.series.push(newStepSeries(labels, this.#n, dropName));
      this.#first.push(-1);
    }
    return id;
  }

  set(id: number, t: number, v: number, dropName: boolean): void {
    const o = this.series[id];
    if (o.present[t] === 1) throw executionError(DUPLICATE_LABELSET);
    o.values[t] = v;
    o.present[t] = 1;
    this.wrote(id, t, dropName);
  }

  /** Records that output `id` got a sample at step `t` from a source with `dropName`. */
  wrote(id: number, t: number, dropName: boolean): void {
    const first = this.#first[id];
    if (first < 0 || t < first) {
      this.#first[id] = t;
      this.series[id].dropName = dropName;
    }
  }

  /** Copies `src` where `mask` (if any) is 1; both must be present. */
  copy(src: StepSeries, mask: Uint8Array | null, invert: boolean): void {
    let id = -1;
    for (let t = 0; t < this.#n; t++) {
      if (src.present[t] !== 1) continue;
      if (mask !== null && (mask[t] === 1) === invert) continue;
      if (id < 0) id = this.id(src.labels, src.dropName);
      this.set(id, t, src.values[t], src.dropName);
    }
  }

  /** The outputs present at some step, in creation order. */
  result(): StepSeries[] {
    return this.series.filter((_, id) => this.#first[id] >= 0);
  }
}

/** Signature ids of both sides, in one id space. */
function signatures(
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
): { lsig: Int32Array; rsig: Int32Array; count: number } {
  const index = new LabelsIndex();
  const lsig = new Int32Array(lhs.length);
  const rsig = new Int32Array(rhs.length);
  for (let i = 0; i < lhs.length; i++)
    lsig[i] = index.add(matchLabels(lhs[i].labels, matching.on, matching.labels));
  for (let i = 0; i < rhs.length; i++)
    rsig[i] = index.add(matchLabels(rhs[i].labels, matching.on, matching.labels));
  return { lsig, rsig, count: index.size };
}

/** Members of each signature, in input order. */
function membersBySig(sig: Int32Array, count: number): number[][] {
  const out: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < sig.length; i++) out[sig[i]].push(i);
  return out;
}

/** Presence of each signature per step (OR over its members); shares a lone member's array. */
function sigPresence(side: StepSeries[], members: number[][], n: number): (Uint8Array | null)[] {
  return members.map((m) => {
    if (m.length === 0) return null;
    if (m.length === 1) return side[m[0]].present;
    const p = new Uint8Array(n);
    for (const i of m) {
      const sp = side[i].present;
      for (let t = 0; t < n; t++) p[t] |= sp[t];
    }
    return p;
  });
}

/** Vector op vector, including the set operators. */
export function* vectorBinop(
  op: BinaryOp,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
  returnBool: boolean,
  ctx: BinopContext,
): Generator<void, StepSeries[]> {
  if (op === "and" || op === "or" || op === "unless") {
    if (matching.card !== "many-to-many")
      throw new Error("set operations must only use many-to-many matching");
    return yield* setBinop(op, lhs, rhs, matching, ctx.n);
  }
  if (matching.card === "many-to-many") throw new Error("many-to-many only allowed for set operators");
  // Nothing can match (and upstream reports no matching errors then).
  if (lhs.length === 0 || rhs.length === 0) return [];
  return yield* matchBinop(op, lhs, rhs, matching, returnBool, ctx.n);
}

function* setBinop(
  op: "and" | "or" | "unless",
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
  n: number,
): Generator<void, StepSeries[]> {
  const { lsig, rsig, count } = signatures(lhs, rhs, matching);
  const out = new Outputs(n);
  let work = 0;
  if (op === "or") {
    // All of the left side; the right side where no left series of its signature is present.
    const lpres = sigPresence(lhs, membersBySig(lsig, count), n);
    for (const s of lhs) {
      out.copy(s, null, false);
      if ((work += n) >= YIELD_EVERY) {
        work = 0;
        yield;
      }
    }
    for (let i = 0; i < rhs.length; i++) {
      out.copy(rhs[i], lpres[rsig[i]], true);
      if ((work += n) >= YIELD_EVERY) {
        work = 0;
        yield;
      }
    }
    return out.result();
  }
  // and: left series where some right series of its signature is present; unless: where none is.
  const rpres = sigPresence(rhs, membersBySig(rsig, count), n);
  const invert = op === "unless";
  for (let i = 0; i < lhs.length; i++) {
    const mask = rpres[lsig[i]];
    if (mask !== null) out.copy(lhs[i], mask, invert);
    else if (invert) out.copy(lhs[i], null, false);
    if ((work += n) >= YIELD_EVERY) {
      work = 0;
      yield;
    }
  }
  return out.result();
}

/** Upstream's `resultMetric`: the labels of the result of `many op one`. */
function resultMetric(
  many: Labels,
  one: Labels,
  code: number,
  matching: VectorMatching,
  builder: LabelsBuilder,
): Labels {
  builder.reset(many);
  if (changesMetricSchema(code)) builder.del(METRIC_NAME, METRIC_TYPE, METRIC_UNIT);
  if (matching.card === "one-to-one") {
    if (matching.on) builder.keep(...matching.labels);
    else builder.del(...matching.labels);
  }
  for (const name of matching.include) {
    const v = one.get(name);
    if (v !== "") builder.set(name, v);
    else builder.del(name);
  }
  return builder.labels();
}

/** Arithmetic and comparisons with one-to-one, many-to-one or one-to-many matching. */
function* matchBinop(
  op: BinaryOp,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
  returnBool: boolean,
  n: number,
): Generator<void, StepSeries[]> {
  const code = opCode(op);
  const oneToOne = matching.card === "one-to-one";
  // For one-to-many, work on swapped sides: `many` is the side with several
  // series per signature, `one` the side whose series are unique per step.
  const swap = matching.card === "one-to-many";
  const many = swap ? rhs : lhs;
  const one = swap ? lhs : rhs;
  const sigs = signatures(many, one, matching);
  const manySig = sigs.lsig;
  const oneSig = sigs.rsig;
  const manyMembers = membersBySig(manySig, sigs.count);
  const oneMembers = membersBySig(oneSig, sigs.count);
  const builder = new LabelsBuilder();
  const out = new Outputs(n);

  // Output id of each matched (many, one) pair. Usually a signature has one
  // series on the one side, so pairs are keyed by the many-side index.
  const pairSingle = new Int32Array(many.length).fill(-1);
  const pairMulti = new Map<number, number>();
  const pairOut = (m: number, o: number): number => {
    const single = oneMembers[manySig[m]].length === 1;
    const key = m * one.length + o;
    let id = single ? pairSingle[m] : (pairMulti.get(key) ?? -1);
    if (id < 0) {
      id = out.id(resultMetric(many[m].labels, one[o].labels, code, matching, builder), returnBool);
      if (single) pairSingle[m] = id;
      else pairMulti.set(key, id);
    }
    return id;
  };

  yield* checkMatching(many, one, manyMembers, oneMembers, oneToOne, swap, matching, pairOut, n);

  let work = 0;
  for (let m = 0; m < many.length; m++) {
    const ms = many[m];
    for (const o of oneMembers[manySig[m]]) {
      const os = one[o];
      const id = pairOut(m, o);
      const { values: ov, present: op } = out.series[id];
      // Left and right operands, as written in the query.
      const { values: lv, present: lp } = swap ? os : ms;
      const { values: rv, present: rp } = swap ? ms : os;
      let first = -1;
      for (let t = 0; t < n; t++) {
        if (lp[t] !== 1 || rp[t] !== 1) continue;
        let v = elem(code, lv[t], rv[t]);
        if (returnBool) v = keep ? 1 : 0;
        else if (!keep) continue;
        if (op[t] === 1) throw executionError(DUPLICATE_LABELSET);
        ov[t] = v;
        op[t] = 1;
        if (first < 0) first = t;
      }
      if (first >= 0) out.wrote(id, first, returnBool);
      if ((work += n) >= YIELD_EVERY) {
        work = 0;
        yield;
      }
    }
  }
  return out.result();
}

/** How many of `members` are present at step `t`, stopping at 2. */
function countPresent(side: StepSeries[], members: number[], t: number): number {
  let c = 0;
  for (const i of members) if (side[i].present[t] === 1 && ++c === 2) break;
  return c;
}

/**
 * Throws upstream's matching errors at the first step (and within it, the
 * first series in upstream's iteration order) where they occur: duplicate
 * series on the "one" side, several many-side series for one signature in
 * one-to-one matching, or colliding result labels in many-to-one matching.
 * Only steps where both sides have samples count, as upstream short-circuits
 * the others.
 */
function* checkMatching(
  many: StepSeries[],
  one: StepSeries[],
  manyMembers: number[][],
  oneMembers: number[][],
  oneToOne: boolean,
  swap: boolean,
  matching: VectorMatching,
  pairOut: (m: number, o: number) => number,
  n: number,
): Generator<void, void> {
  // Signatures with several one-side series.
  const dupOne: number[][] = [];
  // one-to-one: signatures with several many-side series (and a one side).
  const multiMany: { many: number[]; one: number[] }[] = [];
  // many-to-one: sets of many-side series that give equal result labels with one-side series `o`.
  const collide: { o: number; group: number[] }[] = [];
  for (let sig = 0; sig < oneMembers.length; sig++) {
    const om = oneMembers[sig];
    const mm = manyMembers[sig];
    if (om.length >= 2) dupOne.push(om);
    if (om.length === 0 || mm.length < 2) continue;
    if (oneToOne) {
      multiMany.push({ many: mm, one: om });
      continue;
    }
    for (const o of om) {
      const byId = new Map<number, number[]>();
      for (const m of mm) {
        const id = pairOut(m, o);
        const g = byId.get(id);
        if (g === undefined) byId.set(id, [m]);
        else g.push(m);
      }
      for (const group of byId.values()) if (group.length >= 2) collide.push({ o, group });
    }
  }
  if (dupOne.length === 0 && multiMany.length === 0 && collide.length === 0) return;

  let anyMany: Uint8Array | null = null;
  if (dupOne.length > 0) {
    anyMany = new Uint8Array(n);
    for (const s of many) for (let t = 0; t < n; t++) anyMany[t] |= s.present[t];
  }
  let work = 0;
  for (let t = 0; t < n; t++) {
    // The one side is scanned first, in order: the error names the first
    // series whose signature was already taken, and the one that took it.
    if (anyMany !== null && anyMany[t] === 1) {
      let bestDup = -1;
      let bestFirst = -1;
      for (const members of dupOne) {
        let first = -1;
        for (const o of members) {
          if (one[o].present[t] !== 1) continue;
          if (first < 0) first = o;
          else {
            if (bestDup < 0 || o < bestDup) {
              bestDup = o;
              bestFirst = first;
            }
            break;
          }
        }
      }
      if (bestDup >= 0) {
        const dup = one[bestDup].labels;
        const group = matchLabels(dup, matching.on, matching.labels);
        throw executionError(
          `found duplicate series for the match group ${group.toString()} on the ${swap ? "left" : "right"} hand-side of the operation: [${dup.toString()}, ${one[bestFirst].labels.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
    }
    for (const { many: mm, one: om } of multiMany) {
      if (!om.some((o) => one[o].present[t] === 1)) continue;
      if (countPresent(many, mm, t) >= 2) {
        throw executionError(
          "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
        );
      }
    }
    for (const { o, group } of collide) {
      if (one[o].present[t] === 1 && countPresent(many, group, t) >= 2) {
        throw executionError("multiple matches for labels: grouping labels must ensure unique matches");
      }
    }
    work += dupOne.length + multiMany.length + collide.length;
    if (work >= YIELD_EVERY) {
      work = 0;
      yield;
    }
  }
}
