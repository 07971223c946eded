/**
 * Reads records back from segments: fragments are checked (type, page bounds,
 * CRC32C, order) and reassembled; snappy-compressed records (Prometheus'
 * default) are decompressed. Anything unreadable ends the read with a
 * {@link CorruptionError} naming the segment and the offset of the first
 * record that could not be read; every record before it was delivered.
 */
import * as fs from "node:fs";
import { crc32c } from "../encoding/crc32c.ts";
import {
  FRAG_FIRST,
  FRAG_FULL,
  FRAG_LAST,
  FRAG_MIDDLE,
  FRAG_TYPE_MASK,
  fragmentTypeName,
  listSegments,
  PAGE_SIZE,
  RECORD_HEADER_SIZE,
  SNAPPY_FLAG,
  segmentName,
  ZSTD_FLAG,
} from "./segment.ts";
import { SnappyError, snappyDecodedLen, snappyDecodeInto } from "./snappy.ts";

/** A torn or corrupted record. `offset` is where the first unreadable record starts in the segment. */
export class CorruptionError extends Error {
  readonly dir: string;
  readonly segment: number;
  readonly offset: number;
  readonly reason: string;

  constructor(dir: string, segment: number, offset: number, reason: string) {
    super(`write-ahead log: corruption in segment ${segmentName(dir, segment)} at ${offset}: ${reason}`);
    this.name = "CorruptionError";
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
    this.reason = reason;
  }
}

/** A segment to read: its directory and index. */
export interface SegmentLocation {
  dir: string;
  index: number;
}

// Whole pages per read: a fragment never crosses a page, so never a chunk either.
const CHUNK_PAGES = 16;

/**
 * Pull-style reader over a list of segments, in order:
 * `while (r.next()) use(r.record())`. `next()` throws CorruptionError.
 * The record returned is valid only until the following `next()`.
 */
export class WalReader {
  private readonly segs: readonly SegmentLocation[];
  private cur = -1;
  private fd = -1;
  private chunk = new Uint8Array(CHUNK_PAGES * PAGE_SIZE);
  private chunkLen = 0;
  private chunkBase = 0; // segment offset of chunk[0]
  private pos = 0; // read position in chunk
  private eof = true;
  private asm = new Uint8Array(64 * 1024); // reassembled multi-fragment records
  private dec = new Uint8Array(64 * 1024); // decompressed records
  private rec: Uint8Array = new Uint8Array(0);
  private recStart = 0;
  private recEnd = 0;
  private recFlags = 0;

  constructor(segs: readonly SegmentLocation[]) {
    this.segs = segs;
  }

  /** Index of the segment holding the current record (-1 before the first). */
  get segment(): number {
    return this.cur >= 0 && this.cur < this.segs.length ? this.segs[this.cur]!.index : -1;
  }

  /** Directory of the segment being read. */
  get dir(): string {
    return this.cur >= 0 && this.cur < this.segs.length ? this.segs[this.cur]!.dir : "";
  }

  /** Segment offset where the current record's first fragment starts. */
  get recordStart(): number {
    return this.recStart;
  }

  /** Segment offset just after the current record's last fragment. */
  get recordEnd(): number {
    return this.recEnd;
  }

  /** Compression flags (SNAPPY_FLAG, ZSTD_FLAG) the current record was stored with; 0 if uncompressed. */
  get recordFlags(): number {
    return this.recFlags;
  }

  /** The current record; valid until the next call of next(). */
  record(): Uint8Array {
    return this.rec;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.cur = this.segs.length;
  }

  private openNext(): boolean {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.cur++;
    if (this.cur >= this.segs.length) return false;
    const s = this.segs[this.cur]!;
    this.fd = fs.openSync(segmentName(s.dir, s.index), "r");
    this.chunkBase = 0;
    this.chunkLen = 0;
    this.pos = 0;
    this.eof = false;
    return true;
  }

  /** Reads the next chunk of the current segment; false at its end. */
  private fill(): boolean {
    if (this.eof) return false;
    this.chunkBase += this.chunkLen;
    let n = 0;
    const cap = this.chunk.length;
    while (n < cap) {
      const r = fs.readSync(this.fd, this.chunk, n, cap - n, this.chunkBase + n);
      if (r === 0) break;
      n += r;
    }
    if (n < cap) this.eof = true;
    this.chunkLen = n;
    this.pos = 0;
    return n > 0;
  }

  private corrupt(offset: number, reason: string): CorruptionError {
    const s = this.segs[this.cur]!;
    return new CorruptionError(s.dir, s.index, offset, reason);
  }

  private append(src: Uint8Array, start: number, end: number, at: number): void {
    const n = end - start;
    if (at + n > this.asm.length) {
      let cap = this.asm.length * 2;
      while (cap < at + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.asm.subarray(0, at));
      this.asm = next;
    }
    this.asm.set(src.subarray(start, end), at);
  }

  /** Advances to the next record; false when all segments are read. Throws CorruptionError. */
  next(): boolean {
    let inRecord = false;
    let asmLen = 0;
    let flags = 0;
    if (this.cur < 0 && !this.openNext()) return false;
    for (;;) {
      if (this.pos >= this.chunkLen && !this.fill()) {
        // The writer never splits a record across segments.
        if (inRecord) throw this.corrupt(this.recStart, "last record is torn");
        if (!this.openNext()) return false;
        continue;
      }
      const chunk = this.chunk;
      const pos = this.pos;
      const off = this.chunkBase + pos;
      const inPage = pos % PAGE_SIZE;
      const head = chunk[pos]!;
      if (head === 0) {
        // Page padding: the rest of the page must be zeros.
        const pageEnd = Math.min(pos - inPage + PAGE_SIZE, this.chunkLen);
        for (let i = pos + 1; i < pageEnd; i++) {
          if (chunk[i] !== 0) {
            throw this.corrupt(inRecord ? this.recStart : off, "unexpected non-zero byte in padded page");
          }
        }
        this.pos = pageEnd;
        continue;
      }
      if (!inRecord) this.recStart = off;
      const start = this.recStart;
      if (PAGE_SIZE - inPage < RECORD_HEADER_SIZE) {
        throw this.corrupt(start, "fragment header crosses a page boundary");
      }
      if (this.chunkLen - pos < RECORD_HEADER_SIZE) {
        throw this.corrupt(start, "torn fragment header at end of segment");
      }
      const typ = head & FRAG_TYPE_MASK;
      const fl = head & ~FRAG_TYPE_MASK;
      if ((fl & ~(SNAPPY_FLAG | ZSTD_FLAG)) !== 0 || fl === (SNAPPY_FLAG | ZSTD_FLAG)) {
        throw this.corrupt(start, `invalid fragment header byte 0x${head.toString(16)}`);
      }
      if (typ > FRAG_LAST) throw this.corrupt(start, `invalid fragment type ${typ}`);
      const len = (chunk[pos + 1]! << 8) | chunk[pos + 2]!;
      if (inPage + RECORD_HEADER_SIZE + len > PAGE_SIZE) {
        throw this.corrupt(start, `invalid fragment size ${len}`);
      }
      const dataStart = pos + RECORD_HEADER_SIZE;
      const dataEnd = dataStart + len;
      if (dataEnd > this.chunkLen) throw this.corrupt(start, "torn fragment at end of segment");
      const want =
        ((chunk[pos + 3]! << 24) | (chunk[pos + 4]! << 16) | (chunk[pos + 5]! << 8) | chunk[pos + 6]!) >>> 0;
      const got = crc32c(chunk, dataStart, dataEnd);
      if (got !== want) {
        throw this.corrupt(start, `unexpected checksum ${got.toString(16)}, expected ${want.toString(16)}`);
      }
      if (typ === FRAG_FULL || typ === FRAG_FIRST) {
        if (inRecord)
          throw this.corrupt(start, `unexpected ${fragmentTypeName(typ)} fragment inside a record`);
        flags = fl;
      } else if (!inRecord) {
        throw this.corrupt(start, `unexpected ${fragmentTypeName(typ)} fragment without a first fragment`);
      } else if (fl !== flags) {
        throw this.corrupt(start, "compression flags change inside a record");
      }
      this.pos = dataEnd;
      this.recFlags = flags;
      if (typ === FRAG_FULL) {
        this.recEnd = this.chunkBase + dataEnd;
        this.rec =
          flags === 0
            ? chunk.subarray(dataStart, dataEnd)
            : this.decompress(chunk, dataStart, dataEnd, flags);
        return true;
      }
      this.append(chunk, dataStart, dataEnd, asmLen);
      asmLen += len;
      if (typ === FRAG_FIRST || typ === FRAG_MIDDLE) {
        inRecord = true;
        continue;
      }
      this.recEnd = this.chunkBase + dataEnd;
      this.rec = flags === 0 ? this.asm.subarray(0, asmLen) : this.decompress(this.asm, 0, asmLen, flags);
      return true;
    }
  }

  private decompress(src: Uint8Array, start: number, end: number, flags: number): Uint8Array {
    if (flags & ZSTD_FLAG) {
      const s = this.segs[this.cur]!;
      throw new Error(
        `write-ahead log: segment ${segmentName(s.dir, s.index)} at ${this.recStart} holds a zstd-compressed record, ` +
          "which Vigil cannot read; let Prometheus write its WAL with --storage.tsdb.wal-compression-type=snappy " +
          "or without compression",
      );
    }
    const input = src.subarray(start, end);
    try {
      const { len } = snappyDecodedLen(input);
      if (len > this.dec.length) {
        let cap = this.dec.length * 2;
        while (cap < len) cap *= 2;
        this.dec = new Uint8Array(cap);
      }
      return this.dec.subarray(0, snappyDecodeInto(input, this.dec));
    } catch (e) {
      if (e instanceof SnappyError) throw this.corrupt(this.recStart, e.message);
      throw e;
    }
  }
}

/** The segments of `dir` with from <= index <= to; -1 leaves that end open. */
export function segmentsInRange(dir: string, from = -1, to = -1): SegmentLocation[] {
  const out: SegmentLocation[] = [];
  for (const s of listSegments(dir)) {
    if (from >= 0 && s.index < from) continue;
    if (to >= 0 && s.index > to) break;
    out.push({ dir, index: s.index });
  }
  return out;
}

export interface ReadOptions {
  /** Called after each segment is fully read, with its index and the last index of the range. */
  onProgress?: (segment: number, lastSegment: number) => void;
}

/**
 * Calls `onRecord` for every record of the segments from..to (inclusive, -1
 * for open ends) of `dir`, in order. The record is valid only during the call.
 * Throws CorruptionError after delivering every record before the corruption.
 * Returns the number of records read.
 */
export function readSegments(
  dir: string,
  from: number,
  to: number,
  onRecord: (rec: Uint8Array, segment: number) => void,
  opts: ReadOptions = {},
): number {
  return readLocations(segmentsInRange(dir, from, to), onRecord, opts);
}

/** readSegments over an explicit list of segments (e.g. a checkpoint's, then the WAL's). */
export function readLocations(
  segs: readonly SegmentLocation[],
  onRecord: (rec: Uint8Array, segment: number) => void,
  opts: ReadOptions = {},
): number {
  let count = 0;
  const last = segs.length > 0 ? segs[segs.length - 1]!.index : -1;
  for (const s of segs) {
    const r = new WalReader([s]);
    try {
      while (r.next()) {
        onRecord(r.record(), s.index);
        count++;
      }
    } finally {
      r.close();
    }
    opts.onProgress?.(s.index, last);
  }
  return count;
}
