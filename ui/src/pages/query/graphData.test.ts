import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toGraphData } from "./graphData.ts";

const series = [
  {
    metric: { i: "a" },
    values: [
      [100, "1"],
      [110, "2"],
      [130, "4"],
    ] as const,
  },
  {
    metric: { i: "b" },
    values: [
      [110, "10"],
      [120, "NaN"],
      [130, "20"],
    ] as const,
  },
];

describe("toGraphData", () => {
  it("aligns series on the step grid with gaps as null", () => {
    const d = toGraphData(series, 100, 130, 10, false);
    assert.deepEqual(d.xs, [100, 110, 120, 130]);
    assert.deepEqual(d.raw, [
      [1, 2, null, 4],
      [null, 10, Number.NaN, 20],
    ]);
    assert.equal(d.drawn, d.raw);
  });
  it("stacks running sums but keeps the raw values for the legend", () => {
    const d = toGraphData(series, 100, 130, 10, true);
    assert.deepEqual(d.drawn, [
      [1, 2, null, 4],
      [null, 12, null, 24],
    ]);
    assert.deepEqual(d.raw[1], [null, 10, Number.NaN, 20]);
  });
  it("drops samples off the grid's ends", () => {
    const d = toGraphData(
      [
        {
          metric: {},
          values: [
            [90, "1"],
            [140, "1"],
          ],
        },
      ],
      100,
      130,
      10,
      false,
    );
    assert.deepEqual(d.raw, [[null, null, null, null]]);
  });
});
