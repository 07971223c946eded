/**
 * Postings lists: sorted, duplicate-free `Uint32Array`s of series references
 * (head series ids, or index offsets / 16 for persisted blocks), the set
 * operations queriers combine them with, and the head's in-memory inverted
 * index.
 *
 * Results may share memory with an input (e.g. intersecting one list returns
 * it): treat every postings list as read-only.
 */
import type { Labels } from "../../model/labels/labels.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";

/** The label pair under which every series is listed, as upstream's `AllPostingsKey`. */
export const ALL_POSTINGS_KEY: { readonly name: string; readonly value: string } = Object.freeze({
  name: "",
  value: "",
});

export const EMPTY_POSTINGS: Uint32Array = new Uint32Array(0);

/**
 * The first index `i >= lo` with `a[i] >= x` (a.length when none), galloping
 * from `lo` (1, 2, 4, … steps) then binary searching, so advancing a cursor by
 * a short distance costs O(log distance).
 */
export function gallop(a: Uint32Array, lo: number, x: number): number {
  const n = a.length;
  if (lo >= n || a[lo]! >= x) return lo;
  // Invariant: a[lo] < x.
  let step = 1;
  let hi = lo + 1;
  while (hi < n && a[hi]! < x) {
    lo = hi;
    step <<= 1;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  // a[lo] < x, and a[hi] >= x or hi === n.
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid;
    else hi = mid;
  }
  return hi;
}

function trimmed(out: Uint32Array, n: number): Uint32Array {
  if (n === out.length) return out;
  if (n === 0) return EMPTY_POSTINGS;
  return out.slice(0, n);
}

/** Ids present in every list. The shortest list drives; the others are galloped through. */
export function intersect(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY_POSTINGS;
  if (lists.length === 1) return lists[0]!;
  const sorted = lists.slice().sort((a, b) => a.length - b.length);
  const driver = sorted[0]!;
  if (driver.length === 0) return EMPTY_POSTINGS;
  const k = sorted.length;
  const pos = new Int32Array(k);
  const out = new Uint32Array(driver.length);
  let n = 0;
  outer: for (let i = 0; i < driver.length; i++) {
    const x = driver[i]!;
    for (let j = 1; j < k; j++) {
      const l = sorted[j]!;
      const p = gallop(l, pos[j]!, x);
      pos[j] = p;
      if (p >= l.length) break outer;
      if (l[p] !== x) continue outer;
    }
    out[n++] = x;
  }
  return trimmed(out, n);
}

function merge2(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  // Disjoint ranges concatenate without comparing element by element.
  if (a[a.length - 1]! < b[0]!) return concat2(a, b);
  if (b[b.length - 1]! < a[0]!) return concat2(b, a);
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      out[n++] = x;
      i++;
    } else if (y < x) {
      out[n++] = y;
      j++;
    } else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  if (i < a.length) {
    out.set(a.subarray(i), n);
    n += a.length - i;
  }
  if (j < b.length) {
    out.set(b.subarray(j), n);
    n += b.length - j;
  }
  return trimmed(out, n);
}

function concat2(first: Uint32Array, second: Uint32Array): Uint32Array {
  const out = new Uint32Array(first.length + second.length);
  out.set(first, 0);
  out.set(second, first.length);
  return out;
}

/** The union of the lists, without duplicates (pairwise merge tree: O(total · log k)). */
export function merge(lists: readonly Uint32Array[]): Uint32Array {
  let level = lists.filter((l) => l.length > 0);
  if (level.length === 0) return EMPTY_POSTINGS;
  while (level.length > 1) {
    const next: Uint32Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? merge2(level[i]!, level[i + 1]!) : level[i]!);
    }
    level = next;
  }
  return level[0]!;
}

/** Ids of `a` that are not in `b`. */
export function without(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0 || b.length === 0) return a;
  if (a[a.length - 1]! < b[0]! || b[b.length - 1]! < a[0]!) return a;
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (j < b.length) {
      j = gallop(b, j, x);
      if (j < b.length && b[j] === x) continue;
    }
    out[n++] = x;
  }
  return n === a.length ? a : trimmed(out, n);
}

/** True when `x` is in the sorted list (binary search). */
export function contains(a: Uint32Array, x: number): boolean {
  const i = gallop(a, 0, x);
  return i < a.length && a[i] === x;
}

/** One label value's list: an over-allocated array whose first `len` entries are live. */
interface Growable {
  arr: Uint32Array;
  len: number;
}

const INITIAL_CAPACITY = 4;

function appendSorted(g: Growable, id: number): void {
  const len = g.len;
  // Fast path: ids of new series increase, so most adds append.
  if (len === 0 || g.arr[len - 1]! < id) {
    if (len === g.arr.length) grow(g);
    g.arr[len] = id;
    g.len = len + 1;
    return;
  }
  const view = g.arr.subarray(0, len);
  const i = gallop(view, 0, id);
  if (i < len && view[i] === id) return;
  if (len === g.arr.length) grow(g);
  g.arr.copyWithin(i + 1, i, len);
  g.arr[i] = id;
  g.len = len + 1;
}

function grow(g: Growable): void {
  const next = new Uint32Array(Math.max(INITIAL_CAPACITY, g.arr.length * 2));
  next.set(g.arr.subarray(0, g.len));
  g.arr = next;
}

/** Removes the ids in the sorted `del` from `g`, in place; returns how many were removed. */
function removeSorted(g: Growable, del: Uint32Array): number {
  const a = g.arr;
  let w = 0;
  let j = 0;
  for (let r = 0; r < g.len; r++) {
    const x = a[r]!;
    if (j < del.length) {
      j = gallop(del, j, x);
      if (j < del.length && del[j] === x) continue;
    }
    a[w++] = x;
  }
  const removed = g.len - w;
  g.len = w;
  // Give memory back when a list shrank a lot.
  if (w * 4 < a.length && a.length > INITIAL_CAPACITY * 4)
    g.arr = a.slice(0, Math.max(w * 2, INITIAL_CAPACITY));
  return removed;
}

function toSortedIds(ids: ReadonlySet<number> | Uint32Array): Uint32Array {
  if (ids instanceof Uint32Array) return ids;
  const out = new Uint32Array(ids.size);
  let i = 0;
  for (const id of ids) out[i++] = id;
  return out.sort();
}

/**
 * The head's inverted index: label name → value → sorted series ids, plus
 * every id under {@link ALL_POSTINGS_KEY}. One growable typed array per label
 * pair, no object per entry.
 */
export class MemPostings {
  private readonly m = new Map<string, Map<string, Growable>>();

  /** Indexes series `id` under each of its label pairs and the all-postings key. */
  add(id: number, labels: Labels): void {
    this.addFor(ALL_POSTINGS_KEY.name, ALL_POSTINGS_KEY.value, id);
    const n = labels.size;
    for (let i = 0; i < n; i++) this.addFor(labels.nameAt(i), labels.valueAt(i), id);
  }

  private addFor(name: string, value: string, id: number): void {
    let values = this.m.get(name);
    if (values === undefined) {
      values = new Map();
      this.m.set(name, values);
    }
    let g = values.get(value);
    if (g === undefined) {
      g = { arr: new Uint32Array(INITIAL_CAPACITY), len: 0 };
      values.set(value, g);
    }
    appendSorted(g, id);
  }

  /**
   * Removes series ids (after head truncation). With `affected`, the label
   * sets of the removed series, only their lists are visited; otherwise every
   * list is. Emptied lists and names disappear.
   */
  delete(ids: ReadonlySet<number> | Uint32Array, affected?: Iterable<Labels>): void {
    const del = toSortedIds(ids);
    if (del.length === 0) return;
    if (affected === undefined) {
      for (const [name, values] of this.m) {
        for (const [value, g] of values) {
          if (removeSorted(g, del) > 0 && g.len === 0) values.delete(value);
        }
        if (values.size === 0) this.m.delete(name);
      }
      return;
    }
    this.deleteFrom(ALL_POSTINGS_KEY.name, ALL_POSTINGS_KEY.value, del);
    // Each list once, however many removed series share the pair.
    const seen = new Map<string, Set<string>>();
    for (const ls of affected) {
      for (let i = 0; i < ls.size; i++) {
        const name = ls.nameAt(i);
        const value = ls.valueAt(i);
        let vs = seen.get(name);
        if (vs === undefined) seen.set(name, (vs = new Set()));
        else if (vs.has(value)) continue;
        vs.add(value);
        this.deleteFrom(name, value, del);
      }
    }
  }

  private deleteFrom(name: string, value: string, del: Uint32Array): void {
    const values = this.m.get(name);
    const g = values?.get(value);
    if (values === undefined || g === undefined) return;
    removeSorted(g, del);
    if (g.len > 0) return;
    values.delete(value);
    if (values.size === 0) this.m.delete(name);
  }

  /** Ids of series with `name="value"`: an exact-length view, valid until the next add or delete. */
  get(name: string, value: string): Uint32Array {
    const g = this.m.get(name)?.get(value);
    return g === undefined ? EMPTY_POSTINGS : g.arr.subarray(0, g.len);
  }

  /** Ids of every series (the all-postings key). */
  all(): Uint32Array {
    return this.get(ALL_POSTINGS_KEY.name, ALL_POSTINGS_KEY.value);
  }

  /** Label names in Go byte order, without the all-postings key's "". */
  labelNames(): string[] {
    const out: string[] = [];
    for (const name of this.m.keys()) if (name !== ALL_POSTINGS_KEY.name) out.push(name);
    return out.sort(compareUTF8);
  }

  /** Values of `name` in Go byte order. */
  labelValues(name: string): string[] {
    const values = this.m.get(name);
    if (values === undefined) return [];
    return Array.from(values.keys()).sort(compareUTF8);
  }

  /** Calls `fn` with each value of `name` and its ids (a view, as `get`), in no particular order. */
  forEachValue(name: string, fn: (value: string, ids: Uint32Array) => void): void {
    const values = this.m.get(name);
    if (values === undefined) return;
    for (const [value, g] of values) fn(value, g.arr.subarray(0, g.len));
  }

  /** Number of label pairs (including the all-postings key). */
  pairCount(): number {
    let n = 0;
    for (const values of this.m.values()) n += values.size;
    return n;
  }
}
