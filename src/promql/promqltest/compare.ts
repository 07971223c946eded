/**
 * The checks an `eval` applies to a query's outcome: result against the
 * expected series or scalar (with upstream's float tolerance), matrix
 * ordering, annotations, and the expected error. Each returns an error text,
 * or null when the check passes.
 */
import { formatGoFloat } from "../../cli/tsdb/format.ts";
import { Labels } from "../../model/labels/labels.ts";
import { almostEqual as floatsAlmostEqual } from "../almost.ts";
import type { MatrixSeries, QueryValue } from "../value.ts";
import {
  describeExpectation,
  type EvalCmd,
  type Expectation,
  expectationMatches,
  firstValue,
  isOrdered,
  labelsKey,
} from "./script.ts";
import { FLOAT, HISTOGRAM, isStaleNaN } from "./series.ts";

/** Relative error allowed between an expected and a returned float. */
export const DEFAULT_EPSILON = 1e-6;

/**
 * An expected value against a returned one: the stale marker equals only
 * itself; other values compare with upstream's `almost.Equal`.
 */
export function almostEqual(a: number, b: number, epsilon = DEFAULT_EPSILON): boolean {
  const sa = isStaleNaN(a);
  const sb = isStaleNaN(b);
  if (sa || sb) return sa && sb;
  return floatsAlmostEqual(a, b, epsilon);
}

function fmt(v: number): string {
  return isStaleNaN(v) ? "stale" : formatGoFloat(v);
}

function formatSeries(s: MatrixSeries): string {
  const pts = s.t.map((t, i) => `${fmt(s.f[i]!)} @[${t}]`).join(" ");
  return `${s.t.length} float point${s.t.length === 1 ? "" : "s"} [${pts}]`;
}

/** Range-query matrices must come back sorted by label set. */
export function assertMatrixSorted(series: readonly MatrixSeries[]): string | null {
  for (let i = 0; i + 1 < series.length; i++) {
    if (Labels.compare(series[i]!.metric, series[i + 1]!.metric) > 0) {
      return `matrix results should always be sorted by labels, but matrix is not sorted: series at index ${i + 1} with labels ${series[i + 1]!.metric} sorts before series at index ${i} with labels ${series[i]!.metric}`;
    }
  }
  return null;
}

/**
 * Compares a result with the eval's expectation. For a range eval, matrix
 * points are matched to the steps `start, start+step, … ≤ end`; an instant
 * eval cannot expect matrix points (upstream's v3.5 runner has no syntax for it).
 */
export function compareResult(ev: EvalCmd, value: QueryValue): string | null {
  switch (value.type) {
    case "matrix":
      return compareMatrix(ev, value.series);
    case "vector": {
      if (ev.expectScalar) return `expected scalar result, but got vector ${describeVector(value)}`;
      const seen = new Set<string>();
      const ordered = isOrdered(ev);
      for (let pos = 0; pos < value.samples.length; pos++) {
        const s = value.samples[pos]!;
        const key = labelsKey(s.metric);
        const exp = ev.expected.get(key);
        if (exp === undefined) return `unexpected metric ${s.metric} in result, has value ${fmt(s.f)}`;
        if (ordered && exp.pos !== pos + 1) {
          return `expected metric ${s.metric} at position ${exp.pos} but was at ${pos + 1}`;
        }
        const e0 = firstValue(exp.values);
        if (e0.kind === HISTOGRAM)
          return `expected histogram for ${s.metric} but got float value ${fmt(s.f)}`;
        if (!almostEqual(e0.value, s.f))
          return `expected ${fmt(e0.value)} for ${s.metric} but got ${fmt(s.f)}`;
        seen.add(key);
      }
      for (const [key, exp] of ev.expected) {
        if (!seen.has(key))
          return `expected metric ${exp.labels} with ${fmt(firstValue(exp.values).value)} not found`;
      }
      return null;
    }
    case "scalar":
      if (!ev.expectScalar) return `expected vector or matrix result, but got scalar ${fmt(value.v)}`;
      if (!almostEqual(ev.scalar, value.v))
        return `expected scalar ${fmt(ev.scalar)} but got ${fmt(value.v)}`;
      return null;
    case "string":
      return `string results are not supported by the test runner (got ${JSON.stringify(value.v)})`;
  }
}

function describeVector(v: { samples: { metric: Labels; f: number }[] }): string {
  return v.samples.map((s) => `${s.metric} => ${fmt(s.f)}`).join(", ");
}

function compareMatrix(ev: EvalCmd, series: readonly MatrixSeries[]): string | null {
  if (isOrdered(ev)) return "expected ordered result, but query returned a matrix";
  if (ev.expectScalar) return `expected scalar result, but got a matrix of ${series.length} series`;
  const sorted = assertMatrixSorted(series);
  if (sorted !== null) return sorted;
  // An instant eval's end is "before everything": it cannot expect points.
  const end = ev.range ? ev.end : Number.NEGATIVE_INFINITY;
  const seen = new Set<string>();
  for (const s of series) {
    const key = labelsKey(s.metric);
    const exp = ev.expected.get(key);
    if (exp === undefined) return `unexpected metric ${s.metric} in result, has ${formatSeries(s)}`;
    seen.add(key);
    const vals = exp.values;
    let nFloats = 0;
    let nHists = 0;
    for (let i = 0; i < vals.length; i++) {
      if (ev.start + i * ev.step > end) {
        return `expected ${vals.length} points for ${exp.labels}, but query time range cannot return this many points`;
      }
      if (vals.kinds[i] === FLOAT) nFloats++;
      else if (vals.kinds[i] === HISTOGRAM) nHists++;
    }
    if (nFloats !== s.t.length || nHists !== 0) {
      return `expected ${nFloats} float points and ${nHists} histogram points for ${exp.labels}, but got ${formatSeries(s)}`;
    }
    let j = 0;
    for (let i = 0; i < vals.length; i++) {
      if (vals.kinds[i] !== FLOAT) continue;
      const t = ev.start + i * ev.step;
      if (s.t[j] !== t) {
        return `expected float value at index ${j} for ${exp.labels} to have timestamp ${t}, but it had timestamp ${s.t[j]} (result has ${formatSeries(s)})`;
      }
      if (!almostEqual(vals.floats[i]!, s.f[j]!)) {
        return `expected float value at index ${j} (t=${t}) for ${exp.labels} to be ${fmt(vals.floats[i]!)}, but got ${fmt(s.f[j]!)} (result has ${formatSeries(s)})`;
      }
      j++;
    }
  }
  for (const [key, exp] of ev.expected) {
    if (!seen.has(key)) return `expected metric ${exp.labels} not found`;
  }
  return null;
}

function checkAnnotationsOfKind(
  expected: readonly Expectation[],
  actual: readonly string[],
  kind: string,
  all: readonly string[],
): string | null {
  if (expected.length === 0) return null;
  if (actual.length === 0) return `expected ${kind} annotations but none were found`;
  for (const e of expected) {
    if (!actual.some((a) => expectationMatches(e, a))) {
      return `expected ${kind} annotation matching ${describeExpectation(e)} but no matching annotation was found, found: [${all.join(", ")}]`;
    }
  }
  for (const a of actual) {
    if (!expected.some((e) => expectationMatches(e, a)))
      return `unexpected ${kind} annotation ${JSON.stringify(a)} found`;
  }
  return null;
}

/** Annotation texts (without positions) a query returned. */
export interface AnnotationTexts {
  warnings: readonly string[];
  infos: readonly string[];
}

/**
 * Annotation expectations: legacy `eval_warn`/`eval_info` need at least one of
 * their kind; `expect warn|info` lines and returned annotations of that kind
 * must match each other both ways; `no_warn`/`no_info` forbid the kind.
 * Without any of these, annotations are not looked at.
 */
export function checkAnnotations(ev: EvalCmd, a: AnnotationTexts): string | null {
  if (ev.legacyWarn && a.warnings.length === 0) return "expected warnings but got none";
  if (ev.legacyInfo && a.infos.length === 0) return "expected info annotations but got none";
  const all = [...a.warnings, ...a.infos];
  const w = checkAnnotationsOfKind(ev.expectWarn, a.warnings, "warn", all);
  if (w !== null) return w;
  const i = checkAnnotationsOfKind(ev.expectInfo, a.infos, "info", all);
  if (i !== null) return i;
  if (ev.expectNoWarn && a.warnings.length > 0) return `unexpected warning annotations: [${all.join(", ")}]`;
  if (ev.expectNoInfo && a.infos.length > 0) return `unexpected info annotations: [${all.join(", ")}]`;
  return null;
}

/** Whether an error satisfies the eval's failure expectations (any error does when none is given). */
export function checkExpectedFailure(ev: EvalCmd, message: string): string | null {
  if (ev.expectedFailMessage !== "" && ev.expectedFailMessage !== message) {
    return `expected error ${JSON.stringify(ev.expectedFailMessage)}, but got: ${message}`;
  }
  if (ev.expectedFailRegexp !== null && !expectationMatches(ev.expectedFailRegexp, message)) {
    return `expected error matching ${describeExpectation(ev.expectedFailRegexp)}, but got: ${message}`;
  }
  const f = ev.expectFail[0];
  if (f !== undefined && !expectationMatches(f, message)) {
    return `expected error matching ${describeExpectation(f)}, but got: ${message}`;
  }
  return null;
}
