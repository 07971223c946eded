/**
 * Deleted time ranges of one series: sorted, disjoint, inclusive [mint, maxt]
 * intervals, flattened as `[mint0, maxt0, mint1, maxt1, …]` (the shape
 * `TombstoneReader.get` returns). Intervals that touch (maxt + 1 === mint) are
 * merged, as timestamps are discrete.
 */

/** One deleted range, inclusive at both ends. */
export interface Interval {
  mint: number;
  maxt: number;
}

/** Number of intervals in a flattened list. */
export function intervalCount(ivs: readonly number[]): number {
  return ivs.length >> 1;
}

/**
 * Adds [mint, maxt] to the sorted flattened list `ivs` in place, merging it
 * with every interval it overlaps or touches; returns `ivs`.
 */
export function addInterval(ivs: number[], mint: number, maxt: number): number[] {
  if (maxt < mint) throw new Error(`tombstones: interval maxt ${maxt} is less than mint ${mint}`);
  const n = ivs.length >> 1;
  // First interval that ends at or after mint - 1 (it overlaps or touches, or lies after).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[2 * mid + 1]! >= mint - 1) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  if (first === n) {
    ivs.push(mint, maxt);
    return ivs;
  }
  // First interval from `first` on that starts after maxt + 1 (neither overlaps nor touches).
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[2 * mid]! > maxt + 1) hi = mid;
    else lo = mid + 1;
  }
  const after = lo;
  if (after === first) {
    ivs.splice(2 * first, 0, mint, maxt);
    return ivs;
  }
  const newMin = Math.min(mint, ivs[2 * first]!);
  const newMax = Math.max(maxt, ivs[2 * after - 1]!);
  ivs.splice(2 * first, 2 * (after - first), newMin, newMax);
  return ivs;
}

/** True when `t` lies in one of the intervals (binary search). */
export function isDeletedAt(ivs: readonly number[], t: number): boolean {
  const i = firstEndingAtOrAfter(ivs, t);
  return i < ivs.length && ivs[i]! <= t;
}

/** True when [mint, maxt] lies entirely inside one interval. */
export function isSubrange(ivs: readonly number[], mint: number, maxt: number): boolean {
  for (let i = 0; i < ivs.length; i += 2) if (ivs[i]! <= mint && maxt <= ivs[i + 1]!) return true;
  return false;
}

/**
 * Answers "is `t` deleted?" for an iterator walking forward in time in
 * amortised O(1): a cursor only moves forward. A step back in time restarts
 * the cursor with a binary search.
 */
export class IntervalsChecker {
  private readonly ivs: readonly number[];
  private i = 0;
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(ivs: readonly number[]) {
    this.ivs = ivs;
  }

  isDeleted(t: number): boolean {
    const ivs = this.ivs;
    if (t < this.lastT) this.i = firstEndingAtOrAfter(ivs, t);
    this.lastT = t;
    let i = this.i;
    while (i < ivs.length && ivs[i + 1]! < t) i += 2;
    this.i = i;
    return i < ivs.length && ivs[i]! <= t;
  }

  /** The end of the interval containing `t` (so an iterator can skip to after it), or NaN. */
  deletedUntil(t: number): number {
    return this.isDeleted(t) ? this.ivs[this.i + 1]! : Number.NaN;
  }
}

/** Flat index (even) of the first interval whose maxt is >= t. */
function firstEndingAtOrAfter(ivs: readonly number[], t: number): number {
  let lo = 0;
  let hi = ivs.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[2 * mid + 1]! < t) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}
