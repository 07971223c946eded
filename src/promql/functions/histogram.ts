/**
 * Quantiles and fractions of classic histograms (series of cumulative bucket
 * counts with an `le` label): upstream's `BucketQuantile` and
 * `BucketFraction`. Both interpolate linearly within a bucket.
 */
import { almostEqual } from "../almost.ts";
import type { Bucket } from "./types.ts";

/**
 * Relative difference between neighbouring cumulative counts below which it
 * is taken for a float rounding artifact and ignored (in either direction).
 */
const SMALL_DELTA_TOLERANCE = 1e-12;

function byUpperBound(a: Bucket, b: Bucket): number {
  return a.upperBound - b.upperBound;
}

/** Merges, in place, adjacent buckets of the sorted `buckets` that share an upper bound; returns the new length. */
function coalesce(buckets: Bucket[]): number {
  let w = 0;
  let last = { upperBound: buckets[0]!.upperBound, count: buckets[0]!.count };
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (b.upperBound === last.upperBound) {
      last.count += b.count;
    } else {
      buckets[w++] = last;
      last = { upperBound: b.upperBound, count: b.count };
    }
  }
  buckets[w++] = last;
  return w;
}

// Flags set by `ensureMonotonic`.
let forcedMonotonicity = false;
let fixedPrecision = false;

/**
 * Makes the cumulative counts of `buckets[0..n)` non-decreasing: differences
 * within rounding noise are flattened silently, real decreases are lifted to
 * the previous count (the histogram's envelope) and flagged.
 */
function ensureMonotonic(buckets: Bucket[], n: number): void {
  forcedMonotonicity = false;
  fixedPrecision = false;
  let prev = buckets[0]!.count;
  for (let i = 1; i < n; i++) {
    const b = buckets[i]!;
    const curr = b.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      b.count = prev;
      fixedPrecision = true;
      continue;
    }
    if (curr < prev) {
      b.count = prev;
      forcedMonotonicity = true;
      continue;
    }
    prev = curr;
  }
}

/**
 * The `q`-quantile of a classic histogram. `buckets` is reordered and merged
 * in place. Special cases: NaN `q` gives NaN, q < 0 gives -Inf, q > 1 gives
 * +Inf; without a +Inf bucket, with fewer than two buckets or with no
 * observations the result is NaN. A quantile in the +Inf bucket is the
 * second-highest bound; the lowest bucket starts at 0 when its upper bound is
 * positive, and otherwise yields its upper bound. `forcedMonotonicity` asks
 * the engine for the info annotation.
 */
export function bucketQuantile(
  q: number,
  buckets: Bucket[],
): { value: number; forcedMonotonicity: boolean; fixedPrecision: boolean } {
  if (Number.isNaN(q)) return { value: Number.NaN, forcedMonotonicity: false, fixedPrecision: false };
  if (q < 0) return { value: Number.NEGATIVE_INFINITY, forcedMonotonicity: false, fixedPrecision: false };
  if (q > 1) return { value: Number.POSITIVE_INFINITY, forcedMonotonicity: false, fixedPrecision: false };
  if (buckets.length === 0) return { value: Number.NaN, forcedMonotonicity: false, fixedPrecision: false };
  buckets.sort(byUpperBound);
  if (buckets[buckets.length - 1]!.upperBound !== Number.POSITIVE_INFINITY) {
    return { value: Number.NaN, forcedMonotonicity: false, fixedPrecision: false };
  }
  const n = coalesce(buckets);
  buckets.length = n;
  ensureMonotonic(buckets, n);
  if (n < 2) return { value: Number.NaN, forcedMonotonicity: false, fixedPrecision: false };
  const observations = buckets[n - 1]!.count;
  if (observations === 0) return { value: Number.NaN, forcedMonotonicity: false, fixedPrecision: false };

  let rank = q * observations;
  // First bucket (the +Inf one excluded) whose cumulative count reaches the rank.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buckets[mid]!.count >= rank) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  let value: number;
  if (b === n - 1) {
    value = buckets[n - 2]!.upperBound;
  } else if (b === 0 && buckets[0]!.upperBound <= 0) {
    value = buckets[0]!.upperBound;
  } else {
    let bucketStart = 0;
    const bucketEnd = buckets[b]!.upperBound;
    let count = buckets[b]!.count;
    if (b > 0) {
      bucketStart = buckets[b - 1]!.upperBound;
      count -= buckets[b - 1]!.count;
      rank -= buckets[b - 1]!.count;
    }
    value = bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }
  return { value, forcedMonotonicity, fixedPrecision };
}

/**
 * Fraction of a classic histogram's observations between `lower` and `upper`,
 * interpolating linearly within buckets. `buckets` is reordered and merged in
 * place. NaN without a +Inf bucket, without observations or with a NaN bound;
 * 0 when lower >= upper. As in upstream v3.5, the lowest bucket reaches down
 * to -Inf, so a bound inside it gives NaN.
 */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  if (buckets.length === 0) return Number.NaN;
  buckets.sort(byUpperBound);
  if (buckets[buckets.length - 1]!.upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  const n = coalesce(buckets);
  buckets.length = n;
  const total = buckets[n - 1]!.count;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return Number.NaN;
  if (lower >= upper) return 0;

  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < n; i++) {
    const b = buckets[i]!;
    const bucketLower = i > 0 ? buckets[i - 1]!.upperBound : Number.NEGATIVE_INFINITY;
    const bucketUpper = b.upperBound;
    if (!lowerSet && bucketLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bucketLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bucketLower < lower && bucketUpper > lower) {
      lowerRank = rank + ((b.count - rank) * (lower - bucketLower)) / (bucketUpper - bucketLower);
      lowerSet = true;
    }
    if (!upperSet && bucketLower < upper && bucketUpper > upper) {
      upperRank = rank + ((b.count - rank) * (upper - bucketLower)) / (bucketUpper - bucketLower);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

export type { Bucket } from "./types.ts";
