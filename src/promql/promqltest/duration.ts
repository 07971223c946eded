/**
 * Prometheus duration strings (`model.ParseDuration`): units `y w d h m s ms`,
 * each at most once and in that order (`1h30m`), or a bare `0`.
 */

const UNITS_MS: readonly [string, number][] = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

const DURATION =
  /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

/** Milliseconds of a Prometheus duration; throws Go's message when invalid. */
export function parsePromDuration(s: string): number {
  if (s === "0") return 0;
  if (s === "") throw new Error("empty duration string");
  const m = DURATION.exec(s);
  if (m === null) throw new Error(`not a valid duration string: "${s}"`);
  let ms = 0;
  for (let i = 0; i < UNITS_MS.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) ms += Number(g) * UNITS_MS[i]![1];
  }
  if (!Number.isSafeInteger(ms) || ms > 9_223_372_036_854) throw new Error("duration out of range");
  return ms;
}
