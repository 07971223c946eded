/**
 * Turns records into the bytes of a segment: fragments that never cross a
 * 32 KiB page, zero padding where fewer than 7 bytes (a header) are left in a
 * page. The output goes to one growable buffer so a whole `log()` call can be
 * written with one syscall.
 */
import { crc32c } from "../encoding/crc32c.ts";
import { FRAG_FIRST, FRAG_FULL, FRAG_LAST, FRAG_MIDDLE, PAGE_SIZE, RECORD_HEADER_SIZE } from "./segment.ts";

export class Framer {
  buf: Uint8Array;
  len = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
  }

  reset(): void {
    this.len = 0;
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private zeros(n: number): void {
    this.grow(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }

  /** Zero-pads to the end of the page if `off` (the segment offset) is inside one; returns the new offset. */
  padPage(off: number): number {
    const p = off % PAGE_SIZE;
    if (p === 0) return off;
    this.zeros(PAGE_SIZE - p);
    return off - p + PAGE_SIZE;
  }

  /**
   * Appends `rec`'s fragments for a segment whose next byte is at `off`;
   * returns the segment offset after them. A record of any length, including
   * zero, becomes at least one fragment.
   */
  frame(off: number, rec: Uint8Array): number {
    if (PAGE_SIZE - (off % PAGE_SIZE) < RECORD_HEADER_SIZE) off = this.padPage(off);
    // Worst case: a header per fragment, less than a header of padding after the last.
    const frags = Math.ceil(rec.length / (PAGE_SIZE - RECORD_HEADER_SIZE)) + 1;
    this.grow(rec.length + RECORD_HEADER_SIZE * (frags + 1));
    const buf = this.buf;
    let i = 0;
    let first = true;
    do {
      const p = off % PAGE_SIZE;
      const l = Math.min(rec.length - i, PAGE_SIZE - p - RECORD_HEADER_SIZE);
      const last = i + l === rec.length;
      const typ = first ? (last ? FRAG_FULL : FRAG_FIRST) : last ? FRAG_LAST : FRAG_MIDDLE;
      const crc = crc32c(rec, i, i + l);
      let w = this.len;
      buf[w] = typ;
      buf[w + 1] = l >>> 8;
      buf[w + 2] = l & 0xff;
      buf[w + 3] = crc >>> 24;
      buf[w + 4] = (crc >>> 16) & 0xff;
      buf[w + 5] = (crc >>> 8) & 0xff;
      buf[w + 6] = crc & 0xff;
      w += RECORD_HEADER_SIZE;
      buf.set(rec.subarray(i, i + l), w);
      this.len = w + l;
      off += RECORD_HEADER_SIZE + l;
      i += l;
      first = false;
      // Too little room for another header: the rest of the page is padding.
      if (PAGE_SIZE - (off % PAGE_SIZE) < RECORD_HEADER_SIZE) off = this.padPage(off);
    } while (i < rec.length);
    return off;
  }
}
