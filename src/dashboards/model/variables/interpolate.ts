/**
 * Template interpolation as Grafana's `templateSrv.replace`: `$var`,
 * `${var}`, `${var:format}`, `[[var]]`, `[[var:format]]`, built-ins
 * (`$__interval`, `$__rate_interval`, `$__range`, `$__from`, …), scoped
 * variables of repeated panels, `All` values (the custom all value, else
 * every option). Pure and browser-safe.
 */
import { type FormatContext, formatValue, prometheusDefaultFormat, type VariableValue } from "./format.ts";

/** The value `$__all` Grafana stores when "All" is selected. */
export const ALL_VALUE = "$__all";

/** What interpolation needs of one variable. */
export interface VariableState extends FormatContext {
  readonly name: string;
  readonly current: { readonly text: VariableValue; readonly value: VariableValue };
  /** Options, used to expand "All" when there is no custom `allValue`. */
  readonly options?: readonly { readonly text: string; readonly value: string }[];
  readonly allValue?: string | null;
}

/** A value in scope of one repeated panel (`scopedVars`). */
export interface ScopedValue {
  readonly text: string;
  readonly value: string;
}

/** Interpolation settings. */
export interface InterpolateOptions {
  readonly scopedVars?: Readonly<Record<string, ScopedValue>>;
  /** Built-in values such as those of `builtinValues` (names with their `__` prefix). */
  readonly builtins?: Readonly<Record<string, string>>;
  /**
   * The format when none is given; default: the Prometheus data source's
   * ({@link prometheusDefaultFormat}). Pass `"glob"`-like names for other contexts.
   */
  readonly defaultFormat?: string | ((value: VariableValue, ctx: FormatContext) => string);
}

const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/** Names of the variables `text` refers to (for dependency ordering). */
export function referencedVariables(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(VARIABLE_RE)) out.add((m[1] ?? m[2] ?? m[4])!);
  return [...out];
}

/** `text` with every known variable replaced; unknown ones are left as written. */
export function interpolate(
  text: string,
  variables: ReadonlyMap<string, VariableState>,
  opts: InterpolateOptions = {},
): string {
  return text.replace(
    VARIABLE_RE,
    (whole, n1?: string, n2?: string, f2?: string, n3?: string, _path?: string, f3?: string) => {
      const name = (n1 ?? n2 ?? n3)!;
      const format = f2 ?? f3;
      if (name === "__from" || name === "__to") return timeBuiltin(opts.builtins?.[name], format) ?? whole;
      const builtin = opts.builtins?.[name];
      if (builtin !== undefined) return builtin;
      const scoped = opts.scopedVars?.[name];
      const variable = variables.get(name);
      if (scoped !== undefined)
        return apply(scoped.value, format, variable ?? { name, current: scoped }, opts, scoped.text);
      if (variable === undefined) return whole;
      let value = variable.current.value;
      if (isAll(value)) {
        if (
          variable.allValue !== undefined &&
          variable.allValue !== null &&
          variable.allValue !== "" &&
          format !== "text" &&
          format !== "percentencode"
        )
          return interpolate(variable.allValue, variables, opts);
        value = (variable.options ?? []).filter((o) => o.value !== ALL_VALUE).map((o) => o.value);
        if (format === "text") return "All";
      }
      return apply(value, format, variable, opts, variable.current.text);
    },
  );
}

function isAll(v: VariableValue): boolean {
  return typeof v === "string" ? v === ALL_VALUE : v.includes(ALL_VALUE);
}

function apply(
  value: VariableValue,
  format: string | undefined,
  ctx: FormatContext,
  opts: InterpolateOptions,
  text?: VariableValue,
): string {
  if (format !== undefined) return formatValue(value, format, ctx, text);
  const def = opts.defaultFormat ?? prometheusDefaultFormat;
  return typeof def === "string" ? formatValue(value, def, ctx, text) : def(value, ctx);
}

/** `${__from}` (epoch ms), `${__from:date}` / `:date:iso` (ISO 8601), `:date:seconds` (epoch seconds). */
function timeBuiltin(ms: string | undefined, format: string | undefined): string | undefined {
  if (ms === undefined) return undefined;
  if (format === undefined) return ms;
  const n = Number(ms);
  if (format === "date" || format === "date:iso") return new Date(n).toISOString();
  if (format === "date:seconds") return String(Math.floor(n / 1000));
  return ms;
}
