/**
 * Query results as data frames: a Prometheus matrix becomes one series per
 * label set (named by the target's `legendFormat`, nulls where a step has
 * no sample, as Grafana's Prometheus data source fills gaps), a vector
 * one point per series; plus the reducers behind legend calcs and stat
 * panels (`lastNotNull`, `mean`, `max`, …). Pure.
 */

/** One series: its display name, labels, the query it came from, and aligned times/values. */
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly refId: string;
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/** A Prometheus sample pair: seconds, value text. */
export type Sample = readonly [number, string];

/** A matrix or vector element of the query API. */
export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values?: readonly Sample[];
  readonly value?: Sample;
}

/** `{{label}}` replaced in `legendFormat`; without one, Grafana's `name{a="b"}` text. */
export function seriesName(
  labels: Readonly<Record<string, string>>,
  legendFormat: string,
  expr: string,
): string {
  if (legendFormat !== "" && legendFormat !== "__auto")
    return legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, l: string) => labels[l] ?? "");
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v}"`);
  if (name === undefined && pairs.length === 0) return expr;
  return `${name ?? ""}${pairs.length > 0 || name === undefined ? `{${pairs.join(", ")}}` : ""}`;
}

function parseValue(s: string): number | null {
  const v = Number(s === "+Inf" ? Infinity : s === "-Inf" ? -Infinity : s);
  return Number.isNaN(v) ? null : v;
}

/**
 * Series of a range query over [start, end] every `stepS` seconds (the
 * query's own start/end/step); missing steps are null so lines break.
 */
export function matrixToSeries(
  result: readonly PromSeries[],
  refId: string,
  legendFormat: string,
  expr: string,
  startS: number,
  endS: number,
  stepS: number,
): Series[] {
  const n = Math.max(0, Math.floor((endS - startS) / stepS + 1e-9) + 1);
  const times = Array.from({ length: n }, (_, i) => Math.round((startS + i * stepS) * 1000));
  return result.map((s) => {
    const values: (number | null)[] = new Array(n).fill(null);
    for (const [t, v] of s.values ?? []) {
      const i = Math.round((t - startS) / stepS);
      if (i >= 0 && i < n) values[i] = parseValue(v);
    }
    return { name: seriesName(s.metric, legendFormat, expr), labels: s.metric, refId, times, values };
  });
}

/** Series of an instant query: one point each. */
export function vectorToSeries(
  result: readonly PromSeries[],
  refId: string,
  legendFormat: string,
  expr: string,
): Series[] {
  return result.map((s) => ({
    name: seriesName(s.metric, legendFormat, expr),
    labels: s.metric,
    refId,
    times: [Math.round((s.value?.[0] ?? 0) * 1000)],
    values: [s.value === undefined ? null : parseValue(s.value[1])],
  }));
}

/** The reducer ids Grafana's legend and stat panels use. */
export const CALCS: Readonly<Record<string, string>> = {
  lastNotNull: "Last *",
  last: "Last",
  firstNotNull: "First *",
  first: "First",
  mean: "Mean",
  max: "Max",
  min: "Min",
  sum: "Total",
  count: "Count",
  range: "Range",
  delta: "Delta",
  diff: "Difference",
};

/** Reduces `values` by `calc` (unknown ids reduce as `lastNotNull`); null when there is nothing. */
export function reduce(values: readonly (number | null)[], calc: string): number | null {
  const nn = values.filter((v): v is number => v !== null && !Number.isNaN(v));
  switch (calc) {
    case "last":
    case "current":
      return values.at(-1) ?? null;
    case "first":
      return values[0] ?? null;
    case "firstNotNull":
      return nn[0] ?? null;
    case "mean":
    case "avg":
      return nn.length === 0 ? null : nn.reduce((a, b) => a + b, 0) / nn.length;
    case "max":
      return nn.length === 0 ? null : Math.max(...nn);
    case "min":
      return nn.length === 0 ? null : Math.min(...nn);
    case "sum":
    case "total":
      return nn.length === 0 ? null : nn.reduce((a, b) => a + b, 0);
    case "count":
      return values.length;
    case "range":
      return nn.length === 0 ? null : Math.max(...nn) - Math.min(...nn);
    case "delta": {
      let d = 0;
      for (let i = 1; i < nn.length; i++) d += nn[i]! >= nn[i - 1]! ? nn[i]! - nn[i - 1]! : nn[i]!;
      return nn.length === 0 ? null : d;
    }
    case "diff":
      return nn.length === 0 ? null : nn.at(-1)! - nn[0]!;
    default:
      return nn.at(-1) ?? null;
  }
}
