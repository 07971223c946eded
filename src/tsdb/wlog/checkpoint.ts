/**
 * Checkpoints, as upstream: `checkpoint.N` (N = last segment folded in) is a
 * directory holding a WAL that replaces the previous checkpoint and segments
 * ..N, keeping only what the head still needs: series it keeps, and samples,
 * tombstones and exemplars at or after mint of those series, plus the latest
 * metadata of each kept series. Built in `checkpoint.N.tmp`, fsynced, then
 * renamed into place, so a crash leaves either the old or the new checkpoint.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Encbuf } from "../encoding/encbuf.ts";
import {
  decodeExemplars,
  decodeMetadata,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeExemplars,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  RecordType,
  type RefExemplar,
  type RefMetadata,
  RefSamples,
  type RefSeries,
  recordType,
  type Tombstone,
} from "../record/record.ts";
import { readLocations, type SegmentLocation, segmentsInRange } from "./reader.ts";
import { syncDir } from "./segment.ts";
import { nopLogger, type WalLogger, WL } from "./wlog.ts";

const PREFIX = "checkpoint.";
const TMP_SUFFIX = ".tmp";

export interface CheckpointStats {
  droppedSeries: number;
  droppedSamples: number;
  droppedTombstones: number;
  droppedExemplars: number;
  droppedMetadata: number;
  /** Records of types the checkpoint cannot filter (histograms, mmap markers, unknown): dropped. */
  droppedOther: number;
  totalSeries: number;
  totalSamples: number;
  totalTombstones: number;
  totalExemplars: number;
  totalMetadata: number;
}

/** The directory of checkpoint `i` in `dir`: `dir/checkpoint.00000042`. */
export function checkpointDir(dir: string, i: number): string {
  return path.join(dir, PREFIX + String(i).padStart(8, "0"));
}

interface CheckpointRef {
  name: string;
  index: number;
}

function listCheckpoints(dir: string): CheckpointRef[] {
  const refs: CheckpointRef[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.name.startsWith(PREFIX)) continue;
    const suffix = e.name.slice(PREFIX.length);
    if (!/^\d+$/.test(suffix)) continue;
    if (!e.isDirectory()) throw new Error(`write-ahead log: checkpoint ${e.name} is not a directory`);
    refs.push({ name: e.name, index: Number.parseInt(suffix, 10) });
  }
  return refs.sort((a, b) => a.index - b.index);
}

/** The most recent checkpoint in `dir`, or null. */
export function lastCheckpoint(dir: string): { dir: string; index: number } | null {
  const refs = listCheckpoints(dir);
  const last = refs[refs.length - 1];
  return last === undefined ? null : { dir: path.join(dir, last.name), index: last.index };
}

/** Deletes the checkpoints with index < maxIndex. */
export function deleteCheckpoints(dir: string, maxIndex: number): void {
  for (const c of listCheckpoints(dir)) {
    if (c.index >= maxIndex) break;
    fs.rmSync(path.join(dir, c.name), { recursive: true, force: true });
  }
}

/** Deletes leftovers of interrupted checkpoints (`checkpoint.N.tmp`). */
export function deleteTempCheckpoints(dir: string, logger: WalLogger = nopLogger): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(PREFIX) && name.endsWith(TMP_SUFFIX)) {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      logger.info("Deleted temporary checkpoint directory", { dir: name });
    }
  }
}

export interface CheckpointOptions {
  logger?: WalLogger;
  /** Segment size of the checkpoint's own log (default 128 MiB). */
  segmentSize?: number;
}

/**
 * Folds the last checkpoint (if any) and segments from..to of the WAL in
 * `dir` into `checkpoint.to`, then deletes older checkpoints. Segments below
 * the last checkpoint's successor are skipped; a gap after it is an error, as
 * is any corruption (the head could not know which series were lost).
 */
export function checkpoint(
  dir: string,
  from: number,
  to: number,
  keep: (seriesRef: number) => boolean,
  mint: number,
  opts: CheckpointOptions = {},
): CheckpointStats {
  const logger = opts.logger ?? nopLogger;
  logger.info("Creating checkpoint", { from_segment: from, to_segment: to, mint });
  const stats: CheckpointStats = {
    droppedSeries: 0,
    droppedSamples: 0,
    droppedTombstones: 0,
    droppedExemplars: 0,
    droppedMetadata: 0,
    droppedOther: 0,
    totalSeries: 0,
    totalSamples: 0,
    totalTombstones: 0,
    totalExemplars: 0,
    totalMetadata: 0,
  };

  const segs: SegmentLocation[] = [];
  const prev = lastCheckpoint(dir);
  if (prev !== null) {
    if (from > prev.index + 1) {
      throw new Error(
        `write-ahead log: unexpected gap to last checkpoint: expected ${prev.index + 1}, requested ${from}`,
      );
    }
    from = prev.index + 1;
    segs.push(...segmentsInRange(prev.dir));
  }
  segs.push(...segmentsInRange(dir, from, to));

  deleteTempCheckpoints(dir, logger);
  const final = checkpointDir(dir, to);
  const tmp = final + TMP_SUFFIX;
  fs.mkdirSync(tmp, { recursive: true });
  const cp = WL.open(tmp, { segmentSize: opts.segmentSize, logger });
  let done = false;
  try {
    const enc = new Encbuf(1024 * 1024);
    const batch: Uint8Array[] = [];
    let batchBytes = 0;
    const samples = new RefSamples(1024);
    const keptSamples = new RefSamples(1024);
    const latestMetadata = new Map<number, RefMetadata>();
    // Each kept record is encoded into `enc` and copied out, so records of a batch do not share a buffer.
    const emit = (): void => {
      const rec = enc.get().slice();
      enc.reset();
      batch.push(rec);
      batchBytes += rec.length;
      if (batchBytes > 1024 * 1024) {
        cp.log(...batch);
        batch.length = 0;
        batchBytes = 0;
      }
    };

    readLocations(segs, (rec) => {
      switch (recordType(rec)) {
        case RecordType.Series: {
          const series = decodeSeries(rec);
          const kept: RefSeries[] = series.filter((s) => keep(s.ref));
          stats.totalSeries += series.length;
          stats.droppedSeries += series.length - kept.length;
          if (kept.length > 0) {
            encodeSeries(kept, enc);
            emit();
          }
          break;
        }
        case RecordType.Samples:
        case RecordType.SamplesV2: {
          decodeSamples(rec, samples);
          keptSamples.n = 0;
          keptSamples.reserve(samples.n);
          for (let i = 0; i < samples.n; i++) {
            const t = samples.ts[i]!;
            const ref = samples.refs[i]!;
            if (t >= mint && keep(ref)) keptSamples.push(ref, t, samples.vs[i]!);
          }
          stats.totalSamples += samples.n;
          stats.droppedSamples += samples.n - keptSamples.n;
          if (keptSamples.n > 0) {
            encodeSamples(keptSamples.refs, keptSamples.ts, keptSamples.vs, keptSamples.n, enc);
            emit();
          }
          break;
        }
        case RecordType.Tombstones: {
          const stones = decodeTombstones(rec);
          const kept: Tombstone[] = stones.filter((s) => s.maxt >= mint && keep(s.ref));
          stats.totalTombstones += stones.length;
          stats.droppedTombstones += stones.length - kept.length;
          if (kept.length > 0) {
            encodeTombstones(kept, enc);
            emit();
          }
          break;
        }
        case RecordType.Exemplars: {
          const exemplars = decodeExemplars(rec);
          const kept: RefExemplar[] = exemplars.filter((e) => e.t >= mint && keep(e.ref));
          stats.totalExemplars += exemplars.length;
          stats.droppedExemplars += exemplars.length - kept.length;
          if (kept.length > 0) {
            encodeExemplars(kept, enc);
            emit();
          }
          break;
        }
        case RecordType.Metadata: {
          const metadata = decodeMetadata(rec);
          stats.totalMetadata += metadata.length;
          for (const m of metadata) {
            if (!keep(m.ref)) {
              stats.droppedMetadata++;
              continue;
            }
            if (latestMetadata.has(m.ref)) stats.droppedMetadata++;
            latestMetadata.set(m.ref, m);
          }
          break;
        }
        default:
          stats.droppedOther++;
      }
    });
    if (batch.length > 0) cp.log(...batch);
    if (latestMetadata.size > 0) {
      encodeMetadata([...latestMetadata.values()], enc);
      cp.log(enc.get());
    }
    cp.close();
    syncDir(tmp);
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(tmp, final);
    syncDir(dir);
    done = true;
  } finally {
    if (!done) {
      cp.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  deleteCheckpoints(dir, to);
  return stats;
}

export interface ReplayOptions {
  /** Called after each segment, with `checkpoint` true for the checkpoint's own segments. */
  onProgress?: (segment: number, lastSegment: number, checkpoint: boolean) => void;
}

/**
 * Replays the WAL in `dir` in upstream's order: the last checkpoint's records,
 * then the segments after it. Throws CorruptionError (whose `dir` tells a
 * checkpoint's from the WAL's) after delivering every record before it.
 * Returns the checkpoint index used (or -1) and the record count.
 */
export function replay(
  dir: string,
  onRecord: (rec: Uint8Array, segment: number, fromCheckpoint: boolean) => void,
  opts: ReplayOptions = {},
): { checkpoint: number; records: number } {
  const cp = lastCheckpoint(dir);
  let records = 0;
  let from = 0;
  if (cp !== null) {
    records += readLocations(segmentsInRange(cp.dir), (rec, seg) => onRecord(rec, seg, true), {
      onProgress: (s, last) => opts.onProgress?.(s, last, true),
    });
    from = cp.index + 1;
  }
  const segs = segmentsInRange(dir, from);
  if (cp !== null && segs.length > 0 && segs[0]!.index !== from) {
    throw new Error(
      `write-ahead log ${dir}: segment ${from} after checkpoint ${cp.index} is missing (first is ${segs[0]!.index})`,
    );
  }
  records += readLocations(segs, (rec, seg) => onRecord(rec, seg, false), {
    onProgress: (s, last) => opts.onProgress?.(s, last, false),
  });
  return { checkpoint: cp === null ? -1 : cp.index, records };
}
