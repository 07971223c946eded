import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "../../testing/prng.ts";
import { Annotations } from "../annotations.ts";
import { QueryError } from "../errors.ts";
import { type OracleGroup, oracleKey, PROMTOOL, promtoolValue, runOracle } from "../testing/promtool.ts";
import { formatGoFixed6, RANGE_FUNCTIONS } from "./range.ts";
import type { RangeFnContext } from "./types.ts";

/** A series loaded like the test scripts' `load <step>`: value i at i·step; `null` is a gap. */
interface Series {
  ts: Float64Array;
  vs: Float64Array;
}

function load(stepMs: number, values: readonly (number | null)[]): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  values.forEach((v, i) => {
    if (v !== null) {
      ts.push(i * stepMs);
      vs.push(v);
    }
  });
  return { ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
}

/** `a+bxN` of the test scripts: N+1 values a, a+b, … */
function seq(a: number, b: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => a + b * i);
}

interface Result {
  value: number | undefined;
  annos: Annotations;
}

/** Calls `fn` at `evalMs` over `[range]` with `offset`, as the engine would. */
function call(
  fn: string,
  s: Series,
  evalMs: number,
  rangeMs: number,
  params: number[] = [],
  offsetMs = 0,
  stepTime = evalMs,
): Result {
  const rangeEnd = evalMs - offsetMs;
  const rangeStart = rangeEnd - rangeMs;
  let lo = 0;
  while (lo < s.ts.length && s.ts[lo]! <= rangeStart) lo++;
  let hi = lo;
  while (hi < s.ts.length && s.ts[hi]! <= rangeEnd) hi++;
  const annos = new Annotations();
  const c: RangeFnContext = {
    ts: s.ts,
    vs: s.vs,
    lo,
    hi,
    rangeStart,
    rangeEnd,
    stepTime,
    step: 0,
    params: params.map((p) => Float64Array.of(p)),
    out: 0,
    annos,
    pos: { start: 0, end: 1 },
  };
  const f = RANGE_FUNCTIONS.get(fn);
  assert.ok(f, `unknown function ${fn}`);
  return { value: f(c) ? c.out : undefined, annos };
}

/** The scripts' float comparison: exact, both NaN, or relative difference below 1e-6. */
function close(got: number | undefined, want: number | undefined, tol = 1e-6): boolean {
  if (got === undefined || want === undefined) return got === want;
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want);
  if (got === want) return true;
  if (!Number.isFinite(got) || !Number.isFinite(want)) return false;
  return Math.abs(got - want) / (Math.abs(got) + Math.abs(want)) < tol;
}

const S = 1000;
const M = 60 * S;

describe("range functions: cases from the conformance scripts", () => {
  const http = {
    foo: load(5 * M, [1, 2, 3, 0, 1, 0, 0, 1, 2, 0]),
    bar: load(5 * M, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]),
    biz: load(5 * M, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
  };
  const counters = {
    foo: load(5 * M, seq(0, 10, 10)),
    bar: load(5 * M, [...seq(0, 18, 5), ...seq(0, 18, 5)]),
    dings: load(5 * M, seq(10, 10, 10)),
    bumms: load(5 * M, seq(1, 10, 10)),
  };
  const resetMiddle = load(5 * M, [...seq(0, 10, 4), ...seq(0, 10, 5)]);
  const zeroCutoff = (start: number) => load(4 * M, seq(start, 240, 10));
  const nanSeries = load(5 * M, [1, Number.NaN, Number.NaN, 5, 11]);

  const cases: {
    name: string;
    fn: string;
    s: Series;
    at: number;
    range: number;
    params?: number[];
    offset?: number;
    stepTime?: number;
    want: number | undefined;
  }[] = [
    {
      name: "resets 5m is empty of resets",
      fn: "resets",
      s: http.foo,
      at: 50 * M,
      range: 5 * M,
      want: undefined,
    },
    { name: "resets foo 20m", fn: "resets", s: http.foo, at: 50 * M, range: 20 * M, want: 1 },
    { name: "resets foo 32m", fn: "resets", s: http.foo, at: 50 * M, range: 32 * M, want: 2 },
    { name: "resets bar 32m", fn: "resets", s: http.bar, at: 50 * M, range: 32 * M, want: 1 },
    { name: "resets foo 50m", fn: "resets", s: http.foo, at: 50 * M, range: 50 * M, want: 3 },
    { name: "resets biz 50m", fn: "resets", s: http.biz, at: 50 * M, range: 50 * M, want: 0 },
    { name: "changes foo 6m", fn: "changes", s: http.foo, at: 50 * M, range: 6 * M, want: 0 },
    { name: "changes foo 20m", fn: "changes", s: http.foo, at: 50 * M, range: 20 * M, want: 2 },
    { name: "changes bar 30m", fn: "changes", s: http.bar, at: 50 * M, range: 30 * M, want: 4 },
    { name: "changes foo 50m", fn: "changes", s: http.foo, at: 50 * M, range: 50 * M, want: 7 },
    { name: "changes bar 50m", fn: "changes", s: http.bar, at: 50 * M, range: 50 * M, want: 8 },
    { name: "changes biz 50m", fn: "changes", s: http.biz, at: 50 * M, range: 50 * M, want: 1 },
    {
      name: "changes: NaN to NaN is no change",
      fn: "changes",
      s: load(5 * M, [Number.NaN, Number.NaN, Number.NaN]),
      at: 15 * M,
      range: 20 * M,
      want: 0,
    },
    {
      name: "changes: 0 NaN 0",
      fn: "changes",
      s: load(5 * M, [0, Number.NaN, 0]),
      at: 15 * M,
      range: 20 * M,
      want: 2,
    },
    { name: "increase foo", fn: "increase", s: counters.foo, at: 50 * M, range: 50 * M, want: 100 },
    { name: "increase bar (reset)", fn: "increase", s: counters.bar, at: 50 * M, range: 50 * M, want: 160 },
    { name: "increase dings", fn: "increase", s: counters.dings, at: 50 * M, range: 50 * M, want: 100 },
    { name: "increase bar 100m", fn: "increase", s: counters.bar, at: 50 * M, range: 100 * M, want: 162 },
    {
      name: "increase dings 100m: half interval",
      fn: "increase",
      s: counters.dings,
      at: 50 * M,
      range: 100 * M,
      want: 105,
    },
    {
      name: "increase bumms 100m: zero cutoff",
      fn: "increase",
      s: counters.bumms,
      at: 50 * M,
      range: 100 * M,
      want: 101,
    },
    {
      name: "increase: 3 2 is a reset to 0",
      fn: "increase",
      s: load(5 * M, [0, 1, 2, 3, 2, 3, 4]),
      at: 30 * M,
      range: 30 * M,
      want: 7,
    },
    {
      name: "rate: reset in the middle",
      fn: "rate",
      s: load(5 * M, [...seq(0, 27, 4), ...seq(0, 27, 5)]),
      at: 50 * M,
      range: 50 * M,
      want: 0.08,
    },
    {
      name: "rate: one sample in range",
      fn: "rate",
      s: load(5 * M, [...seq(0, 10, 9), 0, 10]),
      at: 50 * M,
      range: 5 * M,
      want: undefined,
    },
    {
      name: "rate: reset at the end",
      fn: "rate",
      s: load(5 * M, [...seq(0, 10, 9), 0, 10]),
      at: 50 * M,
      range: 6 * M,
      want: 0,
    },
    {
      name: "rate window",
      fn: "rate",
      s: load(5 * M, seq(0, 80, 10)),
      at: 50 * M,
      range: 50 * M,
      want: 0.26666666666666666,
    },
    {
      name: "rate with offset",
      fn: "rate",
      s: load(5 * M, seq(0, 10, 10)),
      at: 50 * M,
      range: 10 * M,
      offset: 5 * M,
      want: 0.03333333333333333,
    },
    ...[0, 1, 2, 3, 4, 5].map((k) => ({
      name: `rate zero cutoff start=${k}m at 10m`,
      fn: "rate",
      s: zeroCutoff(60 * k),
      at: 10 * M,
      range: 20 * M,
      want: [0.5, 0.55, 0.6, 0.6, 0.6, 0.6][k],
    })),
    ...[0, 1, 2, 3, 4, 5].map((k) => ({
      name: `rate zero cutoff start=${k}m at 50m`,
      fn: "rate",
      s: zeroCutoff(60 * k),
      at: 50 * M,
      range: 20 * M,
      want: 0.6,
    })),
    { name: "irate", fn: "irate", s: counters.foo, at: 50 * M, range: 50 * M, want: 0.03333333333333333 },
    {
      name: "irate at reset",
      fn: "irate",
      s: load(5 * M, [...seq(0, 10, 5), ...seq(0, 10, 5)]),
      at: 30 * M,
      range: 50 * M,
      want: 0,
    },
    { name: "irate NaN 5m", fn: "irate", s: nanSeries, at: 5 * M, range: 15 * M + S, want: Number.NaN },
    { name: "irate NaN 20m", fn: "irate", s: nanSeries, at: 20 * M, range: 15 * M + S, want: 0.02 },
    { name: "irate one sample", fn: "irate", s: nanSeries, at: 0, range: 15 * M + S, want: undefined },
    { name: "idelta NaN 20m", fn: "idelta", s: nanSeries, at: 20 * M, range: 15 * M + S, want: 6 },
    {
      name: "idelta foo",
      fn: "idelta",
      s: load(5 * M, [0, 50, 100, 150]),
      at: 20 * M,
      range: 20 * M,
      want: 50,
    },
    {
      name: "idelta bar",
      fn: "idelta",
      s: load(5 * M, [0, 50, 100, 50]),
      at: 20 * M,
      range: 20 * M,
      want: -50,
    },
    {
      name: "delta up",
      fn: "delta",
      s: load(5 * M, [0, 50, 100, 150, 200]),
      at: 20 * M,
      range: 20 * M,
      want: 200,
    },
    {
      name: "delta down",
      fn: "delta",
      s: load(5 * M, [200, 150, 100, 50, 0]),
      at: 20 * M,
      range: 20 * M,
      want: -200,
    },
    {
      name: "deriv = rate",
      fn: "deriv",
      s: load(5 * M, seq(0, 80, 10)),
      at: 50 * M,
      range: 50 * M,
      want: 0.26666666666666666,
    },
    { name: "deriv", fn: "deriv", s: resetMiddle, at: 50 * M, range: 100 * M, want: 0.010606060606060607 },
    {
      name: "deriv with Inf",
      fn: "deriv",
      s: load(5 * M, [Number.NEGATIVE_INFINITY, ...seq(0, 80, 10), Number.POSITIVE_INFINITY]),
      at: 100 * M,
      range: 100 * M,
      want: Number.NaN,
    },
    {
      name: "predict_linear",
      fn: "predict_linear",
      s: resetMiddle,
      at: 50 * M,
      range: 50 * M,
      params: [3600],
      want: 70,
    },
    {
      name: "predict_linear @ 3000 at 50m",
      fn: "predict_linear",
      s: resetMiddle,
      at: 50 * M,
      range: 55 * M,
      params: [3600],
      want: 76.81818181818181,
    },
    {
      name: "predict_linear @ 3000 at 10m: intercept at the step time",
      fn: "predict_linear",
      s: resetMiddle,
      at: 50 * M,
      stepTime: 10 * M,
      range: 55 * M,
      params: [3600],
      want: 51.36363636363637,
    },
    {
      name: "predict_linear @ 3000 at 70m",
      fn: "predict_linear",
      s: resetMiddle,
      at: 50 * M,
      stepTime: 70 * M,
      range: 55 * M,
      params: [3600],
      want: 89.54545454545455,
    },
    {
      name: "predict_linear with Inf",
      fn: "predict_linear",
      s: load(5 * M, [Number.NEGATIVE_INFINITY, ...seq(0, 80, 10), Number.POSITIVE_INFINITY]),
      at: 100 * M,
      range: 100 * M,
      params: [6000],
      want: Number.NaN,
    },
    {
      name: "double_exponential_smoothing positive trend",
      fn: "double_exponential_smoothing",
      s: load(10 * S, [...seq(0, 30, 1000), ...seq(300, 80, 1000)]),
      at: 8000 * S,
      range: M,
      params: [0.01, 0.1],
      want: 24000,
    },
    {
      name: "double_exponential_smoothing negative trend",
      fn: "double_exponential_smoothing",
      s: load(10 * S, seq(0, -20, 1000)),
      at: 8000 * S,
      range: M,
      params: [0.01, 0.1],
      want: -16000,
    },
    {
      name: "double_exponential_smoothing one sample",
      fn: "double_exponential_smoothing",
      s: load(10 * S, [1, 2]),
      at: 10 * S,
      range: 5 * S,
      params: [0.5, 0.5],
      want: undefined,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = call(tc.fn, tc.s, tc.at, tc.range, tc.params, tc.offset, tc.stepTime ?? tc.at).value;
      assert.ok(close(got, tc.want), `${tc.fn}: got ${got}, want ${tc.want}`);
    });
  }
});

describe("*_over_time: cases from the conformance scripts", () => {
  const inf = Number.POSITIVE_INFINITY;
  const big = 9.988465674311579e307;
  const avgCases: [string, number[], number][] = [
    ["1..5", [1, 2, 3, 4, 5], 3],
    ["ends in Inf", [1, 2, 3, 4, inf], inf],
    ["ends in -Inf", [1, 2, 3, 4, -inf], -inf],
    ["Inf then -Inf", [1, 2, 3, inf, -inf], Number.NaN],
    ["Inf 0 Inf", [inf, 0, inf], inf],
    ["Inf Inf Inf -Inf", [inf, inf, inf, -inf], Number.NaN],
    ["-Inf 0 -Inf", [-inf, 0, -inf], -inf],
    ["1 2 -Inf -Inf Inf", [1, 2, -inf, -inf, inf], Number.NaN],
    ["huge, overflowing a plain sum", [big, big], big],
    ["huge negative", [-big, -big, -big], -big],
    ["huge cancelling", [-big, big], 0],
    ["with NaN", [1, 2, 3, Number.NaN, Number.NaN], Number.NaN],
    ["1e100 cancels (Kahan)", [1, 1e100, 1, -1e100], 0.5],
    ["positive magnitudes", [1e10, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6], 1.6666666666666675e9],
    [
      "mixed magnitudes",
      [
        5.30921651659898, 0.961118537914768, 1.62091361305318, 0.865089463758091, 0.323055185914577,
        0.951811357687154,
      ],
      1.67186744582113,
    ],
    ["1.78e50 first", [1.78264e50, 0.76342771, 1.9592258, 7.69805412, 458.90154], 3.56528e49],
    ["1.78e50 inside", [0.76342771, 1.9592258, 7.69805412, 1.78264e50, 458.90154], 3.56528e49],
    [
      "2.258e220",
      [1.78264e50, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 458.90154],
      3.76333333333333e219,
    ],
    [
      "negative -1.78e50",
      [-1.78264e50, 0.76342771, 1.9592258, 2.258e220, 7.69805412, -458.90154],
      3.76333333333333e219,
    ],
    [
      "negative -2.258e220",
      [-1.78264e50, 0.76342771, 1.9592258, -2.258e220, 7.69805412, -458.90154],
      -3.76333333333333e219,
    ],
    [
      "-1.78e215",
      [-1.78264e215, 0.76342771, 1.9592258, 2.258e220, 7.69805412, -458.90154],
      3.76330362266667e219,
    ],
    [
      "±1.78e215",
      [-1.78264e215, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 1.78264e215, -458.90154],
      3.225714285714286e219,
    ],
    [
      "metric10",
      [
        -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220, 7.69805412,
        1.78264e219, -458.90154,
      ],
      2.5088888888888888e219,
    ],
    [
      "all large values cancel: Kahan gives 0",
      [
        -2.258e220, -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220, 7.69805412,
        1.78264e219, -458.90154,
      ],
      0,
    ],
  ];
  for (const [name, values, want] of avgCases) {
    it(`avg_over_time: ${name}`, () => {
      const got = call("avg_over_time", load(5 * S, values), 55 * S, M).value;
      assert.ok(close(got, want), `got ${got}, want ${want}`);
    });
  }

  it("avg_over_time of constants is exactly the constant (direct mean)", () => {
    const s = load(10 * S, seq(52, 0, 100));
    for (const range of [100, 110, 120, 130]) {
      assert.equal(call("avg_over_time", s, 10 * M, range * S).value, 52);
    }
  });

  it("sum_over_time: Kahan keeps small values next to 1e100", () => {
    assert.equal(call("sum_over_time", load(10 * S, [1, 1e100, 1, -1e100]), M, 2 * M).value, 2);
  });

  it("sum_over_time on dense samples", () => {
    const s = load(1, seq(1, 0, 4000));
    for (const r of [1000, 1001, 1002, 1003, 2000, 2001, 2002, 2003, 3000, 3001, 3002, 3003]) {
      assert.equal(call("sum_over_time", s, 4 * S, r).value, r);
    }
  });

  it("sum_over_time overflow stays infinite", () => {
    assert.equal(call("sum_over_time", load(10 * S, [big, big]), 55 * S, M).value, inf);
    assert.equal(call("sum_over_time", load(10 * S, [-big, -big]), 55 * S, M).value, -inf);
  });

  it("stdvar_over_time and stddev_over_time", () => {
    const s = load(10 * S, [0, 8, 8, 2, 3]);
    assert.ok(close(call("stdvar_over_time", s, M, 2 * M).value, 10.56));
    assert.ok(close(call("stddev_over_time", s, M, 2 * M).value, 3.249615));
    const constant = load(10 * S, [1.5990505637277868, 1.5990505637277868, 1.5990505637277868]);
    assert.equal(call("stdvar_over_time", constant, 55 * S, M).value, 0);
    assert.equal(call("stddev_over_time", constant, 55 * S, M).value, 0);
  });

  it("mad_over_time", () => {
    assert.equal(call("mad_over_time", load(10 * S, [4, 6, 2, 1, 999, 1, 2]), 70 * S, 70 * S).value, 1);
  });

  it("ts_of_min/max/last_over_time with odd spacing", () => {
    const s = load(10053, [1, 2, 3, 0, 5, 6, 2, 1, 4]);
    assert.equal(call("ts_of_min_over_time", s, 90 * S, 90 * S).value, 30.159);
    assert.equal(call("ts_of_max_over_time", s, 90 * S, 90 * S).value, 50.265);
    const gaps = load(10053, [1, 2, 3, null, null]);
    assert.equal(call("ts_of_last_over_time", gaps, 90 * S, 90 * S).value, 20.106);
    assert.equal(call("ts_of_last_over_time", gaps, 95 * S, 90 * S).value, 20.106);
  });

  it("ts_of_max/min_over_time take the last of equal extremes", () => {
    const s = load(S, [3, 1, 3, 1]);
    assert.equal(call("ts_of_max_over_time", s, 3 * S, 10 * S).value, 2);
    assert.equal(call("ts_of_min_over_time", s, 3 * S, 10 * S).value, 3);
    assert.equal(call("max_over_time", s, 3 * S, 10 * S).value, 3);
  });

  const nan = Number.NaN;
  const minMax: [string, number[], number, number, number][] = [
    ["numbers", [2, 0, 3], 0, 3, 3],
    ["some_nan", [2, 0, nan], 0, 2, nan],
    ["some_nan2", [2, nan, 1], 1, 2, 1],
    ["some_nan3", [nan, 0, 1], 0, 1, 1],
    ["only_nan", [nan, nan, nan], nan, nan, nan],
  ];
  for (const [name, values, min, max, last] of minMax) {
    it(`min/max/last/count_over_time: ${name}`, () => {
      const s = load(10 * S, values);
      assert.ok(close(call("min_over_time", s, M, 2 * M).value, min));
      assert.ok(close(call("max_over_time", s, M, 2 * M).value, max));
      assert.ok(close(call("last_over_time", s, M, 2 * M).value, last));
      assert.equal(call("count_over_time", s, M, 2 * M).value, 3);
      assert.equal(call("present_over_time", s, M, 2 * M).value, 1);
    });
  }

  const quantiles: [number, number, number, number][] = [
    [0, 0, 0, 0],
    [0.5, 0.5, 1, 1],
    [0.75, 0.75, 1.5, 2.5],
    [0.8, 0.8, 1.6, 2.8],
    [1, 1, 2, 4],
    [-1, -inf, -inf, -inf],
    [2, inf, inf, inf],
  ];
  for (const [q, two, three, uneven] of quantiles) {
    it(`quantile_over_time(${q})`, () => {
      for (const [values, want] of [
        [[0, 1], two],
        [[0, 1, 2], three],
        [[0, 1, 4], uneven],
      ] as const) {
        const r = call("quantile_over_time", load(10 * S, values), M, 2 * M, [q]);
        assert.ok(close(r.value, want), `q=${q} ${values}: got ${r.value}`);
        const warnings = r.annos.strings("warning");
        if (q < 0 || q > 1) {
          assert.deepEqual(warnings, [
            `PromQL warning: quantile value should be between 0 and 1, got ${q === 2 ? "2" : "-1"}`,
          ]);
        } else assert.deepEqual(warnings, []);
      }
    });
  }

  it("quantile_over_time: NaN quantile warns and gives NaN; NaNs sort first", () => {
    const r = call("quantile_over_time", load(10 * S, [0, 1]), M, 2 * M, [Number.NaN]);
    assert.ok(Number.isNaN(r.value!));
    assert.equal(r.annos.size, 1);
    assert.ok(Number.isNaN(call("quantile_over_time", load(10 * S, [5, nan, 1]), M, 2 * M, [0]).value!));
    assert.equal(call("quantile_over_time", load(10 * S, [5, nan, 1]), M, 2 * M, [1]).value, 5);
  });
});

describe("range functions: empty windows and errors", () => {
  it("every function returns nothing for an empty window", () => {
    const s = load(M, [1, 2, 3]);
    for (const name of RANGE_FUNCTIONS.keys()) {
      const params = name === "double_exponential_smoothing" ? [2, 2] : [0.5];
      assert.equal(call(name, s, 30 * M, M, params).value, undefined, name);
    }
  });

  it("double_exponential_smoothing rejects factors outside (0, 1) with upstream's text", () => {
    const s = load(M, [1, 2, 3]);
    const cases: [number, number, string][] = [
      [0, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000"],
      [1, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000"],
      [Number.NaN, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: NaN"],
      [0.5, -0.25, "invalid trend factor. Expected: 0 < tf < 1, got: -0.250000"],
      [0.5, 1.5, "invalid trend factor. Expected: 0 < tf < 1, got: 1.500000"],
    ];
    for (const [sf, tf, msg] of cases) {
      assert.throws(
        () => call("double_exponential_smoothing", s, 2 * M, 5 * M, [sf, tf]),
        (e: unknown) => e instanceof QueryError && e.type === "execution" && e.message === msg,
      );
    }
  });

  it("formatGoFixed6 follows Go's %f", () => {
    const cases: [number, string][] = [
      [0, "0.000000"],
      [-0, "-0.000000"],
      [1.5, "1.500000"],
      [0.0078125, "0.007812"], // exact tie: to even
      [0.0234375, "0.023438"], // exact tie: to even (up)
      [2.9999999, "3.000000"],
      [1e21, "1000000000000000000000.000000"],
      [-1e-7, "-0.000000"],
      [Number.POSITIVE_INFINITY, "+Inf"],
      [Number.NEGATIVE_INFINITY, "-Inf"],
    ];
    for (const [v, want] of cases) assert.equal(formatGoFixed6(v), want, String(v));
  });
});

describe("range functions against promtool (v3.5.3)", () => {
  /** Values in promtool's notation, and the same as floats (null: gap). */
  function randomSeries(seed: number, kind: number): (number | null)[] {
    const r = mulberry32(seed);
    const out: (number | null)[] = [];
    let counter = r() * 100;
    for (let i = 0; i < 90; i++) {
      if (r() < 0.12) {
        out.push(null);
        continue;
      }
      switch (kind) {
        case 0: // counter with resets
          counter = r() < 0.07 ? r() * 10 : counter + r() * 50;
          out.push(Math.round(counter * 1000) / 1000);
          break;
        case 1: // gauge around zero
          out.push(Math.round((r() - 0.5) * 2000) / 100);
          break;
        case 2: // huge magnitudes
          out.push((r() < 0.5 ? -1 : 1) * 10 ** Math.floor(r() * 300) * r());
          break;
        case 3: // specials mixed in
          out.push(
            r() < 0.1 ? [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][i % 3]! : r() * 10,
          );
          break;
        default: // a constant with a step
          out.push(i < 45 ? 7.25 : 1e6 + 0.1);
      }
    }
    return out;
  }

  function notation(v: number | null): string {
    return v === null ? "_" : promtoolValue(v);
  }

  const fns: [string, number[]][] = [
    ["rate", []],
    ["increase", []],
    ["delta", []],
    ["irate", []],
    ["idelta", []],
    ["deriv", []],
    ["predict_linear", [600]],
    ["double_exponential_smoothing", [0.3, 0.6]],
    ["changes", []],
    ["resets", []],
    ["avg_over_time", []],
    ["sum_over_time", []],
    ["count_over_time", []],
    ["min_over_time", []],
    ["max_over_time", []],
    ["last_over_time", []],
    ["present_over_time", []],
    ["stddev_over_time", []],
    ["stdvar_over_time", []],
    ["quantile_over_time", [0.37]],
    ["mad_over_time", []],
    ["ts_of_min_over_time", []],
    ["ts_of_max_over_time", []],
    ["ts_of_last_over_time", []],
  ];
  const ranges = [60, 150, 330, 1020, 3000];
  const evals = [0, 95, 600, 1830, 2700, 4000, 5400];

  it("matches upstream on random series", (t) => {
    if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
    const groups: OracleGroup[] = [];
    const data: Series[] = [];
    for (let kind = 0; kind < 5; kind++) {
      const values = randomSeries(1000 + kind, kind);
      data.push(load(M, values));
      const exprs: OracleGroup["exprs"] = [];
      for (const [fn, params] of fns) {
        for (const range of ranges) {
          const args = [...(fn === "quantile_over_time" ? params : []), `m${kind}[${range}s]`];
          if (fn !== "quantile_over_time") args.push(...params.map(String));
          for (const at of evals) exprs.push({ expr: `${fn}(${args.join(", ")})`, evalSeconds: at });
        }
      }
      groups.push({
        series: [{ selector: `m${kind}`, values: values.map(notation).join(" ") }],
        intervalSeconds: 60,
        exprs,
      });
    }
    const got = runOracle(groups);
    let compared = 0;
    const failures: string[] = [];
    groups.forEach((g, k) => {
      for (const e of g.exprs) {
        const want = got.get(oracleKey(e.expr, e.evalSeconds));
        assert.ok(typeof want !== "string", `promtool failed on ${e.expr}: ${want}`);
        const fn = e.expr.slice(0, e.expr.indexOf("("));
        const params = fns.find(([n]) => n === fn)![1];
        const range = Number(/\[(\d+)s\]/.exec(e.expr)![1]) * S;
        const mine = call(fn, data[k]!, e.evalSeconds * S, range, params).value;
        const theirs = want === undefined || want.length === 0 ? undefined : want[0]!.value;
        compared++;
        if (!close(mine, theirs, 0))
          failures.push(`${e.expr} @${e.evalSeconds}s (series ${k}): mine ${mine}, upstream ${theirs}`);
      }
    });
    assert.ok(compared > 4000);
    assert.deepEqual(failures, []);
  });
});
