/**
 * Segment layout facts shared by the writer, reader, repair and checkpoint:
 * segments are files named by 8-digit index, written in 32 KiB pages of record
 * fragments, each behind a 7-byte header: type byte (low 3 bits: fragment
 * type; bit 3: snappy; bit 4: zstd), big-endian 16-bit length, big-endian
 * CRC32C of the fragment's data.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const PAGE_SIZE = 32 * 1024;
export const RECORD_HEADER_SIZE = 7;
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

/** Fragment types (low 3 bits of the header's first byte). */
export const FRAG_PAGE_TERM = 0; // the rest of the page is zeros
export const FRAG_FULL = 1;
export const FRAG_FIRST = 2;
export const FRAG_MIDDLE = 3;
export const FRAG_LAST = 4;

export const FRAG_TYPE_MASK = 0x07;
export const SNAPPY_FLAG = 0x08;
export const ZSTD_FLAG = 0x10;

const FRAG_NAMES = ["zero", "full", "first", "middle", "last"];
export function fragmentTypeName(t: number): string {
  return FRAG_NAMES[t] ?? "<invalid>";
}

/** The path of segment `i` in `dir`: `dir/00000042`. */
export function segmentName(dir: string, i: number): string {
  return path.join(dir, String(i).padStart(8, "0"));
}

export interface SegmentRef {
  name: string;
  index: number;
}

/** Numeric file names in `dir` (segments), sorted by index. Throws if they are not consecutive. */
export function listSegments(dir: string): SegmentRef[] {
  const refs = listSegmentsLenient(dir);
  for (let i = 1; i < refs.length; i++) {
    if (refs[i - 1]!.index + 1 !== refs[i]!.index) {
      throw new Error(
        `write-ahead log ${dir}: segments are not sequential (${refs[i - 1]!.name} then ${refs[i]!.name})`,
      );
    }
  }
  return refs;
}

/** Like listSegments but accepts gaps. */
export function listSegmentsLenient(dir: string): SegmentRef[] {
  const refs: SegmentRef[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!/^\d+$/.test(name)) continue;
    refs.push({ name, index: Number.parseInt(name, 10) });
  }
  refs.sort((a, b) => a.index - b.index);
  return refs;
}

/** The range [first, last] of existing segments, both -1 when there are none. */
export function segmentRange(dir: string): { first: number; last: number } {
  const refs = listSegments(dir);
  if (refs.length === 0) return { first: -1, last: -1 };
  return { first: refs[0]!.index, last: refs[refs.length - 1]!.index };
}

/** fsyncs a directory so renames and deletions in it are durable. */
export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Total size in bytes of the files under `dir`, recursively. */
export function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) {
      try {
        total += fs.statSync(p).size;
      } catch {
        // Deleted meanwhile (e.g. by a concurrent truncation).
      }
    }
  }
  return total;
}

/** Writes `len` bytes of `buf` at `pos` of `fd`, looping over short writes. */
export function writeFully(
  write: WriteFn,
  fd: number,
  buf: Uint8Array,
  offset: number,
  len: number,
  pos: number,
): void {
  while (len > 0) {
    const n = write(fd, buf, offset, len, pos);
    if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
    offset += n;
    len -= n;
    pos += n;
  }
}

/** A positional write, `fs.writeSync`'s shape; an option so tests can inject failures. */
export type WriteFn = (
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
) => number;

export const defaultWrite: WriteFn = (fd, buf, offset, length, position) =>
  fs.writeSync(fd, buf, offset, length, position);
