/**
 * Reads chunks of a block's segment files with positional reads on file
 * descriptors kept open, so a block never has to fit in memory. Reads go
 * through a cache of 64 KiB windows shared by all readers (CLOCK eviction):
 * a series' chunks lie next to each other, and neighbouring series next to
 * those, so one read serves many chunks (this is what mmap gives upstream).
 * Window buffers are never reused, so chunk bytes can be read in place. Segment indexes in references follow
 * the sorted file names, `000001` being index 0, as upstream.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import type { SampleIterator } from "../../storage/interface.ts";
import { Encoding, XORIterator } from "../chunkenc/xor.ts";
import { crc32c } from "../encoding/crc32c.ts";
import {
  blockChunkRef,
  CHUNK_ENCODING_SIZE,
  CHUNKS_FORMAT_V1,
  CRC_SIZE,
  isSegmentName,
  MAGIC_CHUNKS,
  MAX_CHUNK_LENGTH_FIELD_SIZE,
  refOffset,
  refSegment,
  SEGMENT_HEADER_SIZE,
} from "./format.ts";

/** Bytes read at once at a chunk's offset when it straddles windows; larger chunks take a second read. */
const READ_AHEAD = 4096;
/** Size of a cached window of a segment file. */
const WINDOW = 64 * 1024;

/**
 * Windows of segment files shared by all readers of the process, oldest
 * insertion first, by `reader id * 2^32 + segment * 2^20 + window index`.
 */
const windowCache = new Map<number, Window>();

/** A cached window and the offsets of the chunks in it whose checksum was verified. */
interface Window {
  buf: Uint8Array;
  verified: Set<number>;
  /** Read since eviction last passed it (CLOCK: hits cost no reordering). */
  used: boolean;
}
let windowCacheBytes = 0;
let windowCacheLimit = 256 * 1024 * 1024;
let nextReaderId = 1;

/** Sets how many bytes of chunk-file windows all readers may keep in memory together (default 256 MiB). */
export function setChunkCacheLimit(bytes: number): void {
  windowCacheLimit = bytes;
  evictWindows();
}

function evictWindows(): void {
  // Oldest first; a window read since the last pass gets a second chance at the end.
  while (windowCacheBytes > windowCacheLimit && windowCache.size > 0) {
    const [key, w] = windowCache.entries().next().value!;
    windowCache.delete(key);
    if (w.used) {
      w.used = false;
      windowCache.set(key, w);
    } else {
      windowCacheBytes -= w.buf.length;
    }
  }
}

export interface ChunkReaderOptions {
  /** Check each chunk's CRC32C when reading it (default true, as upstream). */
  verifyCRC?: boolean;
}

export interface Chunk {
  encoding: number;
  data: Uint8Array;
}

interface Segment {
  path: string;
  fd: number;
  size: number;
}

export class ChunkReader {
  readonly dir: string;
  private readonly segments: Segment[];
  private readonly verifyCRC: boolean;
  private readonly totalSize: number;
  private readonly scratch = new Uint8Array(READ_AHEAD);
  private readonly id = nextReaderId++;
  private lastKey = -1;
  private lastWindow: Window | undefined;
  // Set by locate(): where the last chunk's encoding byte, data and end are in `located`.
  private located: Uint8Array = this.scratch;
  private encAt = 0;
  private dataLen = 0;
  private chunkSize = 0;
  private closed = false;

  private constructor(dir: string, segments: Segment[], verifyCRC: boolean) {
    this.dir = dir;
    this.segments = segments;
    this.verifyCRC = verifyCRC;
    let total = 0;
    for (const s of segments) total += s.size;
    this.totalSize = total;
  }

  /** Opens every segment file in `dir` and checks its header. */
  static open(dir: string, opts: ChunkReaderOptions = {}): ChunkReader {
    const names = readdirSync(dir).filter(isSegmentName).sort();
    const segments: Segment[] = [];
    const hdr = Buffer.alloc(SEGMENT_HEADER_SIZE);
    try {
      for (const name of names) {
        const path = join(dir, name);
        const fd = openSync(path, "r");
        const seg = { path, fd, size: fstatSync(fd).size };
        segments.push(seg);
        if (
          seg.size < SEGMENT_HEADER_SIZE ||
          readSync(fd, hdr, 0, SEGMENT_HEADER_SIZE, 0) < SEGMENT_HEADER_SIZE
        ) {
          throw new Error(`${path}: invalid segment header: file has ${seg.size} bytes`);
        }
        const magic = hdr.readUInt32BE(0);
        if (magic !== MAGIC_CHUNKS) throw new Error(`${path}: invalid magic number ${magic.toString(16)}`);
        if (hdr[4] !== CHUNKS_FORMAT_V1) throw new Error(`${path}: invalid chunk format version ${hdr[4]}`);
      }
    } catch (e) {
      for (const s of segments) closeSync(s.fd);
      throw e;
    }
    return new ChunkReader(dir, segments, opts.verifyCRC ?? true);
  }

  /** Total bytes of all segment files. */
  size(): number {
    return this.totalSize;
  }

  /** Number of segment files. */
  numSegments(): number {
    return this.segments.length;
  }

  /** The chunk at `ref`, its data a fresh copy. Throws on a bad reference or checksum. */
  chunk(ref: number): Chunk {
    this.locate(ref);
    const start = this.encAt + CHUNK_ENCODING_SIZE;
    const data =
      this.located === this.scratch
        ? this.located.slice(start, start + this.dataLen)
        : this.located.subarray(start, start + this.dataLen);
    return { encoding: this.located[this.encAt]!, data };
  }

  /** Like {@link chunk} without copying: `data` is valid until the next call on this reader. */
  chunkView(ref: number): Chunk {
    this.locate(ref);
    const start = this.encAt + CHUNK_ENCODING_SIZE;
    return { encoding: this.located[this.encAt]!, data: this.located.subarray(start, start + this.dataLen) };
  }

  /** An iterator over the XOR chunk at `ref` (over a copy it owns; `reuse` is recycled). */
  iterator(ref: number, reuse?: SampleIterator): XORIterator {
    this.locate(ref);
    const enc = this.located[this.encAt]!;
    if (enc !== Encoding.XOR) {
      throw new Error(
        `${this.segmentOf(ref).path}: chunk at offset ${refOffset(ref)} has encoding ${enc}, not XOR`,
      );
    }
    const it = reuse instanceof XORIterator ? reuse : new XORIterator();
    const start = this.encAt + CHUNK_ENCODING_SIZE;
    it.resetCopy(this.located, start, start + this.dataLen);
    return it;
  }

  /** Every chunk of every segment in file order (for tools and tests); data are fresh copies. */
  *entries(): Generator<{ ref: number; encoding: number; data: Uint8Array }> {
    for (let i = 0; i < this.segments.length; i++) {
      const size = this.segments[i]!.size;
      let off = SEGMENT_HEADER_SIZE;
      while (off < size) {
        const ref = blockChunkRef(i, off);
        const c = this.chunk(ref);
        yield { ref, encoding: c.encoding, data: c.data };
        off += this.chunkSize;
      }
    }
  }

  private segmentOf(ref: number): Segment {
    if (this.closed) throw new Error(`chunk reader for ${this.dir} is closed`);
    const i = refSegment(ref);
    const s = Number.isSafeInteger(ref) && ref >= 0 ? this.segments[i] : undefined;
    if (s === undefined) {
      throw new Error(
        `${this.dir}: chunk ref ${ref}: segment index ${i} out of range (${this.segments.length} segments)`,
      );
    }
    return s;
  }

  /** Reads the chunk at `ref` into `located` and checks it; sets encAt, dataLen and chunkSize. */
  private locate(ref: number): void {
    const seg = this.segmentOf(ref);
    const off = refOffset(ref);
    if (off < SEGMENT_HEADER_SIZE || off >= seg.size) {
      throw new Error(`${seg.path}: chunk offset ${off} out of range (segment size ${seg.size})`);
    }
    let buf: Uint8Array = this.scratch;
    let got: number;
    let base = 0;
    const w = this.window(refSegment(ref), seg, off);
    let verified: Set<number> | null = null;
    if (w !== null) {
      verified = w.verified;
      buf = w.buf;
      base = off - w.start;
      got = buf.length - base;
    } else {
      got = readSync(seg.fd, buf, 0, Math.min(READ_AHEAD, seg.size - off), off);
    }

    // uvarint length, at most 5 bytes.
    let len = 0;
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      if (n >= got || n >= MAX_CHUNK_LENGTH_FIELD_SIZE) {
        throw new Error(`${seg.path}: chunk at offset ${off}: invalid length field`);
      }
      const b = buf[base + n++]!;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    const total = n + CHUNK_ENCODING_SIZE + len + CRC_SIZE;
    if (off + total > seg.size) {
      throw new Error(
        `${seg.path}: chunk at offset ${off} needs ${total} bytes but the segment has ${seg.size - off} left`,
      );
    }
    let encAt = base + n;
    if (total > got) {
      // Too big for the read-ahead: read encoding, data and checksum into their own buffer.
      const rest = total - n;
      buf = new Uint8Array(rest);
      if (readSync(seg.fd, buf, 0, rest, off + n) < rest) {
        throw new Error(`${seg.path}: chunk at offset ${off}: short read`);
      }
      encAt = 0;
    }
    const dataEnd = encAt + CHUNK_ENCODING_SIZE + len;
    // Window bytes never change, so a chunk verified once stays verified.
    const inWindow = verified !== null && total <= got;
    if (this.verifyCRC && !(inWindow && verified!.has(off))) {
      const want =
        ((buf[dataEnd]! << 24) | (buf[dataEnd + 1]! << 16) | (buf[dataEnd + 2]! << 8) | buf[dataEnd + 3]!) >>>
        0;
      const actual = crc32c(buf, encAt, dataEnd);
      if (want !== actual) {
        throw new Error(
          `${seg.path}: chunk at offset ${off}: checksum mismatch expected:${want.toString(16)}, actual:${actual.toString(16)}`,
        );
      }
      if (inWindow) verified!.add(off);
    }
    this.located = buf;
    this.encAt = encAt;
    this.dataLen = len;
    this.chunkSize = total;
  }

  /**
   * The cached window holding `off` of segment `si`, read on a miss; null when
   * `off` is too close to the window's end to hold a chunk's header.
   */
  private window(
    si: number,
    seg: Segment,
    off: number,
  ): { buf: Uint8Array; start: number; verified: Set<number> } | null {
    const wi = Math.floor(off / WINDOW);
    const start = wi * WINDOW;
    const key = this.id * 2 ** 32 + si * 2 ** 20 + wi;
    let w = key === this.lastKey ? this.lastWindow : windowCache.get(key);
    if (w !== undefined) {
      w.used = true;
    } else {
      const size = Math.min(WINDOW, seg.size - start);
      const buf = new Uint8Array(size);
      if (readSync(seg.fd, buf, 0, size, start) < size)
        throw new Error(`${seg.path}: short read at offset ${start}`);
      w = { buf, verified: new Set(), used: false };
      windowCache.set(key, w);
      windowCacheBytes += size;
      evictWindows();
    }
    this.lastKey = key;
    this.lastWindow = w;
    const buf = w.buf;
    // A chunk starting in the last bytes may continue in the next window: read it directly.
    if (
      off - start + MAX_CHUNK_LENGTH_FIELD_SIZE + CHUNK_ENCODING_SIZE > buf.length &&
      start + buf.length < seg.size
    ) {
      return null;
    }
    return { buf, start, verified: w.verified };
  }

  close(): void {
    if (this.closed) return;
    this.lastWindow = undefined;
    this.lastKey = -1;
    const lo = this.id * 2 ** 32;
    for (const [key, w] of windowCache) {
      if (key < lo || key >= lo + 2 ** 32) continue;
      windowCache.delete(key);
      windowCacheBytes -= w.buf.length;
    }
    this.closed = true;
    for (const s of this.segments) closeSync(s.fd);
  }
}

/** Checks a chunk's stored CRC32C (over its encoding byte and data). */
export function verifyChunk(encoding: number, data: Uint8Array, crc: number): boolean {
  const one = Uint8Array.of(encoding);
  return crc32c(data, 0, data.length, crc32c(one)) === crc >>> 0;
}
