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

export class MemSeries {
  readonly ref: number;
  readonly labels: Labels;
  /** Closed chunks, flattened: handle, minT, maxT per chunk, oldest first. */
  chunks: number[] = [];
  /** Id of `chunks[0]`; grows as old chunks are truncated so ids held by readers stay meaningful. */
  firstChunkId = 0;
  /** Open chunk handle, -1 when none. */
  head = -1;
  headMinT = 0;
  headCount = 0;
  /** Newest in-order timestamp and value (what the next in-order sample must follow). */
  maxT = -Infinity;
  lastV = 0;
  /** When the open chunk is cut: the end of its 2h range, refined once it is a quarter full. */
  nextAt = Infinity;
  /** Out-of-order samples not yet in a chunk, sorted by time. */
  ooo: SampleBuf | null = null;
  /** Sealed out-of-order chunks, flattened as `chunks`. */
  oooChunks: number[] | null = null;
  /** Newest timestamp of this series appended in the uncommitted batch (or maxT). */
  pendingMaxT = -Infinity;
  pendingLastV = 0;
  /** The append batch that last touched pendingMaxT; pending fields are stale for any other. */
  pendingBatch = 0;
  /** False until the series record is in the WAL. */
  logged = false;
  /** Set when truncation removed the series; an appender holding it must look it up again. */
  deleted = false;
  /**
   * Isolation: for commits newer than the oldest open reader, flattened pairs of
   * (append id, maxT before that commit). Null when no reader could need them.
   */
  iso: number[] | null = null;

  constructor(ref: number, labels: Labels) {
    this.ref = ref;
    this.labels = labels;
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
