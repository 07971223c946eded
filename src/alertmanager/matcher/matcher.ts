/**
 * Alertmanager's `pkg/labels.Matcher`: a condition on one label of an alert,
 * used by routes, inhibit rules and silences. Unlike Prometheus' matcher, a
 * regex is compiled as Go's `^(?:re)$` (so `.` does not match a newline) and
 * `String()` quotes the name only when it holds a reserved character.
 */
import { RE2JS } from "re2js";
import { MATCH_TYPES, type MatchType, matchValue } from "../../model/labels/matcher.ts";
import { FastRegexMatcher } from "../../model/labels/regex.ts";
import { compareUTF8, goQuote } from "../../model/labels/strings.ts";

/** The four operators and their enum order: the same as Prometheus'. */
export { MATCH_TYPES, type MatchType };

/** An alert's labels: name → value; an absent label reads as "". */
export type LabelSet = Readonly<Record<string, string>>;

/** A matcher that cannot be built; the message is Go's (`error parsing regexp: …`). */
export class MatcherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MatcherError";
  }
}

/** Go's `unicode.IsSpace`. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

const RESERVED = new Set(Array.from("{}!=~,\\\"'`", (c) => c.codePointAt(0)!));

/** Characters an unquoted UTF-8 matcher token cannot hold: whitespace and ``{}!=~,\"'` ``. */
export function isReserved(cp: number): boolean {
  return isGoSpace(cp) || RESERVED.has(cp);
}

function containsReserved(s: string): boolean {
  for (const ch of s) if (isReserved(ch.codePointAt(0)!)) return true;
  return false;
}

/** OpenMetrics escaping of a value: `\` `"` and newline only. */
function openMetricsEscape(s: string): string {
  return s.replace(/[\\\n"]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/**
 * The one difference from Prometheus' matcher (`model/labels/matcher.ts`, which
 * compiles `^(?s:re)$`): upstream Alertmanager compiles `^(?:re)$`, so `.` does
 * not match a newline. Errors carry Go's message for the anchored pattern.
 */
function compileRegex(value: string): FastRegexMatcher {
  try {
    RE2JS.compile(`^(?:${value})$`);
  } catch (err) {
    throw new MatcherError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  // Go's `.` stops at a newline here; only patterns with a dot need the flag.
  return FastRegexMatcher.cached(value.includes(".") ? `(?-s:${value})` : value);
}

/** An immutable Alertmanager label matcher. Build with {@link Matcher.create}. */
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

  /** Upstream's `NewMatcher`; throws {@link MatcherError} with Go's regexp message for a bad regex. */
  static create(type: MatchType, name: string, value: string): Matcher {
    const isRegex = type === "=~" || type === "!~";
    return new Matcher(type, name, value, isRegex ? compileRegex(value) : undefined);
  }

  /** True when the label value `v` ("" when absent) satisfies the matcher. */
  matches(v: string): boolean {
    return matchValue(this.type, this.value, this.#re, v);
  }

  /** True for `=~` and `!~`. */
  isRegex(): boolean {
    return this.#re !== undefined;
  }

  /** Same operator, name and value. */
  equals(other: Matcher): boolean {
    return this.type === other.type && this.name === other.name && this.value === other.value;
  }

  /**
   * Upstream's `String()`: `name="value"` with OpenMetrics escaping, or both
   * Go-quoted (`"my label"="x"`) when the name holds a reserved character.
   */
  toString(): string {
    if (containsReserved(this.name)) return `${goQuote(this.name)}${this.type}${goQuote(this.value)}`;
    return `${this.name}${this.type}"${openMetricsEscape(this.value)}"`;
  }
}

/** True when every matcher accepts its label's value in `lset` (upstream's `Matchers.Matches`). */
export function matchersMatch(ms: readonly Matcher[], lset: LabelSet): boolean {
  for (const m of ms) {
    const v = Object.hasOwn(lset, m.name) ? lset[m.name] : "";
    if (!m.matches(v)) return false;
  }
  return true;
}

/** Upstream's `Matchers.String()`: `{a="b",c=~"d"}` (`{}` when empty). */
export function matchersToString(ms: readonly Matcher[]): string {
  return `{${ms.map((m) => m.toString()).join(",")}}`;
}

/** Upstream's `Matchers.Less`: by name, then value (byte order), then operator. */
export function compareMatchers(a: Matcher, b: Matcher): number {
  return (
    compareUTF8(a.name, b.name) ||
    compareUTF8(a.value, b.value) ||
    MATCH_TYPES.indexOf(a.type) - MATCH_TYPES.indexOf(b.type)
  );
}

/** A sorted copy, as `sort.Sort(labels.Matchers(ms))` leaves it. */
export function sortMatchers(ms: readonly Matcher[]): Matcher[] {
  return [...ms].sort(compareMatchers);
}

/** Same length and pairwise {@link Matcher.equals}. */
export function matchersEqual(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  return a.length === b.length && a.every((m, i) => m.equals(b[i]));
}
