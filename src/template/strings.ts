/**
 * Go string functions templates expose: `strings.ToUpper`/`ToLower` (per-rune
 * simple case mapping), x/text `cases.Title(language.AmericanEnglish)` (Alertmanager's
 * `title`; with `cases.NoLower` Prometheus' `title`), `TrimSpace`,
 * `url.QueryUnescape` and `net.SplitHostPort`-based helpers.
 */

import { goQuote } from "../model/labels/strings.ts";

const MARKS = /^\p{M}+$/u;
const CASED = /^\p{Cased}$/u;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}\p{Pc}\p{Cf}]$/u;

/** Titlecase forms of the Latin digraphs (the only letters whose title and upper case differ here). */
const TITLE: Readonly<Record<string, string>> = {
  Ǆ: "ǅ",
  ǅ: "ǅ",
  ǆ: "ǅ",
  Ǉ: "ǈ",
  ǈ: "ǈ",
  ǉ: "ǈ",
  Ǌ: "ǋ",
  ǋ: "ǋ",
  ǌ: "ǋ",
  Ǳ: "ǲ",
  ǲ: "ǲ",
  ǳ: "ǲ",
};

function simpleMap(ch: string, full: string): string {
  const cps = [...full];
  if (cps.length === 1) return full;
  // A full mapping to several code points (ß → SS): Go's simple mapping keeps the
  // rune, except when the extra code points are combining marks (İ → i + U+0307).
  return MARKS.test(cps.slice(1).join("")) ? cps[0] : ch;
}

/** Go's `unicode.ToUpper` on one code point. */
export function simpleUpper(ch: string): string {
  if (ch === "ǅ" || ch === "ǈ" || ch === "ǋ" || ch === "ǲ")
    return String.fromCodePoint(ch.codePointAt(0)! - 1);
  return simpleMap(ch, ch.toUpperCase());
}

/** Go's `unicode.ToLower` on one code point. */
export function simpleLower(ch: string): string {
  if (ch === "ǅ" || ch === "ǈ" || ch === "ǋ" || ch === "ǲ")
    return String.fromCodePoint(ch.codePointAt(0)! + 1);
  return simpleMap(ch, ch.toLowerCase());
}

/** Go's `strings.ToUpper`. */
export function toUpper(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  let out = "";
  for (const ch of s) out += simpleUpper(ch);
  return out;
}

/** Go's `strings.ToLower`. */
export function toLower(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  let out = "";
  for (const ch of s) out += simpleLower(ch);
  return out;
}

/** Go's `unicode.IsSpace`. */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

const MID = new Set([
  ".",
  "'",
  ":",
  "·",
  "\u0387",
  "\u05f4",
  "\u2018",
  "\u2019",
  "\u2024",
  "\u2027",
  "\ufe13",
  "\ufe52",
  "\ufe55",
  "\uff07",
  "\uff0e",
  "\uff1a",
]);

function fullTitle(ch: string): string {
  if (TITLE[ch] !== undefined) return TITLE[ch];
  if (ch === "ŉ") return "ʼN";
  const up = [...ch.toUpperCase()];
  return up.length > 1 ? up[0] + up.slice(1).join("").toLowerCase() : up[0];
}

/**
 * x/text `cases.Title(language.AmericanEnglish)` (Alertmanager's `title`): the first
 * cased letter of each word is title-cased and the rest of the word lower-cased.
 * Words break at characters that are not letters, numbers, marks or connectors,
 * except word-internal `.`, `'`, `:` and similar (two in a row break). With `noLower`
 * (`cases.NoLower`, Prometheus' `title`) the rest of the word is kept as is.
 */
export function casesTitle(s: string, noLower = false): string {
  let out = "";
  let word = "";
  let midWord = false;
  let wasMid = false;
  const flush = () => {
    out += titleWord(word, noLower);
    word = "";
  };
  for (const ch of s) {
    const mid = MID.has(ch);
    if (wasMid && mid) {
      flush();
      midWord = false;
    }
    if (CASED.test(ch)) {
      if (!midWord) {
        flush();
        midWord = true;
      }
      word += ch;
    } else if (mid || WORD_CHAR.test(ch)) {
      word += ch;
    } else {
      flush();
      out += ch;
      midWord = false;
    }
    wasMid = mid;
  }
  flush();
  return out;
}

/** Title-cases the first cased letter of `w` and lower-cases the rest (with final-sigma context). */
function titleWord(w: string, noLower: boolean): string {
  if (w === "") return w;
  const chars = [...w];
  const i = chars.findIndex((c) => CASED.test(c));
  if (i < 0) return w;
  const head = chars.slice(0, i).join("");
  const first = chars[i];
  if (noLower) return head + fullTitle(first) + chars.slice(i + 1).join("");
  const lowered = (first + chars.slice(i + 1).join("")).toLowerCase();
  return head + fullTitle(first) + lowered.slice(first.toLowerCase().length);
}

/** Go's `strings.TrimSpace`. */
export function trimSpace(s: string): string {
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && isGoSpace(cps[a].codePointAt(0)!)) a++;
  while (b > a && isGoSpace(cps[b - 1].codePointAt(0)!)) b--;
  return cps.slice(a, b).join("");
}

/** Go's `url.QueryUnescape`; throws `invalid URL escape "%zz"`. */
export function queryUnescape(s: string): string {
  const src = Buffer.from(s, "utf8");
  const out: number[] = [];
  const isHex = (b: number | undefined) =>
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x25) {
      if (i + 2 >= src.length || !isHex(src[i + 1]) || !isHex(src[i + 2])) {
        throw new Error(`invalid URL escape ${goQuote(src.subarray(i, i + 3).toString("utf8"))}`);
      }
      out.push(Number.parseInt(src.subarray(i + 1, i + 3).toString("latin1"), 16));
      i += 2;
    } else out.push(b === 0x2b ? 0x20 : b);
  }
  return Buffer.from(out).toString("utf8");
}
