import assert from "node:assert/strict";
import { test } from "node:test";
import { Matcher } from "../../model/labels/matcher.ts";
import { ValueType } from "../../storage/interface.ts";
import { type LoadCmd, parseScript } from "./script.ts";
import { isStaleNaN } from "./series.ts";
import { nhcbSeries, TestStorage } from "./storage.ts";

function loads(script: string): LoadCmd[] {
  return parseScript(script).filter((c): c is LoadCmd => c.kind === "load");
}

/** All samples of series `name` as [t, v, stale] triples. */
function read(st: TestStorage, name: string): [number, number, boolean][] {
  const q = st.queryable.querier(-1e15, 1e15);
  const set = q.select(true, undefined, Matcher.create("=", "__name__", name));
  const out: [number, number, boolean][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next() !== ValueType.None) out.push([it.atT(), it.atV(), isStaleNaN(it.atV())]);
  }
  q.close();
  return out;
}

test("load stores floats at i × step, skipping `_`, keeping stale markers", () => {
  const st = new TestStorage();
  for (const l of loads("load 1m\n  m 1 _ stale 4\n  h {{count:1}} 5\n")) st.load(l);
  assert.deepEqual(
    read(st, "m").map(([t, v, s]) => [t, s ? "stale" : v]),
    [
      [0, 1],
      [120_000, "stale"],
      [180_000, 4],
    ],
  );
  // Histogram samples are not stored; the series is recorded as a histogram series.
  assert.deepEqual(read(st, "h"), [[60_000, 5, false]]);
  assert.deepEqual(
    [...st.histogramSeries.values()].map((l) => l.toString()),
    ['{__name__="h"}'],
  );
  st.clear();
  assert.deepEqual(read(st, "m"), []);
  assert.equal(st.histogramSeries.size, 0);
});

test("loads add up; out-of-order appends fail", () => {
  const st = new TestStorage();
  const [a, b, c] = loads("load 1m\n  m 1 2\n\nload 1m\n  m _ _ 3\n\nload 1m\n  m 9\n");
  st.load(a!);
  st.load(b!);
  assert.deepEqual(
    read(st, "m").map(([t, v]) => [t, v]),
    [
      [0, 1],
      [60_000, 2],
      [120_000, 3],
    ],
  );
  assert.throws(() => st.load(c!));
});

test("load_with_nhcb records the derived histogram series", () => {
  const [l] = loads(`load_with_nhcb 1m
  x_bucket{le="1", job="a"} 1
  x_bucket{le="+Inf", job="a"} 2
  x_count{job="a"} 2
  x_sum{job="a"} 3
  y_bucket{le="NaN"} 1
  z_bucket{le="garbage"} 1
  w_sum 1
  v_count _
  plain 1
`);
  assert.deepEqual(
    nhcbSeries(l!).map((s) => s.toString()),
    ['{__name__="x", job="a"}', '{__name__="w"}'],
  );
  const st = new TestStorage();
  st.load(l!);
  assert.equal(st.histogramSeries.size, 2);
  // The classic series are stored as floats.
  assert.equal(read(st, "x_bucket").length, 2);
});
