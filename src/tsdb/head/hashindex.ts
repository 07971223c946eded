/**
 * The head's series by label hash: an open-addressing table of
 * (hash hi, hash lo, ref) triples in one Int32Array, with linear probing and
 * backward-shift deletion (so no tombstones ever pile up). Several slots may
 * carry the same 53-bit hash — distinct label sets that collide — and a lookup
 * tells them apart by resolving each candidate ref and comparing labels.
 *
 * It replaces a `Map<number, MemSeries | MemSeries[]>`: that cost a 16 B
 * HeapNumber per key (53-bit hashes are not Smis) plus ~40 B of table per
 * entry; this costs 12 B per slot at a load of 0.35–0.7 and nothing per series
 * on the V8 heap. Lookups happen only on a scrape-cache miss (guarded by
 * `npm run bench -- tsdb` and `-- scrape`).
 */
import type { Labels } from "../../model/labels/labels.ts";

/** Int32s per slot: hash hi 21 bits, hash lo 32 bits, ref (0 = empty slot). */
const STRIDE = 3;
const HI = 0;
const LO = 1;
const REF = 2;
const MIN_BITS = 4;
/** Grow past this load; shrink below an eighth of it. */
const MAX_LOAD = 0.7;
const TWO_32 = 4294967296;

/** Anything that holds series by ref: the head's SeriesTable. */
export interface RefResolver<T> {
  get(ref: number): T | undefined;
}

/**
 * Refs of series keyed by their labels' 53-bit hash. `refs` maps a ref back
 * to its series for the label comparison; refs must be integers in [1, 2^32)
 * and the index must hold only refs `refs` knows (remove one here before or
 * after removing it there: removal does not resolve).
 */
export class HashIndex<T extends { readonly labels: Labels }> {
  readonly #refs: RefResolver<T>;
  #slots: Int32Array;
  #bits: number;
  #mask: number;
  #size = 0;

  constructor(refs: RefResolver<T>) {
    this.#refs = refs;
    this.#bits = MIN_BITS;
    this.#mask = (1 << MIN_BITS) - 1;
    this.#slots = new Int32Array(STRIDE << MIN_BITS);
  }

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  /** Slots allocated (a power of two); for tests and memory accounting. */
  get capacity(): number {
    return this.#mask + 1;
  }

  /** The series with exactly `labels`, whose hash is `hash` (= `labels.hash()`). */
  get(hash: number, labels: Labels): T | undefined {
    const lo = hash | 0;
    const hi = (hash - (hash >>> 0)) / TWO_32;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = home(hi, lo, this.#bits); ; i = (i + 1) & mask) {
      const o = i * STRIDE;
      const ref = slots[o + REF]!;
      if (ref === 0) return undefined;
      if (slots[o + LO] === lo && slots[o + HI] === hi) {
        const s = this.#refs.get(ref >>> 0);
        if (s?.labels.equals(labels)) return s;
      }
    }
  }

  /** Adds `ref` under `hash`; the caller knows it is not there yet. */
  add(hash: number, ref: number): void {
    if (!Number.isInteger(ref) || ref < 1 || ref >= TWO_32) throw new RangeError(`series ref ${ref}`);
    if (this.#size + 1 > (this.#mask + 1) * MAX_LOAD) this.#resize(this.#bits + 1);
    this.#put((hash - (hash >>> 0)) / TWO_32, hash | 0, ref | 0);
    this.#size++;
  }

  /** Removes the entry of `ref` under `hash`; false when there is none. */
  delete(hash: number, ref: number): boolean {
    const lo = hash | 0;
    const hi = (hash - (hash >>> 0)) / TWO_32;
    const r = ref | 0;
    const slots = this.#slots;
    const mask = this.#mask;
    let i = home(hi, lo, this.#bits);
    for (; ; i = (i + 1) & mask) {
      const o = i * STRIDE;
      if (slots[o + REF] === 0) return false;
      if (slots[o + REF] === r && slots[o + LO] === lo && slots[o + HI] === hi) break;
    }
    this.#shiftBack(i);
    this.#size--;
    if (this.#bits > MIN_BITS && this.#size < ((this.#mask + 1) * MAX_LOAD) / 8) this.#resize(this.#bits - 1);
    return true;
  }

  /** Empties the index and gives back its memory. */
  clear(): void {
    this.#bits = MIN_BITS;
    this.#mask = (1 << MIN_BITS) - 1;
    this.#slots = new Int32Array(STRIDE << MIN_BITS);
    this.#size = 0;
  }

  #put(hi: number, lo: number, ref: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = home(hi, lo, this.#bits);
    while (slots[i * STRIDE + REF] !== 0) i = (i + 1) & mask;
    const o = i * STRIDE;
    slots[o + HI] = hi;
    slots[o + LO] = lo;
    slots[o + REF] = ref;
  }

  /**
   * Empties slot `i` by moving later entries of its probe run back into the
   * gap, as long as that does not put one before its home slot.
   */
  #shiftBack(i: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    const bits = this.#bits;
    let gap = i;
    for (let j = (gap + 1) & mask; ; j = (j + 1) & mask) {
      const o = j * STRIDE;
      if (slots[o + REF] === 0) break;
      const h = home(slots[o + HI]!, slots[o + LO]!, bits);
      // The entry at j may fill the gap unless its home lies cyclically in (gap, j].
      if (((j - h) & mask) >= ((j - gap) & mask)) {
        const g = gap * STRIDE;
        slots[g + HI] = slots[o + HI]!;
        slots[g + LO] = slots[o + LO]!;
        slots[g + REF] = slots[o + REF]!;
        gap = j;
      }
    }
    const g = gap * STRIDE;
    slots[g + HI] = 0;
    slots[g + LO] = 0;
    slots[g + REF] = 0;
  }

  #resize(bits: number): void {
    const old = this.#slots;
    this.#bits = bits;
    this.#mask = (1 << bits) - 1;
    this.#slots = new Int32Array(STRIDE << bits);
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o + REF] !== 0) this.#put(old[o + HI]!, old[o + LO]!, old[o + REF]!);
    }
  }
}

/** Home slot of a hash in a table of 2^bits slots: Fibonacci hashing of both halves. */
function home(hi: number, lo: number, bits: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - bits);
}
