/**
 * Corruption repair, as upstream: every segment after the corrupted one goes,
 * and the corrupted one is rewritten with the records before the corruption.
 * Records may depend on earlier ones (samples on their series), so nothing
 * after a corruption is kept. The rewrite goes to a temporary file that
 * replaces the segment atomically.
 */
import * as fs from "node:fs";
import { Framer } from "./framer.ts";
import { CorruptionError, WalReader } from "./reader.ts";
import { defaultWrite, listSegmentsLenient, segmentName, syncDir, writeFully } from "./segment.ts";
import type { WalLogger } from "./wlog.ts";

const FLUSH_BYTES = 1024 * 1024;

/** Repairs `dir` after `err` (found while reading it); returns how many records the segment kept. */
export function repairSegments(dir: string, err: CorruptionError, logger: WalLogger): number {
  if (!(err instanceof CorruptionError))
    throw new Error("write-ahead log: cannot repair a non-corruption error");
  if (err.segment < 0) throw new Error("write-ahead log: corruption error does not name a segment");
  logger.warn("Starting corruption repair", { segment: err.segment, offset: err.offset, reason: err.reason });

  const segs = listSegmentsLenient(dir);
  if (segs.some((s) => s.index > err.segment)) {
    logger.warn("Deleting all segments newer than corrupted segment", { segment: err.segment });
  }
  for (const s of segs) {
    if (s.index > err.segment) fs.rmSync(segmentName(dir, s.index), { force: true });
  }

  logger.warn("Rewrite corrupted segment", { segment: err.segment });
  const name = segmentName(dir, err.segment);
  const tmp = `${name}.repair`;
  const out = fs.openSync(tmp, "w", 0o666);
  const framer = new Framer();
  let off = 0;
  let kept = 0;
  const flush = (): void => {
    writeFully(defaultWrite, out, framer.buf, 0, framer.len, off - framer.len);
    framer.reset();
  };
  try {
    const r = new WalReader([{ dir, index: err.segment }]);
    try {
      while (r.next()) {
        if (r.recordStart >= err.offset) break;
        off = framer.frame(off, r.record());
        kept++;
        if (framer.len >= FLUSH_BYTES) flush();
      }
    } catch (e) {
      // The corruption itself (or an earlier one, whose offset is then the better bound).
      if (!(e instanceof CorruptionError)) throw e;
    } finally {
      r.close();
    }
    off = framer.padPage(off);
    flush();
    fs.fsyncSync(out);
  } catch (e) {
    fs.closeSync(out);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(out);
  fs.renameSync(tmp, name);
  syncDir(dir);
  logger.warn("Corruption repair done", { segment: err.segment, records_kept: kept });
  return kept;
}

/** Standalone form of {@link repairSegments} for a log that is not open. */
export function repair(dir: string, err: CorruptionError, logger?: WalLogger): number {
  return repairSegments(dir, err, logger ?? { info() {}, warn() {}, error() {} });
}
