/**
 * A growable big-endian byte writer with Go's varint encodings, the building
 * block of Prometheus' index, tombstone and WAL record formats.
 */
export class Encbuf {
  buf: Uint8Array;
  len = 0;
  private view: DataView;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.len = 0;
  }

  /** The bytes written so far (a view, valid until the next write). */
  get(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  putByte(b: number): void {
    this.grow(1);
    this.buf[this.len++] = b;
  }

  putBytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  putBE32(v: number): void {
    this.grow(4);
    this.view.setUint32(this.len, v >>> 0);
    this.len += 4;
  }

  /** A 64-bit big-endian unsigned integer from a non-negative safe integer. */
  putBE64(v: number): void {
    this.grow(8);
    this.view.setUint32(this.len, Math.floor(v / 0x100000000));
    this.view.setUint32(this.len + 4, v >>> 0);
    this.len += 8;
  }

  /** A 64-bit big-endian IEEE 754 double. */
  putBE64Float(v: number): void {
    this.grow(8);
    this.view.setFloat64(this.len, v);
    this.len += 8;
  }

  /** Go's binary.PutUvarint for a non-negative safe integer. */
  putUvarint(v: number): void {
    this.grow(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** Go's binary.PutVarint (zig-zag) for a safe integer. */
  putVarint(v: number): void {
    this.putUvarint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  /** A uvarint length followed by the string's UTF-8 bytes. */
  putUvarintStr(s: string): void {
    const n = Buffer.byteLength(s);
    this.putUvarint(n);
    this.grow(n);
    this.len += Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(s, this.len, "utf8");
  }

  /** Overwrites 4 bytes at `offset` (for lengths known only after the content). */
  setBE32(offset: number, v: number): void {
    this.view.setUint32(offset, v >>> 0);
  }
}
