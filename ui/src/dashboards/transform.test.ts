import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyMappings, fieldConfig, thresholdColor } from "./display.ts";
import { matrixToSeries, reduce, seriesName, vectorToSeries } from "./frames.ts";
import { applyTransformations, type Field, type Frame, tableFrame } from "./transform.ts";

const col = (fr: Frame, name: string): Field["values"] => fr.fields.find((f) => f.name === name)!.values;

const cpu = vectorToSeries(
  [
    { metric: { __name__: "x", pod: "a", ns: "n1" }, value: [100, "1"] },
    { metric: { __name__: "x", pod: "b", ns: "n1" }, value: [100, "2"] },
  ],
  "A",
  "",
  "x",
);
const mem = vectorToSeries([{ metric: { pod: "a", ns: "n1" }, value: [100, "10"] }], "B", "", "y");

describe("transformations", () => {
  it("merges table frames on their label columns", () => {
    const { frames } = applyTransformations(
      [tableFrame(cpu, "A", "Value #A"), tableFrame(mem, "B", "Value #B")],
      [{ id: "merge", options: {} }],
    );
    assert.equal(frames.length, 1);
    assert.deepEqual(col(frames[0]!, "pod"), ["a", "b"]);
    assert.deepEqual(col(frames[0]!, "Value #A"), [1, 2]);
    assert.deepEqual(col(frames[0]!, "Value #B"), [10, null]);
  });
  it("organizes: hides, orders, renames", () => {
    const { frames } = applyTransformations(
      [tableFrame(cpu, "A", "Value")],
      [
        {
          id: "organize",
          options: {
            excludeByName: { Time: true },
            indexByName: { pod: 0, ns: 1 },
            renameByName: { Value: "CPU" },
          },
        },
      ],
    );
    assert.deepEqual(
      frames[0]!.fields.map((f) => f.name),
      ["pod", "ns", "CPU"],
    );
  });
  it("reduces series to rows and turns labels into fields; skips unknown ids", () => {
    const series = matrixToSeries(
      [
        {
          metric: { job: "j" },
          values: [
            [10, "1"],
            [20, "5"],
            [40, "3"],
          ],
        },
      ],
      "A",
      "{{job}}",
      "up",
      10,
      40,
      10,
    );
    assert.deepEqual(series[0]!.values, [1, 5, null, 3]);
    const r = applyTransformations(
      [
        {
          refId: "A",
          fields: [
            { name: "Time", type: "time", values: series[0]!.times },
            { name: "j", type: "number", values: series[0]!.values, labels: { job: "j" } },
          ],
        },
      ],
      [{ id: "reduce", options: { reducers: ["max", "mean"] } }, { id: "calculateField" }],
    );
    assert.deepEqual(col(r.frames[0]!, "Max"), [5]);
    assert.deepEqual(col(r.frames[0]!, "Mean"), [3]);
    assert.deepEqual(r.skipped, ["calculateField"]);
    const l = applyTransformations(
      [
        {
          refId: "A",
          fields: [{ name: "s", type: "number", values: [1], labels: { job: "j", instance: "i" } }],
        },
      ],
      [{ id: "labelsToFields", options: {} }],
    );
    assert.deepEqual(
      l.frames[0]!.fields.map((f) => [f.name, f.values[0]]),
      [
        ["job", "j"],
        ["instance", "i"],
        ["Value", 1],
      ],
    );
  });
});

describe("frames and display", () => {
  it("names series by legend format or labels", () => {
    assert.equal(seriesName({ __name__: "up", job: "a" }, "", "up"), 'up{job="a"}');
    assert.equal(seriesName({ job: "a" }, "{{ job }} up", "up"), "a up");
    assert.equal(seriesName({}, "", "sum(up)"), "sum(up)");
  });
  it("reduces", () => {
    const v = [1, null, 4, 2];
    const cases: [string, number | null][] = [
      ["lastNotNull", 2],
      ["max", 4],
      ["min", 1],
      ["mean", 7 / 3],
      ["sum", 7],
      ["count", 4],
      ["range", 3],
      ["first", 1],
    ];
    for (const [c, want] of cases) assert.equal(reduce(v, c), want, c);
    assert.equal(reduce([], "mean"), null);
  });
  it("applies overrides by name and regex, thresholds and mappings", () => {
    const panel = {
      fieldConfig: {
        defaults: {
          unit: "bytes",
          min: 0,
          max: 100,
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "green", value: null },
              { color: "red", value: 80 },
            ],
          },
        },
        overrides: [
          {
            matcher: { id: "byRegexp", options: "/^Busy.*/" },
            properties: [
              { id: "unit", value: "percent" },
              { id: "custom.fillOpacity", value: 0 },
            ],
          },
          { matcher: { id: "byName", options: "Idle" }, properties: [{ id: "decimals", value: 1 }] },
        ],
      },
    };
    const busy = fieldConfig(panel, { name: "Busy User", refId: "A" });
    assert.equal(busy.unit, "percent");
    assert.equal(busy.custom.fillOpacity, 0);
    const idle = fieldConfig(panel, { name: "Idle", refId: "A" });
    assert.equal(idle.unit, "bytes");
    assert.equal(idle.decimals, 1);
    assert.equal(thresholdColor(90, idle), "#F2495C");
    assert.equal(thresholdColor(10, idle), "#73BF69");
    const mappings = [
      { type: "value", options: { "1": { text: "UP", color: "green" } } },
      { type: "range", options: { from: 2, to: 10, result: { text: "many" } } },
      { type: "special", options: { match: "null", result: { text: "N/A" } } },
    ];
    assert.deepEqual(applyMappings(1, mappings), { text: "UP", color: "#73BF69" });
    assert.deepEqual(applyMappings(5, mappings), { text: "many" });
    assert.deepEqual(applyMappings(null, mappings), { text: "N/A" });
    assert.equal(applyMappings(50, mappings), undefined);
  });
});
