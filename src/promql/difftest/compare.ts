/**
 * Comparing two query outcomes (a result or an error) the way a differential
 * test needs: label sets as sets (or in order, where the query orders them),
 * values within a relative tolerance with NaN equal to NaN, and a short
 * classification of the first difference found.
 */
import { Labels } from "../../model/labels/labels.ts";
import type { MatrixSeries, QueryValue, Sample } from "../value.ts";

export type Outcome =
  | { ok: true; value: QueryValue; warnings: string[]; infos: string[] }
  | { ok: false; errorType: string; message: string };

export type DiffCause =
  | "error" // one side failed, the other did not
  | "type" // different result types
  | "name-removal" // label sets equal once __name__ is ignored
  | "labels" // different sets of series
  | "order" // same series, different order where order matters
  | "timestamps"
  | "values";

export interface Diff {
  cause: DiffCause;
  detail: string;
}

export interface CompareOptions {
  /** Largest relative difference of two values still equal. */
  relTol: number;
  /** Differences below this are equal whatever their relative size (cancellation near zero). */
  absTol: number;
  /** Compare an instant vector's values in order (sort, sort_desc, topk, bottomk). */
  ordered: boolean;
}

export const defaultCompareOptions: CompareOptions = { relTol: 1e-6, absTol: 1e-12, ordered: false };

export function floatsEqual(a: number, b: number, o: CompareOptions = defaultCompareOptions): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const d = Math.abs(a - b);
  return d <= o.absTol || d <= o.relTol * Math.max(Math.abs(a), Math.abs(b));
}

/** The first difference between `a` (Vigil) and `b` (the reference), or null when they agree. */
export function compareOutcomes(
  a: Outcome,
  b: Outcome,
  o: CompareOptions = defaultCompareOptions,
): Diff | null {
  if (!a.ok || !b.ok) {
    if (!a.ok && !b.ok) return null;
    return {
      cause: "error",
      detail: a.ok ? `only reference failed: ${errText(b)}` : `only vigil failed: ${errText(a)}`,
    };
  }
  return compareValues(a.value, b.value, o);
}

function errText(o: Outcome): string {
  return o.ok ? "" : `${o.errorType}: ${o.message}`;
}

export function compareValues(
  a: QueryValue,
  b: QueryValue,
  o: CompareOptions = defaultCompareOptions,
): Diff | null {
  if (a.type !== b.type) return { cause: "type", detail: `vigil ${a.type}, reference ${b.type}` };
  switch (a.type) {
    case "scalar": {
      const bs = b as typeof a;
      if (a.t !== bs.t) return { cause: "timestamps", detail: `scalar at ${a.t} vs ${bs.t}` };
      if (!floatsEqual(a.v, bs.v, o)) return { cause: "values", detail: `scalar ${a.v} vs ${bs.v}` };
      return null;
    }
    case "string": {
      const bs = b as typeof a;
      if (a.t !== bs.t || a.v !== bs.v)
        return { cause: "values", detail: `string ${a.v}@${a.t} vs ${bs.v}@${bs.t}` };
      return null;
    }
    case "vector":
      return compareVectors(a.samples, (b as typeof a).samples, o);
    case "matrix":
      return compareMatrices(a.series, (b as typeof a).series, o);
  }
}

/** The two sides' series paired by label set, or how their label sets differ. */
function pairByLabels<T extends { metric: Labels }>(x: T[], y: T[]): [T, T][] | Diff {
  const labelDiff = compareLabelSets(
    x.map((s) => s.metric),
    y.map((s) => s.metric),
  );
  if (labelDiff !== null) return labelDiff;
  const byLabels = (p: T, q: T): number => Labels.compare(p.metric, q.metric);
  const ys = [...y].sort(byLabels);
  return [...x].sort(byLabels).map((p, i) => [p, ys[i]!]);
}

function compareMatrices(x: MatrixSeries[], y: MatrixSeries[], o: CompareOptions): Diff | null {
  const pairs = pairByLabels(x, y);
  if (!Array.isArray(pairs)) return pairs;
  for (const [p, q] of pairs) {
    const n = Math.max(p.t.length, q.t.length);
    for (let j = 0; j < n; j++) {
      if (p.t[j] !== q.t[j]) {
        return {
          cause: "timestamps",
          detail: `${p.metric.toString()}: point ${j} at ${p.t[j]} vs ${q.t[j]} (${p.t.length} vs ${q.t.length} points)`,
        };
      }
      if (!floatsEqual(p.f[j]!, q.f[j]!, o)) {
        return { cause: "values", detail: `${p.metric.toString()} @${p.t[j]}: ${p.f[j]} vs ${q.f[j]}` };
      }
    }
  }
  return null;
}

function compareVectors(x: Sample[], y: Sample[], o: CompareOptions): Diff | null {
  const pairs = pairByLabels(x, y);
  if (!Array.isArray(pairs)) return pairs;
  for (const [p, q] of pairs) {
    if (p.t !== q.t) return { cause: "timestamps", detail: `${p.metric.toString()} at ${p.t} vs ${q.t}` };
    if (!floatsEqual(p.f, q.f, o))
      return { cause: "values", detail: `${p.metric.toString()}: ${p.f} vs ${q.f}` };
  }
  if (o.ordered) {
    // Ties may come in either order: compare the value sequence, not the label sequence.
    for (let i = 0; i < x.length; i++) {
      if (!floatsEqual(x[i]!.f, y[i]!.f, o)) {
        return {
          cause: "order",
          detail: `position ${i}: vigil ${x[i]!.metric.toString()}=${x[i]!.f}, reference ${y[i]!.metric.toString()}=${y[i]!.f}`,
        };
      }
    }
  }
  return null;
}

/** Compares two lists of label sets as multisets; a difference only in `__name__` is reported as such. */
function compareLabelSets(x: Labels[], y: Labels[]): Diff | null {
  const diff = (p: Labels[], q: Labels[]): { onlyX: Labels[]; onlyY: Labels[] } => ({
    onlyX: unmatched(p, q),
    onlyY: unmatched(q, p),
  });
  const { onlyX, onlyY } = diff(x, y);
  if (onlyX.length === 0 && onlyY.length === 0) return null;
  const stripped = diff(
    x.map((l) => l.withoutName()),
    y.map((l) => l.withoutName()),
  );
  const show = (ls: Labels[]): string =>
    ls
      .slice(0, 3)
      .map((l) => l.toString())
      .join(", ") + (ls.length > 3 ? `, … (${ls.length})` : "");
  return {
    cause: stripped.onlyX.length === 0 && stripped.onlyY.length === 0 ? "name-removal" : "labels",
    detail: `${x.length} vs ${y.length} series; only vigil: [${show(onlyX)}]; only reference: [${show(onlyY)}]`,
  };
}

/** The members of the multiset `p` that `q` has no (further) copy of. */
function unmatched(p: Labels[], q: Labels[]): Labels[] {
  const count = new Map<string, number>();
  for (const l of q) count.set(key(l), (count.get(key(l)) ?? 0) + 1);
  const out: Labels[] = [];
  for (const l of p) {
    const k = key(l);
    const c = count.get(k) ?? 0;
    if (c === 0) out.push(l);
    else count.set(k, c - 1);
  }
  return out;
}

function key(l: Labels): string {
  return JSON.stringify(l.flat());
}

/** A short rendering of an outcome for failure messages. */
export function describeOutcome(o: Outcome, maxSeries = 4, maxPoints = 6): string {
  if (!o.ok) return `error ${o.errorType}: ${o.message}`;
  const v = o.value;
  switch (v.type) {
    case "scalar":
      return `scalar ${v.v} @${v.t}`;
    case "string":
      return `string ${JSON.stringify(v.v)} @${v.t}`;
    case "vector": {
      const lines = v.samples.slice(0, maxSeries).map((s) => `${s.metric.toString()} => ${s.f} @${s.t}`);
      return `vector(${v.samples.length}) [${lines.join("; ")}${v.samples.length > maxSeries ? "; …" : ""}]`;
    }
    case "matrix": {
      const sorted = [...v.series].sort((p, q) => Labels.compare(p.metric, q.metric));
      const lines = sorted.slice(0, maxSeries).map((s) => {
        const pts = s.t.slice(0, maxPoints).map((t, i) => `${s.f[i]}@${t}`);
        return `${s.metric.toString()} => ${s.t.length} pts [${pts.join(" ")}${s.t.length > maxPoints ? " …" : ""}]`;
      });
      return `matrix(${v.series.length}) [${lines.join("; ")}${v.series.length > maxSeries ? "; …" : ""}]`;
    }
  }
}
