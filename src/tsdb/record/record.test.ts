import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { Decbuf } from "../encoding/decbuf.ts";
import { Encbuf } from "../encoding/encbuf.ts";
import { putBE64Int, putVarint64, readBE64Int, readVarint64 } from "./int64.ts";
import {
  decodeExemplars,
  decodeMetadata,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeExemplars,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  RecordDecodeError,
  RecordType,
  RefSamples,
  recordType,
  recordTypeName,
} from "./record.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Go's binary.PutVarint of an int64, via BigInt: an independent reference. */
function goVarint(v: bigint): string {
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return Buffer.from(out).toString("hex");
}

function goBE64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, "0");
}

describe("int64 encodings", () => {
  const values: bigint[] = [
    0n,
    1n,
    -1n,
    63n,
    -64n,
    64n,
    1000n,
    -(2n ** 31n),
    2n ** 32n,
    2n ** 52n - 1n,
    -(2n ** 52n),
    2n ** 52n,
    2n ** 53n,
    -(2n ** 53n),
    2n ** 62n,
    -(2n ** 62n),
    -(2n ** 63n),
    // Upstream's API "minus/plus infinity" timestamps, exactly representable as doubles.
    -9223309901257974000n,
    9223309901257974000n,
  ];
  for (const big of values) {
    const v = Number(big);
    const exact = BigInt(v); // the double's own value
    it(`varint ${exact}`, () => {
      const e = new Encbuf(4);
      putVarint64(e, v);
      assert.equal(hex(e.get()), goVarint(exact));
      const d = new Decbuf(e.get());
      assert.equal(readVarint64(d), v);
      assert.equal(d.err, null);
      assert.equal(d.remaining(), 0);
    });
    it(`be64 ${exact}`, () => {
      const e = new Encbuf(4);
      putBE64Int(e, v);
      assert.equal(hex(e.get()), goBE64(exact));
      assert.equal(readBE64Int(new Decbuf(e.get())), v);
    });
  }

  it("saturates at the int64 maximum like Go's conversion of 2^63", () => {
    const e = new Encbuf();
    putVarint64(e, 2 ** 63);
    assert.equal(hex(e.get()), goVarint(2n ** 63n - 1n));
    e.reset();
    putBE64Int(e, 2 ** 64);
    assert.equal(hex(e.get()), "7fffffffffffffff");
  });

  it("decodes Go varints of values that are not doubles to the nearest double with the right sign", () => {
    for (const v of [2n ** 63n - 1n, -(2n ** 63n) + 1n, 2n ** 60n + 3n, -(2n ** 55n) - 1n]) {
      const d = new Decbuf(Buffer.from(goVarint(v), "hex"));
      assert.equal(readVarint64(d), Number(v));
    }
  });

  it("rejects overlong and truncated varints", () => {
    const over = new Decbuf(Buffer.from("ffffffffffffffffff02", "hex"));
    readVarint64(over);
    assert.match(over.err ?? "", /overflow/);
    const short = new Decbuf(Buffer.from("ff", "hex"));
    readVarint64(short);
    assert.equal(short.err, "invalid size");
  });
});

describe("record types", () => {
  const cases: [number[], number, string][] = [
    [[], RecordType.Unknown, "unknown"],
    [[0], RecordType.Unknown, "unknown"],
    [[1], RecordType.Series, "series"],
    [[2, 9], RecordType.Samples, "samples"],
    [[3], RecordType.Tombstones, "tombstones"],
    [[4], RecordType.Exemplars, "exemplars"],
    [[5], RecordType.MmapMarkers, "mmapmarkers"],
    [[6], RecordType.Metadata, "metadata"],
    [[7], RecordType.HistogramSamples, "histogram_samples"],
    [[8], RecordType.FloatHistogramSamples, "float_histogram_samples"],
    [[9], RecordType.CustomBucketsHistogramSamples, "custom_buckets_histogram_samples"],
    [[10], RecordType.CustomBucketsFloatHistogramSamples, "custom_buckets_float_histogram_samples"],
    [[11], RecordType.SamplesV2, "samples_v2"],
    [[12], RecordType.HistogramSamplesV2, "histogram_samples_v2"],
    [[13], RecordType.FloatHistogramSamplesV2, "float_histogram_samples_v2"],
    [[14], RecordType.MinValidTime, "min_valid_time"],
    [[15], RecordType.Unknown, "unknown"],
    [[255], RecordType.Unknown, "unknown"],
  ];
  for (const [bytes, want, name] of cases) {
    it(`[${bytes}] is ${name}`, () => {
      const t = recordType(Uint8Array.from(bytes));
      assert.equal(t, want);
      assert.equal(recordTypeName(t), name);
    });
  }
});

describe("series records", () => {
  it("match upstream's layout byte for byte", () => {
    const e = new Encbuf();
    encodeSeries([{ ref: 1, labels: Labels.fromStrings("job", "a", "__name__", "up") }], e);
    const want = `01${"0000000000000001"}02${"08"}${Buffer.from("__name__").toString("hex")}02${Buffer.from("up").toString("hex")}03${Buffer.from("job").toString("hex")}01${"61"}`;
    assert.equal(hex(e.get()), want);
  });

  it("round-trip, including empty label sets and UTF-8", () => {
    const series = [
      { ref: 1, labels: Labels.fromStrings("__name__", "up", "job", "node") },
      { ref: 2 ** 40, labels: Labels.EMPTY },
      { ref: 3, labels: Labels.fromStrings("ä", "ö", "a", "日本") },
    ];
    const e = new Encbuf();
    encodeSeries(series, e);
    const got = decodeSeries(e.get());
    assert.equal(got.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.equal(got[i]!.ref, series[i]!.ref);
      assert.ok(got[i]!.labels.equals(series[i]!.labels), `series ${i}`);
    }
  });

  it("sorts labels a foreign writer left unsorted", () => {
    const e = new Encbuf();
    e.putByte(1);
    e.putBE64(7);
    e.putUvarint(2);
    for (const s of ["zz", "1", "aa", "2"]) e.putUvarintStr(s);
    const [s] = decodeSeries(e.get());
    assert.equal(s!.labels.nameAt(0), "aa");
    assert.equal(s!.labels.get("zz"), "1");
  });

  it("reject truncation and trailing bytes", () => {
    const e = new Encbuf();
    encodeSeries([{ ref: 1, labels: Labels.fromStrings("a", "b") }], e);
    const rec = e.get().slice();
    assert.throws(() => decodeSeries(rec.subarray(0, rec.length - 1)), RecordDecodeError);
    const longer = new Uint8Array(rec.length + 3);
    longer.set(rec);
    assert.throws(() => decodeSeries(longer), RecordDecodeError);
    assert.throws(() => decodeSeries(Uint8Array.of(2)), /invalid record type/);
  });
});

describe("samples records", () => {
  it("match upstream's layout byte for byte", () => {
    const e = new Encbuf();
    encodeSamples([10, 12, 9], [1000, 1015, 990], [1.5, -2, 0], 3, e);
    const want =
      "02" +
      "000000000000000a" +
      "00000000000003e8" +
      "0000" +
      "3ff8000000000000" +
      "041e" +
      "c000000000000000" +
      "0113" +
      "0000000000000000";
    assert.equal(hex(e.get()), want);
  });

  it("encode an empty batch as the bare type byte", () => {
    const e = new Encbuf();
    encodeSamples([], [], [], 0, e);
    assert.equal(hex(e.get()), "02");
    const out = new RefSamples();
    out.n = 5;
    decodeSamples(e.get(), out);
    assert.equal(out.n, 0);
  });

  it("round-trip random batches, keeping NaN payloads (staleness markers) bit-exact", () => {
    const rnd = mulberry32(42);
    const out = new RefSamples(4);
    const e = new Encbuf();
    const staleBits = [0x7ff00000, 0x00000002]; // hi, lo of Prometheus' StaleNaN
    const nanView = new DataView(new ArrayBuffer(8));
    nanView.setUint32(0, staleBits[0]!);
    nanView.setUint32(4, staleBits[1]!);
    const stale = nanView.getFloat64(0);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rnd() * 300);
      const refs = new Float64Array(n);
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      const base = Math.floor((rnd() - 0.5) * 2 ** 45);
      for (let i = 0; i < n; i++) {
        refs[i] = Math.floor(rnd() * (rnd() < 0.1 ? 2 ** 40 : 1000));
        ts[i] = base + Math.floor((rnd() - 0.5) * (rnd() < 0.1 ? 2 ** 50 : 60_000));
        const k = rnd();
        vs[i] = k < 0.1 ? stale : k < 0.2 ? -0 : k < 0.3 ? Number.POSITIVE_INFINITY : (rnd() - 0.5) * 1e6;
      }
      e.reset();
      encodeSamples(refs, ts, vs, n, e);
      decodeSamples(e.get(), out);
      assert.equal(out.n, n);
      const got = new Uint32Array(out.vs.buffer);
      const want = new Uint32Array(vs.buffer);
      for (let i = 0; i < n; i++) {
        assert.equal(out.refs[i], refs[i]);
        assert.equal(out.ts[i], ts[i]);
        assert.ok(got[2 * i] === want[2 * i] && got[2 * i + 1] === want[2 * i + 1], `value bits ${i}`);
      }
    }
  });

  it("encode a sub-range and reuse the output arrays when they are large enough", () => {
    const e = new Encbuf();
    encodeSamples([1, 2, 3, 4], [10, 20, 30, 40], [0.1, 0.2, 0.3, 0.4], 2, e, 1);
    const out = new RefSamples(64);
    const arrays = [out.refs, out.ts, out.vs];
    decodeSamples(e.get(), out);
    assert.deepEqual([out.n, out.refs[0], out.refs[1], out.ts[1], out.vs[1]], [2, 2, 3, 30, 0.3]);
    assert.deepEqual([out.refs, out.ts, out.vs], arrays);
  });

  it("decode SamplesV2 records (upstream's start-time layout)", () => {
    // ref 5, t 1000, st 0, v 1; then ref+2, t+10, same ST, v 2; then ref-1, t+20, explicit ST +3, v 3.
    const e = new Encbuf();
    e.putByte(11);
    e.putVarint(5);
    e.putVarint(1000);
    e.putVarint(0);
    e.putBE64Float(1);
    e.putVarint(2);
    e.putVarint(10);
    e.putByte(1);
    e.putBE64Float(2);
    e.putVarint(-1);
    e.putVarint(20);
    e.putByte(2);
    e.putVarint(3);
    e.putBE64Float(3);
    const out = new RefSamples(1);
    decodeSamples(e.get(), out);
    assert.equal(out.n, 3);
    assert.deepEqual([...out.refs.subarray(0, 3)], [5, 7, 6]);
    assert.deepEqual([...out.ts.subarray(0, 3)], [1000, 1010, 1020]);
    assert.deepEqual([...out.vs.subarray(0, 3)], [1, 2, 3]);
  });

  it("reject truncated records and other types", () => {
    const e = new Encbuf();
    encodeSamples([1, 2], [5, 6], [1, 2], 2, e);
    const rec = e.get().slice();
    for (let cut = 2; cut < rec.length; cut++) {
      if (cut === 17 || cut === 27) continue; // sample boundaries: valid shorter records
      assert.throws(
        () => decodeSamples(rec.subarray(0, cut), new RefSamples()),
        RecordDecodeError,
        `cut ${cut}`,
      );
    }
    assert.throws(() => decodeSamples(Uint8Array.of(1), new RefSamples()), /invalid record type 1/);
  });
});

describe("tombstones records", () => {
  it("match upstream's layout and round-trip int64 extremes", () => {
    const stones = [
      { ref: 3, mint: 100, maxt: 200 },
      { ref: 4, mint: -(2 ** 63), maxt: 2 ** 63 },
    ];
    const e = new Encbuf();
    encodeTombstones(stones, e);
    const want = `03${"0000000000000003"}${goVarint(100n)}${goVarint(200n)}${"0000000000000004"}${goVarint(-(2n ** 63n))}${goVarint(2n ** 63n - 1n)}`;
    assert.equal(hex(e.get()), want);
    const got = decodeTombstones(e.get());
    assert.deepEqual(got[0], stones[0]);
    assert.equal(got[1]!.mint, -(2 ** 63));
    assert.equal(got[1]!.maxt, 2 ** 63); // nearest double of MaxInt64
  });
});

describe("exemplar and metadata records", () => {
  it("round-trip exemplars", () => {
    const ex = [
      { ref: 9, t: 5000, v: 0.25, labels: Labels.fromStrings("trace_id", "abc") },
      { ref: 7, t: 4000, v: -1, labels: Labels.EMPTY },
    ];
    const e = new Encbuf();
    encodeExemplars(ex, e);
    const got = decodeExemplars(e.get());
    assert.equal(got.length, 2);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual([got[i]!.ref, got[i]!.t, got[i]!.v], [ex[i]!.ref, ex[i]!.t, ex[i]!.v]);
      assert.ok(got[i]!.labels.equals(ex[i]!.labels));
    }
  });

  it("round-trip metadata and match upstream's field layout", () => {
    const md = [{ ref: 300, type: 1, unit: "seconds", help: "How long." }];
    const e = new Encbuf();
    encodeMetadata(md, e);
    const b = e.get();
    assert.equal(hex(b.subarray(0, 5)), "06ac020102"); // type, uvarint 300, counter, 2 fields
    assert.deepEqual(decodeMetadata(b), md);
  });
});
