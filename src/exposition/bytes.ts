/** Byte-level helpers shared by the exposition parsers. */

import { isUtf8 } from "node:buffer";

/** Character classes of the lexers (bit flags indexed by byte). */
export const C_NAME_START = 1; // [a-zA-Z_:]   metric name start
export const C_NAME = 2; //       [a-zA-Z0-9_:] metric name continuation
export const C_LABEL_START = 4; // [a-zA-Z_]    label name start
export const C_LABEL = 8; //      [a-zA-Z0-9_]  label name continuation
export const C_DIGIT = 16; //     [0-9]

export const CLASS = buildClasses();

function buildClasses(): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    const alpha = /[a-zA-Z_]/.test(ch);
    const digit = c >= 0x30 && c <= 0x39;
    if (alpha || ch === ":") t[c] |= C_NAME_START | C_NAME;
    if (digit) t[c] |= C_NAME | C_LABEL | C_DIGIT;
    if (alpha) t[c] |= C_LABEL_START | C_LABEL;
  }
  return t;
}

const decoder = new TextDecoder("utf-8");

/** `b[start:end)` decoded as UTF-8, with the module's one decoder. */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  return decoder.decode(b.subarray(start, end));
}

/**
 * Decodes `b[start:end)` as UTF-8 and undoes the escapes `\\`, `\"` and `\n`
 * (and only `\\` and `\n` when `withQuote` is false, as for HELP in the
 * classic text format). Any other backslash is kept verbatim, as upstream's
 * `strings.Replacer` does.
 */
export function decodeEscaped(b: Uint8Array, start: number, end: number, withQuote: boolean): string {
  let hasEscape = false;
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x5c) hasEscape = true;
    else if (c >= 0x80) ascii = false;
  }
  const raw = ascii && end - start < 64 ? asciiString(b, start, end) : decoder.decode(b.subarray(start, end));
  return hasEscape ? unescapeText(raw, withQuote) : raw;
}

function asciiString(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

function unescapeText(s: string, withQuote: boolean): string {
  let out = "";
  let last = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== 0x5c) continue;
    const n = s.charCodeAt(i + 1);
    let rep: string | undefined;
    if (n === 0x5c) rep = "\\";
    else if (n === 0x6e) rep = "\n";
    else if (n === 0x22 && withQuote) rep = '"';
    if (rep === undefined) continue;
    out += s.slice(last, i) + rep;
    i++;
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Whether `b[start:end)` is valid UTF-8 (fast for pure ASCII). */
export function validUtf8(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (b[i] >= 0x80) return isUtf8(b.subarray(start, end));
  }
  return true;
}

/**
 * Quotes bytes the way Go's `%q` does for a byte slice: printable ASCII kept,
 * `\n`, `\t`, `\r`, `\\`, `\"` escaped, other control and invalid bytes as
 * `\xNN`, valid multi-byte UTF-8 kept. For error messages only.
 */
export function goQuote(b: Uint8Array, start: number, end: number): string {
  let s = '"';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += "\\\\";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x09) s += "\\t";
    else if (c === 0x0d) s += "\\r";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c >= 0x80) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (len > 1 && i + len <= end && isUtf8(b.subarray(i, i + len))) {
        s += decoder.decode(b.subarray(i, i + len));
        i += len - 1;
      } else s += `\\x${c.toString(16).padStart(2, "0")}`;
    } else s += `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return `${s}"`;
}

/** 1-based line and byte column of offset `pos`. */
export function lineColumn(b: Uint8Array, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(pos, b.length);
  for (let i = 0; i < end; i++) {
    if (b[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

/**
 * Scans a quoted string `"(\\.|[^\\"])*"` whose opening quote is at `i`;
 * `\\.` never takes a newline. With `rawNewline` false no newline may appear
 * at all (OpenMetrics label values); with `nul` false a NUL byte ends the scan
 * (upstream's lexers only let NUL through in label values, HELP and comments).
 * Returns the offset after the closing quote, or `-1 - p` where `p` is where
 * the scan failed (`b.length` when it ran off the end).
 */
export function scanQuoted(b: Uint8Array, i: number, rawNewline: boolean, nul: boolean): number {
  const n = b.length;
  i++;
  while (i < n) {
    const c = b[i];
    if (c === 0x22) return i + 1;
    if ((c === 0x0a && !rawNewline) || (c === 0 && !nul)) return -1 - i;
    if (c === 0x5c) {
      if (i + 1 >= n || b[i + 1] === 0x0a || (b[i + 1] === 0 && !nul)) return -1 - Math.min(i + 1, n - 1);
      i += 2;
    } else i++;
  }
  return -1 - n;
}
