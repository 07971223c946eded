/**
 * Writes a block's chunk segment files, synchronously, through one write
 * buffer. A new segment is cut when the next chunk (counted with the longest
 * length field) would push a non-empty segment past the segment size, as
 * upstream's `chunks.Writer` does; a chunk larger than a segment still goes
 * into a segment of its own.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from "node:fs";
import { crc32c } from "../encoding/crc32c.ts";
import {
  blockChunkRef,
  CHUNK_ENCODING_SIZE,
  CHUNKS_FORMAT_V1,
  CRC_SIZE,
  DEFAULT_CHUNK_SEGMENT_SIZE,
  isSegmentName,
  MAGIC_CHUNKS,
  MAX_CHUNK_LENGTH_FIELD_SIZE,
  SEGMENT_HEADER_SIZE,
  segmentFile,
} from "./format.ts";

const WRITE_BUFFER_SIZE = 1 << 20;

export interface ChunkWriterOptions {
  /** Maximum segment file size in bytes (default 512 MiB); at most 2^32. */
  segmentSize?: number;
}

export class ChunkWriter {
  readonly dir: string;
  private readonly segmentSize: number;
  private dirFd: number;
  private fd = -1;
  /** Segments cut so far; the current one has index `segments - 1` in refs. */
  private segments = 0;
  /** Next sequence number for a segment file name. */
  private nextSeq: number;
  /** Bytes in the current segment, buffered ones included. */
  private n = 0;
  private readonly wbuf = Buffer.allocUnsafe(WRITE_BUFFER_SIZE);
  private wlen = 0;
  private closed = false;

  constructor(dir: string, opts: ChunkWriterOptions = {}) {
    const size = opts.segmentSize ?? DEFAULT_CHUNK_SEGMENT_SIZE;
    if (!(size > SEGMENT_HEADER_SIZE && size <= 4294967296)) {
      throw new RangeError(`ChunkWriter: invalid segment size ${size}`);
    }
    this.dir = dir;
    this.segmentSize = size;
    mkdirSync(dir, { recursive: true });
    let max = 0;
    for (const name of readdirSync(dir)) if (isSegmentName(name)) max = Math.max(max, Number(name));
    this.nextSeq = max + 1;
    this.dirFd = openSync(dir, "r");
  }

  /** Appends one chunk; returns its reference (segment index * 2^32 + offset). */
  writeChunk(encoding: number, data: Uint8Array): number {
    if (this.closed) throw new Error("ChunkWriter: closed");
    const len = data.length;
    const maxSize = MAX_CHUNK_LENGTH_FIELD_SIZE + CHUNK_ENCODING_SIZE + len + CRC_SIZE;
    if (this.fd < 0 || (this.n > SEGMENT_HEADER_SIZE && this.n + maxSize > this.segmentSize)) this.cut();
    const ref = blockChunkRef(this.segments - 1, this.n);

    // Length field, encoding byte and (when it fits) the data go through the buffer.
    if (this.wlen + MAX_CHUNK_LENGTH_FIELD_SIZE + CHUNK_ENCODING_SIZE > WRITE_BUFFER_SIZE) this.flush();
    const b = this.wbuf;
    const start = this.wlen;
    let w = start;
    let l = len;
    while (l >= 0x80) {
      b[w++] = (l & 0x7f) | 0x80;
      l >>>= 7;
    }
    b[w++] = l;
    const encAt = w;
    b[w++] = encoding;
    let crc: number;
    if (w + len + CRC_SIZE <= WRITE_BUFFER_SIZE) {
      b.set(data, w);
      w += len;
      crc = crc32c(b, encAt, w);
      this.wlen = w;
    } else {
      crc = crc32c(data, 0, len, crc32c(b, encAt, w));
      this.wlen = w;
      this.flush();
      this.writeAll(data);
    }
    if (this.wlen + CRC_SIZE > WRITE_BUFFER_SIZE) this.flush();
    b.writeUInt32BE(crc, this.wlen);
    this.wlen += CRC_SIZE;
    this.n += encAt - start + CHUNK_ENCODING_SIZE + len + CRC_SIZE;
    return ref;
  }

  private cut(): void {
    this.finalizeTail();
    const path = segmentFile(this.dir, this.nextSeq);
    this.fd = openSync(path, "wx");
    this.nextSeq++;
    this.segments++;
    fsyncSync(this.dirFd);
    this.wbuf.writeUInt32BE(MAGIC_CHUNKS, 0);
    this.wbuf[4] = CHUNKS_FORMAT_V1;
    this.wbuf[5] = 0;
    this.wbuf[6] = 0;
    this.wbuf[7] = 0;
    this.wlen = SEGMENT_HEADER_SIZE;
    this.n = SEGMENT_HEADER_SIZE;
  }

  private flush(): void {
    if (this.wlen === 0) return;
    this.writeAll(this.wbuf.subarray(0, this.wlen));
    this.wlen = 0;
  }

  private writeAll(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
  }

  private finalizeTail(): void {
    if (this.fd < 0) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Flushes, fsyncs and closes the last segment, then fsyncs the directory. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.finalizeTail();
      fsyncSync(this.dirFd);
    } finally {
      if (this.fd >= 0) closeSync(this.fd);
      this.fd = -1;
      closeSync(this.dirFd);
      this.dirFd = -1;
    }
  }
}
