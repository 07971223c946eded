/**
 * The legacy `singlestat` panel becomes `stat` (or `gauge` when its gauge
 * was shown), as Grafana's shared single-stat migration does: reducer from
 * `valueName`, unit/decimals, thresholds from the `"50,80"` string and
 * `colors`, value and range maps to value mappings, colour mode from
 * `colorBackground`/`colorValue`, sparkline to the graph mode.
 * Browser-safe: no Node imports.
 */
import { type Json, type JsonObject, num, obj, objects, str } from "./json.ts";

/** singlestat `valueName` → reducer id. */
const REDUCERS: Readonly<Record<string, string>> = {
  current: "lastNotNull",
  avg: "mean",
  min: "min",
  max: "max",
  total: "sum",
  first: "firstNotNull",
  delta: "delta",
  diff: "diff",
  range: "range",
  last_time: "lastNotNull",
  name: "lastNotNull",
};

/** singlestat fields dropped after the migration. */
const LEGACY_FIELDS = [
  "cacheTimeout",
  "colorBackground",
  "colorValue",
  "colorPostfix",
  "colorPrefix",
  "colors",
  "format",
  "gauge",
  "mappingType",
  "mappingTypes",
  "nullPointMode",
  "nullText",
  "postfix",
  "postfixFontSize",
  "prefix",
  "prefixFontSize",
  "rangeMaps",
  "sparkline",
  "tableColumn",
  "thresholds",
  "valueFontSize",
  "valueMaps",
  "valueName",
  "decimals",
  "combine",
  "height",
] as const;

/** Converts one `singlestat` (or `grafana-singlestat-panel`) panel in place. */
export function singlestatToStat(panel: JsonObject): void {
  if (panel.type !== "singlestat" && panel.type !== "grafana-singlestat-panel") return;
  const gauge = obj(panel.gauge);
  const isGauge = gauge.show === true;
  const defaults: JsonObject = {
    ...obj(obj(panel.fieldConfig).defaults),
    thresholds: { mode: "absolute", steps: thresholds(str(panel.thresholds), panel.colors) },
    mappings: mappings(panel),
    color: { mode: "thresholds" },
  };
  const unit = str(panel.format);
  if (unit !== "" && unit !== "none") defaults.unit = unit;
  else if (unit === "none") defaults.unit = "none";
  const decimals = num(panel.decimals);
  if (decimals !== undefined) defaults.decimals = decimals;
  if (typeof panel.nullText === "string" && panel.nullText !== "") defaults.noValue = panel.nullText;
  if (isGauge) {
    const min = num(gauge.minValue);
    const max = num(gauge.maxValue);
    if (min !== undefined) defaults.min = min;
    if (max !== undefined) defaults.max = max;
  }
  const reduceOptions = {
    calcs: [REDUCERS[str(panel.valueName, "avg")] ?? "mean"],
    fields:
      typeof panel.tableColumn === "string" && panel.tableColumn !== "" ? `/^${panel.tableColumn}$/` : "",
    values: false,
  };
  const sparkline = obj(panel.sparkline);
  panel.options = isGauge
    ? {
        reduceOptions,
        orientation: "horizontal",
        showThresholdLabels: gauge.thresholdLabels === true,
        showThresholdMarkers: gauge.thresholdMarkers !== false,
      }
    : {
        reduceOptions,
        orientation: "horizontal",
        textMode: "auto",
        colorMode:
          panel.colorBackground === true ? "background" : panel.colorValue === true ? "value" : "none",
        graphMode: sparkline.show === true ? "area" : "none",
        justifyMode: "auto",
      };
  panel.fieldConfig = { defaults, overrides: objects(obj(panel.fieldConfig).overrides) };
  for (const key of LEGACY_FIELDS) delete panel[key];
  panel.type = isGauge ? "gauge" : "stat";
}

/** `"50,80"` and three colours → steps base / ≥50 / ≥80; default green/red at 80 when unset. */
function thresholds(text: string, colors: unknown): Json[] {
  const palette = Array.isArray(colors) ? colors.map((c) => str(c)) : [];
  const values = text
    .split(",")
    .map((v) => num(v.trim()))
    .filter((v): v is number => v !== undefined);
  if (values.length === 0 || palette.length === 0) {
    if (palette.length > 0) return [{ color: palette[0]!, value: null }];
    return [
      { color: "green", value: null },
      { color: "red", value: 80 },
    ];
  }
  const steps: Json[] = [{ color: palette[0] ?? "green", value: null }];
  for (const [i, v] of values.entries()) {
    steps.push({ color: palette[i + 1] ?? palette[palette.length - 1] ?? "red", value: v });
  }
  return steps;
}

/** `valueMaps` (value to text) and `rangeMaps` (range to text) as value mappings; `null` maps become special ones. */
function mappings(panel: JsonObject): Json[] {
  const out: Json[] = [];
  const useRanges = num(panel.mappingType) === 2;
  if (!useRanges) {
    for (const m of objects(panel.valueMaps)) {
      const value = str(m.value, String(m.value ?? ""));
      if (value === "null")
        out.push({ type: "special", options: { match: "null", result: { text: str(m.text) } } });
      else out.push({ type: "value", options: { [value]: { text: str(m.text) } } });
    }
  } else {
    for (const m of objects(panel.rangeMaps)) {
      if (m.from === "null" && m.to === "null") {
        out.push({ type: "special", options: { match: "null", result: { text: str(m.text) } } });
        continue;
      }
      out.push({
        type: "range",
        options: { from: num(m.from) ?? null, to: num(m.to) ?? null, result: { text: str(m.text) } },
      });
    }
  }
  return out;
}
