import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "../../testing/prng.ts";
import { oracleKey, PROMTOOL, runOracle } from "../testing/promtool.ts";
import { type Bucket, bucketFraction, bucketQuantile } from "./histogram.ts";

const inf = Number.POSITIVE_INFINITY;

/** Buckets from `[le, count]` pairs. */
function hist(pairs: [number, number][]): Bucket[] {
  return pairs.map(([upperBound, count]) => ({ upperBound, count }));
}

function close(got: number, want: number): boolean {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want);
  if (got === want) return true;
  return Math.abs(got - want) / (Math.abs(got) + Math.abs(want)) < 1e-6;
}

// The classic histograms of histograms.test at 50m (and testhistogram2 also at 7m).
const positive = (): Bucket[] =>
  hist([
    [0.1, 50],
    [0.2, 70],
    [1, 110],
    [inf, 120],
  ]);
const negative = (): Bucket[] =>
  hist([
    [-0.2, 10],
    [-0.1, 20],
    [0.3, 20],
    [inf, 30],
  ]);
const positive3 = (): Bucket[] =>
  hist([
    [0, 0],
    [0.1, 50],
    [0.2, 70],
    [1, 110],
    [inf, 110],
  ]);
const negative3 = (): Bucket[] =>
  hist([
    [-0.25, 0],
    [-0.2, 10],
    [-0.1, 20],
    [0.3, 20],
    [inf, 20],
  ]);
const hist2at50m = (): Bucket[] =>
  hist([
    [0, 0],
    [2, 10],
    [4, 20],
    [6, 30],
    [inf, 30],
  ]);
const hist2at7m = (): Bucket[] =>
  hist([
    [inf, 3],
    [4, 2],
    [0, 0],
    [6, 3],
    [2, 1],
  ]); // unsorted on purpose

describe("bucketQuantile: cases from histograms.test", () => {
  const cases: [string, () => Bucket[], number, number][] = [
    ["positive q=0", positive, 0, 0],
    ["negative q=0: lowest bucket's upper bound", negative, 0, -0.2],
    ["positive q=1: second-highest bound", positive, 1, 1],
    ["negative q=1", negative, 1, 0.3],
    ["positive q=0.2", positive, 0.2, 0.048],
    ["negative q=0.2", negative, 0.2, -0.2],
    ["positive q=0.5", positive, 0.5, 0.15],
    ["negative q=0.5", negative, 0.5, -0.15],
    ["positive q=0.8", positive, 0.8, 0.72],
    ["negative q=0.8", negative, 0.8, 0.3],
    ["q below 0", positive, -0.1, -inf],
    ["q above 1", negative, 1.01, inf],
    ["q NaN", positive, Number.NaN, Number.NaN],
    ["testhistogram3 positive q=0", positive3, 0, 0],
    ["testhistogram3 negative q=0", negative3, 0, -0.25],
    ["testhistogram3 positive q=0.25", positive3, 0.25, 0.055],
    ["testhistogram3 negative q=0.25", negative3, 0.25, -0.225],
    ["testhistogram3 positive q=0.5", positive3, 0.5, 0.125],
    ["testhistogram3 negative q=0.5", negative3, 0.5, -0.2],
    ["testhistogram3 positive q=0.75", positive3, 0.75, 0.45],
    ["testhistogram3 negative q=0.75", negative3, 0.75, -0.15],
    ["testhistogram3 positive q=1", positive3, 1, 1],
    ["testhistogram3 negative q=1", negative3, 1, -0.1],
    ["middle of a bucket, 1/6", hist2at7m, 1 / 6, 1],
    ["middle of a bucket, 1/2", hist2at7m, 0.5, 3],
    ["middle of a bucket, 5/6", hist2at7m, 5 / 6, 5],
    [
      "sum by le of rates, q=0.3",
      () =>
        hist([
          [0.1, 10],
          [0.2, 19],
          [inf, 25],
        ]),
      0.3,
      0.075,
    ],
    [
      "sum by le of rates, q=0.5",
      () =>
        hist([
          [0.1, 10],
          [0.2, 19],
          [inf, 25],
        ]),
      0.5,
      0.1277777777777778,
    ],
    [
      "duplicate bounds are merged",
      () =>
        hist([
          [0.1, 1],
          [0.2, 1],
          [0.2, 1],
          [0.2, 1],
          [inf, 4],
        ]),
      0.5,
      0.15,
    ],
    [
      "duplicate bounds, q=1",
      () =>
        hist([
          [0.1, 1],
          [0.2, 1],
          [0.2, 1],
          [0.2, 1],
          [inf, 4],
        ]),
      1,
      0.2,
    ],
    [
      "only +Inf buckets",
      () =>
        hist([
          [inf, 0],
          [inf, 0],
        ]),
      0.5,
      Number.NaN,
    ],
    [
      "no observations",
      () =>
        hist([
          [0.1, 0],
          [0.2, 0],
          [inf, 0],
        ]),
      0.2,
      Number.NaN,
    ],
    [
      "no +Inf bucket",
      () =>
        hist([
          [0.1, 1],
          [0.2, 2],
        ]),
      0.5,
      Number.NaN,
    ],
  ];
  for (const [name, buckets, q, want] of cases) {
    it(name, () => {
      const r = bucketQuantile(q, buckets());
      assert.ok(close(r.value, want), `got ${r.value}, want ${want}`);
      assert.equal(r.forcedMonotonicity, false);
    });
  }

  it("non-monotonic buckets are lifted to their envelope and flagged", () => {
    const nonmonotonic = (): Bucket[] =>
      hist([
        [0.1, 20],
        [1, 10],
        [10, 50],
        [100, 40],
        [1000, 90],
        [inf, 80],
      ]);
    for (const [q, want] of [
      [0.01, 0.0045],
      [0.5, 8.5],
      [0.99, 979.75],
    ] as const) {
      const r = bucketQuantile(q, nonmonotonic());
      assert.ok(close(r.value, want), `q=${q}: got ${r.value}`);
      assert.equal(r.forcedMonotonicity, true);
    }
  });

  it("differences within float noise are ignored without the flag", () => {
    const r = bucketQuantile(
      0.5,
      hist([
        [1, 1e15],
        [2, 1e15 - 0.125],
        [inf, 2e15],
      ]),
    );
    assert.equal(r.forcedMonotonicity, false);
    assert.equal(r.fixedPrecision, true);
    assert.equal(r.value, 1);
  });
});

describe("bucketFraction", () => {
  const cases: [string, () => Bucket[], number, number, number][] = [
    ["up to a bound", hist2at50m, 0, 4, 0.6666666666666666],
    ["up to the last bound", hist2at50m, 0, 6, 1],
    ["inside a bucket", hist2at50m, 0, 3.5, 0.5833333333333334],
    ["testhistogram3 positive", positive3, 0, 0.2, 0.6363636363636364],
    ["testhistogram3 negative", negative3, 0, 0.2, 0],
    ["everything", positive, -inf, inf, 1],
    ["lower >= upper", positive, 1, 1, 0],
    ["NaN bound", positive, Number.NaN, 1, Number.NaN],
    [
      "no +Inf bucket",
      () =>
        hist([
          [1, 1],
          [2, 2],
        ]),
      0,
      1,
      Number.NaN,
    ],
    [
      "no observations",
      () =>
        hist([
          [1, 0],
          [inf, 0],
        ]),
      0,
      1,
      Number.NaN,
    ],
    [
      // v3.5 takes the lowest bucket to start at -Inf: interpolating in it is Inf/Inf (upstream issue 17367).
      "a bound inside the lowest bucket is NaN in v3.5",
      () =>
        hist([
          [1, 1],
          [2, 3],
          [3, 6],
          [inf, 100],
        ]),
      0,
      1.5,
      Number.NaN,
    ],
    [
      "above the highest finite bound",
      () =>
        hist([
          [1, 1],
          [2, 3],
          [inf, 10],
        ]),
      2,
      inf,
      0.7,
    ],
  ];
  for (const [name, buckets, lower, upper, want] of cases) {
    it(name, () => {
      const got = bucketFraction(lower, upper, buckets());
      assert.ok(close(got, want), `got ${got}, want ${want}`);
    });
  }
});

describe("classic histograms against promtool (v3.5.3)", () => {
  it("histogram_quantile and histogram_fraction match upstream on random buckets", (t) => {
    if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
    const r = mulberry32(7);
    const bounds = [-5, -1, -0.5, 0, 0.25, 1, 2.5, 10, 100];
    const histograms: Bucket[][] = [];
    const series: { selector: string; values: string }[] = [];
    for (let g = 0; g < 40; g++) {
      const les = bounds.filter(() => r() < 0.6);
      if (g % 5 !== 4) les.push(inf); // some without +Inf
      const buckets: Bucket[] = [];
      let count = Math.floor(r() * 3);
      for (const le of les) {
        if (g % 7 === 3 && r() < 0.3)
          count -= Math.floor(r() * 5); // non-monotonic
        else count += Math.floor(r() * 20);
        if (g % 11 === 5) count = 0; // empty
        const c = g % 13 === 6 ? count * (1 + 1e-14 * r()) : count; // float noise
        buckets.push({ upperBound: le, count: c });
        const leText = le === inf ? "+Inf" : String(le);
        series.push({
          selector: `h_bucket{g="${String(g).padStart(2, "0")}", le="${leText}"}`,
          values: String(c),
        });
      }
      histograms.push(buckets);
    }
    const qs = [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1];
    const fractions: [number, number][] = [
      [-inf, 0],
      [0, 1],
      [-1, 3],
      [0.25, inf],
      [-0.75, 0.1],
      [5, 50],
      [-inf, inf],
    ];
    const num = (v: number): string => (v === inf ? "Inf" : v === -inf ? "-Inf" : String(v));
    const exprs = [
      ...qs.map((q) => ({ expr: `histogram_quantile(${q}, h_bucket)`, evalSeconds: 0, args: [q] })),
      ...fractions.map(([lo, hi]) => ({
        expr: `histogram_fraction(${num(lo)}, ${num(hi)}, h_bucket)`,
        evalSeconds: 0,
        args: [lo, hi],
      })),
    ];
    const got = runOracle([{ series, intervalSeconds: 60, exprs }]);
    const failures: string[] = [];
    let compared = 0;
    for (const e of exprs) {
      const samples = got.get(oracleKey(e.expr, 0));
      assert.ok(Array.isArray(samples) && samples.length === histograms.length, `${e.expr}: ${samples}`);
      for (const s of samples) {
        const g = Number(/g="(\d+)"/.exec(s.labels)![1]);
        const copy = histograms[g]!.map((b) => ({ ...b }));
        const args = e.args;
        const mine = e.expr.startsWith("histogram_quantile")
          ? bucketQuantile(args[0]!, copy).value
          : bucketFraction(args[0]!, args[1]!, copy);
        compared++;
        if (
          !(Object.is(mine, s.value) || mine === s.value || (Number.isNaN(mine) && Number.isNaN(s.value)))
        ) {
          failures.push(
            `${e.expr} g=${g} ${JSON.stringify(histograms[g])}: mine ${mine}, upstream ${s.value}`,
          );
        }
      }
    }
    assert.equal(compared, exprs.length * histograms.length);
    assert.deepEqual(failures, []);
  });
});
