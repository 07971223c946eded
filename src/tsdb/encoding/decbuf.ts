/**
 * A big-endian reader over a byte range with Go's varint decodings. Like
 * upstream's `encoding.Decbuf`, a read past the end or a malformed varint sets
 * `err` and yields 0 instead of throwing, so a decoder checks once at the end.
 */
export class Decbuf {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  err: string | null = null;
  private readonly view: DataView;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): boolean {
    if (this.err !== null) return false;
    if (this.pos + n > this.end) {
      this.err = "invalid size";
      return false;
    }
    return true;
  }

  byte(): number {
    if (!this.need(1)) return 0;
    return this.buf[this.pos++]!;
  }

  bytes(n: number): Uint8Array {
    if (!this.need(n)) return new Uint8Array(0);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  skip(n: number): void {
    if (this.need(n)) this.pos += n;
  }

  be32(): number {
    if (!this.need(4)) return 0;
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** A 64-bit big-endian unsigned integer; exact up to 2^53. */
  be64(): number {
    if (!this.need(8)) return 0;
    const v = this.view.getUint32(this.pos) * 0x100000000 + this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return v;
  }

  be64Float(): number {
    if (!this.need(8)) return 0;
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** Go's binary.Uvarint; exact up to 2^53. */
  uvarint(): number {
    if (this.err !== null) return 0;
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        this.err = "invalid size";
        return 0;
      }
      const b = this.buf[this.pos++]!;
      if (b < 0x80) return x + b * mul;
      x += (b & 0x7f) * mul;
      mul *= 128;
    }
    this.err = "varint overflows a 64-bit integer";
    return 0;
  }

  /** Go's binary.Varint (zig-zag). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** A uvarint length followed by that many UTF-8 bytes. */
  uvarintStr(): string {
    const n = this.uvarint();
    if (!this.need(n)) return "";
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, n).toString("utf8");
    this.pos += n;
    return s;
  }

  /** Like `uvarintStr` but returns the byte range without decoding. */
  uvarintBytes(): Uint8Array {
    const n = this.uvarint();
    return this.bytes(n);
  }
}
