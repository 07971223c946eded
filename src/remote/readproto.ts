/**
 * Remote-read messages (upstream's `prompb/remote.proto`): `ReadRequest` with
 * its queries and accepted response types, the sampled `ReadResponse`, and the
 * `ChunkedReadResponse` frames of the streamed protocol
 * (`STREAMED_XOR_CHUNKS`): each frame is a uvarint length, a big-endian
 * CRC32C of the message, then the message.
 */

import { Labels } from "../model/labels/labels.ts";
import { Matcher, type MatchType } from "../model/labels/matcher.ts";
import { BYTES, FIXED64, Reader, VARINT, WireError } from "../pushgateway/wire.ts";
import { crc32c } from "../tsdb/encoding/crc32c.ts";
import { nested } from "./prompb.ts";
import { ProtoWriter } from "./protowriter.ts";

/** `ReadRequest.ResponseType`. */
export const ResponseType = { SAMPLES: 0, STREAMED_XOR_CHUNKS: 1 } as const;

const MATCH_TYPES: readonly MatchType[] = ["=", "!=", "=~", "!~"];

/** One query of a read request. */
export interface ReadQuery {
  readonly start: number;
  readonly end: number;
  readonly matchers: Matcher[];
  readonly hints?: { stepMs: number; func: string; startMs: number; endMs: number };
}

/** A decoded `ReadRequest`. */
export interface ReadRequest {
  readonly queries: ReadQuery[];
  readonly acceptedResponseTypes: number[];
}

/** A series with float samples, as in a `QueryResult`. */
export interface ReadSeries {
  readonly labels: Labels;
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
}

/** Decodes a `ReadRequest`; throws WireError (or a regex error from a matcher). */
export function decodeReadRequest(buf: Uint8Array): ReadRequest {
  const r = new Reader(buf);
  const queries: ReadQuery[] = [];
  const accepted: number[] = [];
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f === 1 && wt === BYTES) queries.push(decodeQuery(r.message()));
    else if (f === 2) r.repeated(wt, VARINT, () => r.varint(), accepted);
    else r.skip(wt);
  }
  return { queries, acceptedResponseTypes: accepted };
}

function decodeQuery(r: Reader): ReadQuery {
  let start = 0;
  let end = 0;
  const matchers: Matcher[] = [];
  let hints: ReadQuery["hints"];
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f === 1 && wt === VARINT) start = r.int64();
    else if (f === 2 && wt === VARINT) end = r.int64();
    else if (f === 3 && wt === BYTES) {
      const m = r.message();
      let type = 0;
      let name = "";
      let value = "";
      while (!m.done()) {
        const [g, gwt] = m.tag();
        if (g === 1 && gwt === VARINT) type = m.varint();
        else if (g === 2 && gwt === BYTES) name = m.string();
        else if (g === 3 && gwt === BYTES) value = m.string();
        else m.skip(gwt);
      }
      const t = MATCH_TYPES[type];
      if (t === undefined) throw new WireError(`invalid matcher type ${type}`);
      matchers.push(Matcher.create(t, name, value));
    } else if (f === 4 && wt === BYTES) {
      const m = r.message();
      const h = { stepMs: 0, func: "", startMs: 0, endMs: 0 };
      while (!m.done()) {
        const [g, gwt] = m.tag();
        if (g === 1 && gwt === VARINT) h.stepMs = m.int64();
        else if (g === 2 && gwt === BYTES) h.func = m.string();
        else if (g === 3 && gwt === VARINT) h.startMs = m.int64();
        else if (g === 4 && gwt === VARINT) h.endMs = m.int64();
        else m.skip(gwt);
      }
      hints = h;
    } else r.skip(wt);
  }
  return { start, end, matchers, hints };
}

/** Encodes a `ReadRequest` (the remote-read client's). */
export function encodeReadRequest(req: ReadRequest): Uint8Array {
  const w = new ProtoWriter(1024);
  for (const q of req.queries) {
    const qw = new ProtoWriter(256);
    qw.ensure(24);
    qw.uvarint(0x08);
    qw.int64(q.start);
    qw.uvarint(0x10);
    qw.int64(q.end);
    for (const m of q.matchers) {
      const mw = new ProtoWriter(64);
      mw.ensure(4);
      mw.uvarint(0x08);
      mw.uvarint(MATCH_TYPES.indexOf(m.type));
      mw.stringField(2, m.name);
      mw.stringField(3, m.value);
      nested(qw, 3, mw.bytes());
    }
    nested(w, 1, qw.bytes());
  }
  if (req.acceptedResponseTypes.length > 0) {
    const p = new ProtoWriter(16);
    for (const t of req.acceptedResponseTypes) {
      p.ensure(10);
      p.uvarint(t);
    }
    nested(w, 2, p.bytes());
  }
  return w.bytes().slice();
}

function labelsInto(w: ProtoWriter, ls: Labels): void {
  for (let i = 0; i < ls.size; i++) {
    const l = new ProtoWriter(64);
    l.stringField(1, ls.nameAt(i));
    l.stringField(2, ls.valueAt(i));
    nested(w, 1, l.bytes());
  }
}

/** Encodes a sampled `ReadResponse`: one `QueryResult` per query. */
export function encodeReadResponse(results: readonly (readonly ReadSeries[])[]): Uint8Array {
  const w = new ProtoWriter();
  for (const series of results) {
    const qr = new ProtoWriter();
    for (const s of series) {
      const ts = new ProtoWriter(256 + s.ts.length * 20);
      labelsInto(ts, s.labels);
      for (let i = 0; i < s.ts.length; i++) {
        ts.ensure(24);
        ts.byte(0x12);
        const t = s.ts[i]!;
        const tl = t < 0 ? 10 : varintLen(t);
        ts.byte(2 + 8 + tl);
        ts.byte(0x09);
        ts.double(s.vs[i]!);
        ts.byte(0x10);
        ts.int64(t);
      }
      nested(qr, 1, ts.bytes());
    }
    nested(w, 1, qr.bytes());
  }
  return w.bytes().slice();
}

function varintLen(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Decodes a sampled `ReadResponse` (the client's side). */
export function decodeReadResponse(buf: Uint8Array): ReadSeries[][] {
  const r = new Reader(buf);
  const out: ReadSeries[][] = [];
  while (!r.done()) {
    const [f, wt] = r.tag();
    if (f !== 1 || wt !== BYTES) {
      r.skip(wt);
      continue;
    }
    const qr = r.message();
    const series: ReadSeries[] = [];
    while (!qr.done()) {
      const [g, gwt] = qr.tag();
      if (g !== 1 || gwt !== BYTES) {
        qr.skip(gwt);
        continue;
      }
      const m = qr.message();
      const flat: string[] = [];
      const ts: number[] = [];
      const vs: number[] = [];
      while (!m.done()) {
        const [h, hwt] = m.tag();
        if (h === 1 && hwt === BYTES) {
          const l = m.message();
          let name = "";
          let value = "";
          while (!l.done()) {
            const [k, kwt] = l.tag();
            if (k === 1 && kwt === BYTES) name = l.string();
            else if (k === 2 && kwt === BYTES) value = l.string();
            else l.skip(kwt);
          }
          flat.push(name, value);
        } else if (h === 2 && hwt === BYTES) {
          const s = m.message();
          let v = 0;
          let t = 0;
          while (!s.done()) {
            const [k, kwt] = s.tag();
            if (k === 1 && kwt === FIXED64) v = s.double();
            else if (k === 2 && kwt === VARINT) t = s.int64();
            else s.skip(kwt);
          }
          ts.push(t);
          vs.push(v);
        } else m.skip(hwt);
      }
      series.push({ labels: Labels.fromFlatUnsorted(flat), ts, vs });
    }
    out.push(series);
  }
  return out;
}

/** One chunk of a `ChunkedSeries` (type 1 = XOR). */
export interface WireChunk {
  readonly minTime: number;
  readonly maxTime: number;
  readonly data: Uint8Array;
}

/** Encodes one `ChunkedSeries` message body. */
export function encodeChunkedSeries(labels: Labels, chunks: readonly WireChunk[]): Uint8Array {
  const w = new ProtoWriter(256);
  labelsInto(w, labels);
  for (const c of chunks) {
    const cw = new ProtoWriter(c.data.length + 40);
    cw.uvarint(0x08);
    cw.int64(c.minTime);
    cw.uvarint(0x10);
    cw.int64(c.maxTime);
    cw.uvarint(0x18);
    cw.uvarint(1);
    cw.uvarint(0x22);
    cw.uvarint(c.data.length);
    cw.raw(c.data);
    nested(w, 2, cw.bytes());
  }
  return w.bytes().slice();
}

/** One streamed frame: a `ChunkedReadResponse` of `series` (encoded ChunkedSeries) for `queryIndex`. */
export function chunkedFrame(series: readonly Uint8Array[], queryIndex: number): Buffer {
  const w = new ProtoWriter();
  for (const s of series) nested(w, 1, s);
  if (queryIndex !== 0) {
    w.ensure(12);
    w.uvarint(0x10);
    w.int64(queryIndex);
  }
  const msg = w.bytes();
  const head = new ProtoWriter(16);
  head.uvarint(msg.length);
  const crc = crc32c(msg);
  head.byte(crc >>> 24);
  head.byte((crc >>> 16) & 0xff);
  head.byte((crc >>> 8) & 0xff);
  head.byte(crc & 0xff);
  return Buffer.concat([head.bytes(), msg]);
}
