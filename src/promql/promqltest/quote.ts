/**
 * PromQL string literals as the test scripts write label values: `"…"` and
 * `'…'` with Go escapes (`\n`, `\x41`, `\101`, `\u00e9`, `\U0001F600`, and the
 * enclosing quote), or raw `` `…` `` strings without escapes. `\x` and octal
 * escapes produce bytes; the result is decoded as UTF-8 (invalid sequences
 * become U+FFFD, since a JS string cannot hold them).
 */

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

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

/** A string literal starting at `s[start]` (a quote). */
export interface Unquoted {
  value: string;
  /** Index just past the closing quote. */
  end: number;
}

/** Reads the literal at `start`; throws a message like the PromQL lexer's on bad input. */
export function unquoteAt(s: string, start: number): Unquoted {
  const q = s[start];
  if (q === "`") {
    const close = s.indexOf("`", start + 1);
    if (close < 0) throw new Error("unterminated raw string");
    return { value: s.slice(start + 1, close), end: close + 1 };
  }
  if (q !== '"' && q !== "'") throw new Error(`expected a string literal at column ${start + 1}`);
  const bytes: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= s.length || s[i] === "\n") throw new Error("unterminated quoted string");
    const c = s[i]!;
    if (c === q) break;
    if (c !== "\\") {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of utf8.encode(ch)) bytes.push(b);
      i += ch.length;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) throw new Error("escape sequence not terminated");
    if (e === q) {
      bytes.push(q.charCodeAt(0));
      i += 2;
      continue;
    }
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    let n: number;
    let base: number;
    let max: number;
    let from = i + 2;
    if (e >= "0" && e <= "7") {
      n = 3;
      base = 8;
      max = 255;
      from = i + 1;
    } else if (e === "x") {
      n = 2;
      base = 16;
      max = 255;
    } else if (e === "u") {
      n = 4;
      base = 16;
      max = 0x10ffff;
    } else if (e === "U") {
      n = 8;
      base = 16;
      max = 0x10ffff;
    } else {
      throw new Error(`unknown escape sequence ${JSON.stringify(`\\${e}`)}`);
    }
    const digits = s.slice(from, from + n);
    if (digits.length < n) throw new Error("escape sequence not terminated");
    let x = 0;
    for (const d of digits) {
      const v = Number.parseInt(d, 16);
      if (Number.isNaN(v) || v >= base)
        throw new Error(`illegal character ${JSON.stringify(d)} in escape sequence`);
      x = x * base + v;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000))
      throw new Error("escape sequence is an invalid Unicode code point");
    if (e === "u" || e === "U") for (const b of utf8.encode(String.fromCodePoint(x))) bytes.push(b);
    else bytes.push(x);
    i = from + n;
  }
  return { value: utf8Decoder.decode(new Uint8Array(bytes)), end: i + 1 };
}
