/**
 * The `fmt` struct of Go's `fmt/format.go`: flags, width and precision, and the
 * primitive formatters (integers, floats, strings, quoted strings, hex strings,
 * runes) with Go's padding rules. `fmt.ts` drives it.
 */

import { formatFloat } from "./fmtfloat.ts";
import { canBackquote, goQuote, isPrint, quoteRune, quoteToASCII } from "./quote.ts";

const LDIGITS = "0123456789abcdefx";
const UDIGITS = "0123456789ABCDEFX";

/** Number of code points (Go's `utf8.RuneCountInString` for valid strings). */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

function truncateRunes(s: string, n: number): string {
  let i = 0;
  let count = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

/** Formatting state for one verb, written to `buf`. */
export class Fmt {
  buf = "";
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  widPresent = false;
  precPresent = false;
  wid = 0;
  prec = 0;

  clearFlags(): void {
    this.plus = false;
    this.minus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
    this.widPresent = false;
    this.precPresent = false;
    this.wid = 0;
    this.prec = 0;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? "0" : " ").repeat(n);
  }

  /** Appends `s` padded to the width (code points). */
  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? "true" : "false");
  }

  /** Go's `fmtInteger` for a signed or unsigned value in `base`. */
  fmtInteger(value: bigint, base: number, isSigned: boolean, verb: string, upper: boolean): void {
    const digits = upper ? UDIGITS : LDIGITS;
    const negative = isSigned && value < 0n;
    let u = negative ? -value : value;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = "";
    const b = BigInt(base);
    if (u === 0n) s = "0";
    while (u > 0n) {
      s = digits[Number(u % b)] + s;
      u /= b;
    }
    if (prec > s.length) s = "0".repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8 && s[0] !== "0") s = `0${s}`;
      else if (base === 16) s = `0${digits[16]}${s}`;
    }
    if (verb === "O") s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** Go's `fmtFloat`: `prec` is the default precision (-1 shortest) unless one is present. */
  fmtFloat(v: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb === "F" ? "f" : verb, prec);
    if (num[0] !== "-" && num[0] !== "+") num = `+${num}`;
    if (this.space && num[0] === "+" && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === "N" && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== "b") num = sharpFloat(num, verb, prec);
    if (this.plus || num[0] !== "+") {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  /** `%s` with precision truncating to that many runes. */
  fmtS(s: string): void {
    this.pad(this.precPresent ? truncateRunes(s, this.prec) : s);
  }

  /** `%q`: Go-quoted (or backquoted with `#`, ASCII-only with `+`). */
  fmtQ(s: string): void {
    if (this.precPresent) s = truncateRunes(s, this.prec);
    if (this.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(this.plus ? quoteToASCII(s) : goQuote(s));
  }

  /** `%x`/`%X` of a string's UTF-8 bytes. */
  fmtSx(s: string, upper: boolean): void {
    let bytes = Buffer.from(s, "utf8");
    if (this.precPresent && this.prec < bytes.length) bytes = bytes.subarray(0, this.prec);
    const digits = upper ? UDIGITS : LDIGITS;
    let out = "";
    for (let i = 0; i < bytes.length; i++) {
      if (this.space && i > 0) out += " ";
      if (this.sharp && (this.space || i === 0)) out += `0${digits[16]}`;
      out += digits[bytes[i] >> 4] + digits[bytes[i] & 15];
    }
    this.pad(out);
  }

  /** `%c` of an integer. */
  fmtC(v: bigint): void {
    const cp = v > 0x10ffffn || v < 0n || (v >= 0xd800n && v <= 0xdfffn) ? 0xfffd : Number(v);
    this.pad(String.fromCodePoint(cp));
  }

  /** `%q` of an integer (a quoted rune). */
  fmtQc(v: bigint): void {
    const cp = v > 0x10ffffn || v < 0n ? 0xfffd : Number(v);
    if (this.sharp && cp !== 0x60 && canBackquote(String.fromCodePoint(cp)))
      this.pad(`'${String.fromCodePoint(cp)}'`);
    else this.pad(quoteRune(cp, this.plus));
  }

  /** `%U`: `U+0041` (with `#`: `U+0041 'A'` for printable runes). */
  fmtUnicode(v: bigint): void {
    const u = v < 0n ? v + (1n << 64n) : v;
    const width = this.precPresent && this.prec > 4 ? this.prec : 4;
    let s = `U+${u.toString(16).toUpperCase().padStart(width, "0")}`;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }
}

/** The `#` flag on floats: keep a decimal point (and trailing zeros for `%g`). */
function sharpFloat(num: string, verb: string, prec: number): string {
  const lower = verb.toLowerCase();
  const expAt = num.search(/[eEpP]/);
  let mant = expAt < 0 ? num : num.slice(0, expAt);
  const tail = expAt < 0 ? "" : num.slice(expAt);
  if (!mant.includes(".")) mant += ".";
  if (lower === "g") {
    const want = prec < 0 ? 6 : prec === 0 ? 1 : prec;
    const digits = mant.replace(/[^0-9]/g, "").replace(/^0+/, "");
    const have = digits.length === 0 ? 1 : digits.length;
    if (have < want) mant += "0".repeat(want - have);
  }
  return mant + tail;
}
