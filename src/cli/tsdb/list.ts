/** `vigil tsdb list`: the blocks of a database as promtool's table. */
import type { BlockMeta } from "../../tsdb/meta.ts";
import { formatBase2Bytes, formatDuration, formatGoTimeUTC, tabulate } from "./format.ts";
import { ReadOnlyDB } from "./readonly.ts";

/** What a row of the table shows. */
export interface BlockRow {
  readonly meta: BlockMeta;
  /** Bytes on disk. */
  readonly size: number;
}

const HEADER = [
  "BLOCK ULID",
  "MIN TIME",
  "MAX TIME",
  "DURATION",
  "NUM SAMPLES",
  "NUM CHUNKS",
  "NUM SERIES",
  "SIZE",
];

/** Upstream's tabwriter settings for the block table: minimum width 13, padding 2. */
const MIN_WIDTH = 13;
const PADDING = 2;

/**
 * The block table, laid out as one tabwriter flush: columns as wide as their
 * widest cell among `rows` (and the header, when asked for).
 */
export function formatBlocks(rows: readonly BlockRow[], header: boolean, humanReadable: boolean): string {
  const cells: string[][] = header ? [HEADER] : [];
  for (const { meta, size } of rows) {
    cells.push([
      meta.ulid,
      formatTime(meta.minTime, humanReadable),
      formatTime(meta.maxTime, humanReadable),
      formatDuration(meta.maxTime - meta.minTime),
      String(meta.stats.numSamples),
      String(meta.stats.numChunks),
      String(meta.stats.numSeries),
      humanReadable ? formatBase2Bytes(size) : String(size),
    ]);
  }
  return tabulate(cells, MIN_WIDTH, PADDING);
}

function formatTime(ms: number, humanReadable: boolean): string {
  return humanReadable ? formatGoTimeUTC(ms) : String(ms);
}

/** The table for the database in `dir`. */
export function listBlocks(dir: string, humanReadable: boolean): string {
  const db = ReadOnlyDB.open(dir);
  try {
    const rows = db.blocks().map((b) => ({ meta: b.meta, size: b.size() }));
    return formatBlocks(rows, true, humanReadable);
  } finally {
    db.close();
  }
}
