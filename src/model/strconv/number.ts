/**
 * Go's integer literal syntax as `strconv.ParseInt(s, 0, …)` reads it: decimal,
 * `0x`, `0o`, `0b`, a leading `0` for octal, and `_` separators. Range checks
 * are the caller's (int64 for PromQL, int64 and uint64 for template constants).
 */

/** Go's rule for `_` in number literals: only between digits, or after a base prefix. */
export function underscoresOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1]!)) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= "0" && c <= "9") || (hex && ((c >= "a" && c <= "f") || (c >= "A" && c <= "F")))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

const DIGITS: Readonly<Record<string, RegExp>> = {
  x: /^[0-9a-fA-F]+$/,
  o: /^[0-7]+$/,
  b: /^[01]+$/,
  d: /^[0-9]+$/,
};

/**
 * The value of a Go base-0 integer literal, unbounded; null when `s` is not one.
 * `allowSign`: a leading `+` or `-` is accepted (`ParseInt`), else not (`ParseUint`).
 */
export function parseIntLiteral(s: string, allowSign = true): bigint | null {
  let body = s;
  let neg = false;
  if (allowSign && (body[0] === "+" || body[0] === "-")) {
    neg = body[0] === "-";
    body = body.slice(1);
  }
  if (body === "") return null;
  let base = "d";
  let digits = body;
  if (body.length >= 2 && body[0] === "0") {
    const p = body[1]!.toLowerCase();
    if (p === "x" || p === "o" || p === "b") {
      base = p;
      digits = body.slice(2);
    } else {
      base = "o";
      digits = body.slice(1);
    }
  }
  if (body.includes("_")) {
    if (!underscoresOK(body)) return null;
    digits = digits.replaceAll("_", "");
  }
  if (!DIGITS[base]!.test(digits)) return null;
  const v = BigInt(base === "d" ? digits : `0${base}${digits}`);
  return neg ? -v : v;
}
