/**
 * Writes a block's `index` file in format v2 (tsdb/docs/format/index.md),
 * producing the same bytes as upstream's writer for the same input: header,
 * symbol table, 16-byte aligned series, label indices, postings, label offset
 * table, postings offset table, TOC.
 *
 * Usage: every symbol first (sorted, once each), then every series (sorted by
 * labels), then close(). Postings are collected while series are added as, per
 * label name, two parallel growable arrays (value symbol, series reference):
 * no per-series objects, so millions of series fit.
 */
import { Labels } from "../../model/labels/labels.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";
import type { ChunkMeta } from "../blockreader.ts";
import { crc32c } from "../encoding/crc32c.ts";
import { Encbuf } from "../encoding/encbuf.ts";
import { FileWriter } from "./filewriter.ts";
import { FORMAT_V2, MAGIC_INDEX, SERIES_BYTE_ALIGN } from "./format.ts";

export type { ChunkMeta };

const STAGE_NONE = 0;
const STAGE_SYMBOLS = 1;
const STAGE_SERIES = 2;
const STAGE_DONE = 3;
const STAGE_NAMES = ["none", "symbols", "series", "done"];

const MAX_U32 = 0xffffffff;
// Series references are u32 multiples of 16 bytes.
const MAX_INDEX_SIZE = 16 * MAX_U32;

/** Postings of one label name as added: parallel (value symbol, series reference) arrays. */
interface NamePostings {
  name: string;
  nameSym: number;
  vals: Uint32Array;
  refs: Uint32Array;
  len: number;
}

/** One label name's postings grouped by value: `refs[starts[i], starts[i+1])` have value symbol `values[i]`. */
interface GroupedPostings {
  name: string;
  values: Uint32Array;
  starts: Uint32Array;
  refs: Uint32Array;
}

export class IndexWriter {
  private readonly f: FileWriter;
  private stage = STAGE_NONE;
  private readonly toc = {
    symbols: 0,
    series: 0,
    labelIndices: 0,
    labelIndicesTable: 0,
    postings: 0,
    postingsTable: 0,
  };
  private readonly buf1 = new Encbuf(1 << 16);
  private readonly buf2 = new Encbuf(1 << 10);

  private readonly symbolCache = new Map<string, number>();
  private readonly symbolList: string[] = [];
  private lastSymbol = "";

  private readonly names = new Map<string, NamePostings>();
  private allRefs = new Uint32Array(1024);
  private numSeries = 0;
  private lastSeries: Labels | null = null;
  private lastSeriesRef = 0;
  private lastChunkRef = 0;

  private constructor(path: string) {
    this.f = new FileWriter(path);
  }

  /** Creates (or truncates) the index file at `path` and writes its header. */
  static create(path: string): IndexWriter {
    const w = new IndexWriter(path);
    try {
      w.buf1.reset();
      w.buf1.putBE32(MAGIC_INDEX);
      w.buf1.putByte(FORMAT_V2);
      w.write(w.buf1.get());
    } catch (e) {
      w.f.abort();
      throw e;
    }
    return w;
  }

  get path(): string {
    return this.f.path;
  }

  private write(b: Uint8Array): void {
    this.f.write(b);
    if (this.f.pos > MAX_INDEX_SIZE)
      throw new Error(`${this.f.path}: index exceeds the maximum size of 64GiB`);
  }

  private fail(msg: string): never {
    throw new Error(`index writer ${this.f.path}: ${msg}`);
  }

  private ensureStage(s: number): void {
    if (this.stage === s) return;
    if (this.stage > s)
      this.fail(`invalid stage "${STAGE_NAMES[s]}", currently at "${STAGE_NAMES[this.stage]}"`);
    if (this.stage < s - 1) this.ensureStage(s - 1);
    switch (s) {
      case STAGE_SYMBOLS:
        this.toc.symbols = this.f.pos;
        // Length and symbol count, patched when the table is complete.
        this.write(new Uint8Array(8));
        break;
      case STAGE_SERIES:
        this.finishSymbols();
        this.toc.series = this.f.pos;
        break;
      case STAGE_DONE:
        this.finish();
        break;
    }
    this.stage = s;
  }

  /** Adds the next symbol; symbols must come before any series, in strictly increasing (Go byte) order. */
  addSymbol(sym: string): void {
    this.ensureStage(STAGE_SYMBOLS);
    if (this.symbolList.length > 0 && compareUTF8(sym, this.lastSymbol) <= 0) {
      this.fail(`symbol ${JSON.stringify(sym)} out-of-order`);
    }
    this.lastSymbol = sym;
    this.symbolCache.set(sym, this.symbolList.length);
    this.symbolList.push(sym);
    this.buf1.reset();
    this.buf1.putUvarintStr(sym);
    this.write(this.buf1.get());
  }

  private finishSymbols(): void {
    const start = this.toc.symbols;
    const size = this.f.pos - start - 4;
    if (size > MAX_U32) this.fail(`symbol table size exceeds ${MAX_U32} bytes`);
    this.buf1.reset();
    this.buf1.putBE32(size);
    this.buf1.putBE32(this.symbolList.length);
    this.f.writeAt(this.buf1.get(), start);
    // The checksum covers the count, which is only known now: read the table back.
    let crc = 0;
    this.f.readBack(start + 4, this.f.pos, (chunk) => {
      crc = crc32c(chunk, 0, chunk.length, crc);
    });
    this.buf1.reset();
    this.buf1.putBE32(crc);
    this.write(this.buf1.get());
  }

  /**
   * Adds a series with its chunk metas. Series must come in strictly
   * increasing label order, and `ref` (the caller's id, only checked for order)
   * must not decrease. In the file the series is referenced by its offset / 16.
   */
  addSeries(ref: number, labels: Labels, chunks: readonly ChunkMeta[]): void {
    this.ensureStage(STAGE_SERIES);
    if (this.lastSeries !== null && Labels.compare(labels, this.lastSeries) <= 0) {
      this.fail(
        `out-of-order series added with label set ${labels.toString()}, last ${this.lastSeries.toString()}`,
      );
    }
    if (this.lastSeries === null && labels.size === 0) this.fail("series with an empty label set");
    if (this.lastSeries !== null && ref < this.lastSeriesRef) {
      this.fail(`series with reference greater than ${ref} already added`);
    }
    let lastChunkRef = this.lastChunkRef;
    let lastMaxT = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      if (c.ref < lastChunkRef) this.fail(`unsorted chunk reference: ${c.ref}, previous: ${lastChunkRef}`);
      lastChunkRef = c.ref;
      if (i > 0 && c.minT <= lastMaxT) {
        this.fail(`chunk minT ${c.minT} is not higher than previous chunk maxT ${lastMaxT}`);
      }
      if (c.maxT < c.minT) this.fail(`chunk maxT ${c.maxT} is less than minT ${c.minT}`);
      lastMaxT = c.maxT;
    }

    this.f.addPadding(SERIES_BYTE_ALIGN);
    const seriesRef = this.f.pos / SERIES_BYTE_ALIGN;
    if (seriesRef > MAX_U32) this.fail("series reference exceeds 4 bytes");

    const b = this.buf2;
    b.reset();
    const n = labels.size;
    b.putUvarint(n);
    for (let i = 0; i < n; i++) {
      const name = labels.nameAt(i);
      const value = labels.valueAt(i);
      let np = this.names.get(name);
      if (np === undefined) {
        const nameSym = this.symbolCache.get(name);
        if (nameSym === undefined) this.fail(`symbol entry for ${JSON.stringify(name)} does not exist`);
        np = { name, nameSym, vals: new Uint32Array(64), refs: new Uint32Array(64), len: 0 };
        this.names.set(name, np);
      }
      const valueSym = this.symbolCache.get(value);
      if (valueSym === undefined) this.fail(`symbol entry for ${JSON.stringify(value)} does not exist`);
      b.putUvarint(np.nameSym);
      b.putUvarint(valueSym);
      if (np.len === np.vals.length) growNamePostings(np);
      np.vals[np.len] = valueSym;
      np.refs[np.len] = seriesRef;
      np.len++;
    }

    b.putUvarint(chunks.length);
    if (chunks.length > 0) {
      const c0 = chunks[0]!;
      b.putVarint(c0.minT);
      b.putUvarint(c0.maxT - c0.minT);
      b.putUvarint(c0.ref);
      let t0 = c0.maxT;
      let ref0 = c0.ref;
      for (let i = 1; i < chunks.length; i++) {
        const c = chunks[i]!;
        b.putUvarint(c.minT - t0);
        b.putUvarint(c.maxT - c.minT);
        t0 = c.maxT;
        b.putVarint(c.ref - ref0);
        ref0 = c.ref;
      }
    }

    const h = this.buf1;
    h.reset();
    h.putUvarint(b.len);
    const crc = crc32c(b.buf, 0, b.len);
    b.putBE32(crc);
    this.write(h.get());
    this.write(b.get());

    if (this.numSeries === this.allRefs.length) {
      const next = new Uint32Array(this.allRefs.length * 2);
      next.set(this.allRefs);
      this.allRefs = next;
    }
    this.allRefs[this.numSeries++] = seriesRef;
    this.lastSeries = labels;
    this.lastSeriesRef = ref;
    this.lastChunkRef = lastChunkRef;
  }

  /** Writes label indices, postings, both offset tables and the TOC, then fsyncs and closes the file. */
  close(): void {
    if (this.stage === STAGE_DONE) return;
    try {
      this.ensureStage(STAGE_DONE);
      this.f.close();
    } catch (e) {
      this.f.abort();
      throw e;
    }
  }

  private finish(): void {
    this.toc.labelIndices = this.f.pos;

    // Names in symbol order, which is Go byte order as symbols are sorted.
    const accs = Array.from(this.names.values()).sort((a, b) => a.nameSym - b.nameSym);
    this.names.clear();
    const counts = new Uint32Array(this.symbolList.length);
    const grouped: GroupedPostings[] = accs.map((acc) => groupByValue(acc, counts));

    const labelIndexOffsets: number[] = [];
    for (const g of grouped) labelIndexOffsets.push(this.writeLabelIndex(g.values));

    this.toc.postings = this.f.pos;
    this.f.addPadding(4);
    const po = new Encbuf(1 << 16);
    let poCount = 0;
    const addPostings = (name: string, value: string, refs: Uint32Array): void => {
      const off = this.writePostings(refs);
      po.putUvarint(2);
      po.putUvarintStr(name);
      po.putUvarintStr(value);
      po.putUvarint(off);
      poCount++;
    };
    addPostings("", "", this.allRefs.subarray(0, this.numSeries));
    for (const g of grouped) {
      for (let i = 0; i < g.values.length; i++) {
        addPostings(g.name, this.symbolList[g.values[i]!]!, g.refs.subarray(g.starts[i]!, g.starts[i + 1]!));
      }
    }

    this.toc.labelIndicesTable = this.f.pos;
    const lo = new Encbuf(1024);
    for (let i = 0; i < grouped.length; i++) {
      lo.putUvarint(1);
      lo.putUvarintStr(grouped[i]!.name);
      lo.putUvarint(labelIndexOffsets[i]!);
    }
    this.writeTable(lo, grouped.length, "label offset table");

    this.toc.postingsTable = this.f.pos;
    this.writeTable(po, poCount, "postings offset table");

    const t = this.buf1;
    t.reset();
    t.putBE64(this.toc.symbols);
    t.putBE64(this.toc.series);
    t.putBE64(this.toc.labelIndices);
    t.putBE64(this.toc.labelIndicesTable);
    t.putBE64(this.toc.postings);
    t.putBE64(this.toc.postingsTable);
    t.putBE32(crc32c(t.buf, 0, t.len));
    this.write(t.get());
  }

  /** One label name's values (symbol references); returns the section's offset. */
  private writeLabelIndex(values: Uint32Array): number {
    this.f.addPadding(4);
    const off = this.f.pos;
    const e = this.buf1;
    e.reset();
    e.putBE32(4 + 4 + 4 * values.length);
    e.putBE32(1);
    e.putBE32(values.length);
    for (let i = 0; i < values.length; i++) e.putBE32(values[i]!);
    e.putBE32(crc32c(e.buf, 4, e.len));
    this.write(e.get());
    return off;
  }

  /** One postings list; returns the section's offset. */
  private writePostings(refs: Uint32Array): number {
    // Every postings section is a multiple of 4 bytes long, so this never pads after the first.
    this.f.addPadding(4);
    const off = this.f.pos;
    const e = this.buf1;
    e.reset();
    if (4 + 4 * refs.length > MAX_U32) this.fail("posting size exceeds 4 bytes");
    e.putBE32(4 + 4 * refs.length);
    e.putBE32(refs.length);
    for (let i = 0; i < refs.length; i++) e.putBE32(refs[i]!);
    e.putBE32(crc32c(e.buf, 4, e.len));
    this.write(e.get());
    return off;
  }

  /** `len`, `#entries`, the entries and a CRC32 over the count and entries. */
  private writeTable(entries: Encbuf, count: number, what: string): void {
    const l = 4 + entries.len;
    if (l > MAX_U32) this.fail(`${what} length exceeds 4 bytes`);
    const h = this.buf1;
    h.reset();
    h.putBE32(l);
    h.putBE32(count);
    this.write(h.get());
    this.write(entries.get());
    let crc = crc32c(h.buf, 4, 8);
    crc = crc32c(entries.buf, 0, entries.len, crc);
    h.reset();
    h.putBE32(crc);
    this.write(h.get());
  }
}

function growNamePostings(np: NamePostings): void {
  const vals = new Uint32Array(np.vals.length * 2);
  vals.set(np.vals);
  const refs = new Uint32Array(np.refs.length * 2);
  refs.set(np.refs);
  np.vals = vals;
  np.refs = refs;
}

/**
 * Stable counting sort of one name's (value, ref) pairs by value symbol. Refs
 * were appended in increasing order, so each value's refs stay sorted.
 * `counts` (one slot per symbol) must be zero and is left zero.
 */
function groupByValue(np: NamePostings, counts: Uint32Array): GroupedPostings {
  const { vals, refs, len } = np;
  const distinct: number[] = [];
  for (let i = 0; i < len; i++) {
    const v = vals[i]!;
    if (counts[v]++ === 0) distinct.push(v);
  }
  const values = Uint32Array.from(distinct).sort();
  const starts = new Uint32Array(values.length + 1);
  let s = 0;
  for (let j = 0; j < values.length; j++) {
    const v = values[j]!;
    const c = counts[v]!;
    starts[j] = s;
    counts[v] = s;
    s += c;
  }
  starts[values.length] = s;
  const out = new Uint32Array(len);
  for (let i = 0; i < len; i++) out[counts[vals[i]!]!++] = refs[i]!;
  for (let j = 0; j < values.length; j++) counts[values[j]!] = 0;
  // Drop the raw arrays early: the grouped copy replaces them.
  np.vals = new Uint32Array(0);
  np.refs = new Uint32Array(0);
  return { name: np.name, values, starts, refs: out };
}
