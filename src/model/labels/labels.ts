/**
 * Label sets: upstream's `model/labels.Labels` and `labels.Builder`.
 *
 * A {@link Labels} is an immutable set of name/value pairs sorted by name in UTF-8 byte
 * order (Go's order), stored as one flat array `[n0, v0, n1, v1, …]`. Names are unique and
 * values are never empty: an empty value means "label absent", as upstream.
 */

import { compareUTF8, goQuote } from "./strings.ts";
import { isValidLegacyLabelName, METRIC_NAME_LABEL } from "./validate.ts";

// Pairs above this count are sorted with Array.prototype.sort instead of insertion sort.
const INSERTION_SORT_MAX_PAIRS = 32;
// Separator mixed into the hash after each string; above any UTF-16 code unit.
const HASH_SEPARATOR = 0x1ffff;

/** Stable in-place insertion sort of the pairs of a flat array by name. */
function insertionSortPairs(flat: string[]): void {
  for (let i = 2; i < flat.length; i += 2) {
    const name = flat[i];
    const value = flat[i + 1];
    let j = i - 2;
    while (j >= 0 && compareUTF8(flat[j], name) > 0) {
      flat[j + 2] = flat[j];
      flat[j + 3] = flat[j + 1];
      j -= 2;
    }
    flat[j + 2] = name;
    flat[j + 3] = value;
  }
}

/** Stable sort of the pairs of a flat array by name, for large sets. */
function sortManyPairs(flat: string[]): void {
  const order = Array.from({ length: flat.length >> 1 }, (_, i) => i);
  order.sort((a, b) => compareUTF8(flat[2 * a], flat[2 * b]));
  const copy = flat.slice();
  for (let k = 0; k < order.length; k++) {
    flat[2 * k] = copy[2 * order[k]];
    flat[2 * k + 1] = copy[2 * order[k] + 1];
  }
}

/**
 * Removes, in place, pairs shadowed by a later pair of the same name (sorted input keeps
 * them adjacent and in input order) and pairs whose surviving value is empty.
 */
function compactSortedPairs(flat: string[]): void {
  let w = 0;
  for (let r = 0; r < flat.length; r += 2) {
    if (r + 2 < flat.length && flat[r + 2] === flat[r]) continue;
    if (flat[r + 1] === "") continue;
    flat[w++] = flat[r];
    flat[w++] = flat[r + 1];
  }
  flat.length = w;
}

/** An immutable, sorted label set. See the module comment for the invariants. */
export class Labels {
  /** The empty label set. */
  static readonly EMPTY: Labels = new Labels([]);

  readonly #flat: readonly string[];
  // The cached hash in two int32 halves, so V8 keeps both unboxed (Smis): a
  // 53-bit number field would be a 16-byte heap box per set, and the head
  // holds one set per series. #hashHi is -1 until computed.
  #hashHi = -1;
  #hashLo = 0;

  private constructor(flat: readonly string[]) {
    this.#flat = flat;
  }

  /**
   * Builds a set from pairs in any order. A later pair overrides an earlier pair of the
   * same name; a pair whose final value is empty is dropped (like `LabelsBuilder.set`).
   */
  static fromPairs(pairs: Iterable<readonly [string, string]>): Labels {
    const flat: string[] = [];
    for (const [name, value] of pairs) flat.push(name, value);
    return Labels.fromFlatUnsorted(flat);
  }

  /** Builds a set from an object's own enumerable properties (same rules as fromPairs). */
  static fromObject(o: Readonly<Record<string, string>>): Labels {
    return Labels.fromPairs(Object.entries(o));
  }

  /** Builds a set from alternating names and values, like upstream's `FromStrings`. */
  static fromStrings(...flat: string[]): Labels {
    if (flat.length % 2 !== 0) throw new Error("labels: fromStrings needs an even number of strings");
    return Labels.fromFlatUnsorted(flat);
  }

  /**
   * Takes ownership of `flat` (`[n, v, n, v, …]`, any order), sorts it in place and drops
   * shadowed and empty-valued pairs (same rules as fromPairs). No allocation per pair for
   * the usual small sets. The caller must not touch `flat` afterwards.
   */
  static fromFlatUnsorted(flat: string[]): Labels {
    if (flat.length === 0) return Labels.EMPTY;
    if (flat.length > 2 * INSERTION_SORT_MAX_PAIRS) sortManyPairs(flat);
    else insertionSortPairs(flat);
    compactSortedPairs(flat);
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /**
   * Wraps an array that is already sorted by name (UTF-8 order), duplicate-free and free
   * of empty values. Trusted: nothing is checked. Takes ownership of `flat`.
   */
  static fromFlatSorted(flat: readonly string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /** Number of pairs. */
  get size(): number {
    return this.#flat.length >> 1;
  }

  /** Name of pair `i` (0 ≤ i < size). */
  nameAt(i: number): string {
    return this.#flat[2 * i];
  }

  /** Value of pair `i` (0 ≤ i < size). */
  valueAt(i: number): string {
    return this.#flat[2 * i + 1];
  }

  /** Value of `name`, or "" when absent (as upstream). */
  get(name: string): string {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return flat[i + 1];
    return "";
  }

  /** True when a label called `name` is present. */
  has(name: string): boolean {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return true;
    return false;
  }

  /** Calls `fn` for each pair in name order. */
  forEach(fn: (name: string, value: string) => void): void {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) fn(flat[i], flat[i + 1]);
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) yield [flat[i], flat[i + 1]];
  }

  /** Label names in order (a new array). */
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#flat.length; i += 2) out.push(this.#flat[i]);
    return out;
  }

  /** A new plain object mapping names to values. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.#flat.length; i += 2) out[this.#flat[i]] = this.#flat[i + 1];
    return out;
  }

  /** The backing flat array; shared, never mutate it. */
  flat(): readonly string[] {
    return this.#flat;
  }

  /** Value of `__name__`, or "". */
  metricName(): string {
    return this.get(METRIC_NAME_LABEL);
  }

  /** This set without `__name__` (this same instance when it has none). */
  withoutName(): Labels {
    return this.without(METRIC_NAME_LABEL);
  }

  /** This set without the given names (this same instance when none is present). */
  without(...names: string[]): Labels {
    return filterPairs(this, (name) => !names.includes(name));
  }

  /** Only the pairs whose name is among `names`. */
  keep(...names: string[]): Labels {
    return filterPairs(this, (name) => names.includes(name));
  }

  /**
   * A 53-bit non-cryptographic hash (cyrb53 over UTF-16 code units, a separator after each
   * name and value), cached. Equal sets hash equal; unequal sets rarely collide. Stable
   * across processes but not upstream's xxhash: never persist or compare it with Go.
   */
  hash(): number {
    if (this.#hashHi >= 0) return 4294967296 * this.#hashHi + (this.#hashLo >>> 0);
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i++) {
      const s = flat[i];
      for (let j = 0; j < s.length; j++) {
        const c = s.charCodeAt(j);
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
      }
      h1 = Math.imul(h1 ^ HASH_SEPARATOR, 2654435761);
      h2 = Math.imul(h2 ^ HASH_SEPARATOR, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.#hashHi = 2097151 & h2;
    this.#hashLo = h1 | 0;
    return 4294967296 * this.#hashHi + (h1 >>> 0);
  }

  /** True when both sets hold exactly the same pairs. */
  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.#flat;
    const b = other.#flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /**
   * Upstream's `labels.Compare`: pairwise by name then value (UTF-8 order); when one set is
   * a prefix of the other, the shorter sorts first. Negative, zero or positive.
   */
  static compare(a: Labels, b: Labels): number {
    const fa = a.#flat;
    const fb = b.#flat;
    const n = Math.min(fa.length, fb.length);
    for (let i = 0; i < n; i++) {
      if (fa[i] !== fb[i]) return compareUTF8(fa[i], fb[i]);
    }
    return fa.length - fb.length;
  }

  /** Upstream's `Labels.String()`: `{a="b", c="d"}`, Go-quoted; non-legacy names quoted. */
  toString(): string {
    const flat = this.#flat;
    let out = "{";
    for (let i = 0; i < flat.length; i += 2) {
      if (i > 0) out += ", ";
      out += isValidLegacyLabelName(flat[i]) ? flat[i] : goQuote(flat[i]);
      out += `=${goQuote(flat[i + 1])}`;
    }
    return `${out}}`;
  }
}

/**
 * `lset` with only the pairs whose name `keepName` accepts (`lset` itself when all are).
 * A module function, not a private method: a class with private methods stores a brand
 * in every instance, 8 bytes per series in the head.
 */
function filterPairs(lset: Labels, keepName: (name: string) => boolean): Labels {
  const src = lset.flat();
  const out: string[] = [];
  for (let i = 0; i < src.length; i += 2) if (keepName(src[i])) out.push(src[i], src[i + 1]);
  return out.length === src.length ? lset : Labels.fromFlatSorted(out);
}

/**
 * Upstream's `labels.Builder`: accumulates changes over a base set and produces a new
 * {@link Labels}. Setting an empty value deletes the label. Not safe to share between
 * concurrent users; reuse it across series with {@link LabelsBuilder.reset}.
 */
export class LabelsBuilder {
  #base: Labels;
  // Pending changes by name; "" marks a deletion.
  readonly #changes = new Map<string, string>();

  constructor(base: Labels = Labels.EMPTY) {
    this.#base = base;
  }

  /** Drops all changes and starts again from `base`. */
  reset(base: Labels = Labels.EMPTY): this {
    this.#base = base;
    this.#changes.clear();
    return this;
  }

  /** Sets `name` to `value`; an empty value deletes the label. */
  set(name: string, value: string): this {
    this.#changes.set(name, value);
    return this;
  }

  /** Deletes the given labels. */
  del(...names: string[]): this {
    for (const name of names) this.#changes.set(name, "");
    return this;
  }

  /** Deletes every label of the base whose name is not in `names` (pending sets stay). */
  keep(...names: string[]): this {
    this.#base.forEach((name) => {
      if (!names.includes(name)) this.#changes.set(name, "");
    });
    return this;
  }

  /** Current value of `name` including pending changes, or "" when absent. */
  get(name: string): string {
    const changed = this.#changes.get(name);
    return changed ?? this.#base.get(name);
  }

  /** Calls `fn` for each label of the current state, in name order. */
  forEach(fn: (name: string, value: string) => void): void {
    this.labels().forEach(fn);
  }

  /** The resulting set; the base itself when nothing changed. The builder stays usable. */
  labels(): Labels {
    if (this.#changes.size === 0) return this.#base;
    const flat: string[] = [];
    this.#base.forEach((name, value) => {
      if (!this.#changes.has(name)) flat.push(name, value);
    });
    for (const [name, value] of this.#changes) if (value !== "") flat.push(name, value);
    return Labels.fromFlatUnsorted(flat);
  }
}
