/**
 * Tails the TSDB's write-ahead log for one remote-write queue (upstream's
 * `wlog.Watcher`): series come from the last checkpoint and every segment;
 * samples only from the start position on. Without a saved position this is
 * upstream's start: tail the last segment and send only samples newer than
 * the watcher's start time. With one (see queue.ts: the position of the last
 * sample the receiver acknowledged, saved per endpoint), everything after it
 * is sent, so a restart loses nothing the WAL still holds. When a checkpoint
 * appears, its series are re-read and older series are dropped (SeriesReset).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log/log.ts";
import {
  decodeSamples,
  decodeSeries,
  RecordType,
  RefSamples,
  type RefSeries,
  recordType,
  recordTypeName,
} from "../tsdb/record/record.ts";
import { lastCheckpoint } from "../tsdb/wlog/checkpoint.ts";
import { readLocations, segmentsInRange } from "../tsdb/wlog/reader.ts";
import { listSegments } from "../tsdb/wlog/segment.ts";
import { SegmentTail } from "./tail.ts";

/** A place in the WAL: just after the record ending at `offset` in `segment`. */
export interface WalPosition {
  readonly segment: number;
  readonly offset: number;
}

/** What the watcher feeds. */
export interface WatcherSink {
  /** Series records, read from `segment` (a checkpoint counts as its index). */
  storeSeries(series: readonly RefSeries[], segment: number): void;
  /** Drops series last seen in a segment below `segment`. */
  seriesReset(segment: number): void;
  /** False while the queue is full: the watcher pauses and offers the record again. */
  ready(): boolean;
  /** Samples `[0, s.n)` of one record ending at `pos`; those with `t <= minT` are to be skipped. */
  append(s: RefSamples, pos: WalPosition, minT: number): void;
}

export interface WatcherOptions {
  /** The WAL directory (`<data>/wal`). */
  readonly dir: string;
  readonly sink: WatcherSink;
  readonly logger: Logger;
  /** Resume after this position; undefined: upstream's start. */
  readonly from?: WalPosition;
  /** How often to look for new data, ms (default 50). */
  readonly pollMs?: number;
  /**
   * How often to look for a newer segment, ms (default 1000): a directory
   * listing on every poll was a fifth of the watcher's CPU, and a segment is
   * only left when the WAL starts a new one.
   */
  readonly segmentLookMs?: number;
  /** Counts records read by type name, and reports the segment being read. */
  onRecord?(type: string): void;
  onSegment?(segment: number): void;
  /** Clock for the start timestamp, ms. */
  now?(): number;
}

/** A running WAL watcher. */
export class Watcher {
  private readonly o: WatcherOptions;
  private tail: SegmentTail | null = null;
  private sendFrom: WalPosition = { segment: -1, offset: 0 };
  private minT = -Infinity;
  private checkpointIndex = -1;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly samples = new RefSamples(1024);
  private lastCheckpointLook = 0;
  private lastSegmentLook = 0;

  constructor(o: WatcherOptions) {
    this.o = o;
  }

  /** Reads the checkpoint and older segments (series only), then starts tailing. */
  start(): void {
    const { dir } = this.o;
    if (!existsSync(dir)) {
      this.schedule(1000, () => this.start());
      return;
    }
    const cp = lastCheckpoint(dir);
    if (cp !== null) this.readCheckpoint(cp.dir, cp.index);
    const segs = listSegments(dir);
    if (segs.length === 0) {
      this.schedule(1000, () => this.start());
      return;
    }
    const first = segs[0]!.index;
    const last = segs[segs.length - 1]!.index;
    let startSeg: number;
    if (this.o.from !== undefined && this.o.from.segment >= first && this.o.from.segment <= last) {
      this.sendFrom = this.o.from;
      startSeg = this.o.from.segment;
    } else if (this.o.from !== undefined && this.o.from.segment < first) {
      this.o.logger.warn("Saved remote write position is older than the WAL; resending what the WAL holds", {
        segment: this.o.from.segment,
        first,
      });
      this.sendFrom = { segment: first, offset: 0 };
      startSeg = first;
    } else {
      this.minT = (this.o.now ?? Date.now)();
      this.sendFrom = { segment: last, offset: 0 };
      startSeg = last;
    }
    // Series of the segments before the start one.
    const older = segmentsInRange(dir, Math.max(first, (cp?.index ?? -1) + 1), startSeg - 1);
    readLocations(older, (rec, seg) => {
      if (recordType(rec) === RecordType.Series) this.o.sink.storeSeries(decodeSeries(rec), seg);
    });
    this.tail = new SegmentTail(dir, startSeg, 0);
    this.o.onSegment?.(startSeg);
    this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.tail?.close();
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.stopped) return;
    this.timer = setTimeout(fn, ms);
    this.timer.unref();
  }

  private readCheckpoint(cpDir: string, index: number): void {
    readLocations(segmentsInRange(cpDir), (rec) => {
      if (recordType(rec) === RecordType.Series) this.o.sink.storeSeries(decodeSeries(rec), index);
    });
    this.o.sink.seriesReset(index);
    this.checkpointIndex = index;
  }

  private poll(): void {
    if (this.stopped || this.tail === null) return;
    let wait = this.o.pollMs ?? 50;
    try {
      wait = this.step() ? 0 : wait;
    } catch (err) {
      this.o.logger.error("WAL watcher error", { err, segment: this.tail.index });
      this.skipSegment();
    }
    if (wait === 0) setImmediate(() => this.poll());
    else this.schedule(wait, () => this.poll());
  }

  /** Reads what is there; true when there may be more to read right away. */
  private step(): boolean {
    const tail = this.tail!;
    // Listed before reading: once a newer segment exists, the current one gets no more writes.
    const now = Date.now();
    let newer: { index: number } | undefined;
    if (now - this.lastSegmentLook >= (this.o.segmentLookMs ?? 1000)) {
      this.lastSegmentLook = now;
      newer = listSegments(this.o.dir).find((s) => s.index > tail.index);
    }
    let refused = false;
    const drained = tail.read((rec, end) => {
      const t = recordType(rec);
      if (t === RecordType.Series) {
        this.o.sink.storeSeries(decodeSeries(rec), tail.index);
      } else if (t === RecordType.Samples || t === RecordType.SamplesV2) {
        if (!this.sending(tail.index, end)) return true;
        if (!this.o.sink.ready()) {
          refused = true;
          return false;
        }
        decodeSamples(rec, this.samples);
        this.o.sink.append(this.samples, { segment: tail.index, offset: end }, this.minT);
      }
      this.o.onRecord?.(recordTypeName(t));
      return true;
    });
    if (refused) return false;
    if (!drained) return true;
    if (newer !== undefined) {
      this.lastSegmentLook = 0; // the next segment may already be complete too
      this.checkCheckpoint(true);
      tail.close();
      this.tail = new SegmentTail(this.o.dir, newer.index, 0);
      this.o.onSegment?.(newer.index);
      if (newer.index !== tail.index + 1) {
        this.o.logger.warn("WAL segments were removed before remote write read them", {
          from: tail.index + 1,
          to: newer.index - 1,
        });
      }
      return true;
    }
    this.checkCheckpoint(false);
    return false;
  }

  private sending(segment: number, end: number): boolean {
    const f = this.sendFrom;
    return segment > f.segment || (segment === f.segment && end > f.offset);
  }

  private checkCheckpoint(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastCheckpointLook < 5000) return;
    this.lastCheckpointLook = now;
    const cp = lastCheckpoint(this.o.dir);
    if (cp !== null && cp.index > this.checkpointIndex) this.readCheckpoint(cp.dir, cp.index);
  }

  private skipSegment(): void {
    const tail = this.tail!;
    const next = listSegments(this.o.dir).find((s) => s.index > tail.index);
    if (next === undefined) return;
    tail.close();
    this.tail = new SegmentTail(this.o.dir, next.index, 0);
  }
}

/** The WAL directory of a TSDB data directory. */
export function walDir(tsdbPath: string): string {
  return join(tsdbPath, "wal");
}
