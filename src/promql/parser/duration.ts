/**
 * Prometheus durations (`model.Duration`): `1h30m`, `5m`, `1d`, `2w`, `1y`, `100ms`.
 * Units go from the largest to the smallest, each at most once; a year is 365 days,
 * a week 7 days. Values are milliseconds here (the finest unit there is).
 */

import { goQuote } from "../../model/labels/strings.ts";

interface Unit {
  /** Nanoseconds per unit: the overflow limits are upstream's, in nanoseconds. */
  ns: bigint;
  ms: number;
  /** Units must appear in increasing rank. */
  rank: number;
}

const UNITS: ReadonlyMap<string, Unit> = new Map([
  ["y", { ns: 365n * 24n * 3600n * 1_000_000_000n, ms: 365 * 24 * 3600 * 1000, rank: 1 }],
  ["w", { ns: 7n * 24n * 3600n * 1_000_000_000n, ms: 7 * 24 * 3600 * 1000, rank: 2 }],
  ["d", { ns: 24n * 3600n * 1_000_000_000n, ms: 24 * 3600 * 1000, rank: 3 }],
  ["h", { ns: 3600n * 1_000_000_000n, ms: 3600 * 1000, rank: 4 }],
  ["m", { ns: 60n * 1_000_000_000n, ms: 60 * 1000, rank: 5 }],
  ["s", { ns: 1_000_000_000n, ms: 1000, rank: 6 }],
  ["ms", { ns: 1_000_000n, ms: 1, rank: 7 }],
]);

const MAX_NS = (1n << 63n) - 1n;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A malformed duration; the message is upstream's. */
export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DurationError";
  }
}

/**
 * Parses a Prometheus duration (`1h30m`, `90s`, `0`) into milliseconds. Throws a
 * {@link DurationError} with upstream's message (`not a valid duration string: "5m1h"`,
 * `unknown unit "hs" in duration "5y1hs"`, `duration out of range`).
 */
export function parseDuration(s: string): number {
  if (s === "0") return 0;
  if (s === "") throw new DurationError("empty duration string");
  const invalid = (): DurationError => new DurationError(`not a valid duration string: ${goQuote(s)}`);
  let i = 0;
  let totalNs = 0n;
  let totalMs = 0;
  let lastRank = 0;
  while (i < s.length) {
    const numStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === numStart) throw invalid();
    const digits = s.slice(numStart, i);
    // Go parses the count as a uint64: more than 20 digits cannot fit.
    const v = BigInt(digits);
    if (v > 0xffffffffffffffffn) throw invalid();
    const unitStart = i;
    while (i < s.length && !isDigit(s.charCodeAt(i))) i++;
    if (i === unitStart) throw invalid();
    const name = s.slice(unitStart, i);
    const unit = UNITS.get(name);
    if (unit === undefined)
      throw new DurationError(`unknown unit ${goQuote(name)} in duration ${goQuote(s)}`);
    if (unit.rank <= lastRank) throw invalid();
    lastRank = unit.rank;
    if (v > (1n << 63n) / unit.ns) throw new DurationError("duration out of range");
    totalNs += v * unit.ns;
    if (totalNs > MAX_NS) throw new DurationError("duration out of range");
    totalMs += Number(v) * unit.ms;
  }
  return totalMs;
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number, boolean]> = [
  ["y", 365 * 24 * 3600 * 1000, true],
  ["w", 7 * 24 * 3600 * 1000, true],
  ["d", 24 * 3600 * 1000, false],
  ["h", 3600 * 1000, false],
  ["m", 60 * 1000, false],
  ["s", 1000, false],
  ["ms", 1, false],
];

/**
 * Formats milliseconds like `model.Duration.String()`: `1h30m`, `90d` (years and weeks
 * only when they divide exactly), `0s` for zero. Fractions of a millisecond are
 * truncated; a negative duration gets a leading `-`.
 */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return "0s";
  if (rest < 0) return `-${formatDuration(-rest)}`;
  let out = "";
  for (const [name, mult, exact] of FORMAT_UNITS) {
    if (exact && rest % mult !== 0) continue;
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${name}`;
      rest -= v * mult;
    }
  }
  return out;
}

/** Go's `math.Round`: halves away from zero. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Seconds (as a duration expression or number literal holds them) to whole
 * milliseconds, as upstream converts: rounded to nanoseconds, then truncated to ms.
 */
export function secondsToMs(sec: number): number {
  const ns = goRound(sec * 1e9);
  const ms = Math.trunc(ns / 1e6);
  return ms === 0 ? 0 : ms;
}
