/**
 * Query variables of the Prometheus data source: parsing `label_names()`,
 * `label_values(label)`, `label_values(metric, label)`, `metrics(regex)`,
 * `query_result(expr)` (anything else is a series selector), evaluating
 * them against a {@link PromClient}, and Grafana's regex extraction and
 * sort of the results. Pure and browser-safe: the client is injected.
 */
import type { TimeRangeMs } from "./interval.ts";

/** The Prometheus HTTP API calls query variables need (the front end and the tests implement it). */
export interface PromClient {
  /** `GET /api/v1/labels` with optional `match[]`. */
  labelNames(match: readonly string[], range: TimeRangeMs): Promise<string[]>;
  /** `GET /api/v1/label/<label>/values` with optional `match[]`. */
  labelValues(label: string, match: readonly string[], range: TimeRangeMs): Promise<string[]>;
  /** `GET /api/v1/series` with `match[]`: each series' labels including `__name__`. */
  series(match: readonly string[], range: TimeRangeMs): Promise<Record<string, string>[]>;
  /** `GET /api/v1/query` at `timeMs`: vector samples (a scalar as one sample without labels). */
  instantQuery(
    expr: string,
    timeMs: number,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

/** A parsed query variable definition. */
export type VariableQuery =
  | { readonly kind: "label_names"; readonly match?: string }
  | { readonly kind: "label_values"; readonly label: string; readonly match?: string }
  | { readonly kind: "metrics"; readonly regex: string }
  | { readonly kind: "query_result"; readonly expr: string }
  | { readonly kind: "series"; readonly match: string };

/** One option of a variable. */
export interface VariableOption {
  readonly text: string;
  readonly value: string;
}

/** Parses a query variable's (already interpolated) query text. */
export function parseVariableQuery(query: string): VariableQuery {
  const q = query.trim();
  let m = /^label_names\(\s*(.*?)\s*\)\s*$/s.exec(q);
  if (m) return m[1] === "" ? { kind: "label_names" } : { kind: "label_names", match: m[1]! };
  m = /^label_values\((?:(.+),\s*)?([a-zA-Z_$][a-zA-Z0-9_]*)\)\s*$/s.exec(q);
  if (m)
    return m[1] === undefined
      ? { kind: "label_values", label: m[2]! }
      : { kind: "label_values", label: m[2]!, match: m[1].trim() };
  m = /^metrics\((.+)\)\s*$/s.exec(q);
  if (m) return { kind: "metrics", regex: m[1]!.trim() };
  m = /^query_result\((.+)\)\s*$/s.exec(q);
  if (m) return { kind: "query_result", expr: m[1]! };
  return { kind: "series", match: q };
}

/** Runs a parsed query; returns the raw option texts (before regex and sort). */
export async function runVariableQuery(
  q: VariableQuery,
  client: PromClient,
  range: TimeRangeMs,
): Promise<string[]> {
  switch (q.kind) {
    case "label_names":
      return client.labelNames(q.match === undefined ? [] : [q.match], range);
    case "label_values":
      return client.labelValues(q.label, q.match === undefined ? [] : [q.match], range);
    case "metrics": {
      const re = new RegExp(q.regex);
      return (await client.labelValues("__name__", [], range)).filter((n) => re.test(n));
    }
    case "query_result":
      return (await client.instantQuery(q.expr, range.to)).map(resultText);
    case "series":
      return (await client.series([q.match], range)).map(seriesText);
  }
}

/** `name{a="x",b="y"} value timestamp_ms`, Grafana's text of one `query_result` sample. */
export function resultText(s: { metric: Record<string, string>; value: [number, string] }): string {
  return `${seriesText(s.metric)} ${s.value[1]} ${s.value[0] * 1000}`;
}

function seriesText(metric: Record<string, string>): string {
  const name = metric.__name__ ?? "";
  const labels = Object.entries(metric)
    .filter(([k]) => k !== "__name__")
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  return `${name}{${labels}}`;
}

/** A `/pattern/flags` string (Grafana's variable regex) as a RegExp; a bare pattern is accepted too. */
export function variableRegex(text: string): RegExp | undefined {
  if (text === "") return undefined;
  const m = /^\/(.*)\/([gimsuy]*)$/s.exec(text);
  return m ? new RegExp(m[1]!, m[2]!.replace("g", "")) : new RegExp(text);
}

/**
 * Grafana's `metricNamesToVariableValues`: filter by the regex (a capture
 * group, or the named groups `text`/`value`, becomes the option), drop
 * duplicates by value, then sort (`sort` 0 none, 1/2 alphabetical asc/desc,
 * 3/4 numerical, 5/6 case-insensitive, 7/8 natural).
 */
export function toOptions(raw: readonly string[], regex: string, sort: number): VariableOption[] {
  const re = variableRegex(regex);
  const seen = new Set<string>();
  const out: VariableOption[] = [];
  for (const item of raw) {
    let text = item;
    let value = item;
    if (re !== undefined) {
      const m = re.exec(item);
      if (!m) continue;
      if (m.groups !== undefined && (m.groups.text !== undefined || m.groups.value !== undefined)) {
        value = m.groups.value ?? m.groups.text!;
        text = m.groups.text ?? value;
      } else if (m.length > 1 && m[1] !== undefined) {
        text = value = m[1];
      }
    }
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ text, value });
  }
  return sortOptions(out, sort);
}

function firstNumber(s: string): number {
  const m = /.*?(\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) : -1;
}

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Sorts options by Grafana's variable `sort` setting (see {@link toOptions}). */
export function sortOptions(options: VariableOption[], sort: number): VariableOption[] {
  const byText = (a: VariableOption, b: VariableOption): number =>
    a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  const cmp: Record<number, (a: VariableOption, b: VariableOption) => number> = {
    1: byText,
    2: (a, b) => byText(b, a),
    3: (a, b) => firstNumber(a.text) - firstNumber(b.text),
    4: (a, b) => firstNumber(b.text) - firstNumber(a.text),
    5: (a, b) => a.text.toLowerCase().localeCompare(b.text.toLowerCase()),
    6: (a, b) => b.text.toLowerCase().localeCompare(a.text.toLowerCase()),
    7: (a, b) => natural.compare(a.text, b.text),
    8: (a, b) => natural.compare(b.text, a.text),
  };
  const f = cmp[sort];
  return f === undefined ? options : [...options].sort(f);
}
