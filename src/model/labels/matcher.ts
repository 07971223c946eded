/**
 * Upstream's `labels.Matcher`: a condition on one label's value, as in `{job=~"api|web"}`.
 * An absent label has the value "", so `{foo=""}` selects series without `foo`.
 */

import { FastRegexMatcher } from "./regex.ts";
import { goQuote } from "./strings.ts";
import { isValidLegacyLabelName } from "./validate.ts";

/** The four matcher operators. */
export type MatchType = "=" | "!=" | "=~" | "!~";

/** The operators in upstream's `MatchType` enum order (`=` < `!=` < `=~` < `!~`). */
export const MATCH_TYPES: readonly MatchType[] = ["=", "!=", "=~", "!~"];

const INVERSE: Readonly<Record<MatchType, MatchType>> = { "=": "!=", "!=": "=", "=~": "!~", "!~": "=~" };

/** True when `s` is one of the four operators. */
export function isMatchType(s: string): s is MatchType {
  return (MATCH_TYPES as readonly string[]).includes(s);
}

/**
 * The operator semantics every matcher shares (Prometheus' and the
 * Alertmanager's): `=`/`!=` compare `v` with `value`, `=~`/`!~` ask the compiled
 * `re`. Only how `re` is built differs between the two (see their `create`).
 */
export function matchValue(
  type: MatchType,
  value: string,
  re: FastRegexMatcher | undefined,
  v: string,
): boolean {
  switch (type) {
    case "=":
      return v === value;
    case "!=":
      return v !== value;
    case "=~":
      return re!.matches(v);
    case "!~":
      return !re!.matches(v);
  }
}

/** An immutable label matcher. Build with {@link Matcher.create}. */
export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  readonly #re: FastRegexMatcher | undefined;

  private constructor(type: MatchType, name: string, value: string, re: FastRegexMatcher | undefined) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.#re = re;
  }

  /**
   * Creates a matcher. For `=~`/`!~`, `value` is an RE2 pattern, fully anchored, with `.`
   * matching newline; compiled matchers are shared through a bounded cache. Throws
   * {@link RegexError} (Go's message) when the pattern is invalid.
   */
  static create(type: MatchType, name: string, value: string): Matcher {
    const isRegex = type === "=~" || type === "!~";
    return new Matcher(type, name, value, isRegex ? FastRegexMatcher.cached(value) : undefined);
  }

  /** True when the label value `v` ("" for an absent label) satisfies the matcher. */
  matches(v: string): boolean {
    return matchValue(this.type, this.value, this.#re, v);
  }

  /** True when the matcher accepts "" — i.e. it selects series lacking the label. */
  matchesEmpty(): boolean {
    switch (this.type) {
      case "=":
        return this.value === "";
      case "!=":
        return this.value !== "";
      case "=~":
        return this.#re!.matchesEmpty();
      case "!~":
        return !this.#re!.matchesEmpty();
    }
  }

  /** True for `=~` and `!~`. */
  isRegex(): boolean {
    return this.#re !== undefined;
  }

  /**
   * For regex matchers, the exact values the regex matches when it is an alternation of
   * literals (see {@link FastRegexMatcher.setMatches}); undefined otherwise. Note the set
   * describes the regex: for `!~` the matcher accepts everything else.
   */
  setMatches(): readonly string[] | undefined {
    return this.#re?.setMatches();
  }

  /** For regex matchers, a literal every value the regex matches starts with; else "". */
  prefix(): string {
    return this.#re?.prefix() ?? "";
  }

  /** The matcher with the opposite operator (`=` ↔ `!=`, `=~` ↔ `!~`). */
  inverse(): Matcher {
    return new Matcher(INVERSE[this.type], this.name, this.value, this.#re);
  }

  /**
   * Upstream's `Matcher.String()`: `name="value"` with the value Go-quoted; the name is
   * quoted too unless it is a legacy label name (`{"my.label"="x"}`).
   */
  toString(): string {
    const name = isValidLegacyLabelName(this.name) ? this.name : goQuote(this.name);
    return `${name}${this.type}${goQuote(this.value)}`;
  }
}
