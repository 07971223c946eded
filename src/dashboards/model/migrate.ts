/**
 * Schema migrations of Grafana's dashboard JSON, from any older
 * `schemaVersion` (14, the `rows[]` era, onwards) to {@link CURRENT_SCHEMA_VERSION},
 * following Grafana's `DashboardMigrator` where the result is visible to a
 * Prometheus dashboard, plus Grafana 11's automatic migration of the
 * removed Angular panels (`graph` → `timeseries`, `singlestat` → `stat`/`gauge`).
 * Pure and browser-safe: no Node imports. Does not modify its input.
 */

import { clone, type JsonObject, num, obj, objects } from "./json.ts";
import {
  type DataSourceLookup,
  type DataSourceRef,
  GRAFANA_DATASOURCE,
  panelDatasourceRefs,
  panelDefaultDatasource,
  toRef,
} from "./migrate_datasource.ts";
import { graphToTimeseries } from "./migrate_graph.ts";
import { allPanels, minSpanToMaxPerRow, upgradeToGridLayout } from "./migrate_grid.ts";
import { singlestatToStat } from "./migrate_singlestat.ts";
import { migrateVariables } from "./migrate_variables.ts";

/** The schema version Vigil writes (Grafana 11.6 / 12). */
export const CURRENT_SCHEMA_VERSION = 41;

/** What the migration needs to know about the installation. */
export interface MigrateOptions {
  /** Resolves data source names to references (schema 33); unknown names become `{ uid: name }`. */
  readonly lookup?: DataSourceLookup;
  /** The default data source, given to panels and query variables that name none (schema 36). */
  readonly defaultDatasource?: DataSourceRef;
}

/** Panel types Grafana no longer ships and migrates on load. */
export const LEGACY_PANEL_TYPES: ReadonlySet<string> = new Set([
  "graph",
  "singlestat",
  "grafana-singlestat-panel",
]);

/**
 * Returns `input` migrated to the current schema. Dashboards already at or
 * above it still get the Angular panel migration and the variable clean-ups
 * that do not depend on the version.
 */
export function migrateDashboard(input: JsonObject, opts: MigrateOptions = {}): JsonObject {
  const d = clone(input);
  const lookup: DataSourceLookup = opts.lookup ?? (() => undefined);
  const old = num(d.schemaVersion) ?? 0;
  if (old < 16) upgradeToGridLayout(d);
  if (old < 27) removeRepeatClones(d);
  for (const panel of allPanels(d)) {
    if (old < 17) minSpanToMaxPerRow(panel);
    if (old < 33) panelDatasourceRefs(panel, lookup);
    graphToTimeseries(panel);
    singlestatToStat(panel);
    if (old < 36) panelDefaultDatasource(panel, opts.defaultDatasource);
    if (old < 37) hiddenLegend(panel);
    if (old < 38) tableCellOptions(panel);
  }
  migrateVariables(d, old, lookup, opts.defaultDatasource);
  annotations(d, lookup);
  if (old < 40 && typeof d.refresh !== "string") d.refresh = "";
  if (old < 41 && d.timepicker !== undefined) delete obj(d.timepicker).time_options;
  assignPanelIds(d);
  d.panels = objects(d.panels).sort(byGridPos);
  if (old < CURRENT_SCHEMA_VERSION) d.schemaVersion = CURRENT_SCHEMA_VERSION;
  return d;
}

function byGridPos(a: JsonObject, b: JsonObject): number {
  const ga = obj(a.gridPos);
  const gb = obj(b.gridPos);
  return (num(ga.y) ?? 0) - (num(gb.y) ?? 0) || (num(ga.x) ?? 0) - (num(gb.x) ?? 0);
}

/** Schema 27: panels and rows that are repeat copies (saved by old Grafana) are dropped. */
function removeRepeatClones(d: JsonObject): void {
  const keep = (p: JsonObject): boolean =>
    (p.repeatPanelId === undefined || p.repeatPanelId === null) &&
    (p.repeatIteration === undefined || p.repeatIteration === null);
  d.panels = objects(d.panels).filter(keep);
  for (const p of objects(d.panels)) {
    delete p.repeatIteration;
    if (Array.isArray(p.panels)) p.panels = objects(p.panels).filter(keep);
  }
}

/** Schema 37: `legend.displayMode: "hidden"` becomes `showLegend: false`. */
function hiddenLegend(panel: JsonObject): void {
  const legend = obj(obj(panel.options).legend);
  if (legend.displayMode === "hidden" || legend.showLegend === false) {
    legend.displayMode = "list";
    legend.showLegend = false;
  } else if (panel.options !== undefined && obj(panel.options).legend !== undefined) {
    legend.showLegend = true;
  }
}

const CELL_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "color-background": { type: "color-background", mode: "gradient" },
  "color-background-solid": { type: "color-background", mode: "basic" },
  "gradient-gauge": { type: "gauge", mode: "gradient" },
  "lcd-gauge": { type: "gauge", mode: "lcd" },
  basic: { type: "gauge", mode: "basic" },
};

/** Schema 38: a table's `custom.displayMode` becomes `custom.cellOptions`, in defaults and overrides. */
function tableCellOptions(panel: JsonObject): void {
  if (panel.type !== "table") return;
  const fc = obj(panel.fieldConfig);
  const custom = obj(obj(fc.defaults).custom);
  if (typeof custom.displayMode === "string") {
    custom.cellOptions = { ...(CELL_TYPES[custom.displayMode] ?? { type: custom.displayMode }) };
    delete custom.displayMode;
  }
  for (const o of objects(fc.overrides)) {
    for (const p of objects(o.properties)) {
      if (p.id !== "custom.displayMode" || typeof p.value !== "string") continue;
      p.id = "custom.cellOptions";
      p.value = { ...(CELL_TYPES[p.value] ?? { type: p.value }) };
    }
  }
}

/** The built-in "Annotations & Alerts" annotation, and data source references in annotations. */
function annotations(d: JsonObject, lookup: DataSourceLookup): void {
  const a = obj(d.annotations);
  const list = objects(a.list);
  for (const item of list) {
    if (item.datasource !== undefined) item.datasource = toRef(item.datasource, lookup);
  }
  if (!list.some((x) => x.builtIn === 1)) {
    list.unshift({
      builtIn: 1,
      datasource: { ...GRAFANA_DATASOURCE },
      enable: true,
      hide: true,
      iconColor: "rgba(0, 211, 255, 1)",
      name: "Annotations & Alerts",
      type: "dashboard",
    });
  }
  d.annotations = { ...a, list };
}

/** Gives every panel without a numeric id a fresh one above the largest. */
function assignPanelIds(d: JsonObject): void {
  const panels = allPanels(d);
  let next = Math.max(0, ...panels.map((p) => num(p.id) ?? 0)) + 1;
  const seen = new Set<number>();
  for (const p of panels) {
    const id = num(p.id);
    if (id === undefined || seen.has(id)) p.id = next++;
    seen.add(num(p.id)!);
  }
}
