/**
 * The head seen as a block over a time range, at one isolation point: the
 * index and chunk readers the generic querier and the compactor use.
 */
import { Labels } from "../../model/labels/labels.ts";
import type { SampleIterator } from "../../storage/interface.ts";
import type {
  BlockReader,
  ChunkData,
  ChunkMeta,
  ChunkReader,
  IndexReader,
  SeriesEntry,
  TombstoneReader,
} from "../blockreader.ts";
import { Encoding, encodeXOR, type XORIterator } from "../chunkenc/xor.ts";
import { merge } from "../index/postings.ts";
import { ArrayIterator } from "../iterators.ts";
import type { Head } from "./head.ts";
import type { MemSeries } from "./series.ts";

// Chunk refs: series ref * 2^21 + chunk id. In-order chunk ids count from the
// series' first chunk ever; out-of-order ones are indexes with bit 20 set.
const SERIES_SHIFT = 2 ** 21;
const OOO_BIT = 2 ** 20;

export function headChunkRef(series: number, id: number): number {
  return series * SERIES_SHIFT + id;
}

export class RangeHead implements BlockReader {
  readonly head: Head;
  readonly minTime: number;
  readonly maxTime: number;
  /** Isolation point: commits after it stay invisible. Infinity reads everything (compaction). */
  readonly readId: number;
  readonly includeOOO: boolean;

  constructor(head: Head, mint: number, maxt: number, readId = Infinity, includeOOO = true) {
    this.head = head;
    this.minTime = mint;
    this.maxTime = maxt;
    this.readId = readId;
    this.includeOOO = includeOOO;
  }

  index(): IndexReader {
    return new HeadIndexReader(this);
  }

  chunks(): ChunkReader {
    return new HeadChunkReader(this.head);
  }

  tombstones(): TombstoneReader {
    return this.head.tombstones;
  }
}

class HeadIndexReader implements IndexReader {
  private readonly r: RangeHead;
  constructor(r: RangeHead) {
    this.r = r;
  }

  postings(name: string, values: readonly string[]): Uint32Array {
    const p = this.r.head.postings;
    if (values.length === 1) return p.get(name, values[0]!);
    return merge(values.map((v) => p.get(name, v)));
  }

  allPostings(): Uint32Array {
    return this.r.head.postings.all();
  }

  sortedPostings(p: Uint32Array): Uint32Array {
    const series = this.r.head.series;
    const refs = Array.from(p).filter((ref) => series.has(ref));
    refs.sort((a, b) => Labels.compare(series.get(a)!.labels, series.get(b)!.labels));
    return Uint32Array.from(refs);
  }

  labelValues(name: string): string[] {
    return this.r.head.postings.labelValues(name);
  }

  labelNames(): string[] {
    return this.r.head.postings.labelNames().filter((n) => n !== "");
  }

  series(ref: number, out: SeriesEntry): boolean {
    const s = this.r.head.series.get(ref);
    if (s === undefined) return false;
    out.labels = s.labels;
    out.chunks = seriesChunks(s, this.r);
    return true;
  }
}

/** The series' chunks overlapping the range, capped at what the reader may see. */
function seriesChunks(s: MemSeries, r: RangeHead): ChunkMeta[] {
  const out: ChunkMeta[] = [];
  const mint = r.minTime;
  const maxt = r.maxTime;
  const visible = r.readId === Infinity ? Infinity : s.visibleMaxT(r.readId);
  const c = s.chunks;
  for (let i = 0; i < c.length; i += 3) {
    const min = c[i + 1]!;
    const max = Math.min(c[i + 2]!, visible);
    if (max < min || max < mint || min > maxt) continue;
    out.push({ ref: headChunkRef(s.ref, s.firstChunkId + i / 3), minT: min, maxT: max });
  }
  if (s.head >= 0) {
    const max = Math.min(s.maxT, visible);
    if (max >= s.headMinT && max >= mint && s.headMinT <= maxt) {
      out.push({ ref: headChunkRef(s.ref, s.firstChunkId + c.length / 3), minT: s.headMinT, maxT: max });
    }
  }
  if (r.includeOOO) {
    const o = s.oooChunks;
    let n = 0;
    if (o !== null) {
      for (let i = 0; i < o.length; i += 3, n++) {
        if (o[i + 2]! < mint || o[i + 1]! > maxt) continue;
        out.push({ ref: headChunkRef(s.ref, OOO_BIT + n), minT: o[i + 1]!, maxT: o[i + 2]! });
      }
    }
    const buf = s.ooo;
    if (buf !== null && buf.n > 0 && buf.last() >= mint && buf.first() <= maxt) {
      out.push({ ref: headChunkRef(s.ref, OOO_BIT + n), minT: buf.first(), maxT: buf.last() });
    }
    if (o !== null || buf !== null) out.sort((a, b) => a.minT - b.minT);
  }
  return out;
}

class HeadChunkReader implements ChunkReader {
  private readonly head: Head;
  constructor(head: Head) {
    this.head = head;
  }

  /** The store handle of the chunk, -1 for the unsealed out-of-order buffer, undefined when gone. */
  private locate(meta: ChunkMeta): { s: MemSeries; handle: number } | undefined {
    const sref = Math.floor(meta.ref / SERIES_SHIFT);
    const id = meta.ref - sref * SERIES_SHIFT;
    const s = this.head.series.get(sref);
    if (s === undefined) return undefined;
    if (id >= OOO_BIT) {
      const n = id - OOO_BIT;
      const o = s.oooChunks;
      const sealed = o === null ? 0 : o.length / 3;
      if (n < sealed) return { s, handle: o![n * 3]! };
      return n === sealed && s.ooo !== null && s.ooo.n > 0 ? { s, handle: -1 } : undefined;
    }
    const idx = id - s.firstChunkId;
    const closed = s.chunks.length / 3;
    if (idx < 0 || idx > closed) return undefined;
    if (idx < closed) return { s, handle: s.chunks[idx * 3]! };
    return s.head >= 0 ? { s, handle: s.head } : undefined;
  }

  chunk(meta: ChunkMeta): ChunkData | null {
    const at = this.locate(meta);
    if (at === undefined) return null;
    if (at.handle === -1) {
      const b = at.s.ooo!;
      return { encoding: Encoding.XOR, data: encodeXOR(b.ts.subarray(0, b.n), b.vs.subarray(0, b.n)) };
    }
    return { encoding: Encoding.XOR, data: this.head.store.bytes(at.handle) };
  }

  iterator(meta: ChunkMeta, reuse?: SampleIterator): SampleIterator | null {
    const at = this.locate(meta);
    if (at === undefined) return null;
    if (at.handle === -1) {
      const b = at.s.ooo!.snapshot();
      return new ArrayIterator(b.ts, b.vs, b.n);
    }
    return this.head.store.iterator(at.handle, reuse as XORIterator | undefined);
  }
}
