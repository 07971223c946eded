/**
 * Reads one WAL segment while it is being written (upstream's `LiveReader`):
 * each call reads what was appended since the last, hands over every complete
 * record (CRC-checked, snappy records decompressed) and stops before a record
 * whose fragments are not all on disk yet, so the next call resumes there. The
 * file stays open, so a segment deleted by a checkpoint can still be finished.
 */
import * as fs from "node:fs";
import { crc32c } from "../tsdb/encoding/crc32c.ts";
import {
  FRAG_FIRST,
  FRAG_FULL,
  FRAG_LAST,
  FRAG_TYPE_MASK,
  PAGE_SIZE,
  RECORD_HEADER_SIZE,
  SNAPPY_FLAG,
  segmentName,
} from "../tsdb/wlog/segment.ts";
import { snappyDecodedLen, snappyDecodeInto } from "../tsdb/wlog/snappy.ts";

/** Bytes read per call at most: bounds the work (and latency) of one poll. */
const MAX_READ = 4 * 1024 * 1024;

/** A segment being tailed. `offset` is the byte after the last record delivered. */
export class SegmentTail {
  readonly index: number;
  readonly file: string;
  offset: number;
  private fd: number;
  private buf = new Uint8Array(256 * 1024);
  private asm = new Uint8Array(64 * 1024);
  private dec = new Uint8Array(64 * 1024);

  /** Opens segment `index` of `dir` at `offset` (a record boundary). Throws when it does not exist. */
  constructor(dir: string, index: number, offset = 0) {
    this.index = index;
    this.file = segmentName(dir, index);
    this.fd = fs.openSync(this.file, "r");
    this.offset = offset;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Bytes in the file now. */
  size(): number {
    return fs.fstatSync(this.fd).size;
  }

  /**
   * Delivers complete records after `offset` with the offset just past them;
   * `onRecord` returns false to refuse a record (back-pressure: it is
   * delivered again next time). Returns true when it stopped because
   * the data ran out (the caller may wait or move on), false when stopped by
   * `onRecord`. Throws on corruption.
   */
  read(onRecord: (rec: Uint8Array, end: number) => boolean): boolean {
    const size = this.size();
    if (size <= this.offset) return true;
    const want = Math.min(size - this.offset, MAX_READ);
    if (this.buf.length < want) this.buf = new Uint8Array(Math.max(want, this.buf.length * 2));
    let got = 0;
    while (got < want) {
      const n = fs.readSync(this.fd, this.buf, got, want - got, this.offset + got);
      if (n === 0) break;
      got += n;
    }
    const buf = this.buf;
    const base = this.offset;
    let pos = 0;
    let asmLen = 0;
    let flags = 0;
    let inRecord = false;
    let recStart = base;
    while (pos < got) {
      const off = base + pos;
      const inPage = off % PAGE_SIZE;
      if (buf[pos] === 0) {
        // Padding to the end of the page (also between a record's fragments).
        const pageEnd = pos + (PAGE_SIZE - inPage);
        if (pageEnd > got) return true;
        pos = pageEnd;
        if (!inRecord) this.offset = base + pos;
        continue;
      }
      if (got - pos < RECORD_HEADER_SIZE) return true;
      const head = buf[pos]!;
      const typ = head & FRAG_TYPE_MASK;
      const len = (buf[pos + 1]! << 8) | buf[pos + 2]!;
      const dataStart = pos + RECORD_HEADER_SIZE;
      const dataEnd = dataStart + len;
      if (dataEnd > got) return true;
      if (inPage + RECORD_HEADER_SIZE + len > PAGE_SIZE || typ > FRAG_LAST || typ === 0) {
        throw new Error(`corruption in segment ${this.file} at ${off}: invalid fragment`);
      }
      const want32 =
        ((buf[pos + 3]! << 24) | (buf[pos + 4]! << 16) | (buf[pos + 5]! << 8) | buf[pos + 6]!) >>> 0;
      if (crc32c(buf, dataStart, dataEnd) !== want32) {
        throw new Error(`corruption in segment ${this.file} at ${off}: unexpected checksum`);
      }
      if (typ === FRAG_FULL || typ === FRAG_FIRST) {
        flags = head & ~FRAG_TYPE_MASK;
        asmLen = 0;
        recStart = off;
      }
      pos = dataEnd;
      let rec: Uint8Array;
      if (typ === FRAG_FULL) {
        rec = buf.subarray(dataStart, dataEnd);
      } else {
        if (asmLen + len > this.asm.length) {
          const next = new Uint8Array(Math.max(this.asm.length * 2, asmLen + len));
          next.set(this.asm.subarray(0, asmLen));
          this.asm = next;
        }
        this.asm.set(buf.subarray(dataStart, dataEnd), asmLen);
        asmLen += len;
        if (typ !== FRAG_LAST) {
          inRecord = true;
          continue;
        }
        rec = this.asm.subarray(0, asmLen);
      }
      inRecord = false;
      if (flags & SNAPPY_FLAG) rec = this.decompress(rec);
      if (!onRecord(rec, base + pos)) {
        this.offset = recStart;
        return false;
      }
      this.offset = base + pos;
    }
    return true;
  }

  private decompress(src: Uint8Array): Uint8Array {
    const { len } = snappyDecodedLen(src);
    if (len > this.dec.length) this.dec = new Uint8Array(Math.max(len, this.dec.length * 2));
    return this.dec.subarray(0, snappyDecodeInto(src, this.dec));
  }
}
