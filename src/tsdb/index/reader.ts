/**
 * Reads a v2 `index` file (tsdb/docs/format/index.md). The file is read into
 * one buffer; at open only the header, TOC, symbol table offsets and the
 * postings offset table are decoded (and their checksums verified). Series and
 * postings lists are decoded, and their checksums verified, when asked for.
 *
 * Files above 2 GiB cannot be read this way (Node's readFileSync limit).
 */
import * as fs from "node:fs";
import { Labels } from "../../model/labels/labels.ts";
import type { IndexReader as BlockIndexReader, ChunkMeta } from "../blockreader.ts";
import { crc32c } from "../encoding/crc32c.ts";
import { FORMAT_V2, HEADER_LEN, MAGIC_INDEX, SERIES_BYTE_ALIGN, TOC_LEN } from "./format.ts";
import { EMPTY_POSTINGS, merge } from "./postings.ts";

export interface TOC {
  symbols: number;
  series: number;
  labelIndices: number;
  labelIndicesTable: number;
  postings: number;
  postingsTable: number;
}

/** What {@link IndexReader.series} fills in. */
export interface SeriesOut {
  labels?: Labels;
  chunks: ChunkMeta[];
}

const EMPTY_BUFFER = Buffer.alloc(0);

/** Symbol tables up to this size keep their decoded strings (names and values) in memory. */
const MAX_CACHED_SYMBOLS = 1 << 21;

export class IndexReader implements BlockIndexReader {
  readonly path: string;
  readonly version: number;
  readonly toc: TOC;
  private b: Buffer;
  private pos = 0;

  /** File offset of each symbol's length prefix. */
  private readonly symOffsets: Float64Array;
  /** Label name symbols decoded so far (names are few and decoded for every series). */
  /** Decoded symbols by reference, filled lazily (only for tables small enough to hold). */
  private readonly symCache: (string | undefined)[];

  /** Postings offset table: label name → entry range [start, end); "" is the all-postings key. */
  private readonly nameRanges = new Map<string, { start: number; end: number }>();
  private readonly sortedNames: string[] = [];
  /** Per entry: file offset of the value's length prefix, and of its postings list. */
  private readonly entryValuePos: Float64Array;
  private readonly entryPostingsOff: Float64Array;
  /** Per entry: 1 once the postings list's checksum has been verified. */
  private readonly entryVerified: Uint8Array;
  /** End of the series section (start of what follows it). */
  private readonly seriesEnd: number;
  /**
   * One bit per possible series reference: set once its entry's checksum has
   * been verified (the file's bytes never change under a reader).
   */
  private seriesVerified: Uint8Array = new Uint8Array(0);

  private constructor(path: string, b: Buffer) {
    this.path = path;
    this.b = b;
    if (b.length < HEADER_LEN) this.fail("header", "file too short");
    const magic = b.readUInt32BE(0);
    if (magic !== MAGIC_INDEX) this.fail("header", `invalid magic number ${magic.toString(16)}`);
    this.version = b[4]!;
    if (this.version !== FORMAT_V2) {
      this.fail("header", `unsupported index format version ${this.version} (only version 2 is supported)`);
    }
    this.toc = this.readTOC();

    this.symOffsets = this.readSymbols();
    this.symCache = this.symOffsets.length <= MAX_CACHED_SYMBOLS ? new Array(this.symOffsets.length) : [];

    const entries = this.readPostingsOffsetTable();
    this.entryValuePos = entries.valuePos;
    this.entryPostingsOff = entries.postingsOff;
    this.entryVerified = new Uint8Array(entries.valuePos.length);

    let end = b.length - TOC_LEN;
    for (const off of [
      this.toc.labelIndices,
      this.toc.postings,
      this.toc.labelIndicesTable,
      this.toc.postingsTable,
    ]) {
      if (off > this.toc.series && off < end) end = off;
    }
    this.seriesEnd = end;
  }

  /** Opens and validates the index at `path`. */
  static open(path: string): IndexReader {
    return new IndexReader(path, fs.readFileSync(path));
  }

  private fail(section: string, msg: string): never {
    throw new Error(`index ${this.path}: ${section}: ${msg}`);
  }

  private readTOC(): TOC {
    const b = this.b;
    if (b.length < HEADER_LEN + TOC_LEN) this.fail("TOC", "file too short");
    const start = b.length - TOC_LEN;
    const want = b.readUInt32BE(b.length - 4);
    if (crc32c(b, start, b.length - 4) !== want) this.fail("TOC", "checksum mismatch");
    const u64 = (i: number): number => {
      const p = start + 8 * i;
      const hi = b.readUInt32BE(p);
      if (hi > 0x1fffff) this.fail("TOC", "offset out of range");
      const v = hi * 0x100000000 + b.readUInt32BE(p + 4);
      if (v > start) this.fail("TOC", `offset ${v} beyond the end of the file`);
      return v;
    };
    return {
      symbols: u64(0),
      series: u64(1),
      labelIndices: u64(2),
      labelIndicesTable: u64(3),
      postings: u64(4),
      postingsTable: u64(5),
    };
  }

  /** A `len <4b>` section at `off`: checks its bounds and trailing CRC; returns [start, end) of its content. */
  private section(off: number, what: string): [number, number] {
    const b = this.b;
    if (off + 4 > b.length) this.fail(what, `offset ${off} beyond the end of the file`);
    const len = b.readUInt32BE(off);
    const start = off + 4;
    const end = start + len;
    if (end + 4 > b.length) this.fail(what, `length ${len} at offset ${off} beyond the end of the file`);
    if (crc32c(b, start, end) !== b.readUInt32BE(end)) this.fail(what, `checksum mismatch at offset ${off}`);
    return [start, end];
  }

  private readSymbols(): Float64Array {
    if (this.toc.symbols === 0) return new Float64Array(0);
    const [start, end] = this.section(this.toc.symbols, "symbol table");
    if (end - start < 4) this.fail("symbol table", "too short");
    const count = this.b.readUInt32BE(start);
    const offsets = new Float64Array(count);
    this.pos = start + 4;
    for (let i = 0; i < count; i++) {
      offsets[i] = this.pos;
      const n = this.uvarint(end, "symbol table");
      this.pos += n;
      if (this.pos > end) this.fail("symbol table", "symbol beyond the end of the table");
    }
    return offsets;
  }

  private readPostingsOffsetTable(): { valuePos: Float64Array; postingsOff: Float64Array } {
    const what = "postings offset table";
    if (this.toc.postingsTable === 0)
      return { valuePos: new Float64Array(0), postingsOff: new Float64Array(0) };
    const [start, end] = this.section(this.toc.postingsTable, what);
    if (end - start < 4) this.fail(what, "too short");
    const count = this.b.readUInt32BE(start);
    const valuePos = new Float64Array(count);
    const postingsOff = new Float64Array(count);
    this.pos = start + 4;
    let name = "";
    let nameStart = 0;
    let nameEnd = -1;
    let rangeStart = 0;
    for (let i = 0; i < count; i++) {
      if (this.uvarint(end, what) !== 2) this.fail(what, `unexpected key count at entry ${i}`);
      const nlen = this.uvarint(end, what);
      const ns = this.pos;
      this.pos += nlen;
      if (nameEnd < 0 || !this.bytesEqual(ns, this.pos, nameStart, nameEnd)) {
        if (nameEnd >= 0) this.addName(name, rangeStart, i);
        name = this.b.toString("utf8", ns, this.pos);
        nameStart = ns;
        nameEnd = this.pos;
        rangeStart = i;
      }
      valuePos[i] = this.pos;
      const vlen = this.uvarint(end, what);
      this.pos += vlen;
      postingsOff[i] = this.uvarint(end, what);
      if (this.pos > end) this.fail(what, "entry beyond the end of the table");
    }
    if (nameEnd >= 0) this.addName(name, rangeStart, count);
    return { valuePos, postingsOff };
  }

  private addName(name: string, start: number, end: number): void {
    if (this.nameRanges.has(name))
      this.fail("postings offset table", `label name ${JSON.stringify(name)} not contiguous`);
    this.nameRanges.set(name, { start, end });
    if (name !== "") this.sortedNames.push(name);
  }

  private bytesEqual(s1: number, e1: number, s2: number, e2: number): boolean {
    if (e1 - s1 !== e2 - s2) return false;
    const b = this.b;
    for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
    return true;
  }

  /** Go's uvarint at `this.pos`, bounded by `end`. */
  private uvarint(end: number, what: string): number {
    const b = this.b;
    const p = this.pos;
    // Fast paths: most numbers in an index take one or two bytes.
    if (p + 1 < end) {
      const c0 = b[p]!;
      if (c0 < 0x80) {
        this.pos = p + 1;
        return c0;
      }
      const c1 = b[p + 1]!;
      if (c1 < 0x80) {
        this.pos = p + 2;
        return (c0 & 0x7f) | (c1 << 7);
      }
    }
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.fail(what, "unexpected end of data");
      const c = b[this.pos++]!;
      if (c < 0x80) return x + c * mul;
      x += (c & 0x7f) * mul;
      mul *= 128;
    }
    return this.fail(what, "varint overflows 64 bits");
  }

  private varint(end: number, what: string): number {
    const u = this.uvarint(end, what);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  // ---- Symbols -----------------------------------------------------------

  /** Number of symbols in the table. */
  get numSymbols(): number {
    return this.symOffsets.length;
  }

  /** Every symbol in order. */
  *symbols(): IterableIterator<string> {
    for (let i = 0; i < this.symOffsets.length; i++) yield this.lookupSymbol(i);
  }

  /** The symbol with the given reference (its position in the table). */
  lookupSymbol(ref: number): string {
    const off = this.symOffsets[ref];
    if (off === undefined || !Number.isInteger(ref))
      this.fail("symbol table", `unknown symbol reference ${ref}`);
    return this.strAt(off, "symbol table");
  }

  /** The length-prefixed string at `off` (leaves the cursor alone). */
  private strAt(off: number, what: string): string {
    const save = this.pos;
    this.pos = off;
    const n = this.uvarint(this.b.length, what);
    const start = this.pos;
    this.pos = save;
    if (start + n > this.b.length) this.fail(what, `string at offset ${off} beyond the end of the file`);
    return this.b.toString("utf8", start, start + n);
  }

  private cachedSymbol(ref: number): string {
    let s = this.symCache[ref];
    if (s === undefined) {
      s = this.lookupSymbol(ref);
      if (ref < this.symCache.length) this.symCache[ref] = s;
    }
    return s;
  }

  // ---- Label names and values ---------------------------------------------

  /** Label names in Go byte order (the all-postings key excluded). */
  labelNames(): string[] {
    return this.sortedNames.slice();
  }

  /** Values of `name` in Go byte order. */
  labelValues(name: string): string[] {
    const r = this.nameRanges.get(name);
    if (r === undefined) return [];
    const out: string[] = new Array(r.end - r.start);
    for (let i = r.start; i < r.end; i++) out[i - r.start] = this.entryValue(i);
    return out;
  }

  /** Same as {@link labelValues}: values are always sorted. */
  sortedLabelValues(name: string): string[] {
    return this.labelValues(name);
  }

  /** Calls `fn` with each value of `name` in order. */
  forEachValue(name: string, fn: (value: string) => void): void {
    const r = this.nameRanges.get(name);
    if (r === undefined) return;
    for (let i = r.start; i < r.end; i++) fn(this.entryValue(i));
  }

  private entryValue(i: number): string {
    return this.strAt(this.entryValuePos[i]!, "postings offset table");
  }

  /** Index of the entry for `name="value"`, or -1. Binary search on the value's bytes. */
  private findEntry(name: string, value: string): number {
    const r = this.nameRanges.get(name);
    if (r === undefined) return -1;
    const target = Buffer.from(value, "utf8");
    let lo = r.start;
    let hi = r.end;
    const b = this.b;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      this.pos = this.entryValuePos[mid]!;
      const n = this.uvarint(b.length, "postings offset table");
      const c = b.compare(target, 0, target.length, this.pos, this.pos + n);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  // ---- Postings -------------------------------------------------------------

  /**
   * Sorted references of the series having `name` set to any of `values`
   * (strings, or arrays of strings, flattened); unknown values contribute
   * nothing.
   */
  postings(name: string, ...values: Array<string | readonly string[]>): Uint32Array {
    const lists: Uint32Array[] = [];
    for (const v of values) {
      if (typeof v === "string") this.collect(name, v, lists);
      else for (const s of v) this.collect(name, s, lists);
    }
    if (lists.length === 1) return lists[0]!;
    return merge(lists);
  }

  private collect(name: string, value: string, lists: Uint32Array[]): void {
    const i = this.findEntry(name, value);
    if (i >= 0) lists.push(this.readPostings(i));
  }

  /** Sorted references of the series having `name` set to a value `match` accepts. */
  postingsForLabelMatching(name: string, match: (value: string) => boolean): Uint32Array {
    const r = this.nameRanges.get(name);
    if (r === undefined) return EMPTY_POSTINGS;
    const lists: Uint32Array[] = [];
    for (let i = r.start; i < r.end; i++) if (match(this.entryValue(i))) lists.push(this.readPostings(i));
    return merge(lists);
  }

  /** References of every series, in order. */
  postingsForAll(): Uint32Array {
    return this.postings("", "");
  }

  allPostings(): Uint32Array {
    return this.postingsForAll();
  }

  /** Block index references are ordered by labels already. */
  sortedPostings(p: Uint32Array): Uint32Array {
    return p;
  }

  private readPostings(entry: number): Uint32Array {
    const b = this.b;
    const off = this.entryPostingsOff[entry]!;
    const what = "postings";
    if (off + 8 > b.length) this.fail(what, `offset ${off} beyond the end of the file`);
    const len = b.readUInt32BE(off);
    const start = off + 4;
    const end = start + len;
    if (end + 4 > b.length) this.fail(what, `length ${len} at offset ${off} beyond the end of the file`);
    if (this.entryVerified[entry] === 0) {
      if (crc32c(b, start, end) !== b.readUInt32BE(end))
        this.fail(what, `checksum mismatch at offset ${off}`);
      this.entryVerified[entry] = 1;
    }
    const n = b.readUInt32BE(start);
    if (4 + 4 * n !== len) this.fail(what, `entry count ${n} does not match length ${len} at offset ${off}`);
    const out = new Uint32Array(n);
    for (let i = 0, p = start + 4; i < n; i++, p += 4) {
      out[i] = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    }
    return out;
  }

  // ---- Series -----------------------------------------------------------------

  /**
   * Decodes the series `ref` (its offset / 16): its labels into `out.labels`
   * (skipped when `skipLabels`) and its chunk metas into `out.chunks` (the
   * array is reused, the metas are new). False when `ref` lies outside the
   * series section; throws on corruption.
   */
  series(ref: number, out: SeriesOut, skipLabels = false, mint = -Infinity, maxt = Infinity): boolean {
    const off = ref * SERIES_BYTE_ALIGN;
    if (!Number.isInteger(ref) || off < this.toc.series || off >= this.seriesEnd || this.toc.series === 0) {
      return false;
    }
    const what = "series";
    const b = this.b;
    this.pos = off;
    const len = this.uvarint(this.seriesEnd, what);
    const start = this.pos;
    const end = start + len;
    if (end + 4 > this.seriesEnd) this.fail(what, `length ${len} at offset ${off} beyond the series section`);
    if ((this.seriesVerified[ref >>> 3]! & (1 << (ref & 7))) === 0) {
      if (crc32c(b, start, end) !== b.readUInt32BE(end))
        this.fail(what, `checksum mismatch at offset ${off}`);
      if (this.seriesVerified.length === 0) {
        this.seriesVerified = new Uint8Array(Math.ceil(this.seriesEnd / SERIES_BYTE_ALIGN / 8) + 1);
      }
      this.seriesVerified[ref >>> 3]! |= 1 << (ref & 7);
    }

    const nl = this.uvarint(end, what);
    if (skipLabels) {
      for (let i = 0; i < 2 * nl; i++) this.uvarint(end, what);
    } else {
      const flat: string[] = new Array(2 * nl);
      for (let i = 0; i < nl; i++) {
        flat[2 * i] = this.cachedSymbol(this.uvarint(end, what));
        flat[2 * i + 1] = this.cachedSymbol(this.uvarint(end, what));
      }
      out.labels = Labels.fromFlatSorted(flat);
    }

    const nc = this.uvarint(end, what);
    const chunks = out.chunks;
    chunks.length = 0;
    if (nc > 0) {
      let minT = this.varint(end, what);
      let maxT = minT + this.uvarint(end, what);
      let cref = this.uvarint(end, what);
      if (maxT >= mint && minT <= maxt) chunks.push({ ref: cref, minT, maxT });
      for (let i = 1; i < nc; i++) {
        minT = maxT + this.uvarint(end, what);
        maxT = minT + this.uvarint(end, what);
        cref += this.varint(end, what);
        if (maxT >= mint && minT <= maxt) chunks.push({ ref: cref, minT, maxT });
      }
    }
    return true;
  }

  /** Releases the file's bytes; the reader is unusable afterwards. */
  close(): void {
    this.b = EMPTY_BUFFER;
  }
}
