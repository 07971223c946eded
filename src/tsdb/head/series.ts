/**
 * One series in the head: its labels, its closed chunks and the open head
 * chunk (all bytes in the shared ChunkStore, referenced by numeric handles),
 * an out-of-order buffer, and what isolation needs to hide commits a reader
 * must not see.
 */
import type { Labels } from "../../model/labels/labels.ts";
import type { SampleBuf } from "../../storage/samplebuf.ts";

/** Samples per chunk the head aims for, as upstream's default. */
export const SAMPLES_PER_CHUNK = 120;

// A series' numeric state lives in pages of a SeriesStatePool rather than in
// fields: V8 boxes every double field in its own heap object, and six boxes per
// series were about half of the objects the garbage collector had to mark.
/** Doubles per series: the six fields below. */
const STRIDE = 6;
const PAGE_SERIES = 4096;
const HEAD_MIN_T = 0;
const MAX_T = 1;
const LAST_V = 2;
const NEXT_AT = 3;
const PENDING_MAX_T = 4;
const PENDING_LAST_V = 5;

/** Per-head store of the series' numeric state: fixed pages (never moved) and a free list of slots. */
export class SeriesStatePool {
  readonly pages: Float64Array[] = [];
  private readonly free: number[] = [];
  private used = 0;

  /** A slot initialised to an empty series' state. */
  alloc(): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot % PAGE_SERIES === 0) this.pages.push(new Float64Array(PAGE_SERIES * STRIDE));
    }
    const page = this.pages[Math.floor(slot / PAGE_SERIES)]!;
    initState(page, (slot % PAGE_SERIES) * STRIDE);
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  /** Slots in use. */
  get size(): number {
    return this.used - this.free.length;
  }
}

function initState(page: Float64Array, off: number): void {
  page[off + HEAD_MIN_T] = 0;
  page[off + MAX_T] = -Infinity;
  page[off + LAST_V] = 0;
  page[off + NEXT_AT] = Infinity;
  page[off + PENDING_MAX_T] = -Infinity;
  page[off + PENDING_LAST_V] = 0;
}

/**
 * The `chunks` of every series that has not closed one yet (frozen: `closeChunk`
 * gives a series its own array first). A new series' chunk stays open for its
 * first 120 samples, so most of a young head's series have none to hold.
 */
const NO_CHUNKS: number[] = Object.freeze([]) as unknown as number[];

/**
 * What few series need: out-of-order data, and isolation state while readers
 * are open. Kept apart so every other series pays one null field, not three.
 */
class MemSeriesRare {
  ooo: SampleBuf | null = null;
  oooChunks: number[] | null = null;
  iso: number[] | null = null;
}

const LOGGED = 1;
const DELETED = 2;

/**
 * A head series. Its shape is counted: 11 fields (112 B) per series, numeric
 * state in a SeriesStatePool, rarely-set fields in a MemSeriesRare.
 */
export class MemSeries {
  readonly ref: number;
  readonly labels: Labels;
  /** Closed chunks, flattened: handle, minT, maxT per chunk, oldest first. Add with `closeChunk`. */
  chunks: number[] = NO_CHUNKS;
  /** Id of `chunks[0]`; grows as old chunks are truncated so ids held by readers stay meaningful. */
  firstChunkId = 0;
  /** Open chunk handle, -1 when none. */
  head = -1;
  headCount = 0;
  /** The append batch that last touched pendingMaxT; pending fields are stale for any other. */
  pendingBatch = 0;
  /** LOGGED and DELETED bits: one Smi field where two booleans took two. */
  private flags = 0;
  /** Out-of-order and isolation state, made on first use: null for almost every series. */
  private rare: MemSeriesRare | null = null;
  /** Where the numeric state is: a pool page and offset, or a private copy once retired. */
  private page: Float64Array;
  private off: number;

  /** `pool` holds the numeric state; without one the series has its own (tests). */
  constructor(ref: number, labels: Labels, pool: SeriesStatePool | null = null) {
    this.ref = ref;
    this.labels = labels;
    if (pool !== null) {
      const slot = pool.alloc();
      this.page = pool.pages[Math.floor(slot / PAGE_SERIES)]!;
      this.off = (slot % PAGE_SERIES) * STRIDE;
    } else {
      this.page = new Float64Array(STRIDE);
      this.off = 0;
      initState(this.page, 0);
    }
  }

  /**
   * Called when the head drops the series, with the pool it was made from:
   * its state moves to a private copy (readers still holding the series see
   * its last values) and the pool slot is reused. The slot is found from the
   * page rather than kept in a field: a field costs every series 8 bytes.
   */
  retire(pool: SeriesStatePool): void {
    if (this.page.length === STRIDE) return; // a private page: never pooled, or retired already
    const p = pool.pages.indexOf(this.page);
    if (p < 0) throw new Error("MemSeries.retire: the series is not from this pool");
    const own = this.page.slice(this.off, this.off + STRIDE);
    pool.release(p * PAGE_SERIES + this.off / STRIDE);
    this.page = own;
    this.off = 0;
  }

  /** False until the series record is in the WAL. */
  get logged(): boolean {
    return (this.flags & LOGGED) !== 0;
  }
  set logged(v: boolean) {
    this.flags = v ? this.flags | LOGGED : this.flags & ~LOGGED;
  }
  /** Set when truncation removed the series; an appender holding it must look it up again. */
  get deleted(): boolean {
    return (this.flags & DELETED) !== 0;
  }
  set deleted(v: boolean) {
    this.flags = v ? this.flags | DELETED : this.flags & ~DELETED;
  }
  /** Out-of-order samples not yet in a chunk, sorted by time. */
  get ooo(): SampleBuf | null {
    const r = this.rare;
    return r === null ? null : r.ooo;
  }
  set ooo(v: SampleBuf | null) {
    this.setRare("ooo", v);
  }
  /** Sealed out-of-order chunks, flattened as `chunks`. */
  get oooChunks(): number[] | null {
    const r = this.rare;
    return r === null ? null : r.oooChunks;
  }
  set oooChunks(v: number[] | null) {
    this.setRare("oooChunks", v);
  }
  /**
   * Isolation: for commits newer than the oldest open reader, flattened pairs of
   * (append id, maxT before that commit). Null when no reader could need them.
   */
  get iso(): number[] | null {
    const r = this.rare;
    return r === null ? null : r.iso;
  }
  set iso(v: number[] | null) {
    this.setRare("iso", v);
  }

  /**
   * Sets one rare field, making the side object on the first non-null value
   * and letting it go once all its fields are null again (isolation state
   * comes and goes with readers).
   */
  private setRare<K extends keyof MemSeriesRare>(key: K, v: MemSeriesRare[K]): void {
    if (v !== null) {
      this.rare ??= new MemSeriesRare();
      this.rare[key] = v;
      return;
    }
    const r = this.rare;
    if (r === null) return;
    r[key] = v;
    if (r.ooo === null && r.oooChunks === null && r.iso === null) this.rare = null;
  }

  /** Min time of the open chunk. */
  get headMinT(): number {
    return this.page[this.off + HEAD_MIN_T]!;
  }
  set headMinT(v: number) {
    this.page[this.off + HEAD_MIN_T] = v;
  }
  /** Newest in-order timestamp and value (what the next in-order sample must follow). */
  get maxT(): number {
    return this.page[this.off + MAX_T]!;
  }
  set maxT(v: number) {
    this.page[this.off + MAX_T] = v;
  }
  get lastV(): number {
    return this.page[this.off + LAST_V]!;
  }
  set lastV(v: number) {
    this.page[this.off + LAST_V] = v;
  }
  /** When the open chunk is cut: the end of its 2h range, refined once it is a quarter full. */
  get nextAt(): number {
    return this.page[this.off + NEXT_AT]!;
  }
  set nextAt(v: number) {
    this.page[this.off + NEXT_AT] = v;
  }
  /** Newest timestamp of this series appended in the uncommitted batch (or maxT). */
  get pendingMaxT(): number {
    return this.page[this.off + PENDING_MAX_T]!;
  }
  set pendingMaxT(v: number) {
    this.page[this.off + PENDING_MAX_T] = v;
  }
  get pendingLastV(): number {
    return this.page[this.off + PENDING_LAST_V]!;
  }
  set pendingLastV(v: number) {
    this.page[this.off + PENDING_LAST_V] = v;
  }

  /** Appends a closed chunk to `chunks`. */
  closeChunk(handle: number, minT: number, maxT: number): void {
    if (this.chunks === NO_CHUNKS) this.chunks = [handle, minT, maxT];
    else this.chunks.push(handle, minT, maxT);
  }

  /** Oldest timestamp held in memory, Infinity when empty. */
  minTime(): number {
    let t = this.chunks.length > 0 ? this.chunks[1]! : this.head >= 0 ? this.headMinT : Infinity;
    if (this.oooChunks !== null && this.oooChunks.length > 0) {
      for (let i = 1; i < this.oooChunks.length; i += 3) t = Math.min(t, this.oooChunks[i]!);
    }
    if (this.ooo !== null && this.ooo.n > 0) t = Math.min(t, this.ooo.first());
    return t;
  }

  /** True when the series holds no samples at all. */
  empty(): boolean {
    return (
      this.chunks.length === 0 &&
      this.head < 0 &&
      (this.oooChunks === null || this.oooChunks.length === 0) &&
      (this.ooo === null || this.ooo.n === 0)
    );
  }

  /**
   * The newest timestamp a reader opened at append id `readId` may see:
   * commits after it are hidden by capping at the maxT before the first of them.
   */
  visibleMaxT(readId: number): number {
    const iso = this.iso;
    if (iso === null) return Infinity;
    for (let i = 0; i < iso.length; i += 2) if (iso[i]! > readId) return iso[i + 1]!;
    return Infinity;
  }

  /** Records that commit `appendId` is about to raise maxT, if any reader might be older. */
  noteCommit(appendId: number, lowWatermark: number): void {
    if (lowWatermark >= appendId) {
      this.iso = null;
      return;
    }
    let iso = this.iso;
    if (iso === null) iso = this.iso = [];
    else {
      let drop = 0;
      while (drop < iso.length && iso[drop]! <= lowWatermark) drop += 2;
      if (drop > 0) iso.splice(0, drop);
    }
    if (iso.length === 0 || iso[iso.length - 2] !== appendId) iso.push(appendId, this.maxT);
  }
}

/** End of the aligned range of width `rangeMs` that holds `t`. */
export function rangeEnd(t: number, rangeMs: number): number {
  return t - (((t % rangeMs) + rangeMs) % rangeMs) + rangeMs;
}

/**
 * Upstream's estimate of when to cut a chunk so that the rest of its range
 * fills chunks evenly: called when the chunk is a quarter full.
 */
export function computeChunkEndTime(start: number, cur: number, maxT: number, ratioToFull: number): number {
  const n = (maxT - start) / ((cur - start + 1) * ratioToFull);
  if (n <= 1) return maxT;
  return Math.trunc(start + (maxT - start) / Math.floor(n));
}
