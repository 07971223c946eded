/**
 * The sender's series table and request encoders. Each series the WAL
 * announces is relabelled once (external labels first, then
 * `write_relabel_configs`, as upstream) and its labels pre-encoded: the 1.0
 * `Label` fields as bytes (all series' back to back in one buffer: encoding
 * a batch then reads memory in order rather than a small buffer per series
 * scattered over the heap), the 2.0 labels as ids into a per-queue symbol
 * table. Encoding a batch is then a copy per sample plus the sample itself:
 * one `TimeSeries` per sample, as upstream sends.
 */
import type { Labels } from "../model/labels/labels.ts";
import { LabelsBuilder } from "../model/labels/labels.ts";
import { process as relabel } from "../relabel/process.ts";
import type { RelabelConfig } from "../relabel/relabel.ts";
import type { RefSeries } from "../tsdb/record/record.ts";
import { int64Size, ProtoWriter } from "./protowriter.ts";

/** One series the queue may send. */
export interface SeriesEntry {
  readonly labels: Labels;
  /** Where the 1.0 `repeated Label labels = 1` bytes are in the table's `labelBytes`. */
  v1Off: number;
  readonly v1Len: number;
  /** Global symbol ids, name and value alternating (2.0). */
  readonly syms: Uint32Array;
  segment: number;
}

/** Samples to encode: `refs[i]`, `ts[i]`, `vs[i]` for `from <= i < to`. */
export interface SampleBatch {
  readonly refs: Float64Array;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly from: number;
  readonly to: number;
}

/** Series by WAL reference, after relabelling; dropped series are remembered as such. */
export class SeriesTable {
  private readonly series = new Map<number, SeriesEntry>();
  private readonly dropped = new Map<number, number>();
  private readonly external: Labels;
  private readonly relabel: readonly RelabelConfig[];
  readonly symbols: string[] = [""];
  private readonly symbolIds = new Map<string, number>([["", 0]]);
  private readonly w = new ProtoWriter(1024);
  /** The 1.0 label bytes of every series, back to back (see `SeriesEntry.v1Off`); replaced as it grows. */
  labelBytes = new Uint8Array(64 * 1024);
  private labelBytesLen = 0;

  constructor(external: Labels, relabelConfigs: readonly RelabelConfig[]) {
    this.external = external;
    this.relabel = relabelConfigs;
  }

  get size(): number {
    return this.series.size;
  }

  get(ref: number): SeriesEntry | undefined {
    return this.series.get(ref);
  }

  isDropped(ref: number): boolean {
    return this.dropped.has(ref);
  }

  store(series: readonly RefSeries[], segment: number): void {
    for (const s of series) {
      const have = this.series.get(s.ref);
      if (have !== undefined) {
        have.segment = segment;
        continue;
      }
      if (this.dropped.has(s.ref)) {
        this.dropped.set(s.ref, segment);
        continue;
      }
      const ls = this.finalLabels(s.labels);
      if (ls === null) {
        this.dropped.set(s.ref, segment);
        continue;
      }
      const v1 = this.encodeLabels(ls);
      this.series.set(s.ref, {
        labels: ls,
        v1Off: this.addLabelBytes(v1),
        v1Len: v1.length,
        syms: this.symbolize(ls),
        segment,
      });
    }
  }

  /** Drops series last seen before `segment`. */
  reset(segment: number): void {
    let live = 0;
    for (const [ref, e] of this.series) {
      if (e.segment < segment) this.series.delete(ref);
      else live += e.v1Len;
    }
    for (const [ref, seg] of this.dropped) if (seg < segment) this.dropped.delete(ref);
    if (this.labelBytesLen > 2 * live + 64 * 1024) this.compactLabelBytes(live);
  }

  /** The 1.0 label bytes of `e`, a view valid until the table changes. */
  v1(e: SeriesEntry): Uint8Array {
    return this.labelBytes.subarray(e.v1Off, e.v1Off + e.v1Len);
  }

  private addLabelBytes(b: Uint8Array): number {
    if (this.labelBytesLen + b.length > this.labelBytes.length) {
      const next = new Uint8Array(Math.max(this.labelBytes.length * 2, this.labelBytesLen + b.length));
      next.set(this.labelBytes.subarray(0, this.labelBytesLen));
      this.labelBytes = next;
    }
    const off = this.labelBytesLen;
    this.labelBytes.set(b, off);
    this.labelBytesLen += b.length;
    return off;
  }

  /** Copies the live series' label bytes into a fresh buffer, dropping those of forgotten series. */
  private compactLabelBytes(live: number): void {
    const old = this.labelBytes;
    const next = new Uint8Array(Math.max(64 * 1024, live * 2));
    let len = 0;
    for (const e of this.series.values()) {
      next.set(old.subarray(e.v1Off, e.v1Off + e.v1Len), len);
      e.v1Off = len;
      len += e.v1Len;
    }
    this.labelBytes = next;
    this.labelBytesLen = len;
  }

  private finalLabels(ls: Labels): Labels | null {
    let out = ls;
    if (this.external.size > 0) {
      const b = new LabelsBuilder(ls);
      this.external.forEach((n, v) => {
        if (!ls.has(n)) b.set(n, v);
      });
      out = b.labels();
    }
    if (this.relabel.length > 0) {
      const r = relabel(out, this.relabel);
      if (r === null || r.size === 0) return null;
      out = r;
    }
    return out;
  }

  private encodeLabels(ls: Labels): Uint8Array {
    const w = this.w;
    w.reset();
    const inner = new ProtoWriter(128);
    for (let i = 0; i < ls.size; i++) {
      inner.reset();
      inner.stringField(1, ls.nameAt(i));
      inner.stringField(2, ls.valueAt(i));
      w.ensure(inner.len + 12);
      w.byte(0x0a);
      w.uvarint(inner.len);
      w.raw(inner.bytes());
    }
    return w.bytes();
  }

  private symbolize(ls: Labels): Uint32Array {
    const out = new Uint32Array(ls.size * 2);
    for (let i = 0; i < ls.size; i++) {
      out[2 * i] = this.symbol(ls.nameAt(i));
      out[2 * i + 1] = this.symbol(ls.valueAt(i));
    }
    return out;
  }

  private symbol(s: string): number {
    let id = this.symbolIds.get(s);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(s);
      this.symbolIds.set(s, id);
    }
    return id;
  }
}

/**
 * Encodes `prometheus.WriteRequest`s into a reused buffer; `encode` returns a
 * view valid until the next call, and the number of samples it holds.
 */
export class V1Encoder {
  private readonly w = new ProtoWriter(256 * 1024);

  encode(table: SeriesTable, b: SampleBatch): { bytes: Uint8Array; samples: number } {
    const w = this.w;
    w.reset();
    let n = 0;
    const labelBytes = table.labelBytes;
    for (let i = b.from; i < b.to; i++) {
      const e = table.get(b.refs[i]!);
      if (e === undefined) continue;
      const t = b.ts[i]!;
      const sampleLen = 10 + int64Size(t);
      const tsLen = e.v1Len + 2 + sampleLen;
      w.ensure(tsLen + 8);
      w.byte(0x0a);
      w.uvarint(tsLen);
      w.rawRange(labelBytes, e.v1Off, e.v1Len);
      w.byte(0x12);
      w.byte(sampleLen);
      w.byte(0x09);
      w.double(b.vs[i]!);
      w.byte(0x10);
      w.int64(t);
      n++;
    }
    return { bytes: w.bytes(), samples: n };
  }
}

/** Encodes `io.prometheus.write.v2.Request`s: a per-request symbol table remapped from the queue's. */
export class V2Encoder {
  private readonly body = new ProtoWriter(256 * 1024);
  private readonly out = new ProtoWriter(256 * 1024);
  private readonly refs = new ProtoWriter(256);
  private stamp = new Uint32Array(1024);
  private local = new Uint32Array(1024);
  private gen = 0;
  private order: number[] = [];

  private localId(g: number): number {
    if (this.stamp[g] === this.gen) return this.local[g]!;
    this.stamp[g] = this.gen;
    const id = this.order.length;
    this.order.push(g);
    this.local[g] = id;
    return id;
  }

  encode(table: SeriesTable, b: SampleBatch): { bytes: Uint8Array; samples: number } {
    const nsym = table.symbols.length;
    if (this.stamp.length < nsym) {
      let c = this.stamp.length;
      while (c < nsym) c *= 2;
      const s = new Uint32Array(c);
      s.set(this.stamp);
      this.stamp = s;
      this.local = new Uint32Array(c);
    }
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    this.order = [];
    this.localId(0);
    const body = this.body;
    const refs = this.refs;
    body.reset();
    let n = 0;
    for (let i = b.from; i < b.to; i++) {
      const e = table.get(b.refs[i]!);
      if (e === undefined) continue;
      refs.reset();
      refs.ensure(e.syms.length * 5);
      for (let k = 0; k < e.syms.length; k++) refs.uvarint(this.localId(e.syms[k]!));
      const t = b.ts[i]!;
      const sampleLen = 10 + int64Size(t);
      const tsLen = 1 + varint1(refs.len) + refs.len + 2 + sampleLen;
      body.ensure(tsLen + 8);
      body.byte(0x2a);
      body.uvarint(tsLen);
      body.byte(0x0a);
      body.uvarint(refs.len);
      body.raw(refs.bytes());
      body.byte(0x12);
      body.byte(sampleLen);
      body.byte(0x09);
      body.double(b.vs[i]!);
      body.byte(0x10);
      body.int64(t);
      n++;
    }
    const out = this.out;
    out.reset();
    for (const g of this.order) out.stringField(4, table.symbols[g]!);
    out.ensure(body.len);
    out.raw(body.bytes());
    return { bytes: out.bytes(), samples: n };
  }
}

function varint1(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}
