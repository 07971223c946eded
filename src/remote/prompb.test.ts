import assert from "node:assert/strict";
import { describe, it } from "node:test";
import protobuf from "protobufjs";
import { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { encodeXOR } from "../tsdb/chunkenc/xor.ts";
import type { RefSeries } from "../tsdb/record/record.ts";
import { SeriesTable, V1Encoder, V2Encoder } from "./encode.ts";
import { decodeWriteV1, decodeWriteV2, encodeWriteV1, encodeWriteV2 } from "./prompb.ts";
import {
  chunkedFrame,
  decodeReadRequest,
  decodeReadResponse,
  encodeChunkedSeries,
  encodeReadRequest,
  encodeReadResponse,
} from "./readproto.ts";

// The upstream messages, as an independent decoder (protobufjs) for what Vigil encodes.
const PROTO = `
syntax = "proto3";
package prometheus;
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
message MetricMetadata { int32 type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message V2Sample { double value = 1; int64 timestamp = 2; }
message V2TimeSeries { repeated uint32 labels_refs = 1; repeated V2Sample samples = 2; }
message V2Request { repeated string symbols = 4; repeated V2TimeSeries timeseries = 5; }
message LabelMatcher { int32 type = 1; string name = 2; string value = 3; }
message Query { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2; repeated LabelMatcher matchers = 3; }
message ReadRequest { repeated Query queries = 1; repeated int32 accepted_response_types = 2; }
message QueryResult { repeated TimeSeries timeseries = 1; }
message ReadResponse { repeated QueryResult results = 1; }
message Chunk { int64 min_time_ms = 1; int64 max_time_ms = 2; int32 type = 3; bytes data = 4; }
message ChunkedSeries { repeated Label labels = 1; repeated Chunk chunks = 2; }
message ChunkedReadResponse { repeated ChunkedSeries chunked_series = 1; int64 query_index = 2; }
`;
// biome-ignore lint/suspicious/noExplicitAny: protobufjs hands back untyped objects
type Obj = any;
const root = protobuf.parse(PROTO, { keepCase: true }).root;
const T = (name: string) => root.lookupType(`prometheus.${name}`);
const obj = (name: string, buf: Uint8Array) =>
  T(name).toObject(T(name).decode(buf), { longs: Number, defaults: true }) as Record<string, Obj>;

const series: RefSeries[] = [
  { ref: 1, labels: Labels.fromStrings("__name__", "up", "job", "a", "instance", "h:1") },
  { ref: 2, labels: Labels.fromStrings("__name__", "temp_ü", "job", "b") },
];

function batch(refs: number[], ts: number[], vs: number[]) {
  return {
    refs: Float64Array.from(refs),
    ts: Float64Array.from(ts),
    vs: Float64Array.from(vs),
    from: 0,
    to: refs.length,
  };
}

describe("remote write encoders", () => {
  const cases = [
    { name: "plain", ts: [1_700_000_000_000, 1_700_000_015_000], vs: [1, 0.5] },
    { name: "special values", ts: [0, 1], vs: [Number.NaN, Number.NEGATIVE_INFINITY] },
    { name: "negative timestamp", ts: [-5000, 3], vs: [-1.25, 1e300] },
  ];
  for (const c of cases) {
    it(`v1 fast encoder matches protobufjs: ${c.name}`, () => {
      const table = new SeriesTable(Labels.fromStrings("replica", "r1"), []);
      table.store(series, 0);
      const { bytes, samples } = new V1Encoder().encode(table, batch([1, 2], c.ts, c.vs));
      assert.equal(samples, 2);
      const got = obj("WriteRequest", bytes);
      assert.equal(got.timeseries.length, 2);
      assert.deepEqual(
        got.timeseries[0].labels.map((l: Obj) => `${l.name}=${l.value}`),
        ["__name__=up", "instance=h:1", "job=a", "replica=r1"],
      );
      assert.equal(got.timeseries[1].labels[0].value, "temp_ü");
      for (let i = 0; i < 2; i++) {
        assert.equal(got.timeseries[i].samples[0].timestamp, c.ts[i]);
        assert.ok(Object.is(got.timeseries[i].samples[0].value, c.vs[i]));
      }
      // And Vigil's decoder agrees.
      const back = decodeWriteV1(bytes).series;
      assert.deepEqual(
        back.map((s) => s.ts[0]),
        c.ts,
      );
    });
    it(`v2 fast encoder matches protobufjs: ${c.name}`, () => {
      const table = new SeriesTable(Labels.EMPTY, []);
      table.store(series, 0);
      const { bytes } = new V2Encoder().encode(table, batch([2, 1], c.ts, c.vs));
      const got = obj("V2Request", bytes);
      assert.equal(got.symbols[0], "");
      const names = got.timeseries.map((ts: Obj) =>
        ts.labels_refs.map((r: number) => got.symbols[r]).join(","),
      );
      assert.deepEqual(names, ["__name__,temp_ü,job,b", "__name__,up,instance,h:1,job,a"]);
      assert.deepEqual(
        got.timeseries.map((ts: Obj) => ts.samples[0].timestamp),
        c.ts,
      );
      const back = decodeWriteV2(bytes);
      assert.deepEqual(back[1]!.flat, ["__name__", "up", "instance", "h:1", "job", "a"]);
    });
  }

  it("v1 label bytes stay right as their shared buffer grows and sheds forgotten series", () => {
    const table = new SeriesTable(Labels.EMPTY, []);
    const name = (ref: number) => `metric_${ref}_${"x".repeat(ref % 300)}`;
    const make = (from: number, to: number): RefSeries[] =>
      Array.from({ length: to - from }, (_, i) => ({
        ref: from + i,
        labels: Labels.fromStrings("__name__", name(from + i), "job", "j"),
      }));
    const check = (refs: number[]) => {
      const { bytes, samples } = new V1Encoder().encode(table, batch(refs, refs, refs));
      assert.equal(samples, refs.length);
      const got = decodeWriteV1(bytes).series;
      assert.deepEqual(
        got.map((s) => s.flat[s.flat.indexOf("__name__") + 1]),
        refs.map(name),
      );
    };
    table.store(make(1, 2001), 1); // ~300 KB of labels: the buffer grows several times
    check([1, 1000, 2000, 7]);
    const grown = table.labelBytes.length;
    table.store([...make(1500, 1601), ...make(4000, 4101)], 2); // 1500..1600 seen again in segment 2
    table.reset(2); // forgets the others: their bytes are compacted away
    assert.equal(table.size, 202);
    assert.equal(table.get(1), undefined);
    assert.ok(table.labelBytes.length < grown / 2, `${table.labelBytes.length} of ${grown}`);
    check([1500, 4000, 1600, 4050]);
    const e = table.get(4000)!;
    const one = new V1Encoder().encode(table, batch([4000], [0], [0])).bytes;
    // WriteRequest field 1 tag, a 2-byte length, TimeSeries field 1 labels first.
    assert.deepEqual(one.subarray(3, 3 + e.v1Len), table.v1(e));
  });

  it("whole-series helpers round-trip through Vigil's decoders", () => {
    const s = [{ labels: series[0]!.labels, ts: [1, 2, 3], vs: [4, 5, 6] }];
    const v1 = decodeWriteV1(encodeWriteV1(s, [{ type: 1, family: "up", help: "h", unit: "" }]));
    assert.deepEqual(v1.series[0]!.vs, [4, 5, 6]);
    assert.deepEqual(v1.metadata, [{ type: 1, family: "up", help: "h", unit: "" }]);
    assert.deepEqual(decodeWriteV2(encodeWriteV2(s))[0]!.ts, [1, 2, 3]);
  });

  it("rejects a v2 symbol reference out of range", () => {
    const bad = T("V2Request")
      .encode({ symbols: ["", "a"], timeseries: [{ labels_refs: [1, 7] }] })
      .finish();
    assert.throws(() => decodeWriteV2(bad), /out of range/);
  });
});

describe("remote read messages", () => {
  it("ReadRequest round-trips and matches protobufjs", () => {
    const req = {
      queries: [
        {
          start: 1000,
          end: 2000,
          matchers: [Matcher.create("=", "__name__", "up"), Matcher.create("=~", "job", "a|b")],
        },
      ],
      acceptedResponseTypes: [1, 0],
    };
    const bytes = encodeReadRequest(req);
    const got = obj("ReadRequest", bytes);
    assert.equal(got.queries[0].end_timestamp_ms, 2000);
    assert.deepEqual(got.queries[0].matchers[1], { type: 2, name: "job", value: "a|b" });
    assert.deepEqual(got.accepted_response_types, [1, 0]);
    const back = decodeReadRequest(bytes);
    assert.equal(back.queries[0]!.matchers[1]!.matches("b"), true);
    assert.deepEqual(back.acceptedResponseTypes, [1, 0]);
  });

  it("ReadResponse round-trips and matches protobufjs", () => {
    const s = { labels: Labels.fromStrings("__name__", "x"), ts: [5, 6], vs: [0.25, -3] };
    const bytes = encodeReadResponse([[s], []]);
    const got = obj("ReadResponse", bytes);
    assert.equal(got.results.length, 2);
    assert.deepEqual(got.results[0].timeseries[0].samples, [
      { value: 0.25, timestamp: 5 },
      { value: -3, timestamp: 6 },
    ]);
    assert.deepEqual(decodeReadResponse(bytes)[0]![0]!.vs, [0.25, -3]);
  });

  it("a streamed frame is length, CRC32C and a ChunkedReadResponse", () => {
    const data = encodeXOR([1, 2], [3, 4]);
    const frame = chunkedFrame(
      [encodeChunkedSeries(Labels.fromStrings("a", "b"), [{ minTime: 1, maxTime: 2, data }])],
      3,
    );
    const len = frame[0]!;
    assert.equal(frame.length, 1 + 4 + len);
    const got = obj("ChunkedReadResponse", frame.subarray(5));
    assert.equal(got.query_index, 3);
    assert.equal(got.chunked_series[0].chunks[0].type, 1);
    assert.deepEqual(Buffer.from(got.chunked_series[0].chunks[0].data), Buffer.from(data));
  });
});
