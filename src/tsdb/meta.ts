/**
 * A block's meta.json, as upstream writes it: ULID, time range (maxTime
 * exclusive), counts, and compaction lineage.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

export interface BlockMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  stats: { numSamples: number; numSeries: number; numChunks: number; numTombstones?: number };
  compaction: {
    level: number;
    sources: string[];
    parents?: BlockDesc[];
    deletable?: boolean;
    failed?: boolean;
    hints?: string[];
  };
  version: number;
}

export const META_FILENAME = "meta.json";
export const META_VERSION = 1;

export function readMeta(dir: string): BlockMeta {
  const path = join(dir, META_FILENAME);
  let m: BlockMeta;
  try {
    m = JSON.parse(readFileSync(path, "utf8")) as BlockMeta;
  } catch (e) {
    throw new Error(`read ${path}: ${(e as Error).message}`);
  }
  if (m.version !== META_VERSION) throw new Error(`${path}: unexpected meta file version ${m.version}`);
  if (typeof m.ulid !== "string" || typeof m.minTime !== "number" || typeof m.maxTime !== "number") {
    throw new Error(`${path}: missing ulid, minTime or maxTime`);
  }
  m.stats ??= { numSamples: 0, numSeries: 0, numChunks: 0 };
  m.compaction ??= { level: 1, sources: [m.ulid] };
  return m;
}

/** Writes meta.json through a temporary file, fsynced, then renamed into place. */
export function writeMeta(dir: string, meta: BlockMeta): number {
  const path = join(dir, META_FILENAME);
  const tmp = `${path}.tmp`;
  const body = Buffer.from(`${JSON.stringify(meta, null, "\t")}\n`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return body.length;
}
