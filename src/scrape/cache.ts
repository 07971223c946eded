/**
 * The per-target scrape cache, upstream's `scrapeCache`: maps the raw bytes of
 * a series line (metric name and label set, as exposed) to what the last
 * parse made of them — the storage ref and the labels after target labels and
 * metric relabeling, or "dropped" — so an unchanged line costs a hash of its
 * bytes and one lookup instead of a label parse. It also tracks which series
 * each scrape saw, for staleness markers, and holds the target's metadata
 * (TYPE, HELP, UNIT; `metadata.ts`).
 *
 * No object per series: an entry is a slot index into typed-array columns
 * (only the labels sit in a plain array), the hash table is an Int32Array of
 * chain heads with the chains threaded through a column, and the keys are
 * bytes in one arena per target, compared four bytes at a time. A steady
 * target exposes its series in the same order every scrape, so a line is
 * first compared with the entry seen at the same position in the previous
 * pass; only when that fails is it hashed (in place, murmur-style) and looked
 * up. Hot path: guarded by `npm run bench -- scrape`.
 */
import type { Labels } from "../model/labels/labels.ts";
import type { SeriesRef } from "../storage/interface.ts";
import { hashBytes } from "./hash.ts";
import { MetadataCache } from "./metadata.ts";

/** Counts forced flushes (`prometheus_target_scrapes_cache_flush_forced_total`). */
export interface CacheMetrics {
  readonly cacheFlushForced: { inc(): void };
}

/** Whether `a[ao, ao+n)` equals `b[bo, bo+n)`, four bytes per step. */
function bytesEqual(a: DataView, ao: number, b: DataView, bo: number, n: number): boolean {
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getUint32(ao + i) !== b.getUint32(bo + i)) return false;
  for (; i < n; i++) if (a.getUint8(ao + i) !== b.getUint8(bo + i)) return false;
  return true;
}

/** A copy of `a` with room for `n` elements (the new ones 0). */
function grown<A extends Int32Array | Uint32Array | Uint8Array>(a: A, n: number): A {
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a as ArrayLike<number>);
  return b;
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
/** Initial key arena size; it doubles as needed and is compacted when half of it is forgotten keys. */
const ARENA_INITIAL = 64 * 1024;
/** Initial slots, hash buckets and line positions; each doubles as needed. */
const INITIAL_SLOTS = 64;
/** `#keyLen` of a slot without a key: on the free list, or tracked for staleness only. */
const FREE = -1;
const UNCACHED = -2;
/** `#state` bits: the slot's series was tracked by the current / the previous scrape. */
const CUR = 1;
const PREV = 2;

/** Test seams; production code passes none. */
export interface ScrapeCacheOptions {
  /** Slots allocated up front (default 64). */
  readonly initialSlots?: number;
  /** Cap on hash buckets, a power of two: 1 puts every key in one chain (default: no cap). */
  readonly maxBuckets?: number;
}

/**
 * See the module comment. Not shared between targets.
 *
 * An entry is a slot index, valid until the `iterDone` that forgets it (a
 * flush sweeping entries the pass did not see); its slot is then reused.
 * Slot columns: `#keyOff`/`#keyLen` locate the key in the arena (`#keyLen`
 * is FREE or UNCACHED when there is none), `#ref` the storage ref (0:
 * unknown), `#lastIter` the last pass that saw the line, `#next` the next
 * slot of the hash chain or of the free list, `#state` the CUR/PREV
 * staleness bits, `#lset` the final labels (null: dropped by relabeling).
 */
export class ScrapeCache {
  /** The current parse pass; bumped by `begin()` before each non-empty body (wraps as an int32). */
  iter = 0;
  /** The key hash computed by the last `get` (reused by `add` on a miss). */
  lastHash = 0;
  #keyOff: Int32Array;
  #keyLen: Int32Array;
  /** Refs are Uint32: the head hands out refs in [1, 2^32) (see `tsdb/head/seriestable.ts`). */
  #ref: Uint32Array;
  #lastIter: Int32Array;
  #next: Int32Array;
  #state: Uint8Array;
  #lset: (Labels | null)[];
  /** Slots `[0, #slots)` have been handed out; `#free` heads the list of released ones (-1: none). */
  #slots = 0;
  #free = -1;
  /** Cached entries (kept and dropped; not UNCACHED ones). */
  #entries = 0;
  /** Entries marked seen in the current pass; when all are, a flush has nothing to drop. */
  #seen = 0;
  /** Chain heads by `hash & #mask` (-1: empty); doubled while entries outnumber them. */
  #buckets: Int32Array;
  #mask: number;
  readonly #maxBuckets: number;
  /** Series keys, back to back; `#arenaDead` bytes of it belong to forgotten entries. */
  #arena = new Uint8Array(ARENA_INITIAL);
  #arenaView = new DataView(this.#arena.buffer);
  #arenaUsed = 0;
  #arenaDead = 0;
  /** The body being parsed and a view of it, for key comparisons. */
  #body: Uint8Array | null = null;
  #bodyView: DataView<ArrayBufferLike> = EMPTY_VIEW;
  /** Slots by line position in the previous and the current pass, -1 for none (the sequential fast path). */
  #prevOrder: Int32Array;
  #prevOrderN = 0;
  #curOrder: Int32Array;
  #pos = 0;
  #successfulCount = 0;
  /** The target's TYPE, HELP and UNIT (also its `MetadataStore`). */
  readonly metadata = new MetadataCache();
  readonly #metrics: CacheMetrics;

  constructor(metrics: CacheMetrics, opts: ScrapeCacheOptions = {}) {
    this.#metrics = metrics;
    const n = Math.max(1, opts.initialSlots ?? INITIAL_SLOTS);
    this.#keyOff = new Int32Array(n);
    this.#keyLen = new Int32Array(n);
    this.#ref = new Uint32Array(n);
    this.#lastIter = new Int32Array(n);
    this.#next = new Int32Array(n);
    this.#state = new Uint8Array(n);
    this.#lset = new Array<Labels | null>(n).fill(null);
    this.#maxBuckets = opts.maxBuckets ?? 2 ** 30;
    const buckets = Math.min(INITIAL_SLOTS, this.#maxBuckets);
    this.#buckets = new Int32Array(buckets).fill(-1);
    this.#mask = buckets - 1;
    this.#prevOrder = new Int32Array(INITIAL_SLOTS);
    this.#curOrder = new Int32Array(INITIAL_SLOTS);
  }

  /** Starts a parse pass over a new body. */
  begin(): void {
    this.iter = (this.iter + 1) | 0;
    this.#seen = 0;
    this.metadata.begin(this.iter);
    const prev = this.#prevOrder;
    this.#prevOrder = this.#curOrder;
    this.#prevOrderN = this.#pos;
    this.#curOrder = prev;
    this.#pos = 0;
  }

  /** Number of cached series lines (kept and dropped). */
  get size(): number {
    return this.#entries;
  }

  /**
   * The entry (slot) for the series bytes `b[start, end)`, or -1. Does not
   * mark it seen: the caller calls `markSeen`, whose false means a second
   * sight in this pass (a duplicate).
   */
  get(b: Uint8Array, start: number, end: number): number {
    if (b !== this.#body) {
      this.#body = b;
      this.#bodyView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const len = end - start;
    const pos = this.#pos++;
    if (pos === this.#curOrder.length) this.#curOrder = grown(this.#curOrder, pos * 2);
    if (pos < this.#prevOrderN) {
      const g = this.#prevOrder[pos];
      if (g >= 0 && this.#keyLen[g] === len && this.#keyIs(g, start, len)) {
        this.#curOrder[pos] = g;
        return g;
      }
    }
    const h = hashBytes(b, start, end);
    this.lastHash = h;
    let i = this.#buckets[h & this.#mask];
    while (i >= 0 && !(this.#keyLen[i] === len && this.#keyIs(i, start, len))) i = this.#next[i];
    this.#curOrder[pos] = i;
    return i;
  }

  #keyIs(i: number, start: number, len: number): boolean {
    return bytesEqual(this.#arenaView, this.#keyOff[i], this.#bodyView, start, len);
  }

  /** Marks entry `i` seen by the current pass; false if it already was (a duplicate line). */
  markSeen(i: number): boolean {
    if (this.#lastIter[i] === this.iter) return false;
    this.#lastIter[i] = this.iter;
    this.#seen++;
    return true;
  }

  /** The final labels of entry `i`, or null when metric relabeling dropped the series. */
  lset(i: number): Labels | null {
    return this.#lset[i];
  }

  /** The storage ref of entry `i` (0: unknown). */
  ref(i: number): SeriesRef {
    return this.#ref[i];
  }

  /** Sets the storage ref of entry `i`; a ref outside [0, 2^32) is kept as 0 (look up by labels). */
  setRef(i: number, ref: SeriesRef): void {
    this.#ref[i] = ref === ref >>> 0 ? ref : 0;
  }

  /**
   * Caches the series bytes `b[start, end)` with their final labels (null:
   * dropped) and ref, marked seen; `hash` must be `lastHash` from the `get`
   * that missed. Returns the new entry.
   */
  add(b: Uint8Array, start: number, end: number, hash: number, lset: Labels | null, ref: SeriesRef): number {
    const off = this.#storeKey(b, start, end); // before #alloc: a compaction walks the slots
    const i = this.#alloc(lset);
    this.#keyOff[i] = off;
    this.#keyLen[i] = end - start;
    this.setRef(i, ref);
    this.#lastIter[i] = this.iter;
    const bucket = hash & this.#mask;
    this.#next[i] = this.#buckets[bucket];
    this.#buckets[bucket] = i;
    this.#curOrder[this.#pos - 1] = i;
    this.#entries++;
    this.#seen++;
    if (this.#entries > this.#buckets.length && this.#buckets.length < this.#maxBuckets) this.#rehash();
    return i;
  }

  /** Tracks a series whose append failed (it has no ref): it takes part in staleness only, never found by `get`. */
  trackUncached(lset: Labels): void {
    const i = this.#alloc(lset);
    this.#keyLen[i] = UNCACHED;
    this.#ref[i] = 0;
    this.#state[i] = CUR;
  }

  /** Records that the scrape in progress exposed entry `i` (for staleness). */
  track(i: number): void {
    this.#state[i] |= CUR;
  }

  /** A slot for a new entry, from the free list or the end (doubling the columns when full). */
  #alloc(lset: Labels | null): number {
    let i = this.#free;
    if (i >= 0) this.#free = this.#next[i];
    else {
      i = this.#slots++;
      if (i === this.#keyLen.length) this.#grow(i * 2);
    }
    this.#state[i] = 0;
    this.#lset[i] = lset;
    return i;
  }

  #release(i: number): void {
    this.#keyLen[i] = FREE;
    this.#lset[i] = null;
    this.#state[i] = 0;
    this.#next[i] = this.#free;
    this.#free = i;
  }

  #grow(n: number): void {
    this.#keyOff = grown(this.#keyOff, n);
    this.#keyLen = grown(this.#keyLen, n);
    this.#ref = grown(this.#ref, n);
    this.#lastIter = grown(this.#lastIter, n);
    this.#next = grown(this.#next, n);
    this.#state = grown(this.#state, n);
    const lset = new Array<Labels | null>(n).fill(null);
    for (let i = 0; i < this.#slots; i++) lset[i] = this.#lset[i];
    this.#lset = lset;
  }

  /** Doubles the buckets, rehashing the keys from the arena. */
  #rehash(): void {
    const buckets = new Int32Array(this.#buckets.length * 2).fill(-1);
    const mask = buckets.length - 1;
    for (let i = 0; i < this.#slots; i++) {
      const len = this.#keyLen[i];
      if (len < 0) continue;
      const off = this.#keyOff[i];
      const bucket = hashBytes(this.#arena, off, off + len) & mask;
      this.#next[i] = buckets[bucket];
      buckets[bucket] = i;
    }
    this.#buckets = buckets;
    this.#mask = mask;
  }

  /** Copies a key into the arena (growing it when full); returns its offset. */
  #storeKey(b: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (this.#arenaUsed + len > this.#arena.length) this.#resizeArena(len);
    const off = this.#arenaUsed;
    this.#arena.set(b.subarray(start, end), off);
    this.#arenaUsed += len;
    return off;
  }

  /** Moves the live keys into a fresh arena with room for `extra` more bytes. */
  #resizeArena(extra: number): void {
    const live = this.#arenaUsed - this.#arenaDead;
    let size = ARENA_INITIAL;
    while (size < (live + extra) * 1.5) size *= 2;
    const old = this.#arena;
    const next = new Uint8Array(size);
    let used = 0;
    for (let i = 0; i < this.#slots; i++) {
      const len = this.#keyLen[i];
      if (len < 0) continue;
      const off = this.#keyOff[i];
      next.set(old.subarray(off, off + len), used);
      this.#keyOff[i] = used;
      used += len;
    }
    this.#arena = next;
    this.#arenaView = new DataView(next.buffer);
    this.#arenaUsed = used;
    this.#arenaDead = 0;
  }

  /**
   * Forgets what a failed pass recorded, so the empty append that follows
   * marks every series of the previous scrape stale (upstream would spare
   * the series parsed before the failure).
   */
  abortPass(): void {
    const state = this.#state;
    for (let i = 0; i < this.#slots; i++) {
      if ((state[i] & CUR) === 0) continue;
      state[i] &= ~CUR;
      if (state[i] === 0 && this.#keyLen[i] === UNCACHED) this.#release(i);
    }
  }

  /** Calls `fn` with the labels of each series of the previous scrape that the current one lacks. */
  forEachStale(fn: (lset: Labels) => boolean): void {
    const state = this.#state;
    for (let i = 0; i < this.#slots; i++) {
      if (state[i] !== PREV) continue;
      const lset = this.#lset[i];
      if (lset !== null && !fn(lset)) return;
    }
  }

  /**
   * Ends a scrape: on success (`flush`), entries the last pass did not see
   * are forgotten (and metadata unseen for more than 10 passes); a failing
   * target whose cache grew past twice its last good size plus 1000 is
   * flushed too. The current series become the previous ones.
   */
  iterDone(flush: boolean): void {
    // The body's buffer goes back to the scrape loops' shared pool.
    this.#body = null;
    this.#bodyView = EMPTY_VIEW;
    const count = this.#entries + this.metadata.size;
    if (flush) this.#successfulCount = count;
    else if (count > this.#successfulCount * 2 + 1000) {
      flush = true;
      this.#metrics.cacheFlushForced.inc();
    }
    if (flush) this.#flush();
    const state = this.#state;
    for (let i = 0; i < this.#slots; i++) {
      const s = state[i];
      if (s === 0) continue;
      state[i] = (s & CUR) << 1; // CUR becomes PREV; PREV alone is dropped
      if (state[i] === 0 && this.#keyLen[i] === UNCACHED) this.#release(i);
    }
  }

  #flush(): void {
    const iter = this.iter;
    if (this.#seen !== this.#entries) this.#sweep(iter);
    if (this.#arenaDead > ARENA_INITIAL && this.#arenaDead * 2 > this.#arenaUsed) this.#resizeArena(0);
    this.metadata.prune();
  }

  /** Forgets the entries pass `iter` did not see; their slots go to the free list. */
  #sweep(iter: number): void {
    const buckets = this.#buckets;
    for (let b = 0; b < buckets.length; b++) {
      let kept = -1;
      for (let i = buckets[b]; i >= 0; ) {
        const next = this.#next[i];
        if (this.#lastIter[i] === iter) {
          this.#next[i] = kept;
          kept = i;
        } else {
          this.#entries--;
          this.#arenaDead += this.#keyLen[i];
          this.#release(i); // FREE: never matches again, even from an order list
        }
        i = next;
      }
      buckets[b] = kept;
    }
  }
}
