/**
 * Upstream's `util/almost.Equal`, the float comparison both the engine
 * (histogram bucket monotonicity) and the test-script runner (expected
 * results) use.
 */

/** The smallest positive normal float64. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * True when `a` and `b` agree to a relative `epsilon`; any two NaNs are
 * equal, and when either is 0 or both are subnormal the difference must be
 * below `epsilon` × the smallest normal (effectively exact).
 */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
