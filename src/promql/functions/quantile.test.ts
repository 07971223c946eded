import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kahan, kahanInc } from "./kahan.ts";
import { quantile, sortNaNFirst } from "./quantile.ts";

describe("quantile", () => {
  const nan = Number.NaN;
  const inf = Number.POSITIVE_INFINITY;
  const cases: [string, number, number[], number][] = [
    ["empty", 0.5, [], nan],
    ["NaN q", nan, [1, 2], nan],
    ["q < 0", -0.5, [1, 2], -inf],
    ["q > 1", 1.5, [1, 2], inf],
    ["median of odd count", 0.5, [3, 1, 2], 2],
    ["interpolated", 0.75, [0, 4, 1], 2.5],
    ["NaN sorts first", 0, [5, nan, 1], nan],
    ["NaN sorts first, top", 1, [5, nan, 1], 5],
    ["zero weight on an infinite neighbour is NaN, as upstream", 0, [1, inf], nan],
    ["the top rank still weighs its Inf neighbour by 0: NaN", 1, [-inf, 1, inf], nan],
    ["interpolating towards Inf", 0.75, [-inf, 1, inf], inf],
  ];
  for (const [name, q, values, want] of cases) {
    it(name, () => {
      const got = quantile(q, Float64Array.from(values));
      assert.ok(Object.is(got, want) || got === want, `got ${got}, want ${want}`);
    });
  }

  it("sortNaNFirst sorts only the prefix it is given", () => {
    const a = Float64Array.from([3, nan, 1, nan, 2, -1]);
    sortNaNFirst(a, 5);
    assert.ok(Number.isNaN(a[0]!) && Number.isNaN(a[1]!));
    assert.deepEqual([...a.subarray(2)], [1, 2, 3, -1]);
  });
});

describe("kahanInc", () => {
  it("keeps what a plain sum loses, and resets on overflow", () => {
    let sum = 0;
    let c = 0;
    for (const v of [1, 1e100, 1, -1e100]) {
      kahanInc(v, sum, c);
      sum = kahan.sum;
      c = kahan.c;
    }
    assert.equal(sum + c, 2);
    kahanInc(Number.MAX_VALUE, Number.MAX_VALUE, 5);
    assert.deepEqual(kahan, { sum: Number.POSITIVE_INFINITY, c: 0 });
  });
});
