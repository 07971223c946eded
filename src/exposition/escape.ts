/**
 * Token encoding for the two text formats, byte for byte as upstream's
 * `expfmt` writes them (prometheus/common `text_create.go`,
 * `openmetrics_create.go`, and `model.EscapeName`): HELP text and label
 * values, metric and label names (quoted when not legacy-valid, or rewritten
 * under a name escaping scheme), and floats.
 *
 * Floats follow Go's `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest
 * digits that round-trip (JavaScript's `toExponential()` yields the same
 * digits), laid out in exponent form when the decimal exponent is < -4 or
 * >= 6 (Go uses precision 6 for that decision when the precision is
 * "shortest"), with at least two exponent digits: `1e+06`, `123456`,
 * `1.234567e+06`, `0.0001`, `1e-05`. Only the layout changes, never the
 * digits, so `Number(formatFloat(f)) === f` for every finite `f`.
 */

import {
  isValidLegacyLabelName as isLegacyLabelName,
  isValidLegacyMetricName as isLegacyMetricName,
} from "../model/labels/validate.ts";
import type { Format } from "./types.ts";

/**
 * How names that are not legacy-valid are put on the wire (`escaping=` in the
 * Content-Type). `allow-utf-8` quotes them; the others rewrite them into the
 * legacy charset as `model.EscapeName` does.
 */
export type EscapingScheme = "allow-utf-8" | "underscores" | "dots" | "values";

/** Escaping schemes a client may ask for with `escaping=`, as upstream's `model` constants. */
export const ESCAPING_SCHEMES: readonly EscapingScheme[] = ["allow-utf-8", "underscores", "dots", "values"];

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Legacy name checks live with the label model; re-exported for the writer's callers. */
export { isLegacyLabelName, isLegacyMetricName };

const NEEDS_ESCAPE_QUOTED = /[\\\n"]/;
const NEEDS_ESCAPE_HELP = /[\\\n]/;

/** Escapes a label value (or a quoted name): `\` → `\\`, newline → `\n`, `"` → `\"`. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE_QUOTED.test(value)) return value;
  return value.replace(/[\\\n"]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/**
 * Escapes HELP text: `\` and newline in the Prometheus text format; OpenMetrics
 * (and UNIT text) also escapes `"`, as upstream's OpenMetrics writer does.
 */
export function escapeHelp(text: string, format: Format): string {
  if (format === "openmetrics") return escapeLabelValue(text);
  if (!NEEDS_ESCAPE_HELP.test(text)) return text;
  return text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
}

/** A metric name as a token: bare when legacy-valid, else `"quoted"`. */
export function quoteMetricName(name: string): string {
  return isLegacyMetricName(name) ? name : `"${escapeLabelValue(name)}"`;
}

/**
 * A label name as a token: bare when legacy-valid, else `"quoted"`. Upstream
 * quotes label names with the metric-name check, which leaves `a:b` bare
 * where no parser accepts it; the label-name check is used here instead.
 */
export function quoteLabelName(name: string): string {
  return isLegacyLabelName(name) ? name : `"${escapeLabelValue(name)}"`;
}

/**
 * Rewrites a name that is not legacy-valid into the legacy charset, as
 * upstream's `model.EscapeName` (applied by `EscapeMetricFamily` only to names
 * that fail the legacy check). `allow-utf-8` returns the name unchanged.
 * With `label` set, `:` counts as invalid (it is not allowed in label names).
 */
export function escapeName(name: string, scheme: EscapingScheme, label = false): string {
  if (scheme === "allow-utf-8" || (label ? isLegacyLabelName(name) : isLegacyMetricName(name))) return name;
  let out = scheme === "values" ? "U__" : "";
  let i = 0;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    const valid = isLetterOrUnderscore(c) || (!label && c === 0x3a) || (i > 0 && isDigit(c));
    if (scheme === "underscores") out += valid ? ch : "_";
    else if (c === 0x5f) out += "__";
    else if (scheme === "dots" && c === 0x2e) out += "_dot_";
    else if (valid) out += ch;
    else if (scheme === "dots") out += "__";
    else out += `_${(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c).toString(16)}_`; // lone surrogate: U+FFFD, as UTF-8 encoding makes it
    i += ch.length; // Go indexes by byte; only i > 0 matters here
  }
  return out;
}

/** Go's shortest `'g'` layout of a finite, non-zero `f`. */
function goShortest(f: number): string {
  const s = f.toExponential(); // shortest round-trip digits: "-1.2345e+21"
  const e = s.indexOf("e");
  const neg = f < 0;
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  const sign = neg ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const abs = exp < 0 ? -exp : exp;
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
  }
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A float as the Prometheus text format writes it (expfmt `writeFloat`):
 * `NaN`, `+Inf`, `-Inf`, and Go's shortest `'g'` layout otherwise. Zero is
 * written `0` whatever its sign, as upstream does.
 */
export function formatFloat(f: number): string {
  if (f === 0) return "0";
  if (Number.isFinite(f)) return goShortest(f);
  return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
}

/**
 * A float as the OpenMetrics writer prints it (expfmt `writeOpenMetricsFloat`):
 * like `formatFloat`, with `.0` appended when the result has neither `.` nor
 * `e` (`1.0`, `0.0`, `123456.0`; but `1e+06`).
 */
export function formatOpenMetricsFloat(f: number): string {
  const s = formatFloat(f);
  if (!Number.isFinite(f) || s.includes(".") || s.includes("e")) return s;
  return `${s}.0`;
}

/**
 * An integer as Go's `strconv.FormatInt`/`FormatUint` writes it (timestamps in
 * milliseconds, OpenMetrics bucket counts), exact beyond 2^53 too. A
 * fractional input is truncated toward zero; the caller ensures the value is
 * finite.
 */
export function formatInt(n: number): string {
  const i = Math.trunc(n) || 0;
  return Number.isSafeInteger(i) ? String(i) : BigInt(i).toString();
}
