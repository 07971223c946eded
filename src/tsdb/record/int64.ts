/**
 * Go int64 encodings for JS numbers over the whole int64 range. Encbuf/Decbuf's
 * varint helpers are exact only below 2^52; timestamps such as the delete API's
 * "minus infinity" (about -9.2e18) need sign-correct encodings, exact where the
 * double is exact and nearest otherwise. Small values take a fast path.
 */
import type { Decbuf } from "../encoding/decbuf.ts";
import type { Encbuf } from "../encoding/encbuf.ts";

const TWO32 = 0x100000000;
const TWO52 = 2 ** 52;
const TWO63 = 2 ** 63;

/** Go's PutVarint (zig-zag) of an int64, saturating outside the int64 range. */
export function putVarint64(enc: Encbuf, v: number): void {
  if (v > -TWO52 && v < TWO52) {
    enc.putVarint(v);
    return;
  }
  const neg = v < 0;
  let hi: number;
  let lo: number;
  if (neg ? v <= -TWO63 : v >= TWO63) {
    // Saturate: |v| = 2^63 for the minimum, 2^63 - 1 for the maximum.
    hi = neg ? 0x80000000 : 0x7fffffff;
    lo = neg ? 0 : 0xffffffff;
  } else {
    const a = neg ? -v : v;
    hi = Math.floor(a / TWO32);
    lo = a - hi * TWO32;
  }
  // u = 2|v| (positive) or 2|v| - 1 (negative), as a pair of 32-bit halves held in doubles.
  let uhi = hi * 2 + (lo >= 0x80000000 ? 1 : 0);
  let ulo = (lo * 2) % TWO32;
  if (neg) {
    if (ulo === 0) {
      ulo = TWO32 - 1;
      uhi -= 1;
    } else ulo -= 1;
  }
  while (uhi > 0 || ulo >= 0x80) {
    enc.putByte((ulo & 0x7f) | 0x80);
    ulo = ((ulo >>> 7) | ((uhi & 0x7f) << 25)) >>> 0;
    uhi = Math.floor(uhi / 128);
  }
  enc.putByte(ulo);
}

/** Go's Varint (zig-zag) from `d`, sign-correct over the whole int64 range; sets d.err on bad input. */
export function readVarint64(d: Decbuf): number {
  const buf = d.buf;
  let pos = d.pos;
  const end = d.end;
  if (d.err !== null) return 0;
  // Up to 7 bytes (49 bits) accumulate exactly in a double.
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= end) {
      d.err = "invalid size";
      return 0;
    }
    const b = buf[pos++]!;
    if (b < 0x80) {
      d.pos = pos;
      x += b * mul;
      return x % 2 === 0 ? x / 2 : -(x + 1) / 2;
    }
    x += (b & 0x7f) * mul;
    mul *= 128;
  }
  // Bits 49..63 come from at most three more bytes.
  let rest = 0;
  let rmul = 1;
  for (let i = 7; ; i++) {
    if (pos >= end) {
      d.err = "invalid size";
      return 0;
    }
    const b = buf[pos++]!;
    if (i === 9 && b > 1) {
      d.err = "varint overflows a 64-bit integer";
      return 0;
    }
    rest += (b & 0x7f) * rmul;
    rmul *= 128;
    if (b < 0x80) break;
  }
  d.pos = pos;
  const odd = x % 2;
  const half = (x - odd) / 2 + rest * 2 ** 48;
  return odd ? -half - 1 : half;
}

/** An int64 as 8 big-endian bytes (two's complement), saturating outside the int64 range. */
export function putBE64Int(enc: Encbuf, v: number): void {
  if (v >= TWO63) {
    enc.putBE32(0x7fffffff);
    enc.putBE32(0xffffffff);
    return;
  }
  if (v <= -TWO63) {
    enc.putBE32(0x80000000);
    enc.putBE32(0);
    return;
  }
  const hi = Math.floor(v / TWO32);
  enc.putBE32(hi >>> 0);
  enc.putBE32(v - hi * TWO32);
}

/** 8 big-endian bytes as a two's complement int64 (nearest double beyond 2^53). */
export function readBE64Int(d: Decbuf): number {
  if (d.err !== null) return 0;
  const pos = d.pos;
  if (pos + 8 > d.end) {
    d.err = "invalid size";
    return 0;
  }
  const b = d.buf;
  const hi = (b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!;
  const lo = ((b[pos + 4]! << 24) | (b[pos + 5]! << 16) | (b[pos + 6]! << 8) | b[pos + 7]!) >>> 0;
  d.pos = pos + 8;
  return hi * TWO32 + lo;
}
