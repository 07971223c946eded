/**
 * Go's strconv on arbitrary text, for numbers read outside the PromQL lexer:
 * the engine's `le` bucket bounds, and in the test scripts a bare-number
 * expectation line and histogram literal fields. A value is first tried as an integer (`ParseInt(s, 0,
 * 64)`: decimal, `0x`, `0o`, `0b`, a leading `0` for octal, `_` separators)
 * and then as a float (`ParseFloat(s, 64)`: decimal or hex-mantissa floats,
 * `Inf`, `Infinity`, `NaN`). Out-of-range floats are errors, as in Go.
 * Numbers inside series values are lexer tokens and use the parser's
 * `parseNumber` instead.
 */
import { parseIntLiteral, underscoresOK } from "../model/strconv/number.ts";

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Go's `strconv.ParseInt(s, 0, 64)`; null when it would fail (syntax or range). */
export function parseGoInt(s: string): bigint | null {
  const v = parseIntLiteral(s);
  return v === null || v > INT64_MAX || v < INT64_MIN ? null : v;
}

const DECIMAL_FLOAT = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/;

/** Go's `strconv.ParseFloat(s, 64)`; null when it would fail (syntax or range). */
export function parseGoFloat(s: string): number | null {
  let body = s;
  let sign = 1;
  if (body[0] === "+" || body[0] === "-") {
    sign = body[0] === "-" ? -1 : 1;
    body = body.slice(1);
  }
  const lower = body.toLowerCase();
  if (lower === "inf" || lower === "infinity") return sign * Infinity;
  // Go accepts NaN only unsigned.
  if (lower === "nan") return body.length === s.length ? Number.NaN : null;
  if (body.includes("_")) {
    if (!underscoresOK(body)) return null;
    body = body.replaceAll("_", "");
  }
  let v: number;
  if (DECIMAL_FLOAT.test(body)) {
    v = Number(body);
  } else {
    const m = HEX_FLOAT.exec(body);
    if (m === null || m[1]! + m[2]! === "") return null;
    const mant = m[1]! + m[2]!;
    v = Number(BigInt(`0x${mant}`)) * 2 ** (Number(m[3]) - 4 * m[2]!.length);
  }
  if (!Number.isFinite(v)) return null;
  return sign * v;
}

/** The parser's number rule: integer syntax first, then float syntax. */
export function parseGoNumber(s: string): number | null {
  const i = parseGoInt(s);
  if (i !== null) return Number(i);
  return parseGoFloat(s);
}
