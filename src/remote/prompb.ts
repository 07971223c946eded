/**
 * The remote-write and remote-read protobuf messages, hand-written:
 * `prometheus.WriteRequest` (1.0), `io.prometheus.write.v2.Request` (2.0),
 * `prometheus.ReadRequest`, `ReadResponse` and `ChunkedReadResponse`
 * (upstream's `prompb`). Decoders use the pushgateway's wire reader; unknown
 * fields are skipped, as protobuf requires. Exemplars and native histograms are
 * read past (Vigil's storage holds floats only).
 */
import { Labels } from "../model/labels/labels.ts";
import { BYTES, FIXED64, Reader, VARINT, WireError } from "../pushgateway/wire.ts";
import { ProtoWriter } from "./protowriter.ts";

export { WireError };

/** One decoded series: its labels (as sent, unsorted allowed) and float samples. */
export interface WireSeries {
  /** Alternating names and values, as sent. */
  readonly flat: string[];
  readonly ts: number[];
  readonly vs: number[];
  /** v2 only: metadata type (0 unspecified), help and unit. */
  metadata?: { type: number; help: string; unit: string };
  /** Native histogram samples seen (not stored). */
  histograms: number;
  exemplars: number;
}

/** upstream's MetricMetadata (v1 `metadata` field). */
export interface WireMetadata {
  readonly type: number;
  readonly family: string;
  readonly help: string;
  readonly unit: string;
}

function label(r: Reader, flat: string[]): void {
  let name = "";
  let value = "";
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f === 1 && wt === BYTES) name = r.string();
    else if (f === 2 && wt === BYTES) value = r.string();
    else r.skip(wt);
  }
  flat.push(name, value);
}

function sample(r: Reader, s: WireSeries): void {
  let v = 0;
  let t = 0;
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f === 1 && wt === FIXED64) v = r.double();
    else if (f === 2 && wt === VARINT) t = r.int64();
    else r.skip(wt);
  }
  s.ts.push(t);
  s.vs.push(v);
}

function newSeries(): WireSeries {
  return { flat: [], ts: [], vs: [], histograms: 0, exemplars: 0 };
}

/** Decodes a `prometheus.WriteRequest`. Throws WireError on malformed input. */
export function decodeWriteV1(buf: Uint8Array): { series: WireSeries[]; metadata: WireMetadata[] } {
  const r = new Reader(buf);
  const series: WireSeries[] = [];
  const metadata: WireMetadata[] = [];
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f === 1 && wt === BYTES) {
      const m = r.message();
      const s = newSeries();
      while (!m.done()) {
        const [g, gwt] = m.tag();
        if (g === 1 && gwt === BYTES) label(m.message(), s.flat);
        else if (g === 2 && gwt === BYTES) sample(m.message(), s);
        else if (g === 3 && gwt === BYTES) {
          s.exemplars++;
          m.skip(gwt);
        } else if (g === 4 && gwt === BYTES) {
          s.histograms++;
          m.skip(gwt);
        } else m.skip(gwt);
      }
      series.push(s);
    } else if (f === 3 && wt === BYTES) {
      const m = r.message();
      let type = 0;
      let family = "";
      let help = "";
      let unit = "";
      while (!m.done()) {
        const [g, gwt] = m.tag();
        if (g === 1 && gwt === VARINT) type = m.varint();
        else if (g === 2 && gwt === BYTES) family = m.string();
        else if (g === 4 && gwt === BYTES) help = m.string();
        else if (g === 5 && gwt === BYTES) unit = m.string();
        else m.skip(gwt);
      }
      metadata.push({ type, family, help, unit });
    } else r.skip(wt);
  }
  return { series, metadata };
}

/** Decodes an `io.prometheus.write.v2.Request`, resolving symbol references. Throws WireError. */
export function decodeWriteV2(buf: Uint8Array): WireSeries[] {
  const r = new Reader(buf);
  const symbols: string[] = [];
  const raw: { refs: number[]; s: WireSeries; meta: number[] | null }[] = [];
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f === 4 && wt === BYTES) symbols.push(r.string());
    else if (f === 5 && wt === BYTES) {
      const m = r.message();
      const s = newSeries();
      const refs: number[] = [];
      let meta: number[] | null = null;
      while (!m.done()) {
        const [g, gwt] = m.tag();
        if (g === 1) m.repeated(gwt, VARINT, () => m.varint(), refs);
        else if (g === 2 && gwt === BYTES) sample(m.message(), s);
        else if (g === 3 && gwt === BYTES) {
          s.histograms++;
          m.skip(gwt);
        } else if (g === 4 && gwt === BYTES) {
          s.exemplars++;
          m.skip(gwt);
        } else if (g === 5 && gwt === BYTES) {
          const mm = m.message();
          meta = [0, 0, 0];
          while (!mm.done()) {
            const [h, hwt] = mm.tag();
            if (h === 1 && hwt === VARINT) meta[0] = mm.varint();
            else if (h === 3 && hwt === VARINT) meta[1] = mm.varint();
            else if (h === 4 && hwt === VARINT) meta[2] = mm.varint();
            else mm.skip(hwt);
          }
        } else m.skip(gwt);
      }
      raw.push({ refs, s, meta });
    } else r.skip(wt);
  }
  const sym = (i: number): string => {
    if (i >= symbols.length)
      throw new WireError(`symbols reference ${i} out of range (${symbols.length} symbols)`);
    return symbols[i]!;
  };
  return raw.map(({ refs, s, meta }) => {
    if (refs.length % 2 !== 0) throw new WireError(`odd number of label references: ${refs.length}`);
    for (const ref of refs) s.flat.push(sym(ref));
    if (meta !== null) s.metadata = { type: meta[0]!, help: sym(meta[1]!), unit: sym(meta[2]!) };
    return s;
  });
}

/** Labels from decoded pairs; undefined when a name repeats (upstream rejects those series). */
export function wireLabels(flat: string[]): { labels: Labels; duplicate: string | undefined } {
  const seen = new Set<string>();
  for (let i = 0; i < flat.length; i += 2) {
    if (seen.has(flat[i]!)) return { labels: Labels.EMPTY, duplicate: flat[i] };
    seen.add(flat[i]!);
  }
  return { labels: Labels.fromFlatUnsorted(flat.slice()), duplicate: undefined };
}

/** A `prometheus.WriteRequest` of whole series (for tests and tools; the sender has its own fast path). */
export function encodeWriteV1(
  series: readonly { labels: Labels; ts: readonly number[]; vs: readonly number[] }[],
  metadata: readonly WireMetadata[] = [],
): Uint8Array {
  const w = new ProtoWriter();
  for (const s of series) {
    const inner = new ProtoWriter(256);
    for (let i = 0; i < s.labels.size; i++) {
      const l = new ProtoWriter(64);
      l.stringField(1, s.labels.nameAt(i));
      l.stringField(2, s.labels.valueAt(i));
      nested(inner, 1, l.bytes());
    }
    for (let i = 0; i < s.ts.length; i++) nested(inner, 2, sampleBytes(s.ts[i]!, s.vs[i]!));
    nested(w, 1, inner.bytes());
  }
  for (const m of metadata) {
    const inner = new ProtoWriter(256);
    inner.ensure(11);
    inner.uvarint(8);
    inner.uvarint(m.type);
    inner.stringField(2, m.family);
    inner.stringField(4, m.help);
    inner.stringField(5, m.unit);
    nested(w, 3, inner.bytes());
  }
  return w.bytes().slice();
}

/** A `io.prometheus.write.v2.Request` of whole series (tests and tools). */
export function encodeWriteV2(
  series: readonly { labels: Labels; ts: readonly number[]; vs: readonly number[] }[],
): Uint8Array {
  const symbols = new Map<string, number>([["", 0]]);
  const ref = (s: string): number => {
    let i = symbols.get(s);
    if (i === undefined) {
      i = symbols.size;
      symbols.set(s, i);
    }
    return i;
  };
  const body = new ProtoWriter();
  for (const s of series) {
    const inner = new ProtoWriter(256);
    const refs = new ProtoWriter(64);
    for (let i = 0; i < s.labels.size; i++) {
      refs.ensure(20);
      refs.uvarint(ref(s.labels.nameAt(i)));
      refs.uvarint(ref(s.labels.valueAt(i)));
    }
    nested(inner, 1, refs.bytes());
    for (let i = 0; i < s.ts.length; i++) nested(inner, 2, sampleBytes(s.ts[i]!, s.vs[i]!));
    nested(body, 5, inner.bytes());
  }
  const w = new ProtoWriter(body.len + 1024);
  for (const s of symbols.keys()) w.stringField(4, s);
  w.ensure(body.len);
  w.raw(body.bytes());
  return w.bytes().slice();
}

function sampleBytes(t: number, v: number): Uint8Array {
  const w = new ProtoWriter(24);
  w.byte(0x09);
  w.double(v);
  w.byte(0x10);
  w.int64(t);
  return w.bytes();
}

/** Appends field `field` holding `payload`. */
export function nested(w: ProtoWriter, field: number, payload: Uint8Array): void {
  w.ensure(payload.length + 16);
  w.uvarint((field << 3) | 2);
  w.uvarint(payload.length);
  w.raw(payload);
}
