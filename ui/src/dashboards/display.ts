/**
 * Field config as Grafana applies it: `fieldConfig.defaults` merged with
 * the `overrides` whose matcher selects a series (by name, name regex,
 * query refId), threshold colours (absolute or percentage), value mappings
 * (value, range, regex, special) and the classic palette. Pure.
 */
import { isObject, type JsonObject, num, obj, objects, str } from "../../../src/dashboards/model/json.ts";

/** The resolved config of one field (series). */
export interface FieldConfig {
  readonly unit: string;
  readonly decimals: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly displayName: string | undefined;
  readonly color: JsonObject;
  readonly thresholds: JsonObject;
  readonly mappings: readonly JsonObject[];
  readonly links: readonly JsonObject[];
  readonly custom: JsonObject;
}

/** The value the override matcher tests: the series' display name and its query. */
export interface FieldIdentity {
  readonly name: string;
  readonly refId: string;
}

function setPath(target: JsonObject, path: string, value: unknown): void {
  const parts = path.split(".");
  let o = target;
  for (const p of parts.slice(0, -1)) {
    if (!isObject(o[p])) o[p] = {};
    o = o[p] as JsonObject;
  }
  o[parts.at(-1)!] = value as JsonObject;
}

/** Grafana's `/regex/flags` or plain regex text as a RegExp (undefined when invalid). */
export function matcherRegex(text: string): RegExp | undefined {
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(text);
  try {
    return m === null ? new RegExp(`^(?:${text})$`) : new RegExp(m[1]!, m[2]!.replace("g", ""));
  } catch {
    return undefined;
  }
}

function matches(matcher: JsonObject, f: FieldIdentity): boolean {
  const opt = matcher.options;
  switch (matcher.id) {
    case "byName":
    case "byDisplayName":
      return str(opt) === f.name;
    case "byRegexp":
      return matcherRegex(str(opt))?.test(f.name) ?? false;
    case "byFrameRefID":
      return str(opt) === f.refId;
    case "byNames":
      return (Array.isArray(obj(opt).names) ? (obj(opt).names as string[]) : []).includes(f.name);
    default:
      return false;
  }
}

/** The panel's field config for one field: defaults, then each matching override in order. */
export function fieldConfig(panel: JsonObject, f: FieldIdentity): FieldConfig {
  const fc = obj(panel.fieldConfig);
  const merged = JSON.parse(JSON.stringify(obj(fc.defaults))) as JsonObject;
  for (const o of objects(fc.overrides)) {
    if (!matches(obj(o.matcher), f)) continue;
    for (const p of objects(o.properties)) setPath(merged, str(p.id), p.value);
  }
  return {
    unit: str(merged.unit),
    decimals: num(merged.decimals),
    min: num(merged.min),
    max: num(merged.max),
    displayName:
      typeof merged.displayName === "string" && merged.displayName !== "" ? merged.displayName : undefined,
    color: obj(merged.color),
    thresholds: obj(merged.thresholds),
    mappings: objects(merged.mappings),
    links: objects(merged.links),
    custom: obj(merged.custom),
  };
}

/** Grafana's named colours (a subset) as CSS colours; anything else is used as written. */
const NAMED: Readonly<Record<string, string>> = {
  green: "#73BF69",
  "dark-green": "#37872D",
  "semi-dark-green": "#56A64B",
  "light-green": "#96D98D",
  red: "#F2495C",
  "dark-red": "#C4162A",
  "semi-dark-red": "#E02F44",
  "light-red": "#FF7383",
  yellow: "#FADE2A",
  "dark-yellow": "#E0B400",
  "light-yellow": "#FFEE52",
  orange: "#FF9830",
  "dark-orange": "#FA6400",
  "light-orange": "#FFB357",
  blue: "#5794F2",
  "dark-blue": "#1F60C4",
  "light-blue": "#8AB8FF",
  purple: "#B877D9",
  "dark-purple": "#8F3BB8",
  "light-purple": "#CA95E5",
  text: "currentColor",
  transparent: "transparent",
};

/** A Grafana colour name or CSS colour as CSS. */
export function cssColor(name: string): string {
  return NAMED[name] ?? name;
}

/** Grafana's classic palette (series colours by index). */
export const CLASSIC_PALETTE: readonly string[] = [
  "#7EB26D",
  "#EAB839",
  "#6ED0E0",
  "#EF843C",
  "#E24D42",
  "#1F78C1",
  "#BA43A9",
  "#705DA0",
  "#508642",
  "#CCA300",
  "#447EBC",
  "#C15C17",
  "#890F02",
  "#0A437C",
  "#6D1F62",
  "#584477",
  "#B7DBAB",
  "#F4D598",
  "#70DBED",
  "#F9BA8F",
  "#F29191",
  "#82B5D8",
  "#E5A8E2",
  "#AEA2E0",
];

/** The colour of the threshold step `value` falls in (percentage steps against min/max). */
export function thresholdColor(value: number | null, cfg: FieldConfig): string {
  const steps = objects(cfg.thresholds.steps);
  if (steps.length === 0 || value === null) return cssColor("green");
  const pct = cfg.thresholds.mode === "percentage";
  const lo = cfg.min ?? 0;
  const hi = cfg.max ?? 100;
  const v = pct ? ((value - lo) / (hi - lo || 1)) * 100 : value;
  let color = str(steps[0]!.color, "green");
  for (const s of steps.slice(1)) {
    const at = num(s.value);
    if (at !== undefined && v >= at) color = str(s.color, color);
  }
  return cssColor(color);
}

/** The colour of a field: fixed, thresholds, or its palette colour. */
export function fieldColor(cfg: FieldConfig, index: number, value: number | null): string {
  const mode = str(cfg.color.mode, "palette-classic");
  if (mode === "fixed" || mode === "shades") return cssColor(str(cfg.color.fixedColor, "green"));
  if (mode === "thresholds") return thresholdColor(value, cfg);
  return CLASSIC_PALETTE[index % CLASSIC_PALETTE.length]!;
}

/** What a value mapping turns a value into. */
export interface MappedValue {
  readonly text?: string;
  readonly color?: string;
}

/** The first value mapping matching `value` (Grafana's value/range/regex/special mappings). */
export function applyMappings(
  value: number | string | null,
  mappings: readonly JsonObject[],
): MappedValue | undefined {
  for (const m of mappings) {
    const o = obj(m.options);
    const hit = (r: JsonObject): MappedValue => ({
      ...(typeof r.text === "string" ? { text: r.text } : {}),
      ...(typeof r.color === "string" ? { color: cssColor(r.color) } : {}),
    });
    switch (m.type) {
      case "value": {
        const r = o[String(value)];
        if (isObject(r)) return hit(r);
        break;
      }
      case "range": {
        const n = typeof value === "number" ? value : Number(value);
        const from = num(o.from) ?? -Infinity;
        const to = num(o.to) ?? Infinity;
        if (value !== null && !Number.isNaN(n) && n >= from && n <= to) return hit(obj(o.result));
        break;
      }
      case "regex": {
        const re = matcherRegex(str(o.pattern));
        if (value !== null && re?.test(String(value)) === true) return hit(obj(o.result));
        break;
      }
      case "special": {
        const match = str(o.match);
        const n = typeof value === "number" ? value : Number.NaN;
        if (
          (match === "null" && value === null) ||
          (match === "nan" && typeof value === "number" && Number.isNaN(n)) ||
          (match === "null+nan" && (value === null || Number.isNaN(n))) ||
          (match === "true" && (value === 1 || value === "true")) ||
          (match === "false" && (value === 0 || value === "false")) ||
          (match === "empty" && value === "")
        )
          return hit(obj(o.result));
        break;
      }
    }
  }
  return undefined;
}

/**
 * A dashboard link's URL as it may be put in an `href`: an imported
 * dashboard is untrusted, so `javascript:`, `data:` and other schemes that
 * run code become `about:blank` (Grafana's `sanitizeUrl` does the same);
 * http(s), mailto and relative URLs pass.
 */
export function safeLinkUrl(url: string): string {
  // Browsers ignore ASCII whitespace and control characters inside a scheme.
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto") return url;
  return "about:blank";
}
