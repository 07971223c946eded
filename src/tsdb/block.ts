/**
 * A persisted block: `meta.json`, `index`, `chunks/`, `tombstones` in one
 * ULID-named directory, as Prometheus writes them. Opened read-only; deletion
 * rewrites only the tombstones file.
 */
import { join } from "node:path";
import type { Labels } from "../model/labels/labels.ts";
import type { Matcher } from "../model/labels/matcher.ts";
import type { SampleIterator } from "../storage/interface.ts";
import type { BlockReader, ChunkData, ChunkMeta, ChunkReader, TombstoneReader } from "./blockreader.ts";
import { ChunkReader as SegmentReader } from "./chunks/reader.ts";
import { dirSize } from "./db.ts";
import { IndexReader } from "./index/reader.ts";
import { type BlockMeta, readMeta, writeMeta } from "./meta.ts";
import { postingsForMatchers } from "./querier.ts";
import { readTombstones, writeTombstoneFile } from "./tombstones/file.ts";
import type { MemTombstones } from "./tombstones/tombstones.ts";

export class Block implements BlockReader {
  readonly dir: string;
  meta: BlockMeta;
  private readonly ix: IndexReader;
  private readonly cr: SegmentReader;
  private stones: MemTombstones;
  private readonly chunkReader: ChunkReader;
  private sizeBytes: number;
  /** Open queriers reading this block. */
  readers = 0;
  /** Called when the last reader releases a block that was retired meanwhile. */
  onRelease: (() => void) | null = null;

  private constructor(
    dir: string,
    meta: BlockMeta,
    ix: IndexReader,
    cr: SegmentReader,
    stones: MemTombstones,
  ) {
    this.dir = dir;
    this.meta = meta;
    this.ix = ix;
    this.cr = cr;
    this.stones = stones;
    this.sizeBytes = dirSize(dir);
    this.chunkReader = {
      chunk: (m: ChunkMeta): ChunkData | null => cr.chunk(m.ref),
      iterator: (m: ChunkMeta, reuse?: SampleIterator): SampleIterator | null => cr.iterator(m.ref, reuse),
    };
  }

  static open(dir: string): Block {
    const meta = readMeta(dir);
    const ix = IndexReader.open(join(dir, "index"));
    let cr: SegmentReader;
    try {
      cr = SegmentReader.open(join(dir, "chunks"));
    } catch (e) {
      ix.close();
      throw e;
    }
    return new Block(dir, meta, ix, cr, readTombstones(dir));
  }

  get minTime(): number {
    return this.meta.minTime;
  }

  get maxTime(): number {
    return this.meta.maxTime;
  }

  index(): IndexReader {
    return this.ix;
  }

  chunks(): ChunkReader {
    return this.chunkReader;
  }

  tombstones(): TombstoneReader {
    return this.stones;
  }

  size(): number {
    return this.sizeBytes;
  }

  release(): void {
    this.readers--;
    if (this.readers === 0 && this.onRelease !== null) this.onRelease();
  }

  /** Adds tombstones for matching series over `[mint, maxt]` and persists them. */
  delete(mint: number, maxt: number, matchers: readonly Matcher[]): number {
    const refs = postingsForMatchers(this.ix, matchers);
    if (refs.length === 0) return 0;
    for (const ref of refs) this.stones.addInterval(ref, mint, maxt);
    writeTombstoneFile(this.dir, this.stones);
    this.meta.stats.numTombstones = this.stones.total();
    writeMeta(this.dir, this.meta);
    this.sizeBytes = dirSize(this.dir);
    return refs.length;
  }

  /** Labels of every series, for tools. */
  *series(): Generator<{ ref: number; labels: Labels; chunks: ChunkMeta[] }> {
    for (const ref of this.ix.allPostings()) {
      const out: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
      if (this.ix.series(ref, out)) yield { ref, labels: out.labels!, chunks: out.chunks };
    }
  }

  close(): void {
    this.ix.close();
    this.cr.close();
  }
}
