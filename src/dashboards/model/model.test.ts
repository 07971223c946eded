import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyImportInputs, DashboardInputMissingError, exportDashboard } from "./inputs.ts";
import type { JsonObject } from "./json.ts";
import { expandRepeats } from "./repeat.ts";
import { DashboardValidationError, parseDashboard, validateDashboard } from "./validate.ts";

describe("validateDashboard refuses bad input with the reason", () => {
  const cases: [string, unknown, RegExp][] = [
    ["not an object", [1], /^dashboard: must be a JSON object$/],
    ["no title", { panels: [] }, /^dashboard\.title: Dashboard title cannot be empty$/],
    ["blank title", { title: "  " }, /Dashboard title cannot be empty/],
    ["uid too long", { title: "t", uid: "x".repeat(41) }, /uid too long, max 40 characters/],
    ["uid characters", { title: "t", uid: "a/b" }, /^dashboard\.uid: invalid uid$/],
    ["panels not an array", { title: "t", panels: {} }, /^dashboard\.panels: must be an array$/],
    ["panel not an object", { title: "t", panels: [1] }, /^dashboard\.panels\[0\]: must be an object$/],
    [
      "bad gridPos",
      { title: "t", panels: [{ type: "stat", gridPos: { x: 0, y: 0, w: "wide", h: 3 } }] },
      /^dashboard\.panels\[0\]\.gridPos\.w: must be a non-negative number$/,
    ],
    [
      "nested row panel",
      { title: "t", panels: [{ type: "row", panels: [{ type: 5 }] }] },
      /^dashboard\.panels\[0\]\.panels\[0\]\.type: must be a string$/,
    ],
    [
      "variable without name",
      { title: "t", templating: { list: [{ type: "query" }] } },
      /templating\.list\[0\]: variable must have a name/,
    ],
    ["schemaVersion type", { title: "t", schemaVersion: "41" }, /schemaVersion: must be a number/],
    ["time range", { title: "t", time: { from: 1 } }, /time: must be an object with from and to strings/],
    ["tags", { title: "t", tags: ["a", 2] }, /tags\[1\]: must be a string/],
  ];
  for (const [name, input, want] of cases) {
    it(name, () =>
      assert.throws(
        () => validateDashboard(input),
        (err: unknown) => err instanceof DashboardValidationError && want.test(err.message),
      ),
    );
  }
  it("reports JSON syntax errors", () => {
    assert.throws(() => parseDashboard('{"title": "x",}'), /^Error|invalid JSON/);
  });
  it("accepts a minimal dashboard and keeps unknown fields", () => {
    assert.deepEqual(validateDashboard({ title: "t", custom: 1 }), { title: "t", custom: 1 });
  });
});

describe("import inputs and export", () => {
  const shared: JsonObject = {
    __inputs: [{ name: "DS_PROM", type: "datasource", pluginId: "prometheus" }],
    title: "t",
    panels: [
      {
        id: 1,
        type: "timeseries",
        datasource: { type: "prometheus", uid: "${DS_PROM}" },
        targets: [{ expr: "up", datasource: "${DS_PROM}" }],
      },
    ],
  };
  it("replaces ${DS_…} everywhere and drops __inputs", () => {
    const d = applyImportInputs(shared, [{ name: "DS_PROM", type: "datasource", value: "abc" }]);
    assert.equal(d.__inputs, undefined);
    assert.equal(
      JSON.stringify(d.panels),
      '[{"id":1,"type":"timeseries","datasource":{"type":"prometheus","uid":"abc"},"targets":[{"expr":"up","datasource":"abc"}]}]',
    );
  });
  it("refuses a missing input", () => {
    assert.throws(
      () => applyImportInputs(shared, []),
      (e: unknown) =>
        e instanceof DashboardInputMissingError &&
        /dashboard input missing: DS_PROM/.test((e as Error).message),
    );
  });
  it("export templatizes real data sources, keeps $variables", () => {
    const d: JsonObject = {
      id: 7,
      title: "t",
      panels: [
        {
          id: 1,
          type: "timeseries",
          datasource: { type: "prometheus", uid: "abc" },
          targets: [{ datasource: { type: "prometheus", uid: "abc" } }],
        },
        { id: 2, type: "stat", datasource: { type: "prometheus", uid: "$datasource" } },
      ],
      templating: {
        list: [
          {
            name: "job",
            type: "query",
            datasource: { type: "prometheus", uid: "abc" },
            current: { text: "x", value: "x" },
            options: [{ text: "x", value: "x" }],
          },
        ],
      },
    };
    const e = exportDashboard(d, (uid) =>
      uid === "abc" ? { uid, name: "My Prom", type: "prometheus", typeName: "Prometheus" } : undefined,
    );
    assert.deepEqual(e.__inputs, [
      {
        name: "DS_MY_PROM",
        label: "My Prom",
        description: "",
        type: "datasource",
        pluginId: "prometheus",
        pluginName: "Prometheus",
      },
    ]);
    assert.equal(e.id, null);
    const panels = e.panels as JsonObject[];
    assert.deepEqual(panels[0]!.datasource, { type: "prometheus", uid: "${DS_MY_PROM}" });
    assert.deepEqual(panels[1]!.datasource, { type: "prometheus", uid: "$datasource" });
    const v = ((e.templating as JsonObject).list as JsonObject[])[0]!;
    assert.deepEqual([v.current, v.options], [{}, []]);
    assert.deepEqual(
      (e.__requires as JsonObject[]).map((r) => r.id),
      ["grafana", "prometheus", "stat", "timeseries"],
    );
    const back = applyImportInputs(e, [{ name: "DS_MY_PROM", type: "datasource", value: "abc" }]);
    assert.deepEqual((back.panels as JsonObject[])[0]!.datasource, { type: "prometheus", uid: "abc" });
  });
});

describe("expandRepeats", () => {
  const sel = {
    host: [
      { text: "a", value: "a" },
      { text: "b", value: "b" },
      { text: "c", value: "c" },
    ],
  };
  it("repeats a panel horizontally within maxPerRow and moves the panels below", () => {
    const out = expandRepeats(
      [
        { id: 1, type: "stat", repeat: "host", maxPerRow: 2, gridPos: { x: 0, y: 0, w: 8, h: 4 } },
        { id: 2, type: "text", gridPos: { x: 0, y: 4, w: 24, h: 2 } },
      ],
      sel,
    );
    assert.deepEqual(
      out.map((p) => [p.id, p.gridPos, (p.scopedVars as JsonObject | undefined)?.host]),
      [
        [1, { x: 0, y: 0, w: 12, h: 4 }, { text: "a", value: "a" }],
        [2001, { x: 12, y: 0, w: 12, h: 4 }, { text: "b", value: "b" }],
        [2002, { x: 0, y: 4, w: 12, h: 4 }, { text: "c", value: "c" }],
        [2, { x: 0, y: 8, w: 24, h: 2 }, undefined],
      ],
    );
  });
  it("repeats vertically", () => {
    const out = expandRepeats(
      [{ id: 1, type: "stat", repeat: "host", repeatDirection: "v", gridPos: { x: 3, y: 1, w: 6, h: 2 } }],
      sel,
    );
    assert.deepEqual(
      out.map((p) => p.gridPos),
      [
        { x: 3, y: 1, w: 6, h: 2 },
        { x: 3, y: 3, w: 6, h: 2 },
        { x: 3, y: 5, w: 6, h: 2 },
      ],
    );
  });
  it("repeats a row with its panels", () => {
    const out = expandRepeats(
      [
        { id: 1, type: "row", repeat: "host", gridPos: { x: 0, y: 0, w: 24, h: 1 } },
        { id: 2, type: "stat", gridPos: { x: 0, y: 1, w: 12, h: 3 } },
        { id: 3, type: "row", gridPos: { x: 0, y: 4, w: 24, h: 1 } },
      ],
      { host: sel.host.slice(0, 2) },
    );
    assert.deepEqual(
      out.map((p) => [
        p.type,
        (p.gridPos as JsonObject).y,
        ((p.scopedVars as JsonObject | undefined)?.host as JsonObject | undefined)?.value,
      ]),
      [
        ["row", 0, "a"],
        ["stat", 1, "a"],
        ["row", 4, "b"],
        ["stat", 5, "b"],
        ["row", 8, undefined],
      ],
    );
  });
  it("keeps a panel once when its variable has no selection", () => {
    assert.equal(
      expandRepeats([{ id: 1, type: "stat", repeat: "nope", gridPos: { x: 0, y: 0, w: 1, h: 1 } }], sel)
        .length,
      1,
    );
  });
});
