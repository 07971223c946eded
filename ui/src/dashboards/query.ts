/**
 * Runs a panel's Prometheus targets through the data source proxy: the
 * data source (panel or target, `${ds}` variables resolved, else the
 * default), `$__interval` from the range and the panel width (or
 * `maxDataPoints`), the step aligned as Grafana does, `query_range` or
 * `query` for instant targets; every target's failure is kept, the other
 * targets still answer.
 */
import { type JsonObject, num, obj, objects, str } from "../../../src/dashboards/model/json.ts";
import {
  interpolate,
  type ScopedValue,
  type VariableState,
} from "../../../src/dashboards/model/variables/interpolate.ts";
import {
  builtinValues,
  calculateInterval,
  parseInterval,
  type TimeRangeMs,
} from "../../../src/dashboards/model/variables/interval.ts";
import type { PromClient } from "../../../src/dashboards/model/variables/query.ts";
import { type DataSource, promGet } from "./api.ts";
import { matrixToSeries, type PromSeries, type Series, vectorToSeries } from "./frames.ts";

/** What a panel's queries returned. */
export interface PanelData {
  readonly series: readonly Series[];
  /** Per target: the format it asked for (`time_series`, `table`, `heatmap`) and whether it was instant. */
  readonly targets: readonly {
    readonly refId: string;
    readonly format: string;
    readonly instant: boolean;
    readonly expr: string;
  }[];
  /** Errors by refId. */
  readonly errors: readonly { readonly refId: string; readonly message: string }[];
  /** The queries as sent (for the inspector). */
  readonly requests: readonly string[];
}

/** What running a panel needs. */
export interface QueryContext {
  readonly range: TimeRangeMs;
  readonly variables: ReadonlyMap<string, VariableState>;
  readonly datasources: readonly DataSource[];
  readonly widthPx: number;
  readonly signal?: AbortSignal;
}

/** The data source a ref (possibly `${var}`) points to; undefined refs and unknown uids fall back to the default. */
export function pickDataSource(
  ref: unknown,
  variables: ReadonlyMap<string, VariableState>,
  list: readonly DataSource[],
): DataSource | undefined {
  const def = list.find((d) => d.isDefault) ?? list.find((d) => d.type === "prometheus");
  let uid = typeof ref === "string" ? ref : str(obj(ref).uid);
  uid = interpolate(uid, variables, { defaultFormat: "raw" });
  if (uid === "" || uid === "default") return def;
  return list.find((d) => d.uid === uid || d.name === uid) ?? (uid.startsWith("$") ? def : undefined);
}

/** The step for a range query: at least the interval, at most 11 000 points (Prometheus' limit). */
export function stepSeconds(range: TimeRangeMs, intervalMs: number, factor: number): number {
  const s = Math.max(1, Math.round((intervalMs * factor) / 1000));
  const min = Math.ceil((range.to - range.from) / 1000 / 11_000);
  return Math.max(s, min);
}

/** A client for query variables against one data source. */
export function variableClient(ds: DataSource | undefined): PromClient {
  const uid = ds?.uid ?? "";
  const times = (r: TimeRangeMs) => ({
    start: String(Math.floor(r.from / 1000)),
    end: String(Math.ceil(r.to / 1000)),
  });
  return {
    labelNames: (match, range) => promGet<string[]>(uid, "labels", { ...times(range), "match[]": match }),
    labelValues: (label, match, range) =>
      promGet<string[]>(uid, `label/${encodeURIComponent(label)}/values`, {
        ...times(range),
        "match[]": match,
      }),
    series: (match, range) =>
      promGet<Record<string, string>[]>(uid, "series", { ...times(range), "match[]": match }),
    instantQuery: async (expr, timeMs) => {
      const r = await promGet<{ resultType: string; result: unknown }>(uid, "query", {
        query: expr,
        time: String(timeMs / 1000),
      });
      if (r.resultType === "vector")
        return r.result as { metric: Record<string, string>; value: [number, string] }[];
      if (r.resultType === "scalar") return [{ metric: {}, value: r.result as [number, string] }];
      return [];
    },
  };
}

/** Runs every visible target of `panel` with `scopedVars` of a repeated copy. */
export async function runPanel(panel: JsonObject, ctx: QueryContext): Promise<PanelData> {
  const scoped = obj(panel.scopedVars) as unknown as Record<string, ScopedValue>;
  const targets = objects(panel.targets).filter((t) => t.hide !== true);
  const series: Series[] = [];
  const errors: { refId: string; message: string }[] = [];
  const requests: string[] = [];
  const info: PanelData["targets"][number][] = [];
  await Promise.all(
    targets.map(async (t, i) => {
      const refId = str(t.refId, String.fromCharCode(65 + i));
      const dsRef = t.datasource ?? panel.datasource;
      const ds = pickDataSource(dsRef, ctx.variables, ctx.datasources);
      const dsType = str(obj(dsRef).type, ds?.type ?? "prometheus");
      if (dsType !== "prometheus" && !(dsType.startsWith("$") || dsType === "")) {
        errors.push({ refId, message: `data source type ${dsType} is not supported` });
        return;
      }
      if (ds === undefined) {
        errors.push({ refId, message: `Datasource ${str(obj(dsRef).uid, String(dsRef))} was not found` });
        return;
      }
      const minInterval = str(t.interval) || str(panel.interval) || ds.jsonData?.timeInterval || "";
      let intervalMs: number;
      try {
        intervalMs = calculateInterval(
          ctx.range,
          num(panel.maxDataPoints) ?? Math.max(100, ctx.widthPx),
          interpolate(minInterval, ctx.variables, { scopedVars: scoped, defaultFormat: "raw" }),
        );
      } catch {
        intervalMs = calculateInterval(ctx.range, Math.max(100, ctx.widthPx));
      }
      const builtins = builtinValues(ctx.range, intervalMs, ds.jsonData?.timeInterval);
      const expr = interpolate(str(t.expr), ctx.variables, {
        scopedVars: scoped,
        builtins: builtins as unknown as Record<string, string>,
      });
      const format = str(t.format, "time_series");
      const instant = t.instant === true && t.range !== true;
      info.push({ refId, format, instant, expr });
      if (expr.trim() === "") return;
      const legend = interpolate(str(t.legendFormat), ctx.variables, {
        scopedVars: scoped,
        defaultFormat: "raw",
      });
      try {
        if (instant) {
          const time = String(ctx.range.to / 1000);
          requests.push(`query?query=${expr}&time=${time}`);
          const r = await promGet<{ resultType: string; result: unknown }>(
            ds.uid,
            "query",
            { query: expr, time },
            ctx.signal,
          );
          const result: PromSeries[] =
            r.resultType === "vector"
              ? (r.result as PromSeries[])
              : r.resultType === "scalar"
                ? [{ metric: {}, value: r.result as [number, string] }]
                : (r.result as PromSeries[]).map((s) => ({
                    metric: s.metric,
                    ...(s.values?.length ? { value: s.values.at(-1)! } : {}),
                  }));
          series.push(...vectorToSeries(result, refId, legend, expr));
        } else {
          const step = stepSeconds(ctx.range, intervalMs, num(t.intervalFactor) ?? 1);
          const start = Math.floor(ctx.range.from / 1000 / step) * step;
          const end = Math.floor(ctx.range.to / 1000 / step) * step;
          requests.push(`query_range?query=${expr}&start=${start}&end=${end}&step=${step}`);
          const r = await promGet<{ resultType: string; result: unknown }>(
            ds.uid,
            "query_range",
            { query: expr, start: String(start), end: String(end), step: String(step) },
            ctx.signal,
          );
          if (r.resultType === "matrix")
            series.push(...matrixToSeries(r.result as PromSeries[], refId, legend, expr, start, end, step));
        }
      } catch (err) {
        if ((err as Error).name === "AbortError") throw err;
        errors.push({ refId, message: err instanceof Error ? err.message : String(err) });
      }
    }),
  );
  const order = new Map(targets.map((t, i) => [str(t.refId, String.fromCharCode(65 + i)), i]));
  series.sort((a, b) => (order.get(a.refId) ?? 0) - (order.get(b.refId) ?? 0));
  return { series, errors, requests, targets: info };
}

/** `parseInterval` that never throws (0 on bad text). */
export function safeInterval(text: string): number {
  try {
    return parseInterval(text);
  } catch {
    return 0;
  }
}
