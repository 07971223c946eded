/**
 * In-memory tombstones: series reference → deleted intervals (sorted, merged,
 * flattened as in ./intervals.ts). Serves as the TombstoneReader of blocks and
 * the head.
 */
import type { TombstoneReader } from "../blockreader.ts";
import { addInterval, type Interval, intervalCount, isDeletedAt } from "./intervals.ts";

export class MemTombstones implements TombstoneReader {
  private readonly m = new Map<number, number[]>();

  /**
   * Adds deleted intervals (inclusive) for series `ref`, merging with what is
   * there: either one `mint, maxt` pair or any number of {@link Interval}s.
   */
  addInterval(ref: number, mint: number, maxt: number): void;
  addInterval(ref: number, ...ivs: Interval[]): void;
  addInterval(ref: number, ...args: Array<Interval | number>): void {
    const flat: number[] = [];
    if (typeof args[0] === "number") {
      if (args.length !== 2 || typeof args[1] !== "number")
        throw new Error("tombstones: addInterval(ref, mint, maxt)");
      flat.push(args[0], args[1]);
    } else {
      for (const iv of args as Interval[]) flat.push(iv.mint, iv.maxt);
    }
    // Validate everything first so a bad interval leaves no empty entry behind.
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i + 1]! < flat[i]!) {
        throw new Error(
          `tombstones: interval maxt ${flat[i + 1]} is less than mint ${flat[i]} (series ${ref})`,
        );
      }
    }
    if (flat.length === 0) return;
    let cur = this.m.get(ref);
    if (cur === undefined) {
      cur = [];
      this.m.set(ref, cur);
    }
    for (let i = 0; i < flat.length; i += 2) addInterval(cur, flat[i]!, flat[i + 1]!);
  }

  /** The series' deleted intervals, flattened; undefined when none. Do not mutate. */
  get(ref: number): readonly number[] | undefined {
    return this.m.get(ref);
  }

  /** True when sample time `t` of series `ref` is deleted. */
  isDeletedAt(ref: number, t: number): boolean {
    const ivs = this.m.get(ref);
    return ivs !== undefined && isDeletedAt(ivs, t);
  }

  /** Calls `fn` for each series with tombstones, in increasing reference order. */
  iter(fn: (ref: number, ivs: readonly number[]) => void): void {
    const refs = Array.from(this.m.keys()).sort((a, b) => a - b);
    for (const ref of refs) fn(ref, this.m.get(ref)!);
  }

  /** Total number of intervals over all series. */
  total(): number {
    let n = 0;
    for (const ivs of this.m.values()) n += intervalCount(ivs);
    return n;
  }

  /** Number of series with tombstones. */
  get size(): number {
    return this.m.size;
  }

  /** Forgets the tombstones of the given series (e.g. after they were dropped). */
  deleteTombstones(refs: Iterable<number>): void {
    for (const ref of refs) this.m.delete(ref);
  }

  /** Drops intervals ending before `beforeT` (data older than that is gone anyway). */
  truncateBefore(beforeT: number): void {
    for (const [ref, ivs] of this.m) {
      let i = 0;
      while (i < ivs.length && ivs[i + 1]! < beforeT) i += 2;
      if (i === ivs.length) this.m.delete(ref);
      else if (i > 0) this.m.set(ref, ivs.slice(i));
    }
  }
}
