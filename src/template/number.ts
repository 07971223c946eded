/**
 * Upstream's `Tree.newNumber`: a number literal (decimal, hex, octal, binary, float,
 * hex float, `_` separators, character constants, imaginary and complex constants)
 * stored under every type that can hold it, simulating Go's ideal constants.
 */

import { parseIntLiteral } from "../model/strconv/number.ts";
import { unquoteChar } from "../model/strconv/quote.ts";
import { parseGoFloat } from "../promql/strconv.ts";

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** The value fields of a number node. */
export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: readonly [number, number];
}

/** An invalid number literal; the message is upstream's. */
export class NumberSyntaxError extends Error {}

function fromFloat(v: NumberValue, f: number): void {
  v.isFloat = true;
  v.float64 = f;
  if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
    v.isInt = true;
    v.int64 = BigInt(f);
  }
  if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
    v.isUint = true;
    v.uint64 = BigInt(f);
  }
}

function simplifyComplex(v: NumberValue): void {
  if (v.complex[1] === 0) fromFloat(v, v.complex[0]);
}

function empty(): NumberValue {
  return {
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    complex: [0, 0],
  };
}

function parseCharConstant(text: string): NumberValue {
  const { value, next } = unquoteChar(text, 1, "'");
  if (text.slice(next) !== "'") throw new NumberSyntaxError(`malformed character constant: ${text}`);
  const v = empty();
  v.isInt = true;
  v.isUint = true;
  v.int64 = BigInt(value);
  v.uint64 = BigInt(value);
  v.isFloat = true;
  v.float64 = value;
  return v;
}

function parseComplex(text: string): NumberValue {
  // `1+2i` / `1-2i`: split at the sign that is not part of an exponent.
  const m = /^([+-]?[^+-]*(?:[eEpP][+-][^+-]*)?)([+-].*)i$/.exec(text);
  const re = m === null ? null : parseGoFloat(m[1]);
  const im = m === null ? null : parseGoFloat(m[2]);
  if (re === null || im === null) throw new NumberSyntaxError(`expected integer`);
  const v = empty();
  v.isComplex = true;
  v.complex = [re, im];
  simplifyComplex(v);
  return v;
}

/** Parses a number item; throws {@link NumberSyntaxError} or a quote error as upstream. */
export function parseNumberValue(text: string, kind: "char" | "complex" | "number"): NumberValue {
  if (kind === "char") return parseCharConstant(text);
  if (kind === "complex") return parseComplex(text);
  if (text.endsWith("i")) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) {
      const v = empty();
      v.isComplex = true;
      v.complex = [0, f];
      simplifyComplex(v);
      return v;
    }
  }
  const v = empty();
  const u = parseIntLiteral(text, false);
  if (u !== null && u <= UINT64_MAX) {
    v.isUint = true;
    v.uint64 = u;
  }
  const i = parseIntLiteral(text, true);
  if (i !== null && i >= INT64_MIN && i <= INT64_MAX) {
    v.isInt = true;
    v.int64 = i;
    if (i === 0n) {
      v.isUint = true;
      v.uint64 = 0n;
    }
  }
  if (v.isInt) {
    v.isFloat = true;
    v.float64 = Number(v.int64);
  } else if (v.isUint) {
    v.isFloat = true;
    v.float64 = Number(v.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) throw new NumberSyntaxError(`integer overflow: ${JSON.stringify(text)}`);
      fromFloat(v, f);
    }
  }
  if (!v.isInt && !v.isUint && !v.isFloat) {
    throw new NumberSyntaxError(`illegal number syntax: ${JSON.stringify(text)}`);
  }
  return v;
}
