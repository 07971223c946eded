/**
 * Evaluates a dashboard's template variables in dependency order (a
 * variable whose query, data source or regex mentions `$other` comes after
 * it): query, custom, constant, interval (with `auto`), data source and
 * textbox variables, multi-value and include-all, keeping a still-valid
 * previous selection. Pure and browser-safe: data access is injected. The
 * front end reruns it for the dependants of a changed variable.
 */
import { type JsonObject, num, str } from "../json.ts";
import { ALL_VALUE, interpolate, referencedVariables, type VariableState } from "./interpolate.ts";
import { calculateInterval, formatInterval, type TimeRangeMs } from "./interval.ts";
import {
  type PromClient,
  parseVariableQuery,
  runVariableQuery,
  toOptions,
  type VariableOption,
} from "./query.ts";

/** A variable after evaluation: its options, current value, and the error if its query failed. */
export interface ResolvedVariable extends VariableState {
  readonly type: string;
  readonly options: readonly VariableOption[];
  readonly error?: string;
}

/** A data source a `datasource` variable can offer. */
export interface DataSourceInfo {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly isDefault?: boolean;
}

/** What evaluation needs. */
export interface ResolveContext {
  readonly range: TimeRangeMs;
  /** The client for a data source uid (undefined: the default data source). */
  readonly client: (datasourceUid: string | undefined) => PromClient;
  readonly datasources: readonly DataSourceInfo[];
  /** Selections to keep when still valid (from the URL or the previous evaluation). */
  readonly selected?: Readonly<Record<string, string | readonly string[]>>;
}

/** A circular reference between variables. */
export class VariableCycleError extends Error {
  override readonly name = "VariableCycleError";
}

/** Variables sorted so that each comes after those it references; stable otherwise. */
export function dependencyOrder(list: readonly JsonObject[]): JsonObject[] {
  const byName = new Map(list.map((v) => [str(v.name), v]));
  const deps = (v: JsonObject): string[] =>
    referencedVariables(
      `${JSON.stringify(v.query ?? "")} ${JSON.stringify(v.datasource ?? "")} ${str(v.regex)}`,
    ).filter((n) => byName.has(n) && n !== v.name);
  const out: JsonObject[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (v: JsonObject, path: string[]): void => {
    const name = str(v.name);
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting")
      throw new VariableCycleError(`circular dependency between variables: ${[...path, name].join(" → ")}`);
    state.set(name, "visiting");
    for (const d of deps(v)) visit(byName.get(d)!, [...path, name]);
    state.set(name, "done");
    out.push(v);
  };
  for (const v of list) visit(v, []);
  return out;
}

/** Evaluates every variable of `list`; one failing query does not stop the others. */
export async function resolveVariables(
  list: readonly JsonObject[],
  ctx: ResolveContext,
): Promise<Map<string, ResolvedVariable>> {
  const resolved = new Map<string, ResolvedVariable>();
  for (const v of dependencyOrder(list)) {
    let options: VariableOption[] = [];
    let error: string | undefined;
    try {
      options = await optionsOf(v, ctx, resolved);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (v.includeAll === true && options.length > 0 && v.type !== "constant")
      options = [{ text: "All", value: ALL_VALUE }, ...options];
    resolved.set(str(v.name), {
      ...select(v, options, ctx.selected?.[str(v.name)]),
      ...(error ? { error } : {}),
    });
  }
  return resolved;
}

async function optionsOf(
  v: JsonObject,
  ctx: ResolveContext,
  done: ReadonlyMap<string, VariableState>,
): Promise<VariableOption[]> {
  const query = str(v.query, str((v.query as JsonObject | undefined)?.query));
  switch (v.type) {
    case "custom":
      return customOptions(query);
    case "constant":
    case "textbox":
      return [{ text: query, value: query }];
    case "interval":
      return intervalOptions(v, query, ctx.range);
    case "datasource": {
      const re = str(v.regex) === "" ? undefined : new RegExp(str(v.regex).replace(/^\/(.*)\/$/, "$1"));
      return ctx.datasources
        .filter((d) => d.type === query && (re === undefined || re.test(d.name)))
        .map((d) => ({ text: d.name, value: d.uid }));
    }
    case "query": {
      const text = interpolate(query, done, { defaultFormat: "regex" });
      const dsUid = interpolate(str((v.datasource as JsonObject | null | undefined)?.uid), done, {
        defaultFormat: "raw",
      });
      const raw = await runVariableQuery(
        parseVariableQuery(text),
        ctx.client(dsUid === "" ? undefined : dsUid),
        ctx.range,
      );
      return toOptions(raw, interpolate(str(v.regex), done, { defaultFormat: "regex" }), num(v.sort) ?? 0);
    }
    default:
      return [];
  }
}

/** Grafana's custom variable: comma-separated values (`\,` escapes a comma), `text : value` pairs. */
export function customOptions(query: string): VariableOption[] {
  const parts = query.match(/(?:\\,|[^,])+/g) ?? [];
  return parts.map((p) => {
    const item = p.trim().replace(/\\,/g, ",");
    const kv = /^(.+?)\s:\s(.+)$/.exec(item);
    return kv ? { text: kv[1]!.trim(), value: kv[2]!.trim() } : { text: item, value: item };
  });
}

/** Interval options; with `auto`, the first option's value is the interval for the current range. */
function intervalOptions(v: JsonObject, query: string, range: TimeRangeMs): VariableOption[] {
  const options = customOptions(query);
  if (v.auto !== true) return options;
  const ms = calculateInterval(range, num(v.auto_count) ?? 30, str(v.auto_min, "10s"));
  return [{ text: "auto", value: formatInterval(ms) }, ...options];
}

function select(
  v: JsonObject,
  options: readonly VariableOption[],
  wanted: string | readonly string[] | undefined,
): ResolvedVariable {
  const base = {
    name: str(v.name),
    type: str(v.type),
    multi: v.multi === true,
    includeAll: v.includeAll === true,
    allValue: typeof v.allValue === "string" ? v.allValue : null,
    options,
  };
  const saved = (v.current as JsonObject | undefined)?.value;
  const candidates = [
    wanted,
    typeof saved === "string" || Array.isArray(saved) ? (saved as string[]) : undefined,
  ];
  if (v.type === "textbox" && typeof wanted === "string")
    return { ...base, current: { text: wanted, value: wanted } };
  for (const c of candidates) {
    if (c === undefined) continue;
    const vals = (typeof c === "string" ? [c] : c).filter((x) => options.some((o) => o.value === x));
    if (vals.length === 0) continue;
    const texts = vals.map((x) => options.find((o) => o.value === x)!.text);
    return base.multi
      ? { ...base, current: { text: texts, value: vals } }
      : { ...base, current: { text: texts[0]!, value: vals[0]! } };
  }
  const first = options[0];
  if (first === undefined) return { ...base, current: { text: "", value: base.multi ? [] : "" } };
  return base.multi
    ? { ...base, current: { text: [first.text], value: [first.value] } }
    : { ...base, current: { text: first.text, value: first.value } };
}
