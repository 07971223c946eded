/**
 * WAL record encodings, byte-compatible with upstream's `tsdb/record`: the
 * first byte names the type, the rest is type-specific. Vigil writes Series (1),
 * Samples (2, the V1 layout every Prometheus 2.x/3.x reads), Tombstones (3),
 * Exemplars (4) and Metadata (6); it recognises every other upstream type so
 * that readers can skip them, and decodes SamplesV2 (11) as well.
 *
 * Encoders append one record to an {@link Encbuf} (reset it first for a fresh
 * record). Sample decoding fills reusable typed arrays without per-sample
 * allocation.
 */

import { Labels } from "../../model/labels/labels.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";
import { Decbuf } from "../encoding/decbuf.ts";
import type { Encbuf } from "../encoding/encbuf.ts";
import { putBE64Int, putVarint64, readBE64Int, readVarint64 } from "./int64.ts";

/** Record types, upstream's `record.Type` values. */
export const RecordType = {
  Series: 1,
  Samples: 2,
  Tombstones: 3,
  Exemplars: 4,
  MmapMarkers: 5,
  Metadata: 6,
  HistogramSamples: 7,
  FloatHistogramSamples: 8,
  CustomBucketsHistogramSamples: 9,
  CustomBucketsFloatHistogramSamples: 10,
  SamplesV2: 11,
  HistogramSamplesV2: 12,
  FloatHistogramSamplesV2: 13,
  MinValidTime: 14,
  Unknown: 255,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

const TYPE_NAMES: Record<number, string> = {
  1: "series",
  2: "samples",
  3: "tombstones",
  4: "exemplars",
  5: "mmapmarkers",
  6: "metadata",
  7: "histogram_samples",
  8: "float_histogram_samples",
  9: "custom_buckets_histogram_samples",
  10: "custom_buckets_float_histogram_samples",
  11: "samples_v2",
  12: "histogram_samples_v2",
  13: "float_histogram_samples_v2",
  14: "min_valid_time",
};

/** The type of `rec`, or `RecordType.Unknown` for an empty record or an unknown type byte. */
export function recordType(rec: Uint8Array): RecordType {
  if (rec.length === 0) return RecordType.Unknown;
  const t = rec[0]!;
  return t >= 1 && t <= 14 ? (t as RecordType) : RecordType.Unknown;
}

/** Upstream's name for a record type ("series", "samples", …, "unknown"). */
export function recordTypeName(t: number): string {
  return TYPE_NAMES[t] ?? "unknown";
}

/** A malformed record (a decoder's error), as opposed to a corrupted log. */
export class RecordDecodeError extends Error {
  constructor(message: string) {
    super(`decode ${message}`);
    this.name = "RecordDecodeError";
  }
}

export interface RefSeries {
  ref: number;
  labels: Labels;
}

export interface Tombstone {
  ref: number;
  mint: number;
  maxt: number;
}

export interface RefExemplar {
  ref: number;
  t: number;
  v: number;
  labels: Labels;
}

/** Series metadata; `type` is upstream's MetricType byte (0 unknown, 1 counter, 2 gauge, …). */
export interface RefMetadata {
  ref: number;
  type: number;
  unit: string;
  help: string;
}

/** Metric type bytes of Metadata records. */
export const MetricTypeByte = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
} as const;

/**
 * Columnar samples: `refs[i]`, `ts[i]`, `vs[i]` for i < n. Reused across
 * records; decoding grows the arrays only when a record holds more samples
 * than ever before.
 */
export class RefSamples {
  refs: Float64Array;
  ts: Float64Array;
  vs: Float64Array;
  n = 0;

  constructor(capacity = 128) {
    this.refs = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  /** Makes room for `cap` samples in total, keeping the first n. */
  reserve(cap: number): void {
    if (cap <= this.refs.length) return;
    let c = this.refs.length * 2 || 16;
    while (c < cap) c *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.refs = grow(this.refs);
    this.ts = grow(this.ts);
    this.vs = grow(this.vs);
  }

  push(ref: number, t: number, v: number): void {
    if (this.n === this.refs.length) this.reserve(this.n + 1);
    this.refs[this.n] = ref;
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }
}

function expectType(d: Decbuf, want: number): void {
  const t = d.byte();
  if (t !== want) {
    throw new RecordDecodeError(`${recordTypeName(want)}: invalid record type ${t}`);
  }
}

function finish(d: Decbuf, what: string): void {
  if (d.err !== null) throw new RecordDecodeError(`${what}: ${d.err}`);
  if (d.pos < d.end) throw new RecordDecodeError(`${what}: unexpected ${d.end - d.pos} bytes left in entry`);
}

function putLabels(enc: Encbuf, ls: Labels): void {
  const n = ls.size;
  enc.putUvarint(n);
  for (let i = 0; i < n; i++) {
    enc.putUvarintStr(ls.nameAt(i));
    enc.putUvarintStr(ls.valueAt(i));
  }
}

function readLabels(d: Decbuf): Labels {
  const n = d.uvarint();
  if (n > d.remaining()) {
    d.err = "invalid size";
    return Labels.EMPTY;
  }
  const flat: string[] = new Array(2 * n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const name = d.uvarintStr();
    const value = d.uvarintStr();
    flat[2 * i] = name;
    flat[2 * i + 1] = value;
    if (value === "" || (i > 0 && compareUTF8(flat[2 * i - 2]!, name) >= 0)) sorted = false;
  }
  if (d.err !== null) return Labels.EMPTY;
  // Upstream writes labels sorted; anything else is normalised rather than trusted.
  return sorted ? Labels.fromFlatSorted(flat) : Labels.fromFlatUnsorted(flat);
}

/** Appends a Series record. */
export function encodeSeries(series: readonly RefSeries[], enc: Encbuf): void {
  enc.putByte(RecordType.Series);
  for (const s of series) {
    enc.putBE64(s.ref);
    putLabels(enc, s.labels);
  }
}

/** Decodes a Series record, appending to `out` (a fresh array by default). */
export function decodeSeries(rec: Uint8Array, out: RefSeries[] = []): RefSeries[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Series);
  while (d.pos < d.end && d.err === null) {
    const ref = d.be64();
    const labels = readLabels(d);
    if (d.err === null) out.push({ ref, labels });
  }
  finish(d, "series");
  return out;
}

/**
 * Appends a Samples (V1) record of samples `[start, start + n)`: the first
 * sample's ref and timestamp as 8-byte bases, then per sample the zig-zag
 * varint deltas of ref and timestamp to those bases and the 8-byte float.
 */
export function encodeSamples(
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  n: number,
  enc: Encbuf,
  start = 0,
): void {
  enc.putByte(RecordType.Samples);
  if (n === 0) return;
  const ref0 = refs[start]!;
  const t0 = ts[start]!;
  enc.putBE64(ref0);
  putBE64Int(enc, t0);
  const end = start + n;
  for (let i = start; i < end; i++) {
    const dr = refs[i]! - ref0;
    const dt = ts[i]! - t0;
    // Small deltas (the usual case) skip the int64 slow path.
    if (dr > -64 && dr < 64) enc.putByte(dr < 0 ? -2 * dr - 1 : 2 * dr);
    else putVarint64(enc, dr);
    putVarint64(enc, dt);
    enc.putBE64Float(vs[i]!);
  }
}

/**
 * Decodes a Samples (V1) or SamplesV2 record into `out` (out.n is set to the
 * record's sample count). Start timestamps of V2 records are skipped.
 */
export function decodeSamples(rec: Uint8Array, out: RefSamples): void {
  out.n = 0;
  const d = new Decbuf(rec);
  const t = d.byte();
  if (t === RecordType.SamplesV2) {
    decodeSamplesV2(d, out);
    return;
  }
  if (t !== RecordType.Samples) {
    throw new RecordDecodeError(`samples: invalid record type ${t}, expected Samples(2) or SamplesV2(11)`);
  }
  if (d.pos === d.end) return;
  const ref0 = d.be64();
  const t0 = readBE64Int(d);
  // Every sample takes at least 10 bytes: one per delta plus the value.
  out.reserve(Math.ceil((d.end - d.pos) / 10));
  const refs = out.refs;
  const ts = out.ts;
  const vs = out.vs;
  const buf = d.buf;
  const view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  let n = 0;
  while (d.pos < d.end && d.err === null) {
    // One-byte ref deltas (the usual case) skip the general varint reader.
    const b = buf[d.pos]!;
    let dr: number;
    if (b < 0x80) {
      dr = b & 1 ? -(b + 1) / 2 : b / 2;
      d.pos++;
    } else dr = readVarint64(d);
    const dt = readVarint64(d);
    const pos = d.pos;
    if (d.err !== null) break;
    if (pos + 8 > d.end) {
      d.err = "invalid size";
      break;
    }
    refs[n] = ref0 + dr;
    ts[n] = t0 + dt;
    vs[n] = view.getFloat64(pos);
    d.pos = pos + 8;
    n++;
  }
  out.n = n;
  if (d.err !== null) throw new RecordDecodeError(`samples: error after ${n} samples: ${d.err}`);
}

// Start-timestamp markers of SamplesV2 records.
const ST_NONE = 0;
const ST_SAME = 1;

function decodeSamplesV2(d: Decbuf, out: RefSamples): void {
  out.reserve(Math.ceil((d.end - d.pos) / 11));
  let n = 0;
  let ref = 0;
  let t0 = 0;
  while (d.pos < d.end && d.err === null) {
    let t: number;
    if (n === 0) {
      ref = readVarint64(d);
      t0 = t = readVarint64(d);
      readVarint64(d); // start time
    } else {
      ref += readVarint64(d);
      t = t0 + readVarint64(d);
      const marker = d.byte();
      if (marker !== ST_NONE && marker !== ST_SAME) readVarint64(d);
    }
    const v = d.be64Float();
    if (d.err !== null) break;
    if (n === out.refs.length) out.reserve(n + 1);
    out.refs[n] = ref;
    out.ts[n] = t;
    out.vs[n] = v;
    n++;
    out.n = n;
  }
  out.n = n;
  if (d.err !== null) throw new RecordDecodeError(`samples: error after ${n} samples: ${d.err}`);
}

/** Appends a Tombstones record: per stone the 8-byte ref and zig-zag varint mint and maxt. */
export function encodeTombstones(stones: readonly Tombstone[], enc: Encbuf): void {
  enc.putByte(RecordType.Tombstones);
  for (const s of stones) {
    enc.putBE64(s.ref);
    putVarint64(enc, s.mint);
    putVarint64(enc, s.maxt);
  }
}

export function decodeTombstones(rec: Uint8Array, out: Tombstone[] = []): Tombstone[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Tombstones);
  while (d.pos < d.end && d.err === null) {
    const ref = d.be64();
    const mint = readVarint64(d);
    const maxt = readVarint64(d);
    if (d.err === null) out.push({ ref, mint, maxt });
  }
  finish(d, "tombstones");
  return out;
}

/** Appends an Exemplars record (bases like Samples, then per exemplar deltas, value and labels). */
export function encodeExemplars(exemplars: readonly RefExemplar[], enc: Encbuf): void {
  enc.putByte(RecordType.Exemplars);
  const first = exemplars[0];
  if (first === undefined) return;
  enc.putBE64(first.ref);
  putBE64Int(enc, first.t);
  for (const e of exemplars) {
    putVarint64(enc, e.ref - first.ref);
    putVarint64(enc, e.t - first.t);
    enc.putBE64Float(e.v);
    putLabels(enc, e.labels);
  }
}

export function decodeExemplars(rec: Uint8Array, out: RefExemplar[] = []): RefExemplar[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Exemplars);
  if (d.pos === d.end) return out;
  const ref0 = d.be64();
  const t0 = readBE64Int(d);
  while (d.pos < d.end && d.err === null) {
    const ref = ref0 + readVarint64(d);
    const t = t0 + readVarint64(d);
    const v = d.be64Float();
    const labels = readLabels(d);
    if (d.err === null) out.push({ ref, t, v, labels });
  }
  finish(d, "exemplars");
  return out;
}

const UNIT = "UNIT";
const HELP = "HELP";

/** Appends a Metadata record: per series uvarint ref, type byte and the UNIT and HELP fields. */
export function encodeMetadata(metadata: readonly RefMetadata[], enc: Encbuf): void {
  enc.putByte(RecordType.Metadata);
  for (const m of metadata) {
    enc.putUvarint(m.ref);
    enc.putByte(m.type);
    enc.putUvarint(2);
    enc.putUvarintStr(UNIT);
    enc.putUvarintStr(m.unit);
    enc.putUvarintStr(HELP);
    enc.putUvarintStr(m.help);
  }
}

/** Decodes a Metadata record; fields other than UNIT and HELP are skipped, as upstream. */
export function decodeMetadata(rec: Uint8Array, out: RefMetadata[] = []): RefMetadata[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Metadata);
  while (d.pos < d.end && d.err === null) {
    const ref = d.uvarint();
    const type = d.byte();
    const fields = d.uvarint();
    let unit = "";
    let help = "";
    for (let i = 0; i < fields && d.err === null; i++) {
      const name = d.uvarintStr();
      const value = d.uvarintStr();
      if (name === UNIT) unit = value;
      else if (name === HELP) help = value;
    }
    if (d.err === null) out.push({ ref, type, unit, help });
  }
  finish(d, "metadata");
  return out;
}
