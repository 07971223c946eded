/**
 * Label-set helpers shared by aggregations and binary operators: matching
 * signatures, an index of distinct label sets, and upstream's label-set hash
 * (used by `limit_ratio` to pick series the same way upstream does).
 */
import type { Labels } from "../model/labels/labels.ts";

export const METRIC_NAME = "__name__";
export const METRIC_TYPE = "__type__";
export const METRIC_UNIT = "__unit__";

/**
 * The labels two series are matched on: with `on`, only the listed labels;
 * with `ignoring`, all but the listed labels and the metric name (upstream's
 * `MatchLabels`, which also names the match group in many-to-many errors).
 */
export function matchLabels(ls: Labels, on: boolean, names: readonly string[]): Labels {
  return on ? ls.keep(...names) : ls.without(METRIC_NAME, ...names);
}

/** Assigns a dense id to each distinct label set, in order of first appearance. */
export class LabelsIndex {
  /** Label sets by id. */
  readonly labels: Labels[] = [];
  // Ids by hash; an array only when hashes collide.
  readonly #byHash = new Map<number, number | number[]>();

  get size(): number {
    return this.labels.length;
  }

  /** The id of `ls`, or -1. */
  get(ls: Labels): number {
    const e = this.#byHash.get(ls.hash());
    if (e === undefined) return -1;
    if (typeof e === "number") return this.labels[e].equals(ls) ? e : -1;
    for (const id of e) if (this.labels[id].equals(ls)) return id;
    return -1;
  }

  /** The id of `ls`, adding it when new. */
  add(ls: Labels): number {
    const h = ls.hash();
    const e = this.#byHash.get(h);
    if (e === undefined) {
      this.#byHash.set(h, this.labels.length);
      return this.labels.push(ls) - 1;
    }
    if (typeof e === "number") {
      if (this.labels[e].equals(ls)) return e;
      this.#byHash.set(h, [e, this.labels.length]);
      return this.labels.push(ls) - 1;
    }
    for (const id of e) if (this.labels[id].equals(ls)) return id;
    e.push(this.labels.length);
    return this.labels.push(ls) - 1;
  }
}

// ---- xxHash64 (seed 0) on 32-bit halves, no BigInt ----

const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

// Results of the 64-bit helpers below.
let rh = 0;
let rl = 0;

function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a48 = ah >>> 16;
  const a32 = ah & 0xffff;
  const a16 = al >>> 16;
  const a00 = al & 0xffff;
  const b48 = bh >>> 16;
  const b32 = bh & 0xffff;
  const b16 = bl >>> 16;
  const b00 = bl & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * b00 + a32 * b16 + a16 * b32 + a00 * b48;
  c48 &= 0xffff;
  rh = ((c48 << 16) | c32) >>> 0;
  rl = ((c16 << 16) | c00) >>> 0;
}

function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  rl = lo >>> 0;
  rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotate left by 0 < r < 32. */
function rotl64(h: number, l: number, r: number): void {
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** acc = rotl(acc + input*P2, 31) * P1 */
function round64(acch: number, accl: number, inh: number, inl: number): void {
  mul64(inh, inl, P2H, P2L);
  add64(acch, accl, rh, rl);
  rotl64(rh, rl, 31);
  mul64(rh, rl, P1H, P1L);
}

function readLo(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** xxHash64 with seed 0 of `b[0, len)`, as the two 32-bit halves `[hi, lo]` in `out`. */
export function xxhash64(b: Uint8Array, len: number, out: Uint32Array): void {
  let i = 0;
  let hh: number;
  let hl: number;
  if (len >= 32) {
    add64(P1H, P1L, P2H, P2L);
    let v1h = rh;
    let v1l = rl;
    let v2h = P2H;
    let v2l = P2L;
    let v3h = 0;
    let v3l = 0;
    // 0 - P1
    let v4h = ~P1H >>> 0; // P1's low half is non-zero: no carry
    let v4l = (~P1L + 1) >>> 0;
    for (; i + 32 <= len; i += 32) {
      round64(v1h, v1l, readLo(b, i + 4), readLo(b, i));
      v1h = rh;
      v1l = rl;
      round64(v2h, v2l, readLo(b, i + 12), readLo(b, i + 8));
      v2h = rh;
      v2l = rl;
      round64(v3h, v3l, readLo(b, i + 20), readLo(b, i + 16));
      v3h = rh;
      v3l = rl;
      round64(v4h, v4l, readLo(b, i + 28), readLo(b, i + 24));
      v4h = rh;
      v4l = rl;
    }
    rotl64(v1h, v1l, 1);
    hh = rh;
    hl = rl;
    rotl64(v2h, v2l, 7);
    add64(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl64(v3h, v3l, 12);
    add64(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl64(v4h, v4l, 18);
    add64(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    const vs = [v1h, v1l, v2h, v2l, v3h, v3l, v4h, v4l];
    for (let k = 0; k < 8; k += 2) {
      round64(0, 0, vs[k], vs[k + 1]);
      hh = (hh ^ rh) >>> 0;
      hl = (hl ^ rl) >>> 0;
      mul64(hh, hl, P1H, P1L);
      add64(rh, rl, P4H, P4L);
      hh = rh;
      hl = rl;
    }
  } else {
    hh = P5H;
    hl = P5L;
  }
  add64(hh, hl, 0, len);
  hh = rh;
  hl = rl;
  for (; i + 8 <= len; i += 8) {
    round64(0, 0, readLo(b, i + 4), readLo(b, i));
    hh = (hh ^ rh) >>> 0;
    hl = (hl ^ rl) >>> 0;
    rotl64(hh, hl, 27);
    mul64(rh, rl, P1H, P1L);
    add64(rh, rl, P4H, P4L);
    hh = rh;
    hl = rl;
  }
  if (i + 4 <= len) {
    mul64(0, readLo(b, i), P1H, P1L);
    hh = (hh ^ rh) >>> 0;
    hl = (hl ^ rl) >>> 0;
    rotl64(hh, hl, 23);
    mul64(rh, rl, P2H, P2L);
    add64(rh, rl, P3H, P3L);
    hh = rh;
    hl = rl;
    i += 4;
  }
  for (; i < len; i++) {
    mul64(0, b[i], P5H, P5L);
    hh = (hh ^ rh) >>> 0;
    hl = (hl ^ rl) >>> 0;
    rotl64(hh, hl, 11);
    mul64(rh, rl, P1H, P1L);
    hh = rh;
    hl = rl;
  }
  // Avalanche.
  hl = (hl ^ (hh >>> 1)) >>> 0; // h ^= h >> 33
  mul64(hh, hl, P2H, P2L);
  hh = rh;
  hl = rl;
  hl = (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0; // h ^= h >> 29
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul64(hh, hl, P3H, P3L);
  hh = rh;
  hl = rl;
  hl = (hl ^ hh) >>> 0; // h ^= h >> 32
  out[0] = hh;
  out[1] = hl;
}

const encoder = new TextEncoder();
let hashBuf = new Uint8Array(1024);
const hashOut = new Uint32Array(2);

function appendSized(s: string, at: number): number {
  // Worst case: 3 UTF-8 bytes per UTF-16 unit, plus a 4-byte size.
  const need = at + 4 + 3 * s.length;
  if (need > hashBuf.length) {
    const grown = new Uint8Array(Math.max(need, hashBuf.length * 2));
    grown.set(hashBuf.subarray(0, at));
    hashBuf = grown;
  }
  // Encode after a provisional 1-byte size; shift when the size needs 4 bytes.
  const { written } = encoder.encodeInto(s, hashBuf.subarray(at + 1));
  if (written < 255) {
    hashBuf[at] = written;
    return at + 1 + written;
  }
  hashBuf.copyWithin(at + 4, at + 1, at + 1 + written);
  hashBuf[at] = 255;
  hashBuf[at + 1] = written & 0xff;
  hashBuf[at + 2] = (written >>> 8) & 0xff;
  hashBuf[at + 3] = (written >>> 16) & 0xff;
  return at + 4 + written;
}

/**
 * Upstream's `Labels.Hash()` (its default `stringlabels` layout: each name
 * and value prefixed by its byte length, one byte below 255, else 0xff and 3
 * bytes little-endian), as `[hi, lo]` 32-bit halves.
 */
export function labelsHash64(ls: Labels, out: Uint32Array): void {
  let at = 0;
  const flat = ls.flat();
  for (let i = 0; i < flat.length; i++) at = appendSized(flat[i], at);
  xxhash64(hashBuf, at, out);
}

/**
 * Where a series falls in [0, 1] for `limit_ratio`: its label hash divided by
 * the largest uint64, as float64 (upstream's `HashRatioSampler`).
 */
export function labelsSampleOffset(ls: Labels): number {
  labelsHash64(ls, hashOut);
  // One rounding of the exact integer, as Go's uint64 -> float64 conversion.
  return (hashOut[0] * 4294967296 + hashOut[1]) / 2 ** 64;
}
