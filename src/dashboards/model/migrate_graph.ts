/**
 * The legacy `graph` panel (flot, Angular) becomes `timeseries`, mapping its
 * options onto field config as Grafana's `graphToTimeSeriesOptions` does:
 * lines/bars/points, fill, stacking, null handling, y axes (unit, min, max,
 * log scale, right axis), legend and tooltip, `aliasColors` and
 * `seriesOverrides` (by name, or by regex for `/…/` aliases), thresholds.
 * Browser-safe: no Node imports.
 */
import { type Json, type JsonObject, num, obj, objects, str } from "./json.ts";

/** Grafana's `graph` panel fields that have no meaning after the migration. */
const LEGACY_FIELDS = [
  "aliasColors",
  "bars",
  "dashLength",
  "dashes",
  "fill",
  "fillGradient",
  "hiddenSeries",
  "legend",
  "lines",
  "linewidth",
  "nullPointMode",
  "percentage",
  "pointradius",
  "points",
  "renderer",
  "seriesOverrides",
  "spaceLength",
  "stack",
  "steppedLine",
  "thresholds",
  "timeRegions",
  "tooltip",
  "xaxis",
  "yaxes",
  "yaxis",
  "decimals",
  "y_formats",
  "grid",
  "x-axis",
  "y-axis",
  "leftYAxisLabel",
  "rightYAxisLabel",
  "zIndex",
  "annotate",
  "resolution",
  "scale",
  "legend_counts",
  "stack_mode",
] as const;

/** Converts one `graph` panel in place; other panel types are left alone. */
export function graphToTimeseries(panel: JsonObject): void {
  if (panel.type !== "graph") return;
  const yaxes = objects(panel.yaxes);
  const left = yaxes[0] ?? {};
  const right = yaxes[1] ?? {};
  const custom: JsonObject = {
    drawStyle:
      panel.bars === true ? "bars" : panel.lines === false && panel.points === true ? "points" : "line",
    lineWidth: num(panel.linewidth) ?? 1,
    fillOpacity: Math.min(100, (num(panel.fill) ?? 1) * 10),
    gradientMode: (num(panel.fillGradient) ?? 0) > 0 ? "opacity" : "none",
    showPoints: panel.points === true ? "always" : "never",
    pointSize: (num(panel.pointradius) ?? 2) * 2 + 1,
    lineInterpolation: panel.steppedLine === true ? "stepAfter" : "linear",
    spanNulls: panel.nullPointMode === "connected",
    stacking: {
      mode: panel.stack === true ? (panel.percentage === true ? "percent" : "normal") : "none",
      group: "A",
    },
    axisPlacement: left.show === false ? "hidden" : "auto",
    axisLabel: str(left.label),
    scaleDistribution: scale(left.logBase),
    barAlignment: 0,
    hideFrom: { legend: false, tooltip: false, viz: false },
    thresholdsStyle: { mode: "off" },
  };
  if (panel.lines === false && panel.bars !== true && panel.points !== true) custom.lineWidth = 0;
  if (panel.dashes === true) custom.lineStyle = dash(panel);
  if (panel.nullPointMode === "null as zero") custom.insertNulls = false;
  const defaults: JsonObject = {
    ...obj(obj(panel.fieldConfig).defaults),
    custom,
    color: { mode: "palette-classic" },
  };
  setIf(defaults, "unit", str(left.format) || undefined);
  setIf(defaults, "decimals", num(panel.decimals) ?? num(left.decimals));
  setIf(defaults, "min", num(left.min));
  setIf(defaults, "max", num(left.max));
  const thresholds = thresholdSteps(objects(panel.thresholds));
  if (thresholds !== undefined) {
    defaults.thresholds = { mode: "absolute", steps: thresholds };
    custom.thresholdsStyle = {
      mode: objects(panel.thresholds).some((t) => t.fill === true) ? "line+area" : "line",
    };
  } else {
    defaults.thresholds = {
      mode: "absolute",
      steps: [
        { color: "green", value: null },
        { color: "red", value: 80 },
      ],
    };
  }
  const overrides: Json[] = [...objects(obj(panel.fieldConfig).overrides)];
  for (const [name, color] of Object.entries(obj(panel.aliasColors))) {
    overrides.push(
      override("byName", name, [{ id: "color", value: { mode: "fixed", fixedColor: str(color) } }]),
    );
  }
  for (const so of objects(panel.seriesOverrides)) {
    const props = seriesOverrideProperties(so, right, panel);
    const alias = str(so.alias);
    if (alias === "" || props.length === 0) continue;
    const isRegex = alias.length > 1 && alias.startsWith("/") && alias.endsWith("/");
    overrides.push(override(isRegex ? "byRegexp" : "byName", alias, props));
  }
  panel.fieldConfig = { defaults, overrides };
  panel.options = { legend: legend(obj(panel.legend)), tooltip: tooltip(obj(panel.tooltip)) };
  for (const key of LEGACY_FIELDS) delete panel[key];
  delete panel.renderer;
  panel.type = "timeseries";
}

function setIf(o: JsonObject, key: string, v: Json | undefined): void {
  if (v !== undefined && v !== "") o[key] = v;
}

function scale(logBase: unknown): JsonObject {
  const base = num(logBase) ?? 1;
  return base > 1 ? { type: "log", log: base } : { type: "linear" };
}

function dash(panel: JsonObject): JsonObject {
  return { fill: "dash", dash: [num(panel.dashLength) ?? 10, num(panel.spaceLength) ?? 10] };
}

function override(id: string, options: string, properties: Json[]): JsonObject {
  return { matcher: { id, options }, properties };
}

function prop(id: string, value: Json): JsonObject {
  return { id, value };
}

/** One `seriesOverrides` entry's settings as field-config override properties. */
function seriesOverrideProperties(so: JsonObject, right: JsonObject, panel: JsonObject): Json[] {
  const out: Json[] = [];
  if (typeof so.color === "string") out.push(prop("color", { mode: "fixed", fixedColor: so.color }));
  const fill = num(so.fill);
  if (fill !== undefined) out.push(prop("custom.fillOpacity", fill * 10));
  const lw = num(so.linewidth);
  if (lw !== undefined) out.push(prop("custom.lineWidth", lw));
  if (so.lines === false) out.push(prop("custom.lineWidth", 0));
  if (so.bars === true) out.push(prop("custom.drawStyle", "bars"));
  if (so.bars === false && so.lines === true) out.push(prop("custom.drawStyle", "line"));
  if (so.points === true) out.push(prop("custom.showPoints", "always"));
  if (so.points === false) out.push(prop("custom.showPoints", "never"));
  const pr = num(so.pointradius);
  if (pr !== undefined) out.push(prop("custom.pointSize", pr * 2 + 1));
  if (so.stack === false) out.push(prop("custom.stacking", { mode: "none", group: "A" }));
  else if (so.stack === true) out.push(prop("custom.stacking", { mode: "normal", group: "A" }));
  else if (typeof so.stack === "string" || typeof so.stack === "number")
    out.push(prop("custom.stacking", { mode: "normal", group: String(so.stack) }));
  if (so.steppedLine === true) out.push(prop("custom.lineInterpolation", "stepAfter"));
  if (so.dashes === true) out.push(prop("custom.lineStyle", dash({ ...panel, ...so })));
  if (so.transform === "negative-Y") out.push(prop("custom.transform", "negative-Y"));
  if (so.legend === false) out.push(prop("custom.hideFrom", { legend: true, tooltip: false, viz: false }));
  if (num(so.yaxis) === 2) {
    out.push(prop("custom.axisPlacement", "right"));
    if (typeof right.format === "string" && right.format !== "") out.push(prop("unit", right.format));
    const min = num(right.min);
    if (min !== undefined) out.push(prop("min", min));
    const max = num(right.max);
    if (max !== undefined) out.push(prop("max", max));
    if ((num(right.logBase) ?? 1) > 1) out.push(prop("custom.scaleDistribution", scale(right.logBase)));
  }
  return out;
}

/** Legacy `thresholds` (`{value, op, colorMode, fill, line}`) as threshold steps; undefined when none. */
function thresholdSteps(list: JsonObject[]): Json[] | undefined {
  const valid = list.filter((t) => num(t.value) !== undefined);
  if (valid.length === 0) return undefined;
  const steps: Json[] = [{ color: "transparent", value: null }];
  for (const t of valid.sort((a, b) => (num(a.value) ?? 0) - (num(b.value) ?? 0))) {
    const color =
      t.colorMode === "custom"
        ? str(t.fillColor, str(t.lineColor, "red"))
        : t.colorMode === "ok"
          ? "green"
          : t.colorMode === "warning"
            ? "orange"
            : "red";
    steps.push({ color, value: num(t.value) ?? 0 });
  }
  return steps;
}

/** The legacy legend settings as the time series legend options. */
export function legend(l: JsonObject): JsonObject {
  const calcs: string[] = [];
  if (l.values === true || l.alignAsTable === true) {
    if (l.min === true) calcs.push("min");
    if (l.max === true) calcs.push("max");
    if (l.avg === true) calcs.push("mean");
    if (l.current === true) calcs.push("lastNotNull");
    if (l.total === true) calcs.push("sum");
  }
  return {
    showLegend: l.show !== false,
    displayMode: l.alignAsTable === true ? "table" : "list",
    placement: l.rightSide === true ? "right" : "bottom",
    calcs,
  };
}

function tooltip(t: JsonObject): JsonObject {
  const sort = num(t.sort) ?? 0;
  return {
    mode: t.shared === false ? "single" : "multi",
    sort: sort === 1 ? "asc" : sort === 2 ? "desc" : "none",
  };
}
