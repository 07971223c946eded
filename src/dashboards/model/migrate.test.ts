import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { applyImportInputs } from "./inputs.ts";
import { type JsonObject, objects, sortKeys } from "./json.ts";
import { CURRENT_SCHEMA_VERSION, LEGACY_PANEL_TYPES, migrateDashboard } from "./migrate.ts";
import { allPanels } from "./migrate_grid.ts";
import { validateDashboard } from "./validate.ts";

const FIXTURES = "/work/shared/fixtures/grafana/dashboards";
const TESTDATA = new URL("./testdata/", import.meta.url).pathname;
const UPDATE = process.env.VIGIL_UPDATE_GOLDEN === "1";
const PROM = { type: "prometheus", uid: "vigil" };

/** Imports a fixture as the API does: `__inputs` mapped to the data source uid `vigil`, then migrated. */
function importFixture(file: string): JsonObject {
  const raw = validateDashboard(JSON.parse(readFileSync(join(FIXTURES, file), "utf8")));
  const inputs = objects(raw.__inputs).map((i) => ({
    name: String(i.name),
    type: "datasource",
    value: "vigil",
  }));
  return migrateDashboard(applyImportInputs(raw, inputs), {
    lookup: (n) => (n === "vigil" || n === "Prometheus" ? PROM : undefined),
    defaultDatasource: PROM,
  });
}

const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("migrateDashboard on every fixture dashboard", () => {
  it("finds the fixtures", () => assert.equal(files.length, 11));
  for (const file of files) {
    it(`${file} reaches schema ${CURRENT_SCHEMA_VERSION} with grid panels and no legacy panel`, () => {
      const d = importFixture(file);
      assert.equal(d.schemaVersion, CURRENT_SCHEMA_VERSION);
      assert.equal(d.rows, undefined);
      const panels = allPanels(d);
      assert.ok(panels.length > 0);
      for (const p of panels) {
        assert.ok(!LEGACY_PANEL_TYPES.has(String(p.type)), `${file}: panel ${p.id} still ${p.type}`);
        const g = p.gridPos as JsonObject;
        assert.ok(
          typeof g?.w === "number" && typeof g.h === "number" && g.w >= 1 && g.w <= 24,
          `${file}: panel ${p.id} gridPos`,
        );
        assert.equal(p.span, undefined);
        if (p.datasource !== undefined && p.datasource !== null)
          assert.equal(typeof p.datasource, "object", `${file}: panel ${p.id} datasource`);
        for (const t of objects(p.targets))
          if (t.datasource !== undefined && t.datasource !== null)
            assert.equal(typeof t.datasource, "object");
      }
      const ids = panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, `${file}: duplicate panel ids`);
      assert.ok(!JSON.stringify(d).includes("${DS_"), `${file}: unresolved __inputs`);
      validateDashboard(d);
    });
  }
});

describe("panel list after migration", () => {
  it("lists every panel with its type (golden)", () => {
    const lines: string[] = [];
    for (const file of files) {
      for (const p of allPanels(importFixture(file)))
        lines.push(`${file}\t${p.id}\t${p.type}\t${JSON.stringify(p.title ?? "")}`);
    }
    const text = `${lines.join("\n")}\n`;
    const golden = join(TESTDATA, "panels.tsv");
    if (UPDATE) writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, "utf8"));
    assert.ok(!/\t(graph|singlestat)\t/.test(text));
  });
});

describe("golden migrated JSON of the Node Exporter Full variants", () => {
  for (const file of [
    "node-exporter-full.json",
    "node-exporter-full.legacy-2021.json",
    "node-exporter-full-old.rows-schema14.json",
  ]) {
    it(file, () => {
      const text = `${JSON.stringify(sortKeys(importFixture(file)), null, 1)}\n`;
      const golden = join(TESTDATA, file.replace(/\.json$/, ".migrated.json"));
      if (UPDATE) writeFileSync(golden, text);
      assert.equal(text, readFileSync(golden, "utf8"));
    });
  }
});

describe("specific migrations", () => {
  it("rows[] with span become 24-column grid panels below row panels", () => {
    const d = migrateDashboard({
      title: "t",
      schemaVersion: 14,
      rows: [
        {
          title: "A",
          showTitle: true,
          height: 250,
          panels: [
            { id: 1, type: "text", span: 6 },
            { id: 2, type: "text", span: 6 },
          ],
        },
        { title: "B", collapse: true, height: "150px", panels: [{ id: 3, type: "text", span: 12 }] },
      ],
    });
    const ps = objects(d.panels);
    assert.deepEqual(
      ps.map((p) => [p.type, p.gridPos]),
      [
        ["row", { x: 0, y: 0, w: 24, h: 1 }],
        ["text", { x: 0, y: 1, w: 12, h: 7 }],
        ["text", { x: 12, y: 1, w: 12, h: 7 }],
        ["row", { x: 0, y: 8, w: 24, h: 1 }],
      ],
    );
    assert.deepEqual(
      objects(ps[3]!.panels).map((p) => [p.id, p.gridPos]),
      [[3, { x: 0, y: 9, w: 24, h: 4 }]],
    );
  });

  it("graph becomes timeseries with overrides, axes, legend and stacking", () => {
    const d = migrateDashboard(
      {
        title: "t",
        schemaVersion: 26,
        panels: [
          {
            id: 1,
            type: "graph",
            datasource: "Prom",
            gridPos: { x: 0, y: 0, w: 12, h: 8 },
            lines: true,
            fill: 2,
            linewidth: 2,
            stack: true,
            nullPointMode: "connected",
            yaxes: [
              { format: "bytes", min: "0", logBase: 1, show: true },
              { format: "percent", show: true },
            ],
            legend: {
              show: true,
              alignAsTable: true,
              rightSide: true,
              values: true,
              max: true,
              current: true,
            },
            tooltip: { shared: false, sort: 2 },
            aliasColors: { Used: "#ff0000" },
            seriesOverrides: [{ alias: "/err.*/", transform: "negative-Y", yaxis: 2, fill: 0 }],
            targets: [{ expr: "up", refId: "A" }],
          },
        ],
      },
      { lookup: (n) => (n === "Prom" ? { type: "prometheus", uid: "p1" } : undefined) },
    );
    const p = objects(d.panels)[0]!;
    assert.equal(p.type, "timeseries");
    assert.deepEqual(p.datasource, { type: "prometheus", uid: "p1" });
    assert.deepEqual(objects(p.targets)[0]!.datasource, { type: "prometheus", uid: "p1" });
    const fc = p.fieldConfig as JsonObject;
    const defaults = fc.defaults as JsonObject;
    assert.equal(defaults.unit, "bytes");
    assert.equal(defaults.min, 0);
    const custom = defaults.custom as JsonObject;
    assert.equal(custom.fillOpacity, 20);
    assert.equal(custom.lineWidth, 2);
    assert.equal(custom.spanNulls, true);
    assert.deepEqual(custom.stacking, { mode: "normal", group: "A" });
    assert.deepEqual(p.options, {
      legend: { showLegend: true, displayMode: "table", placement: "right", calcs: ["max", "lastNotNull"] },
      tooltip: { mode: "single", sort: "desc" },
    });
    const overrides = objects(fc.overrides);
    assert.deepEqual(overrides[0], {
      matcher: { id: "byName", options: "Used" },
      properties: [{ id: "color", value: { mode: "fixed", fixedColor: "#ff0000" } }],
    });
    assert.deepEqual(overrides[1]!.matcher, { id: "byRegexp", options: "/err.*/" });
    assert.deepEqual(
      objects(overrides[1]!.properties).map((x) => x.id),
      ["custom.fillOpacity", "custom.transform", "custom.axisPlacement", "unit"],
    );
    for (const gone of ["yaxes", "seriesOverrides", "aliasColors", "legend", "lines", "fill"])
      assert.equal(p[gone], undefined, gone);
  });

  it("singlestat becomes stat (or gauge) with thresholds, mappings and reducer", () => {
    const d = migrateDashboard({
      title: "t",
      schemaVersion: 20,
      panels: [
        {
          id: 1,
          type: "singlestat",
          format: "percent",
          valueName: "current",
          thresholds: "50,80",
          colors: ["green", "orange", "red"],
          colorBackground: true,
          sparkline: { show: true },
          valueMaps: [{ op: "=", text: "N/A", value: "null" }],
          gridPos: { x: 0, y: 0, w: 4, h: 4 },
        },
        {
          id: 2,
          type: "singlestat",
          gauge: { show: true, minValue: 0, maxValue: 100 },
          valueName: "avg",
          gridPos: { x: 4, y: 0, w: 4, h: 4 },
        },
      ],
    });
    const [stat, gauge] = objects(d.panels);
    assert.equal(stat!.type, "stat");
    const defaults = (stat!.fieldConfig as JsonObject).defaults as JsonObject;
    assert.equal(defaults.unit, "percent");
    assert.deepEqual((defaults.thresholds as JsonObject).steps, [
      { color: "green", value: null },
      { color: "orange", value: 50 },
      { color: "red", value: 80 },
    ]);
    assert.deepEqual(defaults.mappings, [
      { type: "special", options: { match: "null", result: { text: "N/A" } } },
    ]);
    assert.deepEqual(((stat!.options as JsonObject).reduceOptions as JsonObject).calcs, ["lastNotNull"]);
    assert.equal((stat!.options as JsonObject).colorMode, "background");
    assert.equal((stat!.options as JsonObject).graphMode, "area");
    assert.equal(gauge!.type, "gauge");
    const gd = (gauge!.fieldConfig as JsonObject).defaults as JsonObject;
    assert.equal(gd.max, 100);
    assert.deepEqual(((gauge!.options as JsonObject).reduceOptions as JsonObject).calcs, ["mean"]);
  });

  it("template variables: constants hidden, tags removed, refresh never becomes on load, data source by default", () => {
    const d = migrateDashboard(
      {
        title: "t",
        schemaVersion: 16,
        templating: {
          list: [
            { name: "c", type: "constant", query: "x", hide: 0 },
            {
              name: "q",
              type: "query",
              query: "label_values(up, job)",
              refresh: 0,
              useTags: false,
              tags: [],
              options: [{ text: "stale", value: "stale" }],
            },
          ],
        },
      },
      { defaultDatasource: { type: "prometheus", uid: "def" } },
    );
    const [c, q] = objects((d.templating as JsonObject).list);
    assert.equal(c!.hide, 2);
    assert.equal(q!.refresh, 1);
    assert.deepEqual(q!.options, []);
    assert.equal(q!.useTags, undefined);
    assert.deepEqual(q!.datasource, { type: "prometheus", uid: "def" });
  });

  it("leaves the input untouched", () => {
    const input = {
      title: "t",
      schemaVersion: 26,
      panels: [{ id: 1, type: "graph", gridPos: { x: 0, y: 0, w: 1, h: 1 } }],
    };
    const before = JSON.stringify(input);
    migrateDashboard(input);
    assert.equal(JSON.stringify(input), before);
  });
});
