/**
 * Go's `encoding/json.Marshal` over template values (Alertmanager's `toJson`):
 * struct fields under their `json` tags (a static {@link GO_JSON} map), maps with
 * sorted keys, HTML-safe string escaping (`<` → `\u003c`), Go's float format, and
 * `time.Time` as RFC 3339 with nanoseconds.
 */

import { formatFloat } from "./fmtfloat.ts";
import { GoDuration, GoTime } from "./time.ts";
import { GoComplex, GoString, kindOf, sortedEntries, structFields, typeName } from "./values.ts";

/** Static property mapping a class's Go field names to their `json` tag names. */
export const GO_JSON: unique symbol = Symbol.for("vigil.template.goJSON");

const ESC: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** A JSON string as Go writes it (HTML characters escaped). */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    const esc = ESC[c];
    if (esc !== undefined) out += esc;
    else if (code < 0x20) out += `\\u00${code.toString(16).padStart(2, "0")}`;
    else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      i + 1 < s.length &&
      (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      out += c + s[++i];
    } else if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd";
    else out += c;
  }
  return `${out}"`;
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloat(f, "g", -1)}`);
  const abs = Math.abs(f);
  const fmt = abs !== 0 && (abs < 1e-6 || abs >= 1e21) ? "e" : "f";
  let s = formatFloat(f, fmt, -1);
  if (fmt === "e") s = s.replace(/e-0(\d)$/, "e-$1");
  return s;
}

/** Go's `json.Marshal(v)`; throws Go's `json: unsupported …` errors. */
export function goJSON(v: unknown): string {
  if (v === undefined || v === null) return "null";
  if (v instanceof GoTime) return `"${v.Format("2006-01-02T15:04:05.999999999Z07:00")}"`;
  if (v instanceof GoDuration) return v.nanoseconds.toString();
  if (v instanceof GoString) return jsonString(v.value);
  if (v instanceof GoComplex) throw new Error(`json: unsupported type: ${typeName(v)}`);
  switch (kindOf(v)) {
    case "bool":
      return v ? "true" : "false";
    case "int":
      return String(v);
    case "float":
      return jsonFloat(v as number);
    case "string":
      return jsonString(v as string);
    case "slice":
      return `[${(v as unknown[]).map(goJSON).join(",")}]`;
    case "map":
      return `{${sortedEntries(v)
        .map(([k, x]) => `${jsonString(k)}:${goJSON(x)}`)
        .join(",")}}`;
    case "func":
      throw new Error(`json: unsupported type: ${typeName(v)}`);
    default: {
      const tags = (v.constructor as { [GO_JSON]?: Readonly<Record<string, string>> })[GO_JSON] ?? {};
      const fields = structFields(v as object).map(([k, x]) => `${jsonString(tags[k] ?? k)}:${goJSON(x)}`);
      return `{${fields.join(",")}}`;
    }
  }
}
