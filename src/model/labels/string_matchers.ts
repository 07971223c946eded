/**
 * Matching functions for the shapes {@link analyzeRegex} recognises, with the semantics
 * of a fully anchored RE2 match under `(?s)`: `.*` is any run of code points, `.+` a
 * non-empty one, and `(?i)` compares ASCII literals with Unicode simple case folding
 * (so `k` also matches U+212A KELVIN SIGN and `s` matches U+017F LONG S, as in Go).
 */

import type { GlobAlternative, RegexAnalysis } from "./regex_analyze.ts";

/** The fast path a pattern was compiled to; `regex` means the RE2 engine. */
export type FastPathKind =
  | "literal"
  | "set"
  | "prefix"
  | "suffix"
  | "contains"
  | "any"
  | "nonEmpty"
  | "glob"
  | "alternation"
  | "regex";

/** A compiled fast path. */
export interface StringMatcher {
  readonly kind: FastPathKind;
  readonly matches: (s: string) => boolean;
}

/** True when input code unit `c` case-folds to the lower-case ASCII literal unit `l`. */
function foldEq(c: number, l: number): boolean {
  if (c === l) return true;
  if (l < 0x61 || l > 0x7a) return false;
  return c === l - 0x20 || (l === 0x6b && c === 0x212a) || (l === 0x73 && c === 0x17f);
}

function startsAt(s: string, at: number, lit: string, ci: boolean): boolean {
  if (!ci) return s.startsWith(lit, at);
  if (at + lit.length > s.length) return false;
  for (let j = 0; j < lit.length; j++) if (!foldEq(s.charCodeAt(at + j), lit.charCodeAt(j))) return false;
  return true;
}

function indexFrom(s: string, lit: string, from: number, ci: boolean): number {
  if (!ci) return s.indexOf(lit, from);
  for (let i = from; i + lit.length <= s.length; i++) if (startsAt(s, i, lit, true)) return i;
  return -1;
}

/**
 * Glob match of `s` against one alternative. Gaps have only lower bounds, so taking each
 * middle literal at its leftmost possible position is optimal.
 */
function globMatches(s: string, alt: GlobAlternative, ci: boolean): boolean {
  const { literals, gaps } = alt;
  const k = gaps.length;
  const first = literals[0];
  if (k === 0) return s.length === first.length && startsAt(s, 0, first, ci);
  if (!startsAt(s, 0, first, ci)) return false;
  const last = literals[k];
  const lastAt = s.length - last.length;
  let pos = first.length;
  for (let i = 1; i < k; i++) {
    const at = indexFrom(s, literals[i], pos + gaps[i - 1], ci);
    if (at < 0) return false;
    pos = at + literals[i].length;
  }
  return lastAt >= pos + gaps[k - 1] && startsAt(s, lastAt, last, ci);
}

/** Specialised closure and kind for a single alternative. */
function compileAlternative(alt: GlobAlternative, ci: boolean): StringMatcher {
  const { literals, gaps } = alt;
  const generic = (s: string) => globMatches(s, alt, ci);
  if (gaps.length === 0) {
    const lit = literals[0];
    return { kind: "literal", matches: ci ? generic : (s) => s === lit };
  }
  if (gaps.length === 1 && literals[0] === "" && literals[1] === "") {
    return gaps[0] === 0
      ? { kind: "any", matches: () => true }
      : { kind: "nonEmpty", matches: (s) => s !== "" };
  }
  if (gaps.length === 1 && (literals[0] === "" || literals[1] === "")) {
    const isPrefix = literals[1] === "";
    const lit = isPrefix ? literals[0] : literals[1];
    const min = lit.length + gaps[0];
    if (ci) return { kind: isPrefix ? "prefix" : "suffix", matches: generic };
    if (isPrefix) return { kind: "prefix", matches: (s) => s.length >= min && s.startsWith(lit) };
    return { kind: "suffix", matches: (s) => s.length >= min && s.endsWith(lit) };
  }
  if (gaps.length === 2 && literals[0] === "" && literals[2] === "") {
    const needle = literals[1];
    const plain = !ci && gaps[0] === 0 && gaps[1] === 0;
    return { kind: "contains", matches: plain ? (s) => s.includes(needle) : generic };
  }
  return { kind: "glob", matches: generic };
}

/** Lower-cases an all-ASCII string; undefined if `s` has a non-ASCII code unit. */
function asciiLower(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return undefined;
  return s.toLowerCase();
}

/** Set lookup for an alternation of literals. */
function compileSet(literals: readonly string[], ci: boolean): StringMatcher {
  const set = new Set(literals);
  if (!ci) return { kind: "set", matches: (s) => set.has(s) };
  // All-ASCII input folds exactly like ASCII lower-casing; otherwise compare one by one.
  return {
    kind: "set",
    matches: (s) => {
      const lower = asciiLower(s);
      if (lower !== undefined) return set.has(lower);
      for (const lit of set) if (lit.length === s.length && startsAt(s, 0, lit, true)) return true;
      return false;
    },
  };
}

/** Compiles an analysed pattern into its fastest matching function. */
export function compileAnalysis(a: RegexAnalysis): StringMatcher {
  const ci = a.caseInsensitive;
  if (a.alternatives.length === 1) return compileAlternative(a.alternatives[0], ci);
  const literals: string[] = [];
  const others: ((s: string) => boolean)[] = [];
  for (const alt of a.alternatives) {
    if (alt.gaps.length === 0) literals.push(alt.literals[0]);
    else others.push(compileAlternative(alt, ci).matches);
  }
  const set = compileSet(literals, ci);
  if (others.length === 0) return set;
  const inSet = set.matches;
  return {
    kind: "alternation",
    matches: (s) => {
      if (literals.length > 0 && inSet(s)) return true;
      for (const m of others) if (m(s)) return true;
      return false;
    },
  };
}

/** The literal alternatives when `a` is a case-sensitive alternation of literals only. */
export function setMatchesOf(a: RegexAnalysis): string[] | undefined {
  if (a.caseInsensitive) return undefined;
  if (!a.alternatives.every((alt) => alt.gaps.length === 0)) return undefined;
  return [...new Set(a.alternatives.map((alt) => alt.literals[0]))];
}
