/**
 * Test support for the engine's columnar pieces (aggregations, operators):
 * building step series, running their cooperative generators, and looking at
 * their output as the engine's final result would show it.
 */
import assert from "node:assert/strict";
import { Labels } from "../../model/labels/labels.ts";
import { newStepSeries, type StepSeries } from "../value.ts";

/** One value per step; null: no sample at that step. */
export type Vals = (number | null)[];

/** A series named `metric` ("" for none) with `vals` per step (null = absent). */
export function ser(metric: string, lbls: Record<string, string>, vals: Vals, dropName = false): StepSeries {
  const ls = Labels.fromObject(metric === "" ? lbls : { ...lbls, __name__: metric });
  const s = newStepSeries(ls, vals.length, dropName);
  vals.forEach((v, i) => {
    if (v !== null) {
      s.values[i] = v;
      s.present[i] = 1;
    }
  });
  return s;
}

/** Runs a cooperative generator to its end, ignoring its yields. */
export function drain<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** What the engine does at the end: drop flagged names (and type/unit). */
export function finalLabels(s: StepSeries): Labels {
  return s.dropName ? s.labels.without("__name__", "__type__", "__unit__") : s.labels;
}

/** Output as sorted `labels -> values` rows, after the engine's final name removal. */
export function view(out: StepSeries[]): Record<string, Vals> {
  const rows: [string, Vals][] = out.map((s) => [
    finalLabels(s).toString(),
    Array.from(s.values, (v, i) => (s.present[i] === 1 ? v : null)),
  ]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(rows);
}

/** Equal within a relative 1e-9 (NaN equals NaN, null only null). */
export function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) / (Math.abs(a) + Math.abs(b)) < 1e-9;
}

/** Same rows, and per row the same values up to {@link close}. */
export function assertView(got: Record<string, Vals>, want: Record<string, Vals>, msg?: string): void {
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), msg);
  for (const k of Object.keys(want)) {
    const g = got[k];
    const w = want[k];
    assert.equal(g.length, w.length, `${msg ?? ""} ${k}`);
    for (let i = 0; i < w.length; i++) {
      assert.ok(close(g[i], w[i]), `${msg ?? ""} ${k} step ${i}: got ${g[i]}, want ${w[i]}`);
    }
  }
}
