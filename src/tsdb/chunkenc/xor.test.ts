import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueType } from "../../storage/interface.ts";
import { mulberry32 } from "../../testing/prng.ts";
import {
  Encoding,
  encodeXOR,
  encodingName,
  floatFromBits,
  floatHi,
  floatLo,
  XORIterator,
  xorIterator,
} from "./xor.ts";

const STALE_NAN = floatFromBits(0x7ff00000, 0x00000002);

/** Bytes from a string of '0'/'1' (spaces ignored), zero-padded to a byte. */
function fromBits(s: string): number[] {
  const bits = s.replace(/ /g, "");
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(Number.parseInt(bits.slice(i, i + 8).padEnd(8, "0"), 2));
  return out;
}
function byteBits(bytes: number[]): string {
  return bytes.map((b) => b.toString(2).padStart(8, "0")).join("");
}
function bits64(hi: number, lo: number): string {
  return (hi >>> 0).toString(2).padStart(32, "0") + (lo >>> 0).toString(2).padStart(32, "0");
}
/** Go's binary.PutVarint, via BigInt. */
function goVarint(x: number): number[] {
  let u = BigInt.asUintN(64, BigInt(x) << 1n);
  if (x < 0) u = BigInt.asUintN(64, ~u);
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}

/** Values go into a Float64Array: a plain JS array would quiet the stale marker's signalling NaN. */
function decode(bytes: Uint8Array): { ts: number[]; vs: Float64Array; err: Error | null } {
  const it = new XORIterator(bytes);
  const ts: number[] = [];
  const vs = new Float64Array(bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : 0);
  while (it.next() === ValueType.Float) {
    vs[ts.length] = it.atV();
    ts.push(it.atT());
  }
  return { ts, vs, err: it.err() };
}

function sameBits(a: number, b: number): boolean {
  return floatHi(a) === floatHi(b) && floatLo(a) === floatLo(b);
}

describe("XOR chunk", () => {
  it("names encodings as upstream", () => {
    const cases: [number, string][] = [
      [Encoding.None, "none"],
      [Encoding.XOR, "XOR"],
      [Encoding.Histogram, "histogram"],
      [Encoding.FloatHistogram, "floathistogram"],
      [9, "<unknown>"],
    ];
    for (const [e, name] of cases) assert.equal(encodingName(e), name);
  });

  it("encodes the stale marker's exact bits (hand-assembled)", () => {
    const got = encodeXOR(Float64Array.of(1000, 2000), Float64Array.of(1, STALE_NAN));
    // xor = 0x3ff0… ^ 0x7ff0…02 = 0x4000000000000002: 1 leading zero, 1 trailing, 62 significant bits.
    const want = fromBits(
      "00000000 00000010" + // 2 samples
        byteBits(goVarint(1000)) +
        bits64(0x3ff00000, 0) +
        byteBits([0xe8, 0x07]) + // uvarint 1000
        "1 1 00001 111110" +
        `1${"0".repeat(60)}1`,
    );
    assert.deepEqual([...got], want);
    const { vs } = decode(got);
    assert.equal(floatHi(vs[1]!) >>> 0, 0x7ff00000);
    assert.equal(floatLo(vs[1]!), 2);
  });

  it("encodes negative timestamps as Go's zig-zag varint (hand-assembled)", () => {
    const t0 = -7_000_000;
    const got = encodeXOR(Float64Array.of(t0, t0 + 15_000, t0 + 30_000), Float64Array.of(-2, -2, -2));
    const want = fromBits(
      "00000000 00000011" +
        byteBits(goVarint(t0)) +
        bits64(0xc0000000, 0) +
        byteBits([0x98, 0x75]) + // uvarint 15000
        "0" + // same value
        "0 0", // dod 0, same value
    );
    assert.deepEqual([...got], want);
    assert.deepEqual(decode(got).ts, [t0, t0 + 15_000, t0 + 30_000]);
  });

  it("round-trips random series bit-exactly, negative times and special values included", () => {
    const r = mulberry32(42);
    const specials = Float64Array.of(
      NaN,
      STALE_NAN,
      Infinity,
      -Infinity,
      -0,
      0,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    );
    let stales = 0;
    for (let iter = 0; iter < 300; iter++) {
      const n = 1 + Math.floor(r() * 250);
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      let t = Math.floor((r() - 0.5) * 2e12);
      for (let i = 0; i < n; i++) {
        // Mostly small steps, sometimes huge ones (64-bit dod bucket).
        t += 1 + Math.floor(r() ** 6 * 1e9);
        ts[i] = t;
        const k = r();
        vs[i] =
          k < 0.2 && i > 0
            ? vs[i - 1]!
            : k < 0.3
              ? specials[Math.floor(r() * specials.length)]!
              : k < 0.6
                ? Math.floor(r() * 1e6)
                : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
      }
      for (const v of vs) if (sameBits(v, STALE_NAN)) stales++;
      const got = decode(encodeXOR(ts, vs));
      assert.equal(got.err, null);
      assert.deepEqual(got.ts, [...ts]);
      for (let i = 0; i < n; i++) assert.ok(sameBits(got.vs[i]!, vs[i]!), `iter ${iter} sample ${i}`);
    }
    assert.ok(stales > 10, "stale markers were exercised");
  });

  it("handles a backwards second timestamp like upstream's uint64 wrap", () => {
    const ts = [1000, 500, 700, -3000];
    const got = encodeXOR(ts, [1, 2, 3, 4]);
    // The second timestamp's delta -500 is written as uvarint(2^64 - 500): 10 bytes after count, t0, v0.
    let u = 2n ** 64n - 500n;
    const want: number[] = [];
    for (; u >= 0x80n; u >>= 7n) want.push(Number(u & 0x7fn) | 0x80);
    want.push(Number(u));
    assert.deepEqual([...got.subarray(12, 22)], want);
    assert.deepEqual(decode(got).ts, ts);
  });

  it("encodes no samples as just the count", () => {
    assert.deepEqual([...encodeXOR([], [])], [0, 0]);
    assert.deepEqual(decode(encodeXOR([], [])).ts, []);
  });

  it("rejects mismatched columns and more than 65535 samples", () => {
    assert.throws(() => encodeXOR([1, 2], [1]), /2 timestamps but 1 values/);
    const n = 65536;
    assert.throws(() => encodeXOR(new Float64Array(n), new Float64Array(n)), /65535/);
    const ts = Float64Array.from({ length: 65535 }, (_, i) => i * 15_000);
    const c = encodeXOR(ts, new Float64Array(65535));
    assert.equal((c[0]! << 8) | c[1]!, 65535);
    assert.equal(decode(c).ts.length, 65535);
  });

  describe("iterator", () => {
    const ts = [1000, 2000, 3000, 4000, 5000];
    const chunk = encodeXOR(ts, [10, 20, 30, 40, 50]);

    it("seeks like upstream", () => {
      // Each row: seeks in sequence on one iterator -> expected [result, t] after each.
      const cases: { name: string; seeks: number[]; want: [ValueType, number][] }[] = [
        { name: "before start", seeks: [0], want: [[ValueType.Float, 1000]] },
        { name: "exact", seeks: [3000], want: [[ValueType.Float, 3000]] },
        { name: "between", seeks: [2500], want: [[ValueType.Float, 3000]] },
        {
          name: "never backwards",
          seeks: [4000, 1000],
          want: [
            [ValueType.Float, 4000],
            [ValueType.Float, 4000],
          ],
        },
        { name: "past the end", seeks: [5001], want: [[ValueType.None, 5000]] },
        {
          name: "at/before the last sample once exhausted stays there",
          seeks: [9000, 5000],
          want: [
            [ValueType.None, 5000],
            [ValueType.Float, 5000],
          ],
        },
      ];
      for (const c of cases) {
        const it = new XORIterator(chunk);
        c.seeks.forEach((t, i) => {
          const got = it.seek(t);
          assert.deepEqual([got, it.atT()], c.want[i], `${c.name}: seek #${i} to ${t}`);
        });
      }
    });

    it("continues with next() after a seek", () => {
      const it = new XORIterator(chunk);
      assert.equal(it.seek(2000), ValueType.Float);
      assert.equal(it.next(), ValueType.Float);
      assert.equal(it.atT(), 3000);
      assert.equal(it.atV(), 30);
    });

    it("is recycled by xorIterator and reset", () => {
      const it = new XORIterator(chunk);
      while (it.next() !== ValueType.None);
      const again = xorIterator(encodeXOR([7], [8]), it);
      assert.equal(again, it);
      assert.equal(again.next(), ValueType.Float);
      assert.deepEqual([again.atT(), again.atV()], [7, 8]);
      assert.equal(again.next(), ValueType.None);
    });

    it("keeps its copy when the source bytes change", () => {
      const src = new Uint8Array(chunk);
      const it = new XORIterator();
      it.resetCopy(src, 0, src.length);
      src.fill(0xff);
      assert.deepEqual(
        (() => {
          const out: number[] = [];
          while (it.next() === ValueType.Float) out.push(it.atT());
          return out;
        })(),
        ts,
      );
    });

    it("reports truncated and malformed chunks", () => {
      for (let cut = 2; cut < chunk.length; cut++) {
        const got = decode(chunk.subarray(0, cut));
        assert.ok(got.ts.length < ts.length, `cut at ${cut}`);
        assert.notEqual(got.err, null, `cut at ${cut}`);
        assert.equal(new XORIterator(chunk.subarray(0, cut)).seek(9000), ValueType.None);
      }
      assert.match(decode(Uint8Array.of(0)).err!.message, /too short/);
      // 2 samples; second value claims 31 leading zeros and 40 significant bits.
      const bad = Uint8Array.from(
        fromBits(`00000000 00000010 00000000 ${"0".repeat(64)} 00000001 1 1 11111 101000 ${"0".repeat(40)}`),
      );
      assert.match(decode(bad).err!.message, /exceed 64/);
    });
  });
});
