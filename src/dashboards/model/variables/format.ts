/**
 * Grafana's variable value formats (`${var:regex}`, `:pipe`, `:csv`, …) and
 * the Prometheus data source's default escaping. Pure and browser-safe.
 */

/** A variable's value: one string or, for multi-value variables, several. */
export type VariableValue = string | readonly string[];

/** What formatting needs to know of the variable. */
export interface FormatContext {
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly name?: string;
}

/** The format names Grafana accepts after `:`. */
export const FORMATS = [
  "regex",
  "pipe",
  "csv",
  "json",
  "distributed",
  "lucene",
  "percentencode",
  "singlequote",
  "doublequote",
  "sqlstring",
  "raw",
  "text",
  "queryparam",
  "glob",
  "date",
] as const;

const REGEX_SPECIAL = /[\\^$*+?.()|{}[\]/]/g;

function list(v: VariableValue): readonly string[] {
  return typeof v === "string" ? [v] : v;
}

/** `value` in `format`; an unknown format falls back to glob, as in Grafana. */
export function formatValue(
  value: VariableValue,
  format: string,
  ctx: FormatContext = {},
  text?: VariableValue,
): string {
  const vs = list(value);
  switch (format) {
    case "regex": {
      const escaped = vs.map((v) => v.replace(REGEX_SPECIAL, "\\$&"));
      return escaped.length === 1 ? escaped[0]! : `(${escaped.join("|")})`;
    }
    case "pipe":
      return vs.join("|");
    case "csv":
      return vs.join(",");
    case "json":
      return JSON.stringify(typeof value === "string" ? value : [...value]);
    case "distributed":
      return vs.map((v, i) => (i === 0 ? v : `${ctx.name ?? ""}=${v}`)).join(",");
    case "lucene": {
      const esc = vs.map((v) => `"${v.replace(/([+\-&|!(){}[\]^"~*?:\\/ ])/g, "\\$1")}"`);
      return esc.length === 1 ? esc[0]! : `(${esc.join(" OR ")})`;
    }
    case "percentencode":
      return encodeURIComponent(typeof value === "string" ? value : `{${vs.join(",")}}`);
    case "singlequote":
      return vs.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(",");
    case "doublequote":
      return vs.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(",");
    case "sqlstring":
      return vs.map((v) => `'${v.replace(/'/g, "''")}'`).join(",");
    case "raw":
      return vs.join(",");
    case "text":
      return list(text ?? value).join(" + ");
    case "queryparam":
      return vs.map((v) => `var-${encodeURIComponent(ctx.name ?? "")}=${encodeURIComponent(v)}`).join("&");
    default:
      return vs.length === 1 ? vs[0]! : `{${vs.join(",")}}`;
  }
}

/** The Prometheus data source's escaping of a single value (`\` and `'`). */
export function prometheusRegularEscape(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/'/g, "\\\\'");
}

/** The Prometheus data source's escaping of a value used inside a regex matcher. */
export function prometheusSpecialRegexEscape(v: string): string {
  return v.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]'+?.()|]/g, "\\\\$&");
}

/**
 * The Prometheus data source's default format (no `:format` given): a
 * single-value variable is escaped as a string; a multi-value or include-all
 * variable is regex-escaped and joined as `(a|b)`.
 */
export function prometheusDefaultFormat(value: VariableValue, ctx: FormatContext): string {
  if (ctx.multi !== true && ctx.includeAll !== true)
    return list(value).map(prometheusRegularEscape).join(",");
  const escaped = list(value).map(prometheusSpecialRegexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join("|")})`;
}
