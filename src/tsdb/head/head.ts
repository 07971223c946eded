/**
 * The head block: the newest samples, in memory, appendable. Series are
 * found by label hash, indexed by an in-memory inverted index, and keep their
 * samples as XOR chunks in a shared slab-backed ChunkStore. The WAL (when
 * given) makes every commit durable before it becomes visible.
 */
import type { Labels } from "../../model/labels/labels.ts";
import {
  errDuplicateSampleForTimestamp,
  errOutOfBounds,
  errOutOfOrderSample,
  errTooOldSample,
} from "../../storage/errors.ts";
import { SampleBuf } from "../../storage/samplebuf.ts";
import { ChunkStore } from "../chunkenc/store.ts";
import { MemPostings } from "../index/postings.ts";
import { MemTombstones } from "../tombstones/tombstones.ts";
import { type BatchBuffers, HeadAppender } from "./appender.ts";
import { HashIndex } from "./hashindex.ts";
import { Isolation } from "./isolation.ts";
import { computeChunkEndTime, MemSeries, rangeEnd, SAMPLES_PER_CHUNK, SeriesStatePool } from "./series.ts";
import { SeriesTable } from "./seriestable.ts";

/** Where committed batches go before they are applied: the WAL, or nothing. */
export interface WalLog {
  log(...records: Uint8Array[]): void;
}

export interface HeadOptions {
  /** Width of a head chunk range and of the first compaction level, ms (2h). */
  chunkRange: number;
  /** How far behind the newest sample an out-of-order sample is still accepted, ms; 0 disables. */
  oooTimeWindow: number;
  /** Out-of-order samples buffered per series before they are sealed into a chunk. */
  oooCapMax: number;
}

export const defaultHeadOptions: HeadOptions = {
  chunkRange: 2 * 3600 * 1000,
  oooTimeWindow: 0,
  oooCapMax: 32,
};

export class Head {
  readonly opts: HeadOptions;
  readonly store = new ChunkStore();
  readonly postings = new MemPostings();
  readonly iso = new Isolation();
  readonly tombstones = new MemTombstones();
  readonly series = new SeriesTable<MemSeries>();
  /** Numeric state of the series (see SeriesStatePool). */
  readonly statePool = new SeriesStatePool();
  /** Series refs by label hash (typed arrays, off the V8 heap), resolved through `series`. */
  private readonly byHash = new HashIndex<MemSeries>(this.series);
  private lastRef = 0;
  wal: WalLog | null = null;
  /** Oldest and newest sample timestamps held (Infinity / -Infinity when empty). */
  minT = Infinity;
  maxT = -Infinity;
  /** Samples before this belong to persisted blocks: appending there is out of bounds. */
  minValidTime = -Infinity;
  /** Append batches started, for the per-series pending state. */
  batches = 0;
  /** Batch arrays of finished appenders, reused by the next ones (see `BatchBuffers`). */
  readonly batchBuffers: BatchBuffers[] = [];
  /** Counters exposed as prometheus_tsdb_head_* metrics. */
  readonly stats = {
    samplesAppended: 0,
    oooSamplesAppended: 0,
    outOfOrder: 0,
    outOfBounds: 0,
    tooOld: 0,
    seriesCreated: 0,
    seriesRemoved: 0,
    chunksCreated: 0,
    chunksRemoved: 0,
  };

  constructor(opts: Partial<HeadOptions> = {}) {
    this.opts = { ...defaultHeadOptions, ...opts };
  }

  appender(): HeadAppender {
    return new HeadAppender(this);
  }

  numSeries(): number {
    return this.series.size;
  }

  /** Chunks held (open, closed and sealed out-of-order ones), as `prometheus_tsdb_head_chunks`. */
  numChunks(): number {
    return this.stats.chunksCreated - this.stats.chunksRemoved;
  }

  /** The series with exactly these labels, if the head has it. */
  getByLabels(labels: Labels): MemSeries | undefined {
    return this.byHash.get(labels.hash(), labels);
  }

  /** Finds or creates the series; `ref` is the id to give it when created (WAL replay). */
  getOrCreate(labels: Labels, ref = 0): MemSeries {
    const found = this.getByLabels(labels);
    if (found !== undefined) return found;
    if (ref === 0) ref = ++this.lastRef;
    else if (ref > this.lastRef) this.lastRef = ref;
    const s = new MemSeries(ref, labels, this.statePool);
    this.series.set(ref, s);
    this.byHash.add(labels.hash(), ref);
    this.postings.add(ref, labels);
    this.stats.seriesCreated++;
    return s;
  }

  /**
   * Whether `t` can be appended to a series given what the batch already holds:
   * INORDER, OOO, SKIP (same timestamp and value again), or throws
   * upstream's error. Mirrors memSeries.appendable.
   */
  appendable(t: number, v: number, pendingMaxT: number, pendingLastV: number): 0 | 1 | 2 {
    const minValid = this.appendableMinValidTime();
    if (t >= minValid) {
      if (t > pendingMaxT) return INORDER;
      if (t === pendingMaxT) {
        if (!sameBits(v, pendingLastV)) throw errDuplicateSampleForTimestamp();
        return SKIP;
      }
    }
    const window = this.opts.oooTimeWindow;
    if (window > 0) {
      if (t >= Math.max(this.maxT, pendingMaxT) - window) return OOO;
      this.stats.tooOld++;
      throw errTooOldSample();
    }
    if (t < minValid) {
      this.stats.outOfBounds++;
      throw errOutOfBounds();
    }
    this.stats.outOfOrder++;
    throw errOutOfOrderSample();
  }

  /** The oldest time an in-order sample may have: keeps appends out of the range being compacted. */
  appendableMinValidTime(): number {
    return Math.max(this.minValidTime, this.maxT - this.opts.chunkRange / 2);
  }

  /** Appends a sample known to be newer than the series' maxT. */
  appendInOrder(s: MemSeries, t: number, v: number): void {
    const store = this.store;
    if (s.head < 0) this.openHeadChunk(s, t);
    else {
      const n = s.headCount;
      if (n === SAMPLES_PER_CHUNK / 4) s.nextAt = computeChunkEndTime(s.headMinT, s.maxT, s.nextAt, 4);
      if (t >= s.nextAt || n >= SAMPLES_PER_CHUNK * 2) {
        s.closeChunk(store.seal(s.head), s.headMinT, s.maxT);
        this.openHeadChunk(s, t);
      }
    }
    s.head = store.append(s.head, t, v);
    s.headCount++;
    s.maxT = t;
    s.lastV = v;
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.stats.samplesAppended++;
  }

  private openHeadChunk(s: MemSeries, t: number): void {
    // Size the slot like the series' previous chunk: steady series then never grow in steps.
    const prev = s.chunks.length > 0 ? ChunkStore.sealedLength(s.chunks[s.chunks.length - 3]!) : 0;
    s.head = this.store.open(prev);
    s.headMinT = t;
    s.headCount = 0;
    s.nextAt = rangeEnd(t, this.opts.chunkRange);
    this.stats.chunksCreated++;
  }

  /** Inserts an out-of-order sample into the series' buffer, sealing it into a chunk when full. */
  appendOOO(s: MemSeries, t: number, v: number): boolean {
    s.ooo ??= new SampleBuf(this.opts.oooCapMax);
    if (!s.ooo.insertSorted(t, v)) return false;
    if (s.ooo.n >= this.opts.oooCapMax) this.sealOOO(s);
    if (t < this.minT) this.minT = t;
    this.stats.oooSamplesAppended++;
    return true;
  }

  private sealOOO(s: MemSeries): void {
    const buf = s.ooo!;
    let h = this.store.open();
    for (let i = 0; i < buf.n; i++) h = this.store.append(h, buf.ts[i]!, buf.vs[i]!);
    h = this.store.seal(h);
    s.oooChunks ??= [];
    s.oooChunks.push(h, buf.first(), buf.last());
    buf.clear();
    this.stats.chunksCreated++;
  }

  /**
   * Drops every sample before `mint` (they are in blocks now): frees chunks,
   * removes series left empty. Samples in a chunk that straddles `mint` stay
   * until the whole chunk is older.
   */
  truncate(mint: number): { seriesRemoved: number; chunksRemoved: number } {
    let seriesRemoved = 0;
    let chunksRemoved = 0;
    const removed: number[] = [];
    for (const s of this.series.values()) {
      chunksRemoved += this.truncateSeries(s, mint);
      if (s.empty()) {
        removed.push(s.ref);
        this.deleteSeries(s);
      }
    }
    seriesRemoved = removed.length;
    if (removed.length > 0) {
      this.postings.delete(new Set(removed));
      this.tombstones.deleteTombstones(removed);
    }
    this.tombstones.truncateBefore(mint);
    if (mint > this.minValidTime) this.minValidTime = mint;
    this.recomputeMinT();
    // In-order data before mint is persisted: the head's range starts at mint even
    // where a chunk still holds older samples (out-of-order data is tracked apart).
    if (this.minT < mint && this.minT !== Infinity) this.minT = mint;
    this.stats.seriesRemoved += seriesRemoved;
    this.stats.chunksRemoved += chunksRemoved;
    return { seriesRemoved, chunksRemoved };
  }

  private truncateSeries(s: MemSeries, mint: number): number {
    let removed = 0;
    const c = s.chunks;
    let drop = 0;
    while (drop < c.length && c[drop + 2]! < mint) {
      this.store.free(c[drop]!);
      drop += 3;
    }
    if (drop > 0) {
      c.splice(0, drop);
      s.firstChunkId += drop / 3;
      removed += drop / 3;
    }
    if (s.head >= 0 && s.maxT < mint) {
      this.store.free(s.head);
      s.head = -1;
      s.headCount = 0;
      s.firstChunkId++;
      removed++;
    }
    const o = s.oooChunks;
    if (o !== null) {
      for (let i = 0; i < o.length; ) {
        if (o[i + 2]! < mint) {
          this.store.free(o[i]!);
          o.splice(i, 3);
          removed++;
        } else i += 3;
      }
    }
    if (s.ooo !== null) {
      let n = 0;
      while (n < s.ooo.n && s.ooo.ts[n]! < mint) n++;
      s.ooo.shift(n);
    }
    return removed;
  }

  private deleteSeries(s: MemSeries): void {
    s.deleted = true;
    s.retire(this.statePool);
    this.series.delete(s.ref);
    this.byHash.delete(s.labels.hash(), s.ref);
  }

  private recomputeMinT(): void {
    let min = Infinity;
    for (const s of this.series.values()) {
      const t = s.minTime();
      if (t < min) min = t;
    }
    this.minT = min;
  }

  /** Oldest out-of-order sample still held, Infinity when none. */
  oooMinTime(): number {
    let min = Infinity;
    for (const s of this.series.values()) {
      if (s.ooo !== null && s.ooo.n > 0 && s.ooo.first() < min) min = s.ooo.first();
      const o = s.oooChunks;
      if (o !== null) for (let i = 1; i < o.length; i += 3) if (o[i]! < min) min = o[i]!;
    }
    return min;
  }

  /** Frees every chunk; the head is unusable afterwards. */
  close(): void {
    this.series.clear();
    this.byHash.clear();
  }
}

export const INORDER = 0;
export const OOO = 1;
export const SKIP = 2;

const F64 = new Float64Array(2);
const U32 = new Uint32Array(F64.buffer);

/** Bitwise float equality: NaN payloads (the stale marker) count, -0 differs from 0. */
export function sameBits(a: number, b: number): boolean {
  F64[0] = a;
  F64[1] = b;
  return U32[0] === U32[2] && U32[1] === U32[3];
}
