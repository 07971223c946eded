/**
 * A deliberately small, conservative recogniser for the regex shapes that
 * {@link FastRegexMatcher} answers without the RE2 engine. It accepts only
 *
 *   pattern := flags? ( "(" | "(?:" )? alternative ("|" alternative)* ")"?
 *   flags   := "(?" [is]+ ")"
 *   alternative := (literal-char | "\" ASCII-punctuation | ".*" | ".+")*
 *
 * where a literal char is anything but the RE2 metacharacters `\.+*?()|[]{}^$`, and under
 * `(?i)` only ASCII. Anything else (character classes, `?`, `{n}`, other escapes, nested
 * groups, lone surrogates, `.+.+`) yields `undefined` and goes to RE2. Every accepted
 * pattern is valid RE2 syntax, so accepting one never hides a syntax error.
 */

/** One alternative: `literals[0] gap literals[1] gap … literals[n]`. */
export interface GlobAlternative {
  /** Literal runs, `gaps.length + 1` of them; may be "" at either end. Lower-cased under (?i). */
  readonly literals: readonly string[];
  /** Minimum length in code points of each wildcard gap: 0 for `.*`, 1 for `.+`. */
  readonly gaps: readonly number[];
}

/** The recognised structure of a pattern. */
export interface RegexAnalysis {
  /** True under `(?i)`: literals are lower-case ASCII and compare with Unicode simple folding. */
  readonly caseInsensitive: boolean;
  readonly alternatives: readonly GlobAlternative[];
}

// Fixed, linear pattern: a leading flag group made only of i and s.
const FLAG_GROUP = /\(\?([is]+)\)/y;

/** RE2 metacharacters (plus `{`/`}`, treated as meta to stay conservative). */
function isMeta(c: number): boolean {
  switch (c) {
    case 0x5c: // \
    case 0x2e: // .
    case 0x2b: // +
    case 0x2a: // *
    case 0x3f: // ?
    case 0x28: // (
    case 0x29: // )
    case 0x7c: // |
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x5e: // ^
    case 0x24: // $
      return true;
    default:
      return false;
  }
}

/** ASCII punctuation: the characters RE2 accepts after `\` as themselves. */
function isAsciiPunct(c: number): boolean {
  return (
    (c >= 0x21 && c <= 0x2f) ||
    (c >= 0x3a && c <= 0x40) ||
    (c >= 0x5b && c <= 0x60) ||
    (c >= 0x7b && c <= 0x7e)
  );
}

/** Reads leading flag groups; returns [index after them, case-insensitive?]. */
function readFlags(p: string): [number, boolean] {
  let i = 0;
  let ci = false;
  for (;;) {
    FLAG_GROUP.lastIndex = i;
    const m = FLAG_GROUP.exec(p);
    if (m === null) return [i, ci];
    if (m[1].includes("i")) ci = true;
    i = FLAG_GROUP.lastIndex;
  }
}

/** Strips one whole-pattern `( … )` or `(?: … )`; undefined when another group starts here. */
function stripGroup(p: string, start: number): string | undefined {
  if (p.charCodeAt(start) !== 0x28 || p.charCodeAt(p.length - 1) !== 0x29) return p.slice(start);
  if (p.startsWith("(?:", start)) return p.slice(start + 3, -1);
  if (p.charCodeAt(start + 1) === 0x3f) return undefined;
  return p.slice(start + 1, -1);
}

/** Parses the body (no flags, no outer group) into alternatives; undefined if not simple. */
function parseAlternatives(body: string, ci: boolean): GlobAlternative[] | undefined {
  const alternatives: GlobAlternative[] = [];
  let literals: string[] = [];
  let gaps: number[] = [];
  let cur = "";
  for (let i = 0; i < body.length; i++) {
    let c = body.charCodeAt(i);
    if (c === 0x7c) {
      literals.push(cur);
      alternatives.push({ literals, gaps });
      literals = [];
      gaps = [];
      cur = "";
      continue;
    }
    if (c === 0x2e) {
      const next = body.charCodeAt(++i);
      const gap = next === 0x2a ? 0 : next === 0x2b ? 1 : -1;
      if (gap < 0) return undefined;
      if (cur === "" && gaps.length > 0) {
        // Consecutive wildcards: `.*.+` is `.+`; `.+.+` needs two code points, not simple.
        gaps[gaps.length - 1] += gap;
        if (gaps[gaps.length - 1] > 1) return undefined;
      } else {
        literals.push(cur);
        gaps.push(gap);
        cur = "";
      }
      continue;
    }
    if (c === 0x5c) {
      c = body.charCodeAt(++i);
      if (!isAsciiPunct(c)) return undefined;
    } else if (isMeta(c)) {
      return undefined;
    }
    if (ci) {
      if (c >= 0x80) return undefined;
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
    }
    cur += String.fromCharCode(c);
  }
  literals.push(cur);
  alternatives.push({ literals, gaps });
  return alternatives;
}

/** Recognises a simple pattern (see the module comment), or returns undefined. */
export function analyzeRegex(pattern: string): RegexAnalysis | undefined {
  if (!pattern.isWellFormed()) return undefined;
  const [start, caseInsensitive] = readFlags(pattern);
  const body = stripGroup(pattern, start);
  if (body === undefined) return undefined;
  const alternatives = parseAlternatives(body, caseInsensitive);
  return alternatives === undefined ? undefined : { caseInsensitive, alternatives };
}

/**
 * A literal every string matching `pattern` starts with, found by a conservative scan of
 * the leading plain ASCII characters; "" when none is known (any `|`, leading flags, …).
 */
export function literalPrefixOf(pattern: string): string {
  if (pattern.includes("|")) return "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charCodeAt(i);
    if (c >= 0x80 || isMeta(c)) break;
    i++;
  }
  const next = pattern.charCodeAt(i);
  // A quantifier applies to the last character: it is not certain to be present.
  if (next === 0x2a || next === 0x3f || next === 0x2b || next === 0x7b) i--;
  return i > 0 ? pattern.slice(0, i) : "";
}

/** Longest common prefix of `strings`, never splitting a surrogate pair. */
export function commonPrefix(strings: readonly string[]): string {
  if (strings.length === 0) return "";
  let n = strings[0].length;
  for (const s of strings) {
    let i = 0;
    while (i < n && i < s.length && s.charCodeAt(i) === strings[0].charCodeAt(i)) i++;
    n = i;
  }
  const last = strings[0].charCodeAt(n - 1);
  if (n > 0 && last >= 0xd800 && last <= 0xdbff) n--;
  return strings[0].slice(0, n);
}
