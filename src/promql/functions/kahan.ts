/**
 * Kahan–Neumaier compensated addition, as upstream's `kahansum.Inc`: the
 * running sum and its compensation are kept apart, and the compensation is
 * added once at the end. An infinite sum resets the compensation, so that
 * `Inf + c` does not turn into NaN.
 */

/** Result of the last {@link kahanInc}: read `sum` and `c` right after the call. */
export const kahan = { sum: 0, c: 0 };

/** Adds `inc` to (`sum`, `c`) and leaves the new pair in {@link kahan} (no allocation). */
export function kahanInc(inc: number, sum: number, c: number): void {
  const t = sum + inc;
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  kahan.sum = t;
  kahan.c = c;
}
