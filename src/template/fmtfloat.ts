/**
 * Go's `strconv.FormatFloat(v, fmt, prec, 64)` for the `e`, `E`, `f`, `g`, `G`, `x`
 * and `X` formats. Shortest digits come from V8 (shortest round-trip, as Go's Ryū);
 * fixed precision rounds the exact binary value half-to-even on its full decimal
 * expansion, exactly as Go's `decimal.Round` does.
 */

/** Decimal digits (no leading/trailing zeros; "" for zero) and the decimal point position. */
interface Digits {
  d: string;
  dp: number;
}

const view = new DataView(new ArrayBuffer(8));

/** The exact decimal expansion of a finite x > 0. */
function exactDigits(x: number): Digits {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (exp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  return { d: s.replace(/0+$/, ""), dp };
}

/** Shortest digits that round-trip (V8's `toExponential()` is shortest). */
function shortestDigits(x: number): Digits {
  const [mant, exp] = x.toExponential().split("e");
  const d = mant.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(exp) + 1 };
}

/** Go's `decimal.Round(nd)`: half-to-even on exact digits; no-op outside [0, nd). */
function round(a: Digits, nd: number): Digits {
  if (nd < 0 || nd >= a.d.length) return a;
  const up =
    a.d[nd] === "5" && nd + 1 === a.d.length
      ? nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1
      : a.d[nd] >= "5";
  if (!up) return { d: a.d.slice(0, nd).replace(/0+$/, ""), dp: a.dp };
  let i = nd - 1;
  while (i >= 0 && a.d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: a.dp + 1 };
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
}

function fmtE(neg: boolean, a: Digits, prec: number, e: string): string {
  let out = neg ? "-" : "";
  out += a.d.length === 0 ? "0" : a.d[0];
  if (prec > 0) {
    out += ".";
    const frac = a.d.slice(1, 1 + prec);
    out += frac + "0".repeat(prec - frac.length);
  }
  const exp = a.d.length === 0 ? 0 : a.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? "-" : "+"}${abs < 10 ? `0${abs}` : abs}`;
}

function fmtF(neg: boolean, a: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (a.dp > 0) {
    const int = a.d.slice(0, a.dp);
    out += int + "0".repeat(a.dp - int.length);
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = a.dp + i - 1;
      out += j >= 0 && j < a.d.length ? a.d[j] : "0";
    }
  }
  return out;
}

function fmtX(neg: boolean, x: number, prec: number, upper: boolean): string {
  // %x: -0x1.23abcp+20 (shortest when prec < 0).
  if (x === 0) {
    const zeros = prec > 0 ? `.${"0".repeat(prec)}` : "";
    const s = `${neg ? "-" : ""}0x0${zeros}p+00`;
    return upper ? s.toUpperCase() : s;
  }
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) {
    exp = 1;
    while ((mant & (1n << 52n)) === 0n) {
      mant <<= 1n;
      exp--;
    }
  } else mant |= 1n << 52n;
  let e = exp - 1023;
  let frac = mant & ((1n << 52n) - 1n);
  let digits = frac.toString(16).padStart(13, "0");
  if (prec >= 0 && prec < 13) {
    const shift = BigInt(4 * (13 - prec));
    let m = mant >> shift;
    const rem = mant & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m++;
    if (m >> BigInt(4 * prec) >= 2n) {
      m >>= 1n;
      e++;
    }
    frac = m & ((1n << BigInt(4 * prec)) - 1n);
    digits = prec === 0 ? "" : frac.toString(16).padStart(prec, "0");
  } else {
    digits = digits.replace(/0+$/, "");
    if (prec > 13) digits = digits.padEnd(prec, "0");
  }
  const body = `${neg ? "-" : ""}0x1${digits === "" ? "" : `.${digits}`}p${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return upper ? body.toUpperCase() : body;
}

/** Go's `strconv.FormatFloat(v, fmt, prec, 64)`; `prec < 0` means shortest. */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const x = Math.abs(v);
  if (fmt === "x" || fmt === "X") return fmtX(neg, x, prec, fmt === "X");
  const shortest = prec < 0;
  let a: Digits = x === 0 ? { d: "", dp: 0 } : shortest ? shortestDigits(x) : exactDigits(x);
  const lower = fmt.toLowerCase();
  if (shortest) {
    if (lower === "e") prec = a.d.length - 1;
    else if (lower === "f") prec = Math.max(a.d.length - a.dp, 0);
    else prec = a.d.length;
  } else if (lower === "e") a = round(a, prec + 1);
  else if (lower === "f") a = round(a, a.dp + prec);
  else {
    if (prec === 0) prec = 1;
    a = round(a, prec);
  }
  if (lower === "e") return fmtE(neg, a, prec, fmt === "E" ? "E" : "e");
  if (lower === "f") return fmtF(neg, a, prec);
  let eprec = prec;
  if (eprec > a.d.length && a.d.length >= a.dp) eprec = a.d.length;
  if (shortest) eprec = 6;
  const exp = a.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > a.d.length) prec = a.d.length;
    return fmtE(neg, a, prec - 1, fmt === "G" ? "E" : "e");
  }
  if (prec > a.dp) prec = a.d.length;
  return fmtF(neg, a, Math.max(prec - a.dp, 0));
}
