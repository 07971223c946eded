/**
 * Bit streams as Prometheus' `chunkenc` bstream lays them out: bits are packed
 * MSB-first, a byte is appended as soon as one bit of it is needed, and unused
 * low bits of the last byte stay zero.
 *
 * The writer is a set of pure functions over `(buf, bitPos)` so callers can
 * keep the position in a local (or in a header inside a slab) and V8 can
 * inline them; values wider than 32 bits travel as `(hi, lo)` uint32 halves.
 * Bytes are assigned, not OR-ed, when a write starts a fresh byte, so the
 * buffer past the current position need not be zeroed.
 */

/**
 * Writes the `n` (0..32) low bits of `u`, most significant first, at bit
 * position `pos` of `buf`; returns the new position.
 */
export function writeBits(buf: Uint8Array, pos: number, u: number, n: number): number {
  while (n > 0) {
    const i = pos >>> 3;
    const used = pos & 7;
    const free = 8 - used;
    if (n >= free) {
      // Fill the rest of this byte; n - free <= 31 so the shift is exact.
      n -= free;
      const bits = (u >>> n) & (0xff >>> used);
      if (used === 0) buf[i] = bits;
      else buf[i]! |= bits;
      pos += free;
    } else {
      const bits = (u & ((1 << n) - 1)) << (free - n);
      if (used === 0) buf[i] = bits;
      else buf[i]! |= bits;
      return pos + n;
    }
  }
  return pos;
}

/** Writes one bit (any non-zero `b` is a one). */
export function writeBit(buf: Uint8Array, pos: number, b: number): number {
  const i = pos >>> 3;
  const used = pos & 7;
  const bit = b === 0 ? 0 : 0x80 >>> used;
  if (used === 0) buf[i] = bit;
  else buf[i]! |= bit;
  return pos + 1;
}

/** Writes the `n` (0..64) low bits of the 64-bit value `hi:lo` shifted right by `shift` (0..63). */
export function writeBits64(
  buf: Uint8Array,
  pos: number,
  hi: number,
  lo: number,
  n: number,
  shift: number,
): number {
  if (shift >= 32) {
    lo = hi >>> (shift - 32);
    hi = 0;
  } else if (shift > 0) {
    lo = (lo >>> shift) | (hi << (32 - shift));
    hi = hi >>> shift;
  }
  if (n > 32) {
    pos = writeBits(buf, pos, hi, n - 32);
    return writeBits(buf, pos, lo, 32);
  }
  return writeBits(buf, pos, lo, n);
}

/** Writes Go's uvarint of the uint64 `hi:lo` as whole bytes (possibly unaligned). */
export function writeUvarint64(buf: Uint8Array, pos: number, hi: number, lo: number): number {
  hi >>>= 0;
  lo >>>= 0;
  while (hi !== 0 || lo >= 0x80) {
    pos = writeBits(buf, pos, (lo & 0x7f) | 0x80, 8);
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  return writeBits(buf, pos, lo, 8);
}

/** Splits a safe integer into its int64 two's-complement halves (hi signed, lo unsigned). */
export function int64Hi(x: number): number {
  return Math.floor(x / 4294967296) | 0;
}

const POW2 = new Float64Array(64);
for (let i = 0; i < 64; i++) POW2[i] = 2 ** i;

/**
 * Reads bits MSB-first from `buf` between two bit positions. A read past the
 * end sets `eof` and yields 0 (like upstream returning io.EOF), so decoders
 * check once after a group of reads.
 */
export class BitReader {
  buf: Uint8Array;
  /** Current bit position in `buf`. */
  pos: number;
  /** Bit position where the stream ends. */
  end: number;
  eof = false;

  constructor(buf: Uint8Array = new Uint8Array(0), start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start * 8;
    this.end = end * 8;
  }

  /** Restarts over the bytes `buf[start, end)`. */
  reset(buf: Uint8Array, start = 0, end = buf.length): void {
    this.buf = buf;
    this.pos = start * 8;
    this.end = end * 8;
    this.eof = false;
  }

  readBit(): number {
    const p = this.pos;
    if (p >= this.end) {
      this.eof = true;
      return 0;
    }
    this.pos = p + 1;
    return (this.buf[p >>> 3]! >>> (7 - (p & 7))) & 1;
  }

  /** Reads `n` (0..32) bits as an unsigned number. */
  readBits(n: number): number {
    const p = this.pos;
    if (p + n > this.end) {
      this.eof = true;
      return 0;
    }
    this.pos = p + n;
    const buf = this.buf;
    let i = p >>> 3;
    const used = p & 7;
    let v = buf[i]! & (0xff >>> used);
    let have = 8 - used;
    // At most 5 bytes: v stays below 2^40, exact in a double.
    while (have < n) {
      v = v * 256 + buf[++i]!;
      have += 8;
    }
    const drop = have - n;
    if (drop === 0) return v;
    return Math.floor(v / POW2[drop]!);
  }

  readByte(): number {
    return this.readBits(8);
  }

  /**
   * Reads Go's uvarint of up to 64 bits and returns it as a signed int64
   * (two's complement), which is how XOR chunks use the second timestamp's
   * delta. Sets `eof` on truncation and `overflow` on a malformed varint.
   */
  readUvarintAsInt64(): number {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = this.readBits(8);
      if (this.eof) return 0;
      const low7 = b & 0x7f;
      if (shift < 28) lo |= low7 << shift;
      else if (shift === 28) {
        lo |= low7 << 28;
        hi = low7 >>> 4;
      } else hi |= low7 << (shift - 32);
      if (b < 0x80) return (hi | 0) * 4294967296 + (lo >>> 0);
    }
    this.eof = true;
    return 0;
  }

  /** Reads Go's zig-zag varint of up to 64 bits. */
  readVarint64(): number {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = this.readBits(8);
      if (this.eof) return 0;
      const low7 = b & 0x7f;
      if (shift < 28) lo |= low7 << shift;
      else if (shift === 28) {
        lo |= low7 << 28;
        hi = low7 >>> 4;
      } else hi |= low7 << (shift - 32);
      if (b < 0x80) {
        // Undo zig-zag: (u >>> 1) ^ -(u & 1) on the 64-bit value.
        const neg = lo & 1;
        let rlo = (lo >>> 1) | (hi << 31);
        let rhi = hi >>> 1;
        if (neg) {
          rlo = ~rlo;
          rhi = ~rhi;
        }
        return (rhi | 0) * 4294967296 + (rlo >>> 0);
      }
    }
    this.eof = true;
    return 0;
  }
}

/** Writes Go's zig-zag varint of the safe integer `x`. */
export function writeVarint64(buf: Uint8Array, pos: number, x: number): number {
  const hi = int64Hi(x);
  const lo = x >>> 0;
  const sign = hi >> 31;
  const zhi = ((hi << 1) | (lo >>> 31)) ^ sign;
  const zlo = (lo << 1) ^ sign;
  return writeUvarint64(buf, pos, zhi, zlo);
}

/** A growable bit writer for code that is not in a hot loop (tests, tools). */
export class BitWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(bits: number): void {
    const need = ((this.pos + bits + 7) >>> 3) + 1;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, (this.pos + 7) >>> 3));
    this.buf = next;
  }

  writeBit(b: number): void {
    this.ensure(1);
    this.pos = writeBit(this.buf, this.pos, b);
  }

  writeBits(u: number, n: number): void {
    this.ensure(n);
    this.pos = writeBits(this.buf, this.pos, u, n);
  }

  writeByte(b: number): void {
    this.writeBits(b, 8);
  }

  /** The bytes written so far, the last one padded with zero bits (a view). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, (this.pos + 7) >>> 3);
  }
}
