/**
 * Sample iterators the queriers compose: over arrays, over a series' chunks
 * (trimmed to the query range, minus deleted intervals, merging chunks that
 * overlap), and chaining the same series from several blocks.
 */
import { type SampleIterator, type SampleRun, ValueType } from "../storage/interface.ts";
import { SampleBuf } from "../storage/samplebuf.ts";
import type { ChunkMeta, ChunkReader } from "./blockreader.ts";

/** Iterates parallel arrays of timestamps and values, sorted by time. */
export class ArrayIterator implements SampleIterator {
  private i = -1;
  private readonly ts: ArrayLike<number>;
  private readonly vs: ArrayLike<number>;
  private readonly n: number;

  constructor(ts: ArrayLike<number>, vs: ArrayLike<number>, n = ts.length) {
    this.ts = ts;
    this.vs = vs;
    this.n = n;
  }

  next(): ValueType {
    if (this.i < this.n) this.i++;
    return this.i < this.n ? ValueType.Float : ValueType.None;
  }

  seek(t: number): ValueType {
    if (this.i < 0) this.i = 0;
    while (this.i < this.n && this.ts[this.i]! < t) this.i++;
    return this.i < this.n ? ValueType.Float : ValueType.None;
  }

  atT(): number {
    return this.ts[this.i]!;
  }

  atV(): number {
    return this.vs[this.i]!;
  }

  err(): Error | null {
    return null;
  }
}

/** Reads every sample of `it` into `buf` (used where chunks overlap, which is rare). */
export function drain(it: SampleIterator, buf: SampleBuf): SampleBuf {
  while (it.next() !== ValueType.None) buf.push(it.atT(), it.atV());
  return buf;
}

/**
 * Merges sorted runs, keeping the first run's value where timestamps repeat,
 * as upstream's chained merge of overlapping chunks does.
 */
export function mergeRuns(runs: SampleBuf[]): SampleBuf {
  if (runs.length === 1) return runs[0]!;
  const idx = new Array<number>(runs.length).fill(0);
  const out = new SampleBuf();
  for (;;) {
    let best = -1;
    let bt = Infinity;
    for (let r = 0; r < runs.length; r++) {
      const i = idx[r]!;
      if (i < runs[r]!.n && runs[r]!.ts[i]! < bt) {
        bt = runs[r]!.ts[i]!;
        best = r;
      }
    }
    if (best < 0) break;
    out.push(bt, runs[best]!.vs[idx[best]!]!);
    for (let r = 0; r < runs.length; r++) if (idx[r]! < runs[r]!.n && runs[r]!.ts[idx[r]!] === bt) idx[r]!++;
  }
  return out;
}

/**
 * The samples of one series in `[mint, maxt]` from its chunk metas (sorted by
 * minT), skipping deleted intervals (flattened inclusive pairs).
 */
export class ChunkSeriesIterator implements SampleIterator {
  private readonly metas: ChunkMeta[];
  private readonly chunks: ChunkReader;
  private readonly mint: number;
  private readonly maxt: number;
  private readonly deleted: readonly number[] | undefined;
  private ci = -1;
  private cur: SampleIterator | null = null;
  private curMax = 0;
  private done = false;
  private error: Error | null = null;
  private reuse: SampleIterator | undefined;

  constructor(
    metas: ChunkMeta[],
    chunks: ChunkReader,
    mint: number,
    maxt: number,
    deleted: readonly number[] | undefined,
  ) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted !== undefined && deleted.length > 0 ? deleted : undefined;
    this.metas = overlapping(metas) ? mergeOverlapping(metas, chunks) : metas;
  }

  /** Takes over `prev`'s chunk iterator for reuse; `prev` must not be used afterwards. */
  adoptChunkIterator(prev: ChunkSeriesIterator): void {
    this.reuse = prev.reuse;
    prev.reuse = undefined;
  }

  private nextChunk(): boolean {
    for (;;) {
      this.ci++;
      if (this.ci >= this.metas.length) {
        this.done = true;
        this.cur = null;
        return false;
      }
      const m = this.metas[this.ci]!;
      if (m.maxT < this.mint) continue;
      if (m.minT > this.maxt) {
        this.done = true;
        this.cur = null;
        return false;
      }
      const it = m.ref < 0 ? mergedChunks.get(m) : this.chunks.iterator(m, this.reuse);
      if (it == null) continue; // Gone since the query started (truncated): skip, as upstream.
      if (m.ref >= 0) this.reuse = it;
      this.cur = it;
      this.curMax = Math.min(m.maxT, this.maxt);
      if (it.seek(this.mint) === ValueType.None) continue;
      if (it.atT() > this.curMax) continue;
      if (this.isDeleted(it.atT()) && !this.advanceInChunk()) continue;
      return true;
    }
  }

  private isDeleted(t: number): boolean {
    const d = this.deleted;
    if (d === undefined) return false;
    for (let i = 0; i < d.length; i += 2) if (t >= d[i]! && t <= d[i + 1]!) return true;
    return false;
  }

  /** Moves within the current chunk to the next visible sample. */
  private advanceInChunk(): boolean {
    const it = this.cur!;
    for (;;) {
      if (it.next() === ValueType.None) {
        const e = it.err();
        if (e !== null) this.error = e;
        return false;
      }
      const t = it.atT();
      if (t > this.curMax) return false;
      if (!this.isDeleted(t)) return true;
    }
  }

  next(): ValueType {
    if (this.done) return ValueType.None;
    if (this.cur !== null && this.advanceInChunk()) return ValueType.Float;
    if (this.error !== null) return ValueType.None;
    return this.nextChunk() ? ValueType.Float : ValueType.None;
  }

  seek(t: number): ValueType {
    if (this.done) return ValueType.None;
    if (this.cur !== null && this.cur.atT() >= t) return ValueType.Float;
    // Skip whole chunks that end before t.
    while (this.cur === null || this.curMax < t) {
      if (!this.nextChunk()) return ValueType.None;
      if (this.cur!.atT() >= t) return ValueType.Float;
    }
    const it = this.cur!;
    if (it.seek(t) !== ValueType.None && it.atT() <= this.curMax) {
      if (!this.isDeleted(it.atT()) || this.advanceInChunk()) return ValueType.Float;
    }
    return this.next();
  }

  /**
   * Bulk read of a fresh iterator: each chunk's samples in range are copied
   * at once. Deleted intervals and merged overlapping chunks take the
   * sample-at-a-time path.
   */
  readRange(mint: number, maxt: number, out: SampleRun): void {
    const lo = Math.max(mint, this.mint);
    const hi = Math.min(maxt, this.maxt);
    if (this.deleted !== undefined || this.ci !== -1) {
      appendEach(this, lo, hi, out);
      this.done = true;
      return;
    }
    for (const m of this.metas) {
      if (m.maxT < lo) continue;
      if (m.minT > hi) break;
      const it = m.ref < 0 ? mergedChunks.get(m) : this.chunks.iterator(m, this.reuse);
      if (it == null) continue; // Gone since the query started (truncated): skip, as upstream.
      if (m.ref >= 0) this.reuse = it;
      if (it.readRange !== undefined) it.readRange(lo, hi, out);
      else appendEach(it, lo, hi, out);
      const e = it.err();
      if (e !== null) {
        this.error = e;
        break;
      }
    }
    this.ci = this.metas.length;
    this.done = true;
    this.cur = null;
  }

  atT(): number {
    return this.cur!.atT();
  }

  atV(): number {
    return this.cur!.atV();
  }

  err(): Error | null {
    return this.error;
  }
}

function overlapping(metas: ChunkMeta[]): boolean {
  for (let i = 1; i < metas.length; i++) if (metas[i]!.minT <= metas[i - 1]!.maxT) return true;
  return false;
}

// Merged runs of overlapping chunks, keyed by the synthetic meta standing for them.
const mergedChunks = new WeakMap<ChunkMeta, SampleIterator>();
/** One-sample scratch arrays for appending single samples to a run (typed arrays keep NaN payloads). */
const ONE_T = new Float64Array(1);
const ONE_V = new Float64Array(1);

/** Appends the samples of `it` in `[lo, hi]` to `out`, one at a time. */
function appendEach(it: SampleIterator, lo: number, hi: number, out: SampleRun): void {
  for (let typ = it.seek(lo); typ !== ValueType.None && it.atT() <= hi; typ = it.next()) {
    ONE_T[0] = it.atT();
    ONE_V[0] = it.atV();
    out.append(ONE_T, ONE_V, 0, 1);
  }
}

/** Replaces groups of overlapping chunks by one synthetic meta (ref -1) over their merged samples. */
function mergeOverlapping(metas: ChunkMeta[], chunks: ChunkReader): ChunkMeta[] {
  const sorted = [...metas].sort((a, b) => a.minT - b.minT || a.maxT - b.maxT);
  const out: ChunkMeta[] = [];
  let group: ChunkMeta[] = [];
  let groupMax = -Infinity;
  const flush = (): void => {
    if (group.length === 1) out.push(group[0]!);
    else if (group.length > 1) {
      const runs = group.map((m) => {
        const it = chunks.iterator(m);
        return it !== null ? drain(it, new SampleBuf()) : new SampleBuf();
      });
      const merged = mergeRuns(runs);
      const meta: ChunkMeta = { ref: -1, minT: group[0]!.minT, maxT: groupMax };
      mergedChunks.set(meta, new ArrayIterator(merged.ts, merged.vs, merged.n));
      out.push(meta);
    }
    group = [];
    groupMax = -Infinity;
  };
  for (const m of sorted) {
    if (m.minT > groupMax) flush();
    group.push(m);
    if (m.maxT > groupMax) groupMax = m.maxT;
  }
  flush();
  return out;
}

/**
 * One series' samples from several sources (blocks, head), each sorted by
 * time; where they overlap, each timestamp once (the first source wins).
 */
export class ChainIterator implements SampleIterator {
  private readonly its: SampleIterator[];
  private readonly state: ValueType[];
  private curIdx = -1;
  private started = false;

  constructor(its: SampleIterator[]) {
    this.its = its;
    this.state = its.map(() => ValueType.None);
  }

  private pick(): ValueType {
    let best = -1;
    let bt = Infinity;
    for (let i = 0; i < this.its.length; i++) {
      if (this.state[i] === ValueType.None) continue;
      const t = this.its[i]!.atT();
      if (t < bt) {
        bt = t;
        best = i;
      }
    }
    this.curIdx = best;
    return best < 0 ? ValueType.None : ValueType.Float;
  }

  next(): ValueType {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.its.length; i++) this.state[i] = this.its[i]!.next();
      return this.pick();
    }
    if (this.curIdx < 0) return ValueType.None;
    const t = this.its[this.curIdx]!.atT();
    for (let i = 0; i < this.its.length; i++) {
      if (this.state[i] !== ValueType.None && this.its[i]!.atT() === t) this.state[i] = this.its[i]!.next();
    }
    return this.pick();
  }

  seek(t: number): ValueType {
    const first = !this.started;
    this.started = true;
    for (let i = 0; i < this.its.length; i++) {
      const it = this.its[i]!;
      if (first || (this.state[i] !== ValueType.None && it.atT() < t)) this.state[i] = it.seek(t);
    }
    return this.pick();
  }

  atT(): number {
    return this.its[this.curIdx]!.atT();
  }

  atV(): number {
    return this.its[this.curIdx]!.atV();
  }

  err(): Error | null {
    for (const it of this.its) {
      const e = it.err();
      if (e !== null) return e;
    }
    return null;
  }
}
