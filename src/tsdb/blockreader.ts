/**
 * What a querier or the compactor reads from: the head and every persisted
 * block present the same three readers, as upstream's `BlockReader`. Series
 * references are block-local: head series ids, or index offsets / 16.
 */
import type { Labels } from "../model/labels/labels.ts";
import type { SampleIterator } from "../storage/interface.ts";

/** One chunk of one series: `[minT, maxT]` inclusive, `ref` meaningful to the block's ChunkReader. */
export interface ChunkMeta {
  ref: number;
  minT: number;
  maxT: number;
}

export interface SeriesEntry {
  labels: Labels;
  chunks: ChunkMeta[];
}

export interface IndexReader {
  /** Sorted ids of the series having `name` set to any of `values`. */
  postings(name: string, values: readonly string[]): Uint32Array;
  /** Sorted ids of every series. */
  allPostings(): Uint32Array;
  /** The same ids ordered by the series' labels (identity for block indexes, already in that order). */
  sortedPostings(p: Uint32Array): Uint32Array;
  /** Sorted distinct values of `name`. */
  labelValues(name: string): string[];
  /** Sorted distinct label names. */
  labelNames(): string[];
  /**
   * Fills `out` with the series' labels and chunk metas (only those
   * overlapping `[mint, maxt]`, when given); false when the series is gone.
   */
  series(ref: number, out: SeriesEntry, skipLabels?: boolean, mint?: number, maxt?: number): boolean;
}

export interface ChunkData {
  encoding: number;
  data: Uint8Array;
}

export interface ChunkReader {
  /** The chunk's encoded bytes (a view valid until the next call), or null when it is gone. */
  chunk(meta: ChunkMeta): ChunkData | null;
  /** An iterator over the chunk's samples, or null when the chunk is gone. */
  iterator(meta: ChunkMeta, reuse?: SampleIterator): SampleIterator | null;
}

/** Deleted time ranges of a series, as sorted disjoint inclusive [mint, maxt] pairs flattened. */
export interface TombstoneReader {
  get(ref: number): readonly number[] | undefined;
  total(): number;
}

export interface BlockReader {
  readonly minTime: number;
  /** Exclusive upper bound, as in a block's meta.json. */
  readonly maxTime: number;
  index(): IndexReader;
  chunks(): ChunkReader;
  tombstones(): TombstoneReader;
}

export const noTombstones: TombstoneReader = { get: () => undefined, total: () => 0 };
