/**
 * Go's `strconv` unquoting, shared by every parser that reads Go-quoted literals:
 * PromQL strings, template literals and character constants, and the
 * Alertmanager's UTF-8 matchers. `strconv.Quote` is `goQuote` in
 * `model/labels/strings.ts`.
 */

/** Go's `strconv.ErrSyntax`, whose text is "invalid syntax". */
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
    const d = Number.parseInt(s[i]!, 16);
    if (Number.isNaN(d)) throw new QuoteSyntaxError();
    v = v * 16 + d;
  }
  return v;
}

function octalValue(s: string, from: number): number {
  let v = 0;
  for (let j = from; j < from + 3; j++) {
    const d = s.charCodeAt(j) - 0x30;
    if (j >= s.length || d < 0 || d > 7) throw new QuoteSyntaxError();
    v = v * 8 + d;
  }
  if (v > 255) throw new QuoteSyntaxError();
  return v;
}

/** One decoded unit: a code point, or a raw byte from a `\x` or octal escape. */
export interface QuotedUnit {
  readonly value: number;
  readonly isByte: boolean;
  /** The offset after the unit. */
  readonly next: number;
}

/**
 * Go's `strconv.UnquoteChar(s[i:], quote)`: the unit at `i` (escapes decoded)
 * inside a literal quoted by `quote`. Throws {@link QuoteSyntaxError}.
 */
export function unquoteChar(s: string, i: number, quote: string): QuotedUnit {
  const c = s.codePointAt(i)!;
  if (s[i] === quote && (quote === "'" || quote === '"')) throw new QuoteSyntaxError();
  if (s[i] !== "\\") return { value: c, isByte: false, next: i + (c > 0xffff ? 2 : 1) };
  if (i + 1 >= s.length) throw new QuoteSyntaxError();
  const e = s[i + 1]!;
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
  if (e >= "0" && e <= "7") return { value: octalValue(s, i + 1), isByte: true, next: i + 4 };
  throw new QuoteSyntaxError();
}

/** Appends the UTF-8 encoding of `cp` (a lone surrogate becomes U+FFFD, as Go's conversion does). */
export function pushUTF8(out: number[], cp: number): void {
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** Options of {@link unquoteBytes}. */
export interface UnquoteOptions {
  /**
   * `'…'` may hold any number of characters, as Prometheus' `strutil.Unquote`
   * allows for PromQL strings; Go's `strconv.Unquote` wants exactly one.
   */
  readonly singleQuotedStrings?: boolean;
}

/**
 * Go's `strconv.Unquote` for `"…"`, `'…'` and `` `…` `` literals, as the bytes
 * of the Go string it yields (`\x` and octal escapes are raw bytes, everything
 * else UTF-8). Throws {@link QuoteSyntaxError}.
 */
export function unquoteBytes(s: string, opts: UnquoteOptions = {}): number[] {
  const body = unquoteRawOrPlain(s, opts);
  if (body !== undefined) return [...Buffer.from(body, "utf8")];
  return unquoteEscaped(s, opts);
}

/**
 * Go's `strconv.Unquote`: the literal's value as a string. Bytes that are not
 * valid UTF-8 read as U+FFFD. Throws {@link QuoteSyntaxError}.
 */
export function unquote(s: string, opts: UnquoteOptions = {}): string {
  const body = unquoteRawOrPlain(s, opts);
  if (body !== undefined) return body;
  return Buffer.from(unquoteEscaped(s, opts)).toString("utf8");
}

/** The value when no escape has to be decoded; undefined otherwise. Validates the quotes. */
function unquoteRawOrPlain(s: string, opts: UnquoteOptions): string | undefined {
  if (s.length < 2) throw new QuoteSyntaxError();
  const q = s[0]!;
  if (q !== s[s.length - 1]) throw new QuoteSyntaxError();
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) throw new QuoteSyntaxError();
    return body.includes("\r") ? body.replaceAll("\r", "") : body;
  }
  if (q !== '"' && q !== "'") throw new QuoteSyntaxError();
  if (body.includes("\n")) throw new QuoteSyntaxError();
  if (body.includes("\\") || body.includes(q)) return undefined;
  if (q === '"' || opts.singleQuotedStrings) return body;
  return [...body].length === 1 ? body : undefined;
}

function unquoteEscaped(s: string, opts: UnquoteOptions): number[] {
  const q = s[0]!;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  let count = 0;
  for (let i = 0; i < body.length; count++) {
    const u = unquoteChar(body, i, q);
    if (u.isByte) bytes.push(u.value);
    else pushUTF8(bytes, u.value);
    i = u.next;
  }
  if (q === "'" && !opts.singleQuotedStrings && count !== 1) throw new QuoteSyntaxError();
  return bytes;
}
