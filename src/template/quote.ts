/**
 * Go's `strconv` quoting as templates need it: `QuoteToASCII`, `QuoteRune` and
 * `CanBackquote` for `%q`. `strconv.Quote` itself is `goQuote` in the labels
 * package; `Unquote` and `UnquoteChar` live in `model/strconv/quote.ts`.
 */

import { goQuote } from "../model/labels/strings.ts";

/** Go's `strconv.Quote` (re-exported from the labels package). */
export { goQuote };

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
