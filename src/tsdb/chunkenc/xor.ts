/**
 * The XOR ("Gorilla") float chunk, bit-exact with upstream's
 * `chunkenc.XORChunk` (see tsdb/docs/format/chunks.md):
 *
 *   num_samples uint16 BE | t0 varint | v0 64 bits | t1-t0 uvarint | v1 xor |
 *   (dod varbit | v xor)*  | zero padding to a byte
 *
 * Timestamp delta-of-deltas use the buckets 0 / 14 / 17 / 20 / 64 bits behind
 * the prefixes 0 / 10 / 110 / 1110 / 1111. A value is XOR-ed with the previous
 * one: `0` if equal; `10` + the significant bits if they fit the previous
 * leading/trailing-zero window; else `11` + 5 bits of leading zeros (capped at
 * 31) + 6 bits of significant-bit count (64 written as 0) + the bits.
 *
 * Timestamps are int64 milliseconds held in JS numbers; they must be safe
 * integers. Floats go through a shared Float64Array so NaN payloads (the
 * stale marker) keep their bits.
 */
import { type SampleIterator, ValueType } from "../../storage/interface.ts";
import {
  BitReader,
  int64Hi,
  writeBit,
  writeBits,
  writeBits64,
  writeUvarint64,
  writeVarint64,
} from "./bstream.ts";

export const Encoding = { None: 0, XOR: 1, Histogram: 2, FloatHistogram: 3 } as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** Upstream's `Encoding.String()`. */
export function encodingName(e: number): string {
  switch (e) {
    case Encoding.None:
      return "none";
    case Encoding.XOR:
      return "XOR";
    case Encoding.Histogram:
      return "histogram";
    case Encoding.FloatHistogram:
      return "floathistogram";
    default:
      return "<unknown>";
  }
}

/** The most samples a chunk can count in its uint16 header. */
export const MAX_XOR_SAMPLES = 0xffff;
/** Bytes one append can add at most (first: 10 + 8; second: 10 + 77 bits; later: 68 + 77 bits). */
export const MAX_XOR_SAMPLE_BYTES = 20;
/** Leading-zero count meaning "no window yet" (upstream's 0xff). */
export const NO_LEADING = 0xff;

// Float <-> bits scratch. Little-endian hosts keep the high word at index 1.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** High 32 bits (as int32) of a float's IEEE 754 representation. */
export function floatHi(v: number): number {
  F64[0] = v;
  return U32[HI]! | 0;
}

/** Low 32 bits (as int32) of a float's IEEE 754 representation. */
export function floatLo(v: number): number {
  F64[0] = v;
  return U32[LO]! | 0;
}

export function floatFromBits(hi: number, lo: number): number {
  U32[HI] = hi;
  U32[LO] = lo;
  return F64[0]!;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Appends samples to an XOR chunk held in `buf` starting at byte `start`.
 * The whole appender state is in plain fields so {@link ChunkStore} can load
 * it from and save it to a slot header around each append.
 *
 * The caller guarantees room for {@link MAX_XOR_SAMPLE_BYTES} more bytes and
 * that timestamps increase (upstream's appender does not check either).
 */
export class XORAppender {
  buf: Uint8Array = new Uint8Array(0);
  /** Byte offset of the chunk (its uint16 count) in `buf`. */
  start = 0;
  /** Bits written since `start`, including the 16-bit count. */
  nbits = 16;
  t = 0;
  /** Previous value's bits. */
  vHi = 0;
  vLo = 0;
  tDelta = 0;
  leading: number = NO_LEADING;
  trailing = 0;

  /** Starts a new, empty chunk at `buf[start]`. */
  reset(buf: Uint8Array, start: number): void {
    this.buf = buf;
    this.start = start;
    buf[start] = 0;
    buf[start + 1] = 0;
    this.nbits = 16;
    this.t = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.tDelta = 0;
    this.leading = NO_LEADING;
    this.trailing = 0;
  }

  numSamples(): number {
    return (this.buf[this.start]! << 8) | this.buf[this.start + 1]!;
  }

  byteLength(): number {
    return (this.nbits + 7) >>> 3;
  }

  append(t: number, v: number): void {
    const buf = this.buf;
    const start = this.start;
    const num = (buf[start]! << 8) | buf[start + 1]!;
    let pos = start * 8 + this.nbits;
    F64[0] = v;
    const hi = U32[HI]! | 0;
    const lo = U32[LO]! | 0;
    let tDelta = 0;

    if (num === 0) {
      pos = writeVarint64(buf, pos, t);
      pos = writeBits(buf, pos, hi, 32);
      pos = writeBits(buf, pos, lo, 32);
    } else if (num === 1) {
      tDelta = t - this.t;
      pos = writeUvarint64(buf, pos, int64Hi(tDelta), tDelta >>> 0);
      pos = this.writeVDelta(pos, hi, lo);
    } else {
      tDelta = t - this.t;
      const dod = tDelta - this.tDelta;
      if (dod === 0) {
        pos = writeBit(buf, pos, 0);
      } else if (dod >= -8191 && dod <= 8192) {
        pos = writeBits(buf, pos, 0b10, 2);
        pos = writeBits(buf, pos, dod, 14);
      } else if (dod >= -65535 && dod <= 65536) {
        pos = writeBits(buf, pos, 0b110, 3);
        pos = writeBits(buf, pos, dod, 17);
      } else if (dod >= -524287 && dod <= 524288) {
        pos = writeBits(buf, pos, 0b1110, 4);
        pos = writeBits(buf, pos, dod, 20);
      } else {
        pos = writeBits(buf, pos, 0b1111, 4);
        pos = writeBits(buf, pos, int64Hi(dod), 32);
        pos = writeBits(buf, pos, dod >>> 0, 32);
      }
      pos = this.writeVDelta(pos, hi, lo);
    }

    this.t = t;
    this.vHi = hi;
    this.vLo = lo;
    this.tDelta = tDelta;
    this.nbits = pos - start * 8;
    const n = num + 1;
    buf[start] = n >>> 8;
    buf[start + 1] = n & 0xff;
  }

  private writeVDelta(pos: number, hi: number, lo: number): number {
    const buf = this.buf;
    const dHi = hi ^ this.vHi;
    const dLo = lo ^ this.vLo;
    if (dHi === 0 && dLo === 0) return writeBit(buf, pos, 0);

    let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
    const trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
    // Five bits hold the count: clamp as upstream does.
    if (leading >= 32) leading = 31;

    const pl = this.leading;
    const pt = this.trailing;
    if (pl !== NO_LEADING && leading >= pl && trailing >= pt) {
      // "10": reuse the previous window.
      pos = writeBits(buf, pos, 0b10, 2);
      return writeBits64(buf, pos, dHi, dLo, 64 - pl - pt, pt);
    }
    this.leading = leading;
    this.trailing = trailing;
    const sig = 64 - leading - trailing;
    // "11", 5 bits leading, 6 bits significant count (64 wraps to 0).
    pos = writeBits(buf, pos, (0b11 << 11) | (leading << 6) | (sig & 63), 13);
    return writeBits64(buf, pos, dHi, dLo, sig, trailing);
  }
}

/** Encodes the samples as one XOR chunk (for tests, compaction and tools). */
export function encodeXOR(ts: ArrayLike<number>, vs: ArrayLike<number>): Uint8Array {
  const n = ts.length;
  if (vs.length !== n) throw new Error(`encodeXOR: ${n} timestamps but ${vs.length} values`);
  if (n > MAX_XOR_SAMPLES) throw new Error(`encodeXOR: ${n} samples exceed the chunk limit of 65535`);
  const a = new XORAppender();
  a.reset(new Uint8Array(2 + (n + 1) * MAX_XOR_SAMPLE_BYTES), 0);
  for (let i = 0; i < n; i++) a.append(ts[i]!, vs[i]!);
  return a.buf.slice(0, a.byteLength());
}

const DOD_BITS = [14, 17, 20, 64];
const ValNone = ValueType.None;
const ValFloat = ValueType.Float;

/**
 * Iterates an XOR chunk. Reads the given bytes in place; {@link resetCopy}
 * copies them into a buffer the iterator owns, for chunks that may change or
 * be freed while the iterator lives.
 */
export class XORIterator implements SampleIterator {
  private readonly br = new BitReader();
  private numTotal = 0;
  private numRead = 0;
  private t = 0;
  private val = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0;
  private trailing = 0;
  private tDelta = 0;
  private error: Error | null = null;
  private own: Uint8Array | null = null;

  constructor(bytes?: Uint8Array) {
    if (bytes) this.reset(bytes);
  }

  /** Restarts over a chunk's bytes (read in place). */
  reset(bytes: Uint8Array): void {
    this.resetRange(bytes, 0, bytes.length);
  }

  /** Restarts over a copy of `src[start, end)`, kept in a buffer reused across resets. */
  resetCopy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    let own = this.own;
    if (own === null || own.length < n) {
      own = new Uint8Array(Math.max(n, 256));
      this.own = own;
    }
    own.set(src.subarray(start, end));
    this.resetRange(own, 0, n);
  }

  private resetRange(buf: Uint8Array, start: number, end: number): void {
    this.numRead = 0;
    this.t = Number.MIN_SAFE_INTEGER;
    this.val = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0;
    this.trailing = 0;
    this.tDelta = 0;
    this.error = null;
    if (end - start < 2) {
      this.numTotal = 0;
      this.br.reset(buf, start, start);
      this.error = new Error("XOR chunk too short for its header");
      return;
    }
    this.numTotal = (buf[start]! << 8) | buf[start + 1]!;
    this.br.reset(buf, start + 2, end);
  }

  atT(): number {
    return this.t;
  }

  atV(): number {
    return this.val;
  }

  err(): Error | null {
    return this.error;
  }

  /** Like upstream: never moves backwards, stays put when already at or after `t`. */
  seek(t: number): ValueType {
    if (this.error !== null) return ValNone;
    while (t > this.t || this.numRead === 0) {
      if (this.next() === ValNone) return ValNone;
    }
    return ValFloat;
  }

  next(): ValueType {
    if (this.error !== null || this.numRead === this.numTotal) return ValNone;
    const br = this.br;

    if (this.numRead === 0) {
      const t = br.readVarint64();
      const hi = br.readBits(32);
      const lo = br.readBits(32);
      if (br.eof) return this.fail();
      this.t = t;
      this.vHi = hi | 0;
      this.vLo = lo | 0;
      this.val = floatFromBits(hi, lo);
      this.numRead = 1;
      return ValFloat;
    }

    if (this.numRead === 1) {
      const d = br.readUvarintAsInt64();
      if (br.eof) return this.fail();
      this.tDelta = d;
      this.t += d;
      return this.readValue();
    }

    // Delta-of-delta prefix: up to four bits, stopping at the first zero.
    let dod = 0;
    if (br.readBit() !== 0) {
      // Ones after the first: 0 → "10", 1 → "110", 2 → "1110", 3 → "1111".
      let ones = 0;
      while (ones < 3 && br.readBit() !== 0) ones++;
      const sz = DOD_BITS[ones]!;
      if (sz === 64) {
        const hi = br.readBits(32);
        const lo = br.readBits(32);
        dod = (hi | 0) * 4294967296 + lo;
      } else {
        dod = br.readBits(sz);
        // Negative values come back as large unsigned ones.
        if (dod > 1 << (sz - 1)) dod -= 1 << sz;
      }
    }
    if (br.eof) return this.fail();
    this.tDelta += dod;
    this.t += this.tDelta;
    return this.readValue();
  }

  private readValue(): ValueType {
    const br = this.br;
    if (br.readBit() !== 0) {
      if (br.readBit() !== 0) {
        const leading = br.readBits(5);
        let mbits = br.readBits(6);
        if (mbits === 0) mbits = 64;
        this.leading = leading;
        this.trailing = 64 - leading - mbits;
        if (this.trailing < 0) {
          this.error = new Error("invalid XOR chunk: leading and significant bits exceed 64");
          return ValNone;
        }
      }
      const tr = this.trailing;
      const mbits = 64 - this.leading - tr;
      let hi = 0;
      let lo: number;
      if (mbits > 32) {
        hi = br.readBits(mbits - 32);
        lo = br.readBits(32);
      } else {
        lo = br.readBits(mbits);
      }
      if (br.eof) return this.fail();
      if (tr >= 32) {
        hi = lo << (tr - 32);
        lo = 0;
      } else if (tr > 0) {
        hi = (hi << tr) | (lo >>> (32 - tr));
        lo <<= tr;
      }
      this.vHi ^= hi;
      this.vLo ^= lo;
      this.val = floatFromBits(this.vHi, this.vLo);
    } else if (br.eof) {
      return this.fail();
    }
    this.numRead++;
    return ValFloat;
  }

  private fail(): ValueType {
    this.error = new Error("EOF");
    return ValNone;
  }
}

/** An iterator over `bytes`, recycling `reuse` when it is an {@link XORIterator}. */
export function xorIterator(bytes: Uint8Array, reuse?: SampleIterator): XORIterator {
  if (reuse instanceof XORIterator) {
    reuse.reset(bytes);
    return reuse;
  }
  return new XORIterator(bytes);
}
