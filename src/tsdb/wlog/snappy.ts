/**
 * Decoder for snappy's block format, which Prometheus uses for compressed WAL
 * records (its default since 2.20): a uvarint decoded length, then literal and
 * back-reference copy elements. Small enough that a dependency is not worth it.
 */

export class SnappyError extends Error {
  constructor(message: string) {
    super(`snappy: ${message}`);
    this.name = "SnappyError";
  }
}

/** The decoded length stored in the block's preamble, and the preamble's size. */
export function snappyDecodedLen(src: Uint8Array): { len: number; header: number } {
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < src.length; i++) {
    const b = src[i]!;
    x += (b & 0x7f) * mul;
    if (b < 0x80) {
      if (x > 0xffffffff) break;
      return { len: x, header: i + 1 };
    }
    mul *= 128;
  }
  throw new SnappyError("corrupt input: bad length preamble");
}

/** Decodes `src` into `dst` (at least the decoded length long); returns the decoded length. */
export function snappyDecodeInto(src: Uint8Array, dst: Uint8Array): number {
  const { len, header } = snappyDecodedLen(src);
  if (dst.length < len) throw new SnappyError("destination too small");
  let s = header;
  let d = 0;
  const end = src.length;
  while (s < end) {
    const tag = src[s]!;
    let length: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        // Literal: length-1 in the tag's high 6 bits, or in 1..4 following bytes (tags 60..63).
        let l = tag >>> 2;
        s++;
        if (l >= 60) {
          const n = l - 59;
          if (s + n > end) throw new SnappyError("corrupt input: truncated literal length");
          l = 0;
          for (let i = n - 1; i >= 0; i--) l = l * 256 + src[s + i]!;
          s += n;
        }
        length = l + 1;
        if (s + length > end || d + length > len) throw new SnappyError("corrupt input: literal overruns");
        dst.set(src.subarray(s, s + length), d);
        s += length;
        d += length;
        continue;
      }
      case 1:
        if (s + 2 > end) throw new SnappyError("corrupt input: truncated copy");
        length = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | src[s + 1]!;
        s += 2;
        break;
      case 2:
        if (s + 3 > end) throw new SnappyError("corrupt input: truncated copy");
        length = 1 + (tag >>> 2);
        offset = src[s + 1]! | (src[s + 2]! << 8);
        s += 3;
        break;
      default:
        if (s + 5 > end) throw new SnappyError("corrupt input: truncated copy");
        length = 1 + (tag >>> 2);
        offset = (src[s + 1]! | (src[s + 2]! << 8) | (src[s + 3]! << 16) | (src[s + 4]! << 24)) >>> 0;
        s += 5;
    }
    if (offset === 0 || offset > d || d + length > len) throw new SnappyError("corrupt input: bad copy");
    // Copies may overlap their own output (run-length style), so go byte by byte when they do.
    if (offset >= length) dst.copyWithin(d, d - offset, d - offset + length);
    else for (let i = 0; i < length; i++) dst[d + i] = dst[d + i - offset]!;
    d += length;
  }
  if (d !== len) throw new SnappyError("corrupt input: decoded length mismatch");
  return len;
}
