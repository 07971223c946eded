/**
 * Upstream's `model/labels/regexp.go` `FastRegexMatcher`: a label regex, fully anchored
 * with `.` matching newline (`^(?s:pattern)$`), RE2 syntax and linear-time matching.
 *
 * Simple shapes (literal, `a|b|c`, `foo.*`, `.*foo`, `.*foo.*`, `.*`, `.+`, globs of
 * literals and wildcards, optionally under `(?i)`) are recognised by a conservative parser
 * and matched with string operations; everything else runs on re2js, which is linear in
 * the input.
 */

import { RE2JS } from "re2js";
import { analyzeRegex, commonPrefix, literalPrefixOf } from "./regex_analyze.ts";
import type { FastPathKind, StringMatcher } from "./string_matchers.ts";
import { compileAnalysis, setMatchesOf } from "./string_matchers.ts";

export type { FastPathKind } from "./string_matchers.ts";

/** Longest accepted pattern, in UTF-16 code units, for patterns on a fast path. */
export const MAX_REGEX_LENGTH = 1 << 20;
/**
 * Longest accepted pattern that needs the RE2 engine. re2js compiles ~100 KiB of
 * alternation in ~250 ms; larger programs would stall the event loop.
 */
export const MAX_ENGINE_REGEX_LENGTH = 128 * 1024;

/** An invalid or rejected regex. The message is Go's (`error parsing regexp: …`). */
export class RegexError extends Error {
  /** The pattern as the user wrote it. */
  readonly pattern: string;

  constructor(message: string, pattern: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RegexError";
    this.pattern = pattern;
  }
}

function tooLarge(pattern: string, limit: number): RegexError {
  const msg = `error parsing regexp: expression too large: ${pattern.length} UTF-16 code units, limit ${limit}`;
  return new RegexError(msg, pattern);
}

function syntaxError(pattern: string): RegexError {
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return new RegexError(msg, pattern, { cause: err });
  }
  return new RegexError(`error parsing regexp: invalid pattern: \`${pattern}\``, pattern);
}

/** Compiles `pattern` on re2js as a full match with `.` matching newline. */
function compileEngine(pattern: string): StringMatcher {
  if (pattern.length > MAX_ENGINE_REGEX_LENGTH) throw tooLarge(pattern, MAX_ENGINE_REGEX_LENGTH);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.DOTALL);
  } catch {
    // re2js implements DOTALL by prepending `(?s)`, which would show in the message;
    // flags never change validity, so compile again without them for Go's exact text.
    throw syntaxError(pattern);
  }
  // testExact is a full match (anchored at both ends) without capture bookkeeping.
  return { kind: "regex", matches: (s) => re.testExact(s) };
}

/**
 * A compiled label regex. Construct once and reuse; {@link FastRegexMatcher.cached}
 * shares instances across callers. Immutable and safe to share.
 */
export class FastRegexMatcher {
  /** The pattern as given (without the implicit anchors). */
  readonly source: string;
  /** Which fast path `matches` takes; `regex` means re2js. */
  readonly kind: FastPathKind;
  readonly matches: (s: string) => boolean;
  readonly #setMatches: readonly string[] | undefined;
  readonly #prefix: string;
  #matchesEmpty: boolean | undefined;

  /** Compiles `pattern`; throws {@link RegexError} when it is invalid or too large. */
  constructor(pattern: string) {
    if (pattern.length > MAX_REGEX_LENGTH) throw tooLarge(pattern, MAX_REGEX_LENGTH);
    this.source = pattern;
    const analysis = analyzeRegex(pattern);
    const compiled = analysis === undefined ? compileEngine(pattern) : compileAnalysis(analysis);
    this.kind = compiled.kind;
    this.matches = compiled.matches;
    this.#setMatches = analysis === undefined ? undefined : setMatchesOf(analysis);
    if (analysis === undefined) this.#prefix = literalPrefixOf(pattern);
    else if (analysis.caseInsensitive) this.#prefix = "";
    else this.#prefix = commonPrefix(analysis.alternatives.map((alt) => alt.literals[0]));
  }

  /**
   * The exact values this regex matches when it is a case-sensitive alternation of
   * literals (`a|b|c`, or one literal), deduplicated, in pattern order; else undefined.
   * May contain "". Shared: do not mutate.
   */
  setMatches(): readonly string[] | undefined {
    return this.#setMatches;
  }

  /** A literal every matching value starts with; "" when none is known. */
  prefix(): string {
    return this.#prefix;
  }

  /** True when the regex matches the empty string (computed once). */
  matchesEmpty(): boolean {
    this.#matchesEmpty ??= this.matches("");
    return this.#matchesEmpty;
  }

  toString(): string {
    return this.source;
  }

  /**
   * Returns a shared compiled matcher for `pattern` from a bounded LRU cache (by entry
   * count and total pattern length), compiling it on a miss. Throws like the constructor;
   * failures are not cached.
   */
  static cached(pattern: string): FastRegexMatcher {
    return regexCache.get(pattern);
  }
}

/** LRU of compiled matchers, bounded by count and by summed pattern length. */
class RegexCache {
  readonly #entries = new Map<string, FastRegexMatcher>();
  #chars = 0;
  readonly #maxEntries: number;
  readonly #maxChars: number;

  constructor(maxEntries: number, maxChars: number) {
    this.#maxEntries = maxEntries;
    this.#maxChars = maxChars;
  }

  get(pattern: string): FastRegexMatcher {
    const hit = this.#entries.get(pattern);
    if (hit !== undefined) {
      this.#entries.delete(pattern);
      this.#entries.set(pattern, hit);
      return hit;
    }
    const m = new FastRegexMatcher(pattern);
    if (pattern.length > this.#maxChars) return m;
    this.#entries.set(pattern, m);
    this.#chars += pattern.length;
    this.#evict();
    return m;
  }

  #evict(): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries && this.#chars <= this.#maxChars) return;
      this.#entries.delete(key);
      this.#chars -= key.length;
    }
  }
}

const regexCache = new RegexCache(1024, 4 << 20);
