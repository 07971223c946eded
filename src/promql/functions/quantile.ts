/**
 * The φ-quantile of a set of floats, as upstream's `quantile` (used by
 * `quantile_over_time`, `mad_over_time` and the `quantile` aggregation):
 * values sorted ascending with NaN first, then linear interpolation between
 * the two closest ranks.
 */

/** Sorts `a[0..n)` in place: NaNs first, then ascending (upstream's `vectorByValueHeap` order). */
export function sortNaNFirst(a: Float64Array, n: number = a.length): void {
  let nans = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (Number.isNaN(v)) {
      a[i] = a[nans]!;
      a[nans++] = v;
    }
  }
  if (n - nans > 24) {
    a.subarray(nans, n).sort();
    return;
  }
  // Small windows (the common case): insertion sort, without allocating a view.
  for (let i = nans + 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= nans && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * Quantile `q` of the already sorted `a[0..n)` (see {@link sortNaNFirst}).
 * NaN for no values or a NaN `q`; -Inf below 0, +Inf above 1.
 */
export function quantileOfSorted(q: number, a: Float64Array, n: number = a.length): number {
  if (n === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return a[lower]! * (1 - weight) + a[upper]! * weight;
}

/** Quantile `q` of `a[0..n)`, sorting `a` in place first. */
export function quantile(q: number, a: Float64Array, n: number = a.length): number {
  if (n === 0 || Number.isNaN(q) || q < 0 || q > 1) return quantileOfSorted(q, a, n);
  sortNaNFirst(a, n);
  return quantileOfSorted(q, a, n);
}
