/**
 * Float parsing with the semantics of upstream's `parseFloat` in
 * model/textparse: Go's `strconv.ParseFloat(s, 64)` after refusing any of the
 * characters `p`, `P` and `_` ("unsupported character in float").
 *
 * Accepted: `[+-]digits[.digits][(e|E)[+-]digits]`, `[+-].digits…`,
 * `[+-]inf`, `[+-]infinity` and `nan` in any case. Hexadecimal mantissas need a
 * `p` exponent in Go, so with `p` refused no hex form is accepted. A finite
 * literal too large for a float64 is an error ("value out of range"), as in Go.
 *
 * Hot path: guarded by `npm run bench -- exposition`. Common values (up to 15
 * significant digits, small exponents) are computed exactly without building
 * a string (Clinger's fast path); the rest go through `Number()`, which rounds
 * correctly like Go.
 */

/** Exact powers of ten representable as doubles. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Why a float literal was refused; the caller adds position and context. */
export type FloatErrorReason = "syntax" | "range" | "unsupported";

/** Result slot, reused to avoid allocating per call. */
export interface FloatResult {
  value: number;
  error: FloatErrorReason | undefined;
}

/**
 * Parses `b[start:end)` as a float. Sets `out.value` (NaN when invalid) and
 * `out.error` (undefined on success); returns whether it succeeded.
 */
export function parseFloatBytes(b: Uint8Array, start: number, end: number, out: FloatResult): boolean {
  out.error = undefined;
  let i = start;
  if (i >= end) {
    return fail(out, "syntax");
  }
  let neg = false;
  let c = b[i];
  if (c === 0x2b /* + */ || c === 0x2d /* - */) {
    neg = c === 0x2d;
    i++;
    if (i >= end) return fail(out, "syntax");
    c = b[i];
  }
  if (!(c >= 0x30 && c <= 0x39) && c !== 0x2e /* . */) {
    return parseSpecial(b, start, i, end, neg, out);
  }
  let mantissa = 0;
  let sigDigits = 0;
  let dropped = 0; // integer digits beyond the 15 kept
  let fracDigits = 0;
  let sawDigit = false;
  let tooMany = false;
  while (i < end && (c = b[i]) >= 0x30 && c <= 0x39) {
    sawDigit = true;
    if (mantissa === 0 && c === 0x30) {
      i++;
      continue;
    }
    if (sigDigits < 15) {
      mantissa = mantissa * 10 + (c - 0x30);
      sigDigits++;
    } else {
      tooMany = true;
      dropped++;
    }
    i++;
  }
  if (i < end && b[i] === 0x2e) {
    i++;
    while (i < end && (c = b[i]) >= 0x30 && c <= 0x39) {
      sawDigit = true;
      if (mantissa === 0 && c === 0x30) {
        fracDigits++;
      } else if (sigDigits < 15) {
        mantissa = mantissa * 10 + (c - 0x30);
        sigDigits++;
        fracDigits++;
      } else {
        tooMany = true;
      }
      i++;
    }
  }
  if (!sawDigit) return classify(b, start, end, out);
  let exp = 0;
  if (i < end && (b[i] === 0x65 || b[i] === 0x45) /* e E */) {
    i++;
    let expNeg = false;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) {
      expNeg = b[i] === 0x2d;
      i++;
    }
    if (i >= end || !(b[i] >= 0x30 && b[i] <= 0x39)) return classify(b, start, end, out);
    while (i < end && (c = b[i]) >= 0x30 && c <= 0x39) {
      if (exp < 100000) exp = exp * 10 + (c - 0x30);
      i++;
    }
    if (expNeg) exp = -exp;
  }
  if (i !== end) return classify(b, start, end, out);
  const e10 = exp - fracDigits + dropped;
  if (!tooMany && e10 >= -22 && e10 <= 22) {
    const v = e10 >= 0 ? mantissa * POW10[e10] : mantissa / POW10[-e10];
    out.value = neg ? -v : v;
    return true;
  }
  if (mantissa === 0) {
    out.value = neg ? -0 : 0;
    return true;
  }
  return slowPath(b, start, end, out);
}

function slowPath(b: Uint8Array, start: number, end: number, out: FloatResult): boolean {
  const v = Number(latin1(b, start, end));
  if (!Number.isFinite(v)) return fail(out, "range");
  out.value = v;
  return true;
}

/** `inf`, `infinity` (optionally signed) and unsigned `nan`, case-insensitive. */
function parseSpecial(
  b: Uint8Array,
  start: number,
  i: number,
  end: number,
  neg: boolean,
  out: FloatResult,
): boolean {
  const n = end - i;
  if (n === 3 || n === 8) {
    const word = latin1(b, i, end).toLowerCase();
    if (word === "inf" || word === "infinity") {
      out.value = neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      return true;
    }
    if (word === "nan" && i === start) {
      out.value = Number.NaN;
      return true;
    }
  }
  return classify(b, start, end, out);
}

/** Distinguishes upstream's "unsupported character" refusal from a syntax error. */
function classify(b: Uint8Array, start: number, end: number, out: FloatResult): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x70 || c === 0x50 || c === 0x5f) return fail(out, "unsupported");
  }
  return fail(out, "syntax");
}

function fail(out: FloatResult, reason: FloatErrorReason): boolean {
  out.value = Number.NaN;
  out.error = reason;
  return false;
}

/** Bytes as a Latin-1 string (one char per byte); only for short tokens. */
export function latin1(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Parses `b[start:end)` as a base-10 int64 like Go's `strconv.ParseInt(s, 10, 64)`
 * (optional sign, digits). Returns undefined when invalid or out of range.
 * Values beyond 2^53 lose precision, as any JavaScript number does.
 */
export function parseIntBytes(b: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let neg = false;
  if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) {
    neg = b[i] === 0x2d;
    i++;
  }
  if (i >= end) return undefined;
  let v = 0;
  let first = -1; // index of the first significant digit
  for (let j = i; j < end; j++) {
    const c = b[j];
    if (c < 0x30 || c > 0x39) return undefined;
    if (first < 0 && c !== 0x30) first = j;
    v = v * 10 + (c - 0x30);
  }
  const digits = first < 0 ? 0 : end - first;
  if (digits > 19) return undefined;
  if (digits === 19) {
    // Compare against 2^63-1 (or 2^63 for negatives) digit by digit: doubles cannot.
    const limit = neg ? "9223372036854775808" : "9223372036854775807";
    if (latin1(b, first, end) > limit) return undefined;
  }
  // Past 15 digits the running sum rounds at each step; Number() rounds once, correctly.
  if (digits > 15) v = Number(latin1(b, first, end));
  return neg && v !== 0 ? -v : v;
}
