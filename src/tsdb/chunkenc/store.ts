/**
 * ChunkStore: where the head keeps the bytes of all its XOR chunks, in a few
 * large ArrayBuffer slabs instead of one object per chunk, so millions of
 * chunks cost the garbage collector nothing.
 *
 * Each slab is cut into equal slots of one size class (16, 24, 32, 48, …
 * bytes: powers of two and the halves between them, up to 2 MiB); each class
 * has a bump pointer into its newest slab and a typed-array stack of freed
 * slots. A slab whose last slot is freed is let go (one is kept spare for the
 * next slab of any class): open chunks grow through the classes in lockstep,
 * every series a sample per scrape, so without that each class a chunk
 * outgrew would stay reserved, empty, for good. A chunk is named by a
 * handle, a plain number:
 *
 *   open chunk:   slab * 2^16 + slot                      (< 2^32)
 *   sealed chunk: byteLength * 2^32 + slab * 2^16 + slot  (>= 2^33)
 *
 * Handles are never negative, so -1 can serve as "no chunk".
 *
 * An open chunk's slot starts with a 32-byte header holding the XOR appender
 * state (positions are relative to the chunk, so a slot can be copied into a
 * bigger class as is), followed by the chunk bytes:
 *
 *   0 t f64 | 8 tDelta f64 | 16 vHi i32 | 20 vLo i32 | 24 nbits i32 |
 *   28 leading u8 | 29 trailing u8 | 30 unused | 32 chunk bytes …
 *
 * A sealed slot holds only the chunk bytes; its length is in the handle.
 */
import type { SampleIterator } from "../../storage/interface.ts";
import {
  floatFromBits,
  MAX_XOR_SAMPLE_BYTES,
  MAX_XOR_SAMPLES,
  NO_LEADING,
  XORAppender,
  XORIterator,
} from "./xor.ts";

const HDR = 32;
const SLAB_BYTES = 1 << 20;
const MAX_SLABS = 1 << 16;
const TWO32 = 4294967296;
/** Sealed lengths live in the handle's top 21 bits. */
const MAX_SEALED_BYTES = (1 << 21) - 1;

const CLASS_SIZE: number[] = [];
for (let p = 16; p <= 1 << 21; p *= 2) {
  CLASS_SIZE.push(p);
  if (p < 1 << 21) CLASS_SIZE.push(p + p / 2);
}
const NUM_CLASSES = CLASS_SIZE.length;
const SLOTS_PER_SLAB = CLASS_SIZE.map((s) => Math.max(1, Math.floor(SLAB_BYTES / s)));

function classFor(bytes: number): number {
  for (let c = 0; c < NUM_CLASSES; c++) if (CLASS_SIZE[c]! >= bytes) return c;
  throw new RangeError(`ChunkStore: no size class holds ${bytes} bytes`);
}

const OPEN_CLASS = classFor(HDR + 2 + MAX_XOR_SAMPLE_BYTES);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);

export interface ChunkStoreStats {
  /** Slabs currently allocated. */
  slabs: number;
  /** Bytes of all slabs. */
  bytesReserved: number;
  /** Bytes of all slots in use (by size class, so including slack). */
  bytesUsed: number;
}

export class ChunkStore {
  private u8s: Uint8Array[] = [];
  private f64s: Float64Array[] = [];
  private i32s: Int32Array[] = [];
  private readonly slabClass = new Uint8Array(MAX_SLABS);
  /** Slots in use per slab. */
  private readonly slabLive = new Int32Array(MAX_SLABS);
  /** An emptied multi-slot slab's buffer, kept for the next new slab (see the file comment). */
  private spare: ArrayBuffer | null = null;
  private readonly freeSlabs: number[] = [];
  private liveSlabs = 0;
  private bytesReserved = 0;
  private bytesUsed = 0;

  // Per class: stack of freed slot handles and the bump region of the newest slab.
  private readonly freeStacks: Uint32Array[] = CLASS_SIZE.map(() => new Uint32Array(64));
  private readonly freeTop = new Int32Array(NUM_CLASSES);
  private readonly bumpSlab = new Int32Array(NUM_CLASSES).fill(-1);
  private readonly bumpNext = new Int32Array(NUM_CLASSES);

  private readonly cur = new XORAppender();

  /** True if `h` names a sealed (read-only) chunk. */
  static isSealed(h: number): boolean {
    return h >= TWO32;
  }

  /** Byte length of a sealed chunk, from its handle alone. */
  static sealedLength(h: number): number {
    return Math.floor(h / TWO32);
  }

  /**
   * A new, empty open XOR chunk. `sizeHint` is the byte length the chunk is
   * expected to reach (e.g. the series' previous chunk): a slot that fits it
   * from the start saves the copies and freed slots of growing step by step.
   */
  open(sizeHint = 0): number {
    const c =
      sizeHint > 0 ? Math.max(OPEN_CLASS, classFor(HDR + sizeHint + MAX_XOR_SAMPLE_BYTES)) : OPEN_CLASS;
    const h = this.alloc(c);
    const slab = h >>> 16;
    const off = (h & 0xffff) * CLASS_SIZE[c]!;
    const f64 = this.f64s[slab]!;
    const i32 = this.i32s[slab]!;
    const u8 = this.u8s[slab]!;
    f64[off >> 3] = 0;
    f64[(off >> 3) + 1] = 0;
    const o4 = off >> 2;
    i32[o4 + 4] = 0;
    i32[o4 + 5] = 0;
    i32[o4 + 6] = 16;
    u8[off + 28] = NO_LEADING;
    u8[off + 29] = 0;
    u8[off + HDR] = 0;
    u8[off + HDR + 1] = 0;
    return h;
  }

  /**
   * Appends a sample to an open chunk; returns its handle, which changes when
   * the chunk had to move to a bigger slot. Timestamps must increase (the head
   * checks); throws when the chunk already holds 65535 samples.
   */
  append(h: number, t: number, v: number): number {
    if (h >= TWO32) throw new Error("ChunkStore.append: chunk is sealed");
    let slab = h >>> 16;
    let size = CLASS_SIZE[this.slabClass[slab]!]!;
    let off = (h & 0xffff) * size;
    let u8 = this.u8s[slab]!;
    let i32 = this.i32s[slab]!;
    let o4 = off >> 2;
    const nbits = i32[o4 + 6]!;
    // Before any move, so a throw leaves the caller's handle valid.
    if (((u8[off + HDR]! << 8) | u8[off + HDR + 1]!) === MAX_XOR_SAMPLES) {
      throw new RangeError("ChunkStore.append: chunk already holds 65535 samples");
    }
    if (HDR + ((nbits + 7) >>> 3) + MAX_XOR_SAMPLE_BYTES > size) {
      h = this.grow(h, off, size, nbits);
      slab = h >>> 16;
      size = CLASS_SIZE[this.slabClass[slab]!]!;
      off = (h & 0xffff) * size;
      u8 = this.u8s[slab]!;
      i32 = this.i32s[slab]!;
      o4 = off >> 2;
    }
    const start = off + HDR;
    const f64 = this.f64s[slab]!;
    const o8 = off >> 3;
    const a = this.cur;
    a.buf = u8;
    a.start = start;
    a.nbits = nbits;
    a.t = f64[o8]!;
    a.tDelta = f64[o8 + 1]!;
    a.vHi = i32[o4 + 4]!;
    a.vLo = i32[o4 + 5]!;
    a.leading = u8[off + 28]!;
    a.trailing = u8[off + 29]!;
    a.append(t, v);
    f64[o8] = a.t;
    f64[o8 + 1] = a.tDelta;
    i32[o4 + 4] = a.vHi;
    i32[o4 + 5] = a.vLo;
    i32[o4 + 6] = a.nbits;
    u8[off + 28] = a.leading;
    u8[off + 29] = a.trailing;
    return h;
  }

  /** Moves an open slot to the next class with room for one more sample. */
  private grow(h: number, off: number, size: number, nbits: number): number {
    const used = HDR + ((nbits + 7) >>> 3);
    const c = classFor(Math.max(used + MAX_XOR_SAMPLE_BYTES, size + 1));
    const nh = this.alloc(c);
    const src = this.u8s[h >>> 16]!;
    const dst = this.u8s[nh >>> 16]!;
    dst.set(src.subarray(off, off + used), (nh & 0xffff) * CLASS_SIZE[c]!);
    this.free(h);
    return nh;
  }

  /** Turns an open chunk into a sealed one in the smallest class that fits; returns the new handle. */
  seal(h: number): number {
    if (h >= TWO32) return h;
    const slab = h >>> 16;
    const off = (h & 0xffff) * CLASS_SIZE[this.slabClass[slab]!]!;
    const len = (this.i32s[slab]![(off >> 2) + 6]! + 7) >>> 3;
    const nh = this.copyIn(this.u8s[slab]!, off + HDR, len);
    this.free(h);
    return nh;
  }

  /** Stores a copy of finished chunk bytes (e.g. read back from disk) as a sealed chunk. */
  add(bytes: Uint8Array): number {
    return this.copyIn(bytes, 0, bytes.length);
  }

  private copyIn(src: Uint8Array, start: number, len: number): number {
    if (len > MAX_SEALED_BYTES) throw new RangeError(`ChunkStore: chunk of ${len} bytes is too large`);
    const c = classFor(len);
    const lo = this.alloc(c);
    // alloc may have added a slab; read the destination after it.
    this.u8s[lo >>> 16]!.set(src.subarray(start, start + len), (lo & 0xffff) * CLASS_SIZE[c]!);
    return len * TWO32 + lo;
  }

  /** Releases a chunk; its handle must not be used again. */
  free(h: number): void {
    const lo = h >>> 0;
    const slab = lo >>> 16;
    const c = this.slabClass[slab]!;
    if (this.u8s[slab]!.length === 0) throw new Error(`ChunkStore.free: handle ${h} is not allocated`);
    this.bytesUsed -= CLASS_SIZE[c]!;
    if (--this.slabLive[slab]! === 0) {
      this.releaseSlab(slab, c);
      return;
    }
    let stack = this.freeStacks[c]!;
    const top = this.freeTop[c]!;
    if (top === stack.length) {
      const next = new Uint32Array(stack.length * 2);
      next.set(stack);
      this.freeStacks[c] = stack = next;
    }
    stack[top] = lo;
    this.freeTop[c] = top + 1;
  }

  private alloc(c: number): number {
    this.bytesUsed += CLASS_SIZE[c]!;
    const top = this.freeTop[c]!;
    if (top > 0) {
      this.freeTop[c] = top - 1;
      const lo = this.freeStacks[c]![top - 1]!;
      this.slabLive[lo >>> 16]!++;
      return lo;
    }
    let slab = this.bumpSlab[c]!;
    if (slab < 0 || this.bumpNext[c]! >= SLOTS_PER_SLAB[c]!) {
      slab = this.newSlab(c);
      this.bumpSlab[c] = slab;
      this.bumpNext[c] = 0;
    }
    const slot = this.bumpNext[c]!;
    this.bumpNext[c] = slot + 1;
    this.slabLive[slab]!++;
    return slab * 65536 + slot;
  }

  /** Gives back a slab none of whose slots is in use, dropping its slots from the free stack. */
  private releaseSlab(slab: number, c: number): void {
    const stack = this.freeStacks[c]!;
    let top = this.freeTop[c]!;
    for (let i = 0; i < top; ) {
      if (stack[i]! >>> 16 === slab) stack[i] = stack[--top]!;
      else i++;
    }
    this.freeTop[c] = top;
    const buf = this.u8s[slab]!.buffer as ArrayBuffer;
    if (SLOTS_PER_SLAB[c]! > 1 && this.spare === null) this.spare = buf;
    else this.bytesReserved -= buf.byteLength;
    this.u8s[slab] = EMPTY_U8;
    this.f64s[slab] = EMPTY_F64;
    this.i32s[slab] = EMPTY_I32;
    this.freeSlabs.push(slab);
    this.liveSlabs--;
    if (this.bumpSlab[c] === slab) this.bumpSlab[c] = -1;
  }

  private newSlab(c: number): number {
    // Multi-slot slabs are all SLAB_BYTES long, so a spare one fits any class.
    const multi = SLOTS_PER_SLAB[c]! > 1;
    const bytes = multi ? SLAB_BYTES : CLASS_SIZE[c]!;
    let slab = this.freeSlabs.pop();
    if (slab === undefined) {
      slab = this.u8s.length;
      if (slab >= MAX_SLABS) throw new RangeError("ChunkStore: out of slabs");
      this.u8s.push(EMPTY_U8);
      this.f64s.push(EMPTY_F64);
      this.i32s.push(EMPTY_I32);
    }
    let ab: ArrayBuffer;
    if (multi && this.spare !== null) {
      ab = this.spare; // already counted in bytesReserved
      this.spare = null;
    } else {
      ab = new ArrayBuffer(bytes);
      this.bytesReserved += bytes;
    }
    this.u8s[slab] = new Uint8Array(ab);
    this.f64s[slab] = new Float64Array(ab);
    this.i32s[slab] = new Int32Array(ab);
    this.slabClass[slab] = c;
    this.slabLive[slab] = 0;
    this.liveSlabs++;
    return slab;
  }

  /** Byte offset of the chunk bytes of `h` in its slab. */
  private chunkStart(h: number): number {
    const lo = h >>> 0;
    const off = (lo & 0xffff) * CLASS_SIZE[this.slabClass[lo >>> 16]!]!;
    return h >= TWO32 ? off : off + HDR;
  }

  byteLength(h: number): number {
    if (h >= TWO32) return Math.floor(h / TWO32);
    const slab = h >>> 16;
    const off = (h & 0xffff) * CLASS_SIZE[this.slabClass[slab]!]!;
    return (this.i32s[slab]![(off >> 2) + 6]! + 7) >>> 3;
  }

  numSamples(h: number): number {
    const u8 = this.u8s[h >>> 16]!;
    const s = this.chunkStart(h);
    return (u8[s]! << 8) | u8[s + 1]!;
  }

  /** The chunk's bytes as upstream stores them; a view valid until the next store mutation. */
  bytes(h: number): Uint8Array {
    const s = this.chunkStart(h);
    return this.u8s[h >>> 16]!.subarray(s, s + this.byteLength(h));
  }

  /** Timestamp of the last sample of an open chunk (meaningless while it is empty). */
  lastT(h: number): number {
    const slab = h >>> 16;
    const off = (h & 0xffff) * CLASS_SIZE[this.slabClass[slab]!]!;
    return this.f64s[slab]![off >> 3]!;
  }

  /** Value of the last sample of an open chunk, bit-exact (meaningless while it is empty). */
  lastV(h: number): number {
    const slab = h >>> 16;
    const o4 = ((h & 0xffff) * CLASS_SIZE[this.slabClass[slab]!]!) >> 2;
    const i32 = this.i32s[slab]!;
    return floatFromBits(i32[o4 + 4]!, i32[o4 + 5]!);
  }

  /** An iterator over a copy of the chunk, so later appends or frees do not disturb it. */
  iterator(h: number, reuse?: SampleIterator): XORIterator {
    const it = reuse instanceof XORIterator ? reuse : new XORIterator();
    const s = this.chunkStart(h);
    it.resetCopy(this.u8s[h >>> 16]!, s, s + this.byteLength(h));
    return it;
  }

  stats(): ChunkStoreStats {
    return { slabs: this.liveSlabs, bytesReserved: this.bytesReserved, bytesUsed: this.bytesUsed };
  }
}
