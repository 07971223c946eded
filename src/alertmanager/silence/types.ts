/**
 * A silence as the Alertmanager stores it (upstream `silencepb.Silence` with
 * one matcher set, the only kind API v2 creates) and upstream's validation
 * of it, with upstream's messages.
 */
import { RE2JS } from "re2js";
import { isValidLabelName } from "../matcher/compat.ts";
import type { MatchType } from "../matcher/matcher.ts";

/** One matcher of a silence: `pattern` is a literal for `=`/`!=`, a regex for `=~`/`!~`. */
export interface SilenceMatcher {
  readonly type: MatchType;
  readonly name: string;
  readonly pattern: string;
}

/** A silence; times in ms since the epoch. */
export interface Silence {
  /** Empty for a silence not yet stored. */
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Upstream's `types.SilenceState`. */
export type SilenceState = "active" | "pending" | "expired";

/** Upstream's `getState`: pending before the start, expired after the end, else active. */
export function silenceState(s: Silence, now: number): SilenceState {
  if (now < s.startsAt) return "pending";
  if (now > s.endsAt) return "expired";
  return "active";
}

/** A Go `regexp` error message ("error parsing regexp: …") for `pattern`, or undefined when it compiles. */
export function regexError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return msg.startsWith("Error ") ? `e${msg.slice(1)}` : msg;
  }
}

function validateMatcher(m: SilenceMatcher): string | undefined {
  if (!isValidLabelName(m.name)) return `invalid label name ${JSON.stringify(m.name)}`;
  if (m.type === "=" || m.type === "!=") {
    if (!m.pattern.isWellFormed()) return `invalid label value ${JSON.stringify(m.pattern)}`;
    return undefined;
  }
  const err = regexError(m.pattern);
  return err === undefined ? undefined : `invalid regular expression ${JSON.stringify(m.pattern)}: ${err}`;
}

/** Upstream's `matchesEmpty`: `=""`, or a regex that finds a match in "" (unanchored, as Go's `MatchString`). */
function matchesEmpty(m: SilenceMatcher): boolean {
  if (m.type === "=") return m.pattern === "";
  if (m.type === "=~") return RE2JS.compile(m.pattern).matcher("").find();
  return false;
}

/** Upstream's `validateSilence`: undefined when valid, else the reason (without the `invalid silence: ` prefix). */
export function validateSilence(s: Silence): string | undefined {
  if (s.matchers.length === 0) return "at least one matcher set required";
  let allMatchEmpty = true;
  for (const [i, m] of s.matchers.entries()) {
    const err = validateMatcher(m);
    if (err !== undefined) return `invalid label matcher ${i} in set 0: ${err}`;
    allMatchEmpty &&= matchesEmpty(m);
  }
  if (allMatchEmpty) return "matcher set 0: at least one matcher must not match the empty string";
  if (s.startsAt === 0) return "invalid zero start timestamp";
  if (s.endsAt === 0) return "invalid zero end timestamp";
  if (s.endsAt < s.startsAt) return "end time must not be before start time";
  return undefined;
}

/** Same matchers in the same order (upstream compares them with `reflect.DeepEqual`). */
export function sameMatchers(a: readonly SilenceMatcher[], b: readonly SilenceMatcher[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((m, i) => m.type === b[i]!.type && m.name === b[i]!.name && m.pattern === b[i]!.pattern);
}
