/**
 * Go's `strconv` quoting as templates need it: `Unquote` for string literals,
 * `UnquoteChar` for character constants, `QuoteToASCII`, `QuoteRune` and
 * `CanBackquote` for `%q`. `strconv.Quote` itself is `goQuote` in the labels package.
 */

import { goQuote } from "../model/labels/strings.ts";

/** Go's `strconv.Quote` (re-exported from the labels package). */
export { goQuote };

/** Go's `strconv.ErrSyntax`, whose text templates print as "invalid syntax". */
export class QuoteSyntaxError extends Error {
  constructor() {
    super("invalid syntax");
    this.name = "QuoteSyntaxError";
  }
}

const SIMPLE: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
};

function hexValue(s: string, from: number, n: number): number {
  if (from + n > s.length) throw new QuoteSyntaxError();
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = Number.parseInt(s[i], 16);
    if (Number.isNaN(d)) throw new QuoteSyntaxError();
    v = v * 16 + d;
  }
  return v;
}

/** One decoded unit: a code point, or a raw byte from `\x`/octal escapes. */
interface Unit {
  readonly value: number;
  readonly isByte: boolean;
  readonly next: number;
}

/** Go's `strconv.UnquoteChar` over `s` at `i`, inside a literal quoted by `quote`. */
function unquoteUnit(s: string, i: number, quote: string): Unit {
  const c = s.codePointAt(i)!;
  const w = c > 0xffff ? 2 : 1;
  if (s[i] === quote && (quote === "'" || quote === '"')) throw new QuoteSyntaxError();
  if (s[i] !== "\\") return { value: c, isByte: false, next: i + w };
  if (i + 1 >= s.length) throw new QuoteSyntaxError();
  const e = s[i + 1];
  const simple = SIMPLE[e];
  if (simple !== undefined) return { value: simple, isByte: false, next: i + 2 };
  switch (e) {
    case "x":
      return { value: hexValue(s, i + 2, 2), isByte: true, next: i + 4 };
    case "u":
    case "U": {
      const n = e === "u" ? 4 : 8;
      const v = hexValue(s, i + 2, n);
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new QuoteSyntaxError();
      return { value: v, isByte: false, next: i + 2 + n };
    }
    case "'":
    case '"':
      if (e !== quote) throw new QuoteSyntaxError();
      return { value: e.charCodeAt(0), isByte: false, next: i + 2 };
  }
  if (e >= "0" && e <= "7") {
    let v = 0;
    for (let j = i + 1; j < i + 4; j++) {
      const d = s.charCodeAt(j) - 0x30;
      if (j >= s.length || d < 0 || d > 7) throw new QuoteSyntaxError();
      v = v * 8 + d;
    }
    if (v > 255) throw new QuoteSyntaxError();
    return { value: v, isByte: true, next: i + 4 };
  }
  throw new QuoteSyntaxError();
}

/**
 * Go's `strconv.UnquoteChar(s[i:], quote)`: the code point at `i` (escapes decoded)
 * and the offset after it. Throws {@link QuoteSyntaxError}.
 */
export function unquoteChar(s: string, i: number, quote: string): { value: number; next: number } {
  const u = unquoteUnit(s, i, quote);
  return { value: u.value, next: u.next };
}

/**
 * Go's `strconv.Unquote` for `"…"` and `` `…` `` literals (`'…'` too). Byte escapes
 * (`\xNN`, octal) are gathered and decoded as UTF-8 like Go's string bytes would be
 * printed. Throws {@link QuoteSyntaxError}.
 */
export function unquote(s: string): string {
  if (s.length < 2) throw new QuoteSyntaxError();
  const q = s[0];
  if (q !== s[s.length - 1]) throw new QuoteSyntaxError();
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) throw new QuoteSyntaxError();
    return body.includes("\r") ? body.replaceAll("\r", "") : body;
  }
  if (q !== '"' && q !== "'") throw new QuoteSyntaxError();
  if (body.includes("\n")) throw new QuoteSyntaxError();
  if (!body.includes("\\") && !body.includes(q)) {
    if (q === '"') return body;
    if ([...body].length === 1) return body;
  }
  const bytes: number[] = [];
  let i = 0;
  let count = 0;
  while (i < body.length) {
    const u = unquoteUnit(body, i, q);
    if (u.isByte) bytes.push(u.value);
    else pushUTF8(bytes, u.value);
    i = u.next;
    count++;
    if (q === "'" && count > 1) throw new QuoteSyntaxError();
  }
  if (q === "'" && count !== 1) throw new QuoteSyntaxError();
  return Buffer.from(bytes).toString("utf8");
}

function pushUTF8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else out.push(...Buffer.from(String.fromCodePoint(cp), "utf8"));
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's `unicode.IsPrint` (letters, marks, numbers, punctuation, symbols, U+0020). */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const ESC: Readonly<Record<number, string>> = {
  7: "\\a",
  8: "\\b",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCodePoint(cp)}`;
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp);
  const simple = ESC[cp];
  if (simple !== undefined) return simple;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return "\\ufffd";
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** Go's `strconv.QuoteToASCII`. */
export function quoteToASCII(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 0x22, true);
  return `${out}"`;
}

/** Go's `strconv.QuoteRune` (`asciiOnly`: `QuoteRuneToASCII`). Invalid runes print as U+FFFD. */
export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return `'${escapeRune(cp, 0x27, asciiOnly)}'`;
}

/** Go's `strconv.CanBackquote`: no control characters except tab, no backquote, no U+FEFF. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x60 || cp === 0xfeff || cp === 0x7f) return false;
    if (cp < 0x20 && cp !== 9) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
  }
  return true;
}
