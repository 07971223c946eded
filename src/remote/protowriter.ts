/**
 * A small, reusable protobuf writer for the remote-write hot path: one
 * growable buffer kept across requests, varints written with integer
 * arithmetic (no BigInt for the non-negative values remote write carries),
 * doubles through a shared DataView. Nested messages are written by the caller
 * computing their size first ({@link varintSize}), so nothing is patched.
 */

const utf8 = new TextEncoder();

/** Bytes of `v` as an unsigned varint (v a non-negative integer below 2^53). */
export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 4;
  let x = Math.floor(v / 0x10000000);
  while (x > 0) {
    n++;
    x = Math.floor(x / 128);
  }
  return n;
}

/** Bytes of an int64 varint: ten for negatives (two's complement). */
export function int64Size(v: number): number {
  return v < 0 ? 10 : varintSize(v);
}

/** Appends protobuf wire data to one growable buffer; `reset` to reuse it. */
export class ProtoWriter {
  buf: Uint8Array;
  len = 0;
  private view: DataView;

  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.len = 0;
  }

  /** The bytes written (a view, valid until the next write or reset). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** An unsigned varint; the caller reserved room (at most 10 bytes). */
  uvarint(v: number): void {
    const buf = this.buf;
    let p = this.len;
    if (v < 0x80000000) {
      let x = v >>> 0;
      while (x >= 0x80) {
        buf[p++] = (x & 0x7f) | 0x80;
        x >>>= 7;
      }
      buf[p++] = x;
    } else {
      // Up to 2^53: the low 28 bits as four groups, then the rest with 32-bit arithmetic.
      let lo = v % 0x10000000;
      let hi = (v - lo) / 0x10000000;
      for (let i = 0; i < 4; i++) {
        buf[p++] = (lo & 0x7f) | 0x80;
        lo >>>= 7;
      }
      while (hi >= 0x80) {
        buf[p++] = (hi & 0x7f) | 0x80;
        hi >>>= 7;
      }
      buf[p++] = hi;
    }
    this.len = p;
  }

  /** An int64 varint (negatives as ten bytes of two's complement). */
  int64(v: number): void {
    if (v >= 0) {
      this.uvarint(v);
      return;
    }
    // Two's complement from 32-bit halves.
    let lo = (v % 0x100000000) >>> 0;
    let hi = Math.floor(v / 0x100000000) >>> 0;
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < 9; i++) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = (lo >>> 7) | ((hi & 0x7f) << 25);
      hi >>>= 7;
    }
    buf[p++] = lo & 0x01;
    this.len = p;
  }

  /** A little-endian IEEE 754 double. */
  double(v: number): void {
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
  }

  byte(b: number): void {
    this.buf[this.len++] = b;
  }

  /** Raw bytes (the caller reserved room). */
  raw(src: Uint8Array): void {
    this.buf.set(src, this.len);
    this.len += src.length;
  }

  /** `src[off, off + len)`, without a view object for short runs (a series' labels, per sample). */
  rawRange(src: Uint8Array, off: number, len: number): void {
    const buf = this.buf;
    const at = this.len;
    if (len <= 128) for (let i = 0; i < len; i++) buf[at + i] = src[off + i]!;
    else buf.set(src.subarray(off, off + len), at);
    this.len = at + len;
  }

  /** A length-delimited string field `field`. */
  stringField(field: number, s: string): void {
    this.ensure(s.length * 3 + 16);
    this.uvarint((field << 3) | 2);
    // Reserve one length byte for short strings, else measure first.
    if (s.length < 43) {
      const at = this.len++;
      const { written } = utf8.encodeInto(s, this.buf.subarray(this.len));
      if (written < 128) {
        this.buf[at] = written;
        this.len += written;
        return;
      }
      this.len = at;
    }
    const b = utf8.encode(s);
    this.uvarint(b.length);
    this.raw(b);
  }
}

/** The UTF-8 bytes of a message `field` holding `payload` (tag, length, payload). */
export function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  const w = new ProtoWriter(payload.length + 16);
  w.uvarint((field << 3) | 2);
  w.uvarint(payload.length);
  w.raw(payload);
  return w.bytes().slice();
}
