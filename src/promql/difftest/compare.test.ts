import assert from "node:assert/strict";
import { test } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import type { QueryValue } from "../value.ts";
import { compareOutcomes, defaultCompareOptions, floatsEqual, type Outcome } from "./compare.ts";
import { decodeValue, formatTime, parseApiFloat } from "./prometheus.ts";

test("floatsEqual", () => {
  const cases: [number, number, boolean][] = [
    [1, 1, true],
    [Number.NaN, Number.NaN, true],
    [Number.NaN, 0, false],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, true],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, false],
    [Number.POSITIVE_INFINITY, 1e308, false],
    [1e9, 1e9 * (1 + 1e-7), true],
    [1e9, 1e9 * (1 + 1e-5), false],
    [0, 1e-15, true],
    [0, 1e-9, false],
    [-0, 0, true],
  ];
  for (const [a, b, want] of cases) assert.equal(floatsEqual(a, b), want, `${a} vs ${b}`);
});

const l = (...flat: string[]): Labels => Labels.fromStrings(...flat);
const ok = (value: QueryValue): Outcome => ({ ok: true, value, warnings: [], infos: [] });
const vec = (...s: [Labels, number][]): QueryValue => ({
  type: "vector",
  samples: s.map(([metric, f]) => ({ metric, t: 1000, f })),
});

/** A matrix of `[labels, timestamps, values]` series. */
const mat = (...s: [Labels, number[], number[]][]): QueryValue => ({
  type: "matrix",
  series: s.map(([metric, t, f]) => ({ metric, t, f })),
});

test("compareOutcomes classifies differences", () => {
  const a = l("__name__", "x", "job", "a");
  const b = l("__name__", "x", "job", "b");
  const cases: [string, Outcome, Outcome, string | null, boolean?][] = [
    ["same, any order", ok(vec([a, 1], [b, 2])), ok(vec([b, 2], [a, 1])), null],
    ["ordered: value order differs", ok(vec([a, 1], [b, 2])), ok(vec([b, 2], [a, 1])), "order", true],
    ["ordered: ties in either order", ok(vec([a, 1], [b, 1])), ok(vec([b, 1], [a, 1])), null, true],
    ["value", ok(vec([a, 1])), ok(vec([a, 1.1])), "values"],
    ["NaN equals NaN", ok(vec([a, Number.NaN])), ok(vec([a, Number.NaN])), null],
    ["name only", ok(vec([a, 1])), ok(vec([a.withoutName(), 1])), "name-removal"],
    ["labels", ok(vec([a, 1])), ok(vec([b, 1])), "labels"],
    ["labels counted as a multiset", ok(vec([a, 1], [a, 1])), ok(vec([a, 1], [b, 1])), "labels"],
    [
      "matrix series in any order",
      ok(mat([a, [1], [1]], [b, [1], [2]])),
      ok(mat([b, [1], [2]], [a, [1], [1]])),
      null,
    ],
    [
      "matrix values paired by labels",
      ok(mat([a, [1], [1]], [b, [1], [2]])),
      ok(mat([b, [1], [1]], [a, [1], [2]])),
      "values",
    ],
    [
      "both errors",
      { ok: false, errorType: "bad_data", message: "x" },
      { ok: false, errorType: "execution", message: "y" },
      null,
    ],
    ["one error", ok(vec()), { ok: false, errorType: "execution", message: "y" }, "error"],
    ["type", ok({ type: "scalar", t: 1, v: 1 }), ok(vec()), "type"],
    ["matrix timestamps", ok(mat([a, [1, 2], [1, 1]])), ok(mat([a, [1, 3], [1, 1]])), "timestamps"],
    ["matrix missing point", ok(mat([a, [1, 2], [1, 1]])), ok(mat([a, [1], [1]])), "timestamps"],
  ];
  for (const [name, x, y, want, ordered] of cases) {
    const d = compareOutcomes(x, y, { ...defaultCompareOptions, ordered: ordered === true });
    assert.equal(d?.cause ?? null, want, name);
  }
});

test("decodeValue and API number formats", () => {
  assert.equal(parseApiFloat("+Inf"), Number.POSITIVE_INFINITY);
  assert.equal(parseApiFloat("-Inf"), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(parseApiFloat("NaN")));
  assert.equal(parseApiFloat("1e-3"), 0.001);
  assert.equal(formatTime(1_700_000_000_123), "1700000000.123");
  const v = decodeValue("matrix", [{ metric: { job: "a", __name__: "x" }, values: [[1700000000.5, "2"]] }]);
  assert.equal(v.type, "matrix");
  if (v.type !== "matrix") return;
  assert.ok(v.series[0]!.metric.equals(l("__name__", "x", "job", "a")));
  assert.deepEqual(v.series[0]!.t, [1_700_000_000_500]);
  assert.deepEqual(v.series[0]!.f, [2]);
  assert.deepEqual(decodeValue("scalar", [12.25, "3"]), { type: "scalar", t: 12_250, v: 3 });
});
