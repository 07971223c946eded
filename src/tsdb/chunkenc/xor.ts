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
import { type SampleIterator, type SampleRun, ValueType } from "../../storage/interface.ts";
import {
  BitReader,
  int64Hi,
  writeBit,
  writeBits,
  writeBits64,
  writeUvarint64,
  writeVarint64,
} from "./bstream.ts";
import { XOR_WASM_BASE64 } from "./wasm/xor_wasm.ts";

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

const ValNone = ValueType.None;
const ValFloat = ValueType.Float;

/**
 * Iterates an XOR chunk. The chunk is decoded in one pass when the iterator is
 * reset, into typed arrays the iterator owns and reuses: a tight loop over
 * local variables decodes several times faster than a sample-at-a-time state
 * machine, nearly every reader wants most of a chunk's samples, and the chunk's
 * bytes may change or be freed afterwards without harm.
 */
export class XORIterator implements SampleIterator {
  private ts = new Float64Array(128);
  private vs = new Float64Array(128);
  private n = 0;
  private i = -1;
  /** Past the last sample; `i` then stays on the last one, as upstream's iterator does. */
  private done = false;
  private error: Error | null = null;

  constructor(bytes?: Uint8Array) {
    if (bytes) this.reset(bytes);
  }

  /** Restarts over a chunk's bytes. */
  reset(bytes: Uint8Array): void {
    this.resetCopy(bytes, 0, bytes.length);
  }

  /** Restarts over the chunk `src[start, end)`. */
  resetCopy(src: Uint8Array, start: number, end: number): void {
    this.i = -1;
    this.done = false;
    this.error = null;
    this.n = 0;
    if (end - start < 2) {
      this.error = new Error("XOR chunk too short for its header");
      return;
    }
    const total = (src[start]! << 8) | src[start + 1]!;
    if (total > this.ts.length) {
      this.ts = new Float64Array(total);
      this.vs = new Float64Array(total);
    }
    const got = decodeXOR(src, start + 2, end, total, this.ts, this.vs);
    if (got >= 0) {
      this.n = got;
      return;
    }
    // Serve what decoded before the damage, then report it.
    this.n = decodedBeforeError;
    this.error = new Error(
      got === DECODE_BAD_BITS ? "invalid XOR chunk: leading and significant bits exceed 64" : "EOF",
    );
  }

  atT(): number {
    return this.ts[this.i]!;
  }

  atV(): number {
    return this.vs[this.i]!;
  }

  err(): Error | null {
    return this.done ? this.error : null;
  }

  /**
   * Like upstream: never moves backwards, stays put when already at or after
   * `t` (even once exhausted, where the current sample is the last one).
   */
  seek(t: number): ValueType {
    const ts = this.ts;
    const n = this.n;
    const i = this.i;
    if (i >= 0 && ts[i]! >= t) return ValFloat;
    if (this.done) return ValNone;
    // Gallop, then bisect: seeks usually land a few samples ahead.
    let lo = i + 1;
    let hi = lo;
    let step = 1;
    while (hi < n && ts[hi]! < t) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    lo = firstAtOrAfter(ts, lo, Math.min(hi, n), t);
    if (lo >= n) {
      this.i = n - 1;
      this.done = true;
      return ValNone;
    }
    this.i = lo;
    return ValFloat;
  }

  /** Appends the samples with `mint <= t <= maxt` to `out` in one copy. */
  readRange(mint: number, maxt: number, out: SampleRun): void {
    const ts = this.ts;
    const n = this.n;
    const lo = firstAtOrAfter(ts, 0, n, mint);
    // Timestamps are integers: the first one after maxt is the first at or after maxt + 1.
    const end = n > 0 && ts[n - 1]! > maxt ? firstAtOrAfter(ts, lo, n, maxt + 1) : n;
    out.append(ts, this.vs, lo, end);
    this.i = n - 1;
    this.done = true;
  }

  next(): ValueType {
    if (this.done) return ValNone;
    if (this.i + 1 >= this.n) {
      this.done = true;
      return ValNone;
    }
    this.i++;
    return ValFloat;
  }
}

/**
 * The WebAssembly decoder (./wasm/xor.wat): the same algorithm with native
 * 64-bit integers, several times faster than the JS loop below, which stays
 * for chunks too large for its buffers and for hosts without WebAssembly.
 */
interface WasmDecoder {
  decode(len: number, total: number, t0: number, d1: number, vhi: number, vlo: number, pos: number): number;
  decoded: { value: number };
  in: Uint8Array;
  ts: Float64Array;
  vs: Float64Array;
}

const WASM_TS = 1 << 20;
const WASM_VS = WASM_TS + (1 << 19);
/** Input room, less the 9 bytes the decoder may read past a stream's end. */
const WASM_MAX_INPUT = WASM_TS - 16;
const WASM_MAX_SAMPLES = 1 << 16;

/** The parts of the WebAssembly API used here (TypeScript's ES libs do not declare it; Node has it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

function loadWasm(): WasmDecoder | null {
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) return null;
    const inst = new api.Instance(new api.Module(Buffer.from(XOR_WASM_BASE64, "base64")), {});
    const ex = inst.exports as {
      mem: { buffer: ArrayBuffer };
      decode: WasmDecoder["decode"];
      decoded: { value: number };
    };
    const buf = ex.mem.buffer;
    return {
      decode: ex.decode,
      decoded: ex.decoded,
      in: new Uint8Array(buf, 0, WASM_TS),
      ts: new Float64Array(buf, WASM_TS, WASM_MAX_SAMPLES),
      vs: new Float64Array(buf, WASM_VS, WASM_MAX_SAMPLES),
    };
  } catch {
    return null;
  }
}

const wasm = loadWasm();

/** True when chunks are decoded by WebAssembly. */
export const xorWasmLoaded: boolean = wasm !== null;

/** The first index in `[lo, hi)` whose timestamp is at or after `t` (`hi` if none); `ts` ascending. */
function firstAtOrAfter(ts: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const DECODE_EOF = -1;
const DECODE_BAD_BITS = -2;
/** Samples decoded before the last decodeXOR failure. */
let decodedBeforeError = 0;

/**
 * `n` (1..32) bits at bit position `pos` of `buf`, unsigned; bytes past the
 * array read as 0. Integer operations only: a 32-bit big-endian word at the
 * byte, plus a fifth byte when the bits straddle it.
 */
function bitsAt(buf: Uint8Array, pos: number, n: number): number {
  const i = pos >>> 3;
  const off = pos & 7;
  if (i + 4 >= buf.length) return bitsAtEnd(buf, pos, n);
  const w = (buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!;
  const v = (w << off) >>> (32 - n);
  if (off + n <= 32) return v >>> 0;
  return (v | (buf[i + 4]! >>> (40 - off - n))) >>> 0;
}

/** {@link bitsAt} near the end of the array, one byte at a time. */
function bitsAtEnd(buf: Uint8Array, pos: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const p = pos + k;
    const byte = p >>> 3 < buf.length ? buf[p >>> 3]! : 0;
    v = v * 2 + ((byte >>> (7 - (p & 7))) & 1);
  }
  return v;
}

/**
 * Decodes `total` samples of the XOR stream in `buf[start, end)` (after the
 * 2-byte count) into `ts`/`vs`. Returns the count, or DECODE_EOF /
 * DECODE_BAD_BITS with `decodedBeforeError` set.
 */
export function decodeXOR(
  buf: Uint8Array,
  start: number,
  end: number,
  total: number,
  ts: Float64Array,
  vs: Float64Array,
  useWasm = true,
): number {
  if (total === 0) return 0;
  const br = new BitReader(buf, start, end);
  const t0 = br.readVarint64();
  const hi0 = br.readBits(32);
  const lo0 = br.readBits(32);
  decodedBeforeError = 0;
  if (br.eof) return DECODE_EOF;
  let t = t0;
  let vHi = hi0 | 0;
  let vLo = lo0 | 0;
  // Values are written as their two 32-bit halves, straight into `vs`.
  const vw = new Uint32Array(vs.buffer, vs.byteOffset, vs.length * 2);
  ts[0] = t;
  vw[HI] = vHi;
  vw[LO] = vLo;
  if (total === 1) return 1;
  const d1 = br.readUvarintAsInt64();
  if (br.eof) {
    decodedBeforeError = 1;
    return DECODE_EOF;
  }
  const len = end - start;
  if (useWasm && wasm !== null && len <= WASM_MAX_INPUT && total <= WASM_MAX_SAMPLES) {
    wasm.in.set(buf.subarray(start, end));
    const got = wasm.decode(len, total, t0, d1, hi0, lo0, br.pos - start * 8);
    const n = got >= 0 ? got : wasm.decoded.value;
    ts.set(wasm.ts.subarray(1, n), 1);
    vs.set(wasm.vs.subarray(1, n), 1);
    if (got >= 0) return got;
    decodedBeforeError = n;
    return got === -2 ? DECODE_BAD_BITS : DECODE_EOF;
  }
  let tDelta = d1;
  let pos = br.pos;
  const endBits = end * 8;
  let leading = 0;
  let trailing = 0;
  for (let k = 1; k < total; k++) {
    // The next 32 bits hold every control field of a sample: the
    // delta-of-delta prefix, the value's control bits and a new window's
    // leading/significant counts. Only payloads take further reads.
    let w = bitsAt(buf, pos, 32);
    let used = 0;
    if (k > 1) {
      if (w >>> 31 === 0) {
        used = 1; // "0": the same delta.
      } else {
        // "10", "110", "1110" or "1111", then a 14-, 17-, 20- or 64-bit delta-of-delta.
        let sz: number;
        if (w >>> 30 === 2) {
          used = 2;
          sz = 14;
        } else if (w >>> 29 === 6) {
          used = 3;
          sz = 17;
        } else if (w >>> 28 === 14) {
          used = 4;
          sz = 20;
        } else {
          used = 4;
          sz = 64;
        }
        pos += used;
        let dod: number;
        if (sz === 64) {
          const hi = bitsAt(buf, pos, 32);
          const lo = bitsAt(buf, pos + 32, 32);
          dod = (hi | 0) * 4294967296 + lo;
        } else {
          dod = bitsAt(buf, pos, sz);
          // Negative values come back as large unsigned ones.
          if (dod > 2 ** (sz - 1)) dod -= 2 ** sz;
        }
        pos += sz;
        tDelta += dod;
        w = bitsAt(buf, pos, 32);
        used = 0;
      }
    }
    t += tDelta;
    // Value: "0" = same, "10" = reuse the window, "11" = new window.
    const c = (w << used) >>> 30;
    if (c < 2) {
      pos += used + 1;
    } else {
      if (c === 3) {
        leading = (w << (used + 2)) >>> 27;
        let mbits = (w << (used + 7)) >>> 26;
        pos += used + 13;
        if (mbits === 0) mbits = 64;
        trailing = 64 - leading - mbits;
        if (trailing < 0) {
          // Past the end of the stream this is truncation, not corruption.
          decodedBeforeError = k;
          return pos > endBits ? DECODE_EOF : DECODE_BAD_BITS;
        }
      } else {
        pos += used + 2;
      }
      const mbits = 64 - leading - trailing;
      let hi = 0;
      let lo: number;
      if (mbits > 32) {
        hi = bitsAt(buf, pos, mbits - 32);
        lo = bitsAt(buf, pos + mbits - 32, 32);
      } else {
        lo = bitsAt(buf, pos, mbits);
      }
      pos += mbits;
      const tr = trailing;
      if (tr >= 32) {
        hi = lo << (tr - 32);
        lo = 0;
      } else if (tr > 0) {
        hi = (hi << tr) | (lo >>> (32 - tr));
        lo <<= tr;
      }
      vHi ^= hi;
      vLo ^= lo;
    }
    if (pos > endBits) {
      decodedBeforeError = k;
      return DECODE_EOF;
    }
    ts[k] = t;
    vw[2 * k + HI] = vHi;
    vw[2 * k + LO] = vLo;
  }
  return total;
}

/** An iterator over `bytes`, recycling `reuse` when it is an {@link XORIterator}. */
export function xorIterator(bytes: Uint8Array, reuse?: SampleIterator): XORIterator {
  if (reuse instanceof XORIterator) {
    reuse.reset(bytes);
    return reuse;
  }
  return new XORIterator(bytes);
}
