/**
 * Go's `strconv.Unquote` for double-quoted string literals, as the UTF-8
 * matchers parser applies it: escapes `\a \b \f \n \r \t \v \\ \"`, `\xHH`,
 * octal `\OOO`, `\uHHHH`, `\UHHHHHHHH`; a raw newline or a stray quote is an
 * error. Byte escapes are assembled as UTF-8 and decoded at the end.
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
  '"': 34,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function hexValue(s: string): number | undefined {
  return /^[0-9a-fA-F]+$/.test(s) ? Number.parseInt(s, 16) : undefined;
}

/** Decodes one escape at `s[i]` (after the backslash); returns the bytes and the next index, or undefined. */
function unescapeAt(s: string, i: number): { bytes: number[]; next: number } | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  if (c in SIMPLE) return { bytes: [SIMPLE[c]], next: i + 1 };
  if (c === "x") {
    const v = hexValue(s.slice(i + 1, i + 3));
    return v === undefined || s.length < i + 3 ? undefined : { bytes: [v], next: i + 3 };
  }
  if (c === "u" || c === "U") {
    const n = c === "u" ? 4 : 8;
    const v = s.length < i + 1 + n ? undefined : hexValue(s.slice(i + 1, i + 1 + n));
    if (v === undefined || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    return { bytes: [...encoder.encode(String.fromCodePoint(v))], next: i + 1 + n };
  }
  if (c >= "0" && c <= "7") {
    const oct = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(oct)) return undefined;
    const v = Number.parseInt(oct, 8);
    return v > 255 ? undefined : { bytes: [v], next: i + 3 };
  }
  return undefined;
}

/**
 * Unquotes a Go double-quoted literal (`"a\tb"` → `a<TAB>b`); returns undefined
 * where Go returns `strconv.ErrSyntax` or the result is not valid UTF-8 (upstream
 * rejects both as `invalid input`).
 */
export function goUnquote(quoted: string): string | undefined {
  if (quoted.length < 2 || quoted[0] !== '"' || quoted[quoted.length - 1] !== '"') return undefined;
  const s = quoted.slice(1, -1);
  if (!s.includes("\\") && !s.includes('"') && !s.includes("\n")) return s;
  const bytes: number[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "\n") return undefined;
    if (c !== "\\") {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length;
      continue;
    }
    const esc = unescapeAt(s, i + 1);
    if (esc === undefined) return undefined;
    bytes.push(...esc.bytes);
    i = esc.next;
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
