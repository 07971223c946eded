import assert from "node:assert/strict";
import { test } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import type { QueryValue } from "../value.ts";
import {
  almostEqual,
  assertMatrixSorted,
  checkAnnotations,
  checkExpectedFailure,
  compareResult,
} from "./compare.ts";
import { type EvalCmd, parseScript } from "./script.ts";
import { STALE_NAN_BITS } from "./series.ts";

function ev(script: string): EvalCmd {
  return parseScript(script)[0] as EvalCmd;
}

const L = (...flat: string[]): Labels => Labels.fromStrings(...flat);

test("float tolerance", () => {
  const stale = STALE_NAN_BITS[0]!;
  const cases: [number, number, boolean][] = [
    [1, 1, true],
    [1, 1 + 1e-7, true],
    [1, 1 + 1e-5, false],
    [1e300, 1.0000001e300, true],
    [-5, -5.000001, true],
    [Number.NaN, Number.NaN, true],
    [Number.NaN, -Number.NaN, true],
    [stale, stale, true],
    [stale, Number.NaN, false],
    [Number.NaN, stale, false],
    [stale, 1, false],
    [0, 1e-12, false],
    [0, 0, true],
    [0, -0, true],
    [0, 1e-300, false],
    // Against 0 (or between subnormals) the allowed difference is 1e-6 × 2.2e-308.
    [0, 1e-320, true],
    [5e-324, 1e-323, true],
    [Infinity, Infinity, true],
    [-Infinity, -Infinity, true],
    [Infinity, -Infinity, false],
    [Infinity, Number.MAX_VALUE, false],
    [Number.NaN, 1, false],
  ];
  for (const [a, b, want] of cases) assert.equal(almostEqual(a, b), want, `${a} vs ${b}`);
});

test("instant vectors: label sets in full, values with tolerance, order ignored", () => {
  const e = ev('eval instant at 0 x\n  x{a="1"} 1\n  {a="2"} 2\n');
  const vec = (samples: [Labels, number][]): QueryValue => ({
    type: "vector",
    samples: samples.map(([metric, f]) => ({ metric, t: 0, f })),
  });
  assert.equal(
    compareResult(
      e,
      vec([
        [L("a", "2"), 2.0000001],
        [L("__name__", "x", "a", "1"), 1],
      ]),
    ),
    null,
  );
  // __name__ matters.
  assert.match(
    compareResult(
      e,
      vec([
        [L("a", "1"), 1],
        [L("a", "2"), 2],
      ]),
    )!,
    /unexpected metric \{a="1"\}/,
  );
  assert.match(
    compareResult(e, vec([[L("__name__", "x", "a", "1"), 1]]))!,
    /expected metric \{a="2"\} with 2 not found/,
  );
  assert.match(
    compareResult(
      e,
      vec([
        [L("__name__", "x", "a", "1"), 1.1],
        [L("a", "2"), 2],
      ]),
    )!,
    /expected 1 for .* but got 1.1/,
  );
  assert.match(compareResult(e, { type: "scalar", t: 0, v: 1 })!, /expected vector or matrix result/);
  // Nothing expected: the result must be empty.
  const empty = ev("eval instant at 0 x\n");
  assert.equal(compareResult(empty, vec([])), null);
  assert.equal(compareResult(empty, { type: "matrix", series: [] }), null);
  assert.match(compareResult(empty, vec([[L("a", "1"), 1]]))!, /unexpected metric/);
});

test("ordered vectors", () => {
  const e = ev('eval_ordered instant at 0 sort(x)\n  {a="1"} 1\n  {a="2"} 2\n');
  const s = (a: string, f: number) => ({ metric: L("a", a), t: 0, f });
  assert.equal(compareResult(e, { type: "vector", samples: [s("1", 1), s("2", 2)] }), null);
  assert.match(
    compareResult(e, { type: "vector", samples: [s("2", 2), s("1", 1)] })!,
    /expected metric \{a="2"\} at position 2 but was at 1/,
  );
  assert.match(compareResult(e, { type: "matrix", series: [] })!, /expected ordered result/);
});

test("scalars", () => {
  const e = ev("eval instant at 0 scalar(x)\n  NaN\n");
  assert.equal(compareResult(e, { type: "scalar", t: 0, v: Number.NaN }), null);
  assert.match(compareResult(e, { type: "scalar", t: 0, v: 1 })!, /expected scalar NaN but got 1/);
  assert.match(compareResult(e, { type: "vector", samples: [] })!, /expected scalar result/);
  assert.match(compareResult(e, { type: "string", t: 0, v: "s" })!, /string results are not supported/);
});

test("range matrices: sorted, points at the expected steps", () => {
  const e = ev('eval range from 0 to 3m step 1m x\n  x{a="1"} 1 _ 3 4\n  {a="2"} _x2 5\n');
  const m = (series: [Labels, number[], number[]][]): QueryValue => ({
    type: "matrix",
    series: series.map(([metric, t, f]) => ({ metric, t, f })),
  });
  const good: [Labels, number[], number[]][] = [
    [L("__name__", "x", "a", "1"), [0, 120_000, 180_000], [1, 3, 4]],
    [L("a", "2"), [120_000], [5]],
  ];
  assert.equal(compareResult(e, m(good)), null);
  assert.match(compareResult(e, m([good[1]!, good[0]!]))!, /not sorted/);
  assert.match(
    compareResult(
      e,
      m([
        [L("__name__", "x", "a", "1"), [0, 60_000, 180_000], [1, 3, 4]],
        [L("a", "2"), [120_000], [5]],
      ]),
    )!,
    /to have timestamp 120000, but it had timestamp 60000/,
  );
  assert.match(
    compareResult(
      e,
      m([
        [L("__name__", "x", "a", "1"), [0, 120_000], [1, 3]],
        [L("a", "2"), [120_000], [5]],
      ]),
    )!,
    /expected 3 float points and 0 histogram points/,
  );
  assert.match(compareResult(e, m([good[0]!]))!, /expected metric \{a="2"\} not found/);
  assert.match(
    compareResult(ev("eval range from 0 to 1m step 1m x\n  {} 1 2 3\n"), m([[L(), [0, 60_000], [1, 2]]]))!,
    /cannot return this many points/,
  );
  // An instant eval cannot expect matrix points.
  assert.match(
    compareResult(ev("eval instant at 1m x[1m]\n  {} 1\n"), m([[L(), [60_000], [1]]]))!,
    /cannot return this many points/,
  );
  assert.equal(assertMatrixSorted([]), null);
});

test("expected stale markers only match stale markers", () => {
  const e = ev("eval range from 0 to 1m step 1m x\n  {} 1 stale\n");
  // A typed array keeps the marker's payload (a plain array may not).
  const typed = new Float64Array(2);
  typed[0] = 1;
  typed[1] = STALE_NAN_BITS[0]!;
  const f = typed as unknown as number[];
  assert.equal(compareResult(e, { type: "matrix", series: [{ metric: L(), t: [0, 60_000], f }] }), null);
  assert.match(
    compareResult(e, { type: "matrix", series: [{ metric: L(), t: [0, 60_000], f: [1, Number.NaN] }] })!,
    /to be stale, but got NaN/,
  );
});

test("annotation expectations", () => {
  const none = { warnings: [], infos: [] };
  const w = { warnings: ["PromQL warning: a"], infos: [] };
  const i = { warnings: [], infos: ["PromQL info: b"] };
  const cases: [string, { warnings: string[]; infos: string[] }, RegExp | null][] = [
    ["eval instant at 0 x\n", w, null],
    ["eval instant at 0 x\n", i, null],
    ["eval_warn instant at 0 x\n", none, /expected warnings but got none/],
    ["eval_warn instant at 0 x\n", w, null],
    ["eval_info instant at 0 x\n", none, /expected info annotations/],
    ["eval_info instant at 0 x\n", { warnings: ["PromQL warning: a"], infos: ["PromQL info: b"] }, null],
    ["eval instant at 0 x\n  expect warn\n", none, /expected warn annotations but none/],
    ["eval instant at 0 x\n  expect warn\n", w, null],
    ["eval instant at 0 x\n  expect warn msg: PromQL warning: a\n", w, null],
    ["eval instant at 0 x\n  expect warn msg: PromQL warning: z\n", w, /no matching annotation/],
    [
      "eval instant at 0 x\n  expect warn msg: PromQL warning: a\n",
      { warnings: ["PromQL warning: a", "PromQL warning: c"], infos: [] },
      /unexpected warn annotation "PromQL warning: c"/,
    ],
    ["eval instant at 0 x\n  expect info regex: ^PromQL info\n", i, null],
    ["eval instant at 0 x\n  expect no_warn\n", w, /unexpected warning annotations/],
    ["eval instant at 0 x\n  expect no_warn\n", i, null],
    ["eval instant at 0 x\n  expect no_info\n", i, /unexpected info annotations/],
  ];
  for (const [script, annos, want] of cases) {
    const got = checkAnnotations(ev(script), annos);
    if (want === null) assert.equal(got, null, script);
    else assert.match(got ?? "", want, script);
  }
});

test("expected failures", () => {
  const cases: [string, string, boolean][] = [
    ["eval_fail instant at 0 x\n", "anything", true],
    ["eval_fail instant at 0 x\n  expected_fail_message boom\n", "boom", true],
    ["eval_fail instant at 0 x\n  expected_fail_message boom\n", "boom!", false],
    ["eval_fail instant at 0 x\n  expected_fail_regexp b.om\n", "a boom!", true],
    ["eval_fail instant at 0 x\n  expected_fail_regexp ^b.om$\n", "a boom", false],
    ["eval instant at 0 x\n  expect fail\n", "anything", true],
    ["eval instant at 0 x\n  expect fail msg: boom\n", "boom", true],
    ["eval instant at 0 x\n  expect fail msg: boom\n", "bam", false],
    ["eval instant at 0 x\n  expect fail regex: o+m\n", "boom", true],
  ];
  for (const [script, msg, ok] of cases) {
    assert.equal(checkExpectedFailure(ev(script), msg) === null, ok, `${script} / ${msg}`);
  }
});
