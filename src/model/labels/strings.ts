/**
 * String helpers shared by the labels package: Go-compatible ordering and quoting.
 *
 * JavaScript compares strings by UTF-16 code unit, Go by UTF-8 byte. The two orders
 * differ only when a surrogate (U+D800–U+DFFF, i.e. a code point above U+FFFF) meets a
 * code unit in U+E000–U+FFFF. Everything that must sort like upstream (label sets,
 * index symbols) uses {@link compareUTF8}.
 */

/**
 * Compares two strings in UTF-8 byte order (which equals code point order), like Go's
 * `strings.Compare`. Returns a negative number, zero or a positive number.
 */
export function compareUTF8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = fixupForCodePointOrder(ca);
      cb = fixupForCodePointOrder(cb);
    }
    return ca - cb;
  }
  return a.length - b.length;
}

/** Maps a code unit ≥ U+D800 so that surrogates sort after U+E000–U+FFFF. */
function fixupForCodePointOrder(c: number): number {
  if (c >= 0xe000) return c - 0x800;
  return c + 0x2000;
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  34: '\\"',
  92: "\\\\",
};

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020.
// A fixed pattern over one code point: safe for RegExp.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** True when every code unit is printable ASCII other than `"` and `\`. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function hex(c: number, width: number): string {
  return c.toString(16).padStart(width, "0");
}

function quoteCodePoint(cp: number): string {
  const simple = SIMPLE_ESCAPES[cp];
  if (simple !== undefined) return simple;
  if (cp === 0x20) return " ";
  const ch = String.fromCodePoint(cp);
  if (cp >= 0x21 && cp < 0x7f) return ch;
  // A lone surrogate cannot be UTF-8 encoded; Go would see U+FFFD after conversion.
  if (cp >= 0xd800 && cp <= 0xdfff) return "\uFFFD";
  if (cp >= 0x80 && PRINTABLE.test(ch)) return ch;
  if (cp < 0x80) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/**
 * Quotes a string exactly like Go's `strconv.Quote`: double quotes, `\\`, `\"`, the
 * C escapes (`\n`, `\t`, …), `\xNN`/`\uNNNN`/`\UNNNNNNNN` for non-printable code points,
 * printable Unicode kept as is. Lone surrogates print as U+FFFD.
 */
export function goQuote(s: string): string {
  if (isPlainAscii(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) out += quoteCodePoint(ch.codePointAt(0)!);
  return `${out}"`;
}
