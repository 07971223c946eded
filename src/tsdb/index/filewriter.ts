/**
 * A buffered, synchronous file writer that tracks its logical position and can
 * patch bytes already written (lengths known only after their section).
 */
import * as fs from "node:fs";

const BUFFER_SIZE = 1 << 20;

export class FileWriter {
  readonly path: string;
  private fd: number;
  private readonly buf = Buffer.allocUnsafe(BUFFER_SIZE);
  private buffered = 0;
  private flushed = 0;

  constructor(path: string) {
    this.path = path;
    // Read access too: the symbol table's checksum is computed from the bytes on disk.
    this.fd = fs.openSync(path, "w+");
  }

  /** Bytes written so far, buffered or not. */
  get pos(): number {
    return this.flushed + this.buffered;
  }

  write(b: Uint8Array): void {
    if (b.length >= BUFFER_SIZE) {
      this.flush();
      this.writeFully(b, this.flushed);
      this.flushed += b.length;
      return;
    }
    if (this.buffered + b.length > BUFFER_SIZE) this.flush();
    this.buf.set(b, this.buffered);
    this.buffered += b.length;
  }

  /** Zero bytes until the position is a multiple of `align`. */
  addPadding(align: number): void {
    const rem = this.pos % align;
    if (rem !== 0) this.write(new Uint8Array(align - rem));
  }

  /** Overwrites bytes at an earlier position. */
  writeAt(b: Uint8Array, pos: number): void {
    this.flush();
    this.writeFully(b, pos);
  }

  /** Reads back `[start, end)` of what was written, chunk by chunk. */
  readBack(start: number, end: number, fn: (chunk: Uint8Array) => void): void {
    this.flush();
    const chunk = Buffer.allocUnsafe(Math.min(BUFFER_SIZE, Math.max(end - start, 1)));
    for (let p = start; p < end; ) {
      const n = fs.readSync(this.fd, chunk, 0, Math.min(chunk.length, end - p), p);
      if (n <= 0) throw new Error(`${this.path}: short read at ${p}`);
      fn(chunk.subarray(0, n));
      p += n;
    }
  }

  flush(): void {
    if (this.buffered === 0) return;
    this.writeFully(this.buf.subarray(0, this.buffered), this.flushed);
    this.flushed += this.buffered;
    this.buffered = 0;
  }

  private writeFully(b: Uint8Array, pos: number): void {
    let off = 0;
    while (off < b.length) off += fs.writeSync(this.fd, b, off, b.length - off, pos + off);
  }

  /** Flushes, fsyncs and closes. */
  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
      fs.fsyncSync(this.fd);
    } finally {
      this.abort();
    }
  }

  /** Closes without flushing (after an error). */
  abort(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    fs.closeSync(fd);
  }
}
