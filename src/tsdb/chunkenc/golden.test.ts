/**
 * XOR chunk bytes against upstream. The fixture testdata/xor_golden.json was
 * made by running promtool (`tsdb create-blocks-from openmetrics`) over
 * testdata/xor_golden.om, which `goldenInput()` below produces, and reading
 * the chunks of the resulting blocks. Regenerate both with
 *
 *   VIGIL_UPDATE_GOLDEN=1 node --test src/tsdb/chunkenc/golden.test.ts
 *
 * A series' chunks are the head's cuts; the fixture records them, and each
 * chunk's sample count (its first two bytes) says which input samples it holds.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ValueType } from "../../storage/interface.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { ChunkReader } from "../chunks/reader.ts";
import { ChunkStore } from "./store.ts";
import { Encoding, encodeXOR, floatFromBits, floatHi, floatLo, XORIterator } from "./xor.ts";

const TESTDATA = join(import.meta.dirname, "testdata");
const FIXTURE = join(TESTDATA, "xor_golden.json");
const OM_FILE = join(TESTDATA, "xor_golden.om");
const PROMTOOL = join(import.meta.dirname, "../../../.reference/bin/promtool");

/** Start of a 2h block range (1700006400000 is a multiple of 7200000). */
const T0 = 1_700_006_400_000;

interface InputSeries {
  name: string;
  ts: number[];
  /** Values as OpenMetrics text. */
  texts: string[];
}

interface GoldenSeries {
  name: string;
  /** [t, 16 hex digits of the float64 bits] */
  samples: [number, string][];
  chunks: string[];
}

interface Golden {
  source: string;
  series: GoldenSeries[];
}

/** The bits Go's strconv.ParseFloat gives for an OpenMetrics value. */
function parseGoFloat(s: string): { hi: number; lo: number } {
  if (s === "NaN") return { hi: 0x7ff80000, lo: 1 }; // math.NaN()
  const v = s === "+Inf" ? Infinity : s === "-Inf" ? -Infinity : Number(s);
  assert.ok(!Number.isNaN(v), `bad value ${s}`);
  return { hi: floatHi(v) >>> 0, lo: floatLo(v) >>> 0 };
}

function bitsHex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, "0") + (lo >>> 0).toString(16).padStart(8, "0");
}

/** OpenMetrics seconds whose `int64(s * 1000)` (promtool's conversion) is exactly `ms`. */
function omTimestamp(ms: number): string {
  const base = (ms / 1000).toFixed(3);
  for (const s of [base, `${base}0001`, `${base}9999`]) {
    if (Math.trunc(Number(s) * 1000) === ms) return s;
  }
  throw new Error(`no exact OpenMetrics timestamp for ${ms}`);
}

/** The series fed to promtool; names sort in the order blocks store them. */
function goldenInput(): InputSeries[] {
  const r = mulberry32(0x601d);
  const out: InputSeries[] = [];
  const add = (name: string, ts: number[], texts: string[]): void => {
    assert.equal(ts.length, texts.length);
    out.push({ name, ts, texts });
  };

  // A counter scraped every 15s: one full chunk of 120 samples.
  {
    const ts: number[] = [];
    const texts: string[] = [];
    let v = 1000;
    for (let i = 0; i < 120; i++) {
      ts.push(T0 + i * 15_000);
      v += Math.floor(r() * 100);
      texts.push(String(v));
    }
    add("a_regular_counter", ts, texts);
  }
  // Irregular gauge (under 30 samples, so the head's time-based cut does not kick in).
  {
    const ts: number[] = [];
    const texts: string[] = [];
    let t = T0 + 777;
    for (let i = 0; i < 25; i++) {
      t += 1 + Math.floor(r() * 20_000);
      ts.push(t);
      texts.push(String(Math.round((r() - 0.3) * 1e6) / 1000));
    }
    add("b_irregular_gauge", ts, texts);
  }
  // Delta-of-deltas on both sides of every bucket boundary (14, 17, 20 and 64 bits).
  {
    const dods = [
      0, 1, -1, 8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289, -524288,
      3_000_000, -3_000_000, 0,
    ];
    const ts = [T0 + 5, T0 + 15];
    let d = 10;
    for (const dod of dods) {
      d += dod;
      ts.push(ts[ts.length - 1]! + d);
    }
    add(
      "c_dod_buckets",
      ts,
      ts.map((_, i) => String(i % 3 === 0 ? 7 : i)),
    );
  }
  // Special and tricky floats: zeros, infinities, NaN, repeats, leading-zero clamp, 64 significant bits.
  {
    const texts = [
      "0",
      "-0",
      "+Inf",
      "-Inf",
      "NaN",
      "NaN",
      "1",
      "1",
      "1.0000000000000002",
      "1",
      "1.0000000000000002",
      "-5e-324",
      "1",
      "1.5",
      "1e308",
      "-1e-308",
      "5e-324",
      "9007199254740992",
      "-9007199254740992",
      "0.1",
      "0.2",
      "0.30000000000000004",
      "NaN",
      "42",
      "42",
      "42",
      "-42",
      "1.7976931348623157e308",
      "2.2250738585072014e-308",
    ];
    add(
      "d_special_values",
      texts.map((_, i) => T0 + 30_000 + i * 15_000 + (i % 4 === 3 ? 1 : 0)),
      texts,
    );
  }
  add("e_single_sample", [T0 + 123_456], ["3.25"]);
  // A large first delta needs a multi-byte uvarint.
  add("f_two_samples", [T0 + 1, T0 + 3_000_001], ["-7", "8"]);
  // Long enough that the head cuts it into several chunks.
  {
    const ts: number[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      ts.push(T0 + 60_000 + i * 15_000 + (i % 10 === 0 ? Math.floor(r() * 50) : 0));
      texts.push(String(Math.floor(r() * 4) * 0.25));
    }
    add("g_multi_chunk", ts, texts);
  }
  // Timestamps from 0. (promtool drops samples before 0, so negative ones are tested in xor.test.ts.)
  add("h_from_zero", [0, 1, 5_000, 10_000, 10_001, 10_002, 1_000_000], ["1", "2", "3", "4", "5", "6", "7"]);
  return out;
}

function openMetrics(series: InputSeries[]): string {
  const lines: string[] = [];
  for (const s of series) {
    lines.push(`# TYPE ${s.name} gauge`);
    for (let i = 0; i < s.ts.length; i++) lines.push(`${s.name} ${s.texts[i]} ${omTimestamp(s.ts[i]!)}`);
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
}

/** Timestamps and values (bit-exact, in a Float64Array) of golden samples. */
function columns(samples: [number, string][]): { ts: Float64Array; vs: Float64Array } {
  const ts = new Float64Array(samples.length);
  const vs = new Float64Array(samples.length);
  samples.forEach(([t, bits], i) => {
    ts[i] = t;
    vs[i] = floatFromBits(Number.parseInt(bits.slice(0, 8), 16), Number.parseInt(bits.slice(8), 16));
  });
  return { ts, vs };
}

function assertDecodes(bytes: Uint8Array, samples: [number, string][], what: string): void {
  const it = new XORIterator(bytes);
  for (const [i, [t, bits]] of samples.entries()) {
    assert.equal(it.next(), ValueType.Float, `${what}: sample ${i}: ${it.err()}`);
    assert.equal(it.atT(), t, `${what}: t of sample ${i}`);
    const v = it.atV();
    assert.equal(bitsHex(floatHi(v), floatLo(v)), bits, `${what}: value bits of sample ${i}`);
  }
  assert.equal(it.next(), ValueType.None, `${what}: extra samples`);
  assert.equal(it.err(), null);
}

describe("XOR chunks match upstream's bytes (fixture from promtool)", () => {
  // Missing only while generating it for the first time; the next test then fails.
  const golden: Golden = existsSync(FIXTURE)
    ? (JSON.parse(readFileSync(FIXTURE, "utf8")) as Golden)
    : { source: "", series: [] };

  it("fixture holds the current golden input", () => {
    const input = goldenInput();
    assert.deepEqual(
      golden.series.map((s) => s.name),
      input.map((s) => s.name),
    );
    for (const [i, s] of input.entries()) {
      const want = s.ts.map((t, j): [number, string] => {
        const { hi, lo } = parseGoFloat(s.texts[j]!);
        return [t, bitsHex(hi, lo)];
      });
      assert.deepEqual(golden.series[i]!.samples, want, s.name);
    }
    assert.equal(readFileSync(OM_FILE, "utf8"), openMetrics(input));
  });

  for (const s of golden.series) {
    it(`${s.name}: encodeXOR, ChunkStore and XORIterator`, () => {
      const { ts, vs } = columns(s.samples);
      const store = new ChunkStore();
      let at = 0;
      for (const [ci, want] of s.chunks.entries()) {
        const n = Number.parseInt(want.slice(0, 4), 16);
        const cts = ts.subarray(at, at + n);
        const cvs = vs.subarray(at, at + n);
        const what = `${s.name} chunk ${ci}`;
        assert.equal(hex(encodeXOR(cts, cvs)), want, `${what}: encodeXOR`);
        let h = store.open();
        for (let i = 0; i < n; i++) h = store.append(h, cts[i]!, cvs[i]!);
        assert.equal(hex(store.bytes(h)), want, `${what}: open ChunkStore chunk`);
        h = store.seal(h);
        assert.equal(hex(store.bytes(h)), want, `${what}: sealed ChunkStore chunk`);
        store.free(h);
        assertDecodes(Buffer.from(want, "hex"), s.samples.slice(at, at + n), what);
        at += n;
      }
      assert.equal(at, s.samples.length, `${s.name}: chunks cover all samples`);
    });
  }

  it("reads promtool's blocks through ChunkReader and XORIterator", (t) => {
    if (!existsSync(PROMTOOL)) {
      t.skip("promtool not installed");
      return;
    }
    const input = goldenInput();
    const dir = mkdtempSync(join(tmpdir(), "vigil-xor-golden-"));
    try {
      const om = openMetrics(input);
      writeFileSync(join(dir, "in.om"), om);
      execFileSync(
        PROMTOOL,
        ["tsdb", "create-blocks-from", "openmetrics", join(dir, "in.om"), join(dir, "out")],
        {
          stdio: "pipe",
        },
      );
      const fresh = readBlocks(join(dir, "out"), input);
      for (const [i, s] of input.entries()) {
        const g = fresh[i]!;
        assert.ok(g.chunks.length > 0, `${s.name}: no chunks`);
        let at = 0;
        for (const [ci, c] of g.chunks.entries()) {
          const n = Number.parseInt(c.slice(0, 4), 16);
          const part = g.samples.slice(at, at + n);
          assertDecodes(Buffer.from(c, "hex"), part, `${s.name} chunk ${ci}`);
          const { ts, vs } = columns(part);
          assert.equal(hex(encodeXOR(ts, vs)), c, `${s.name} chunk ${ci}: encodeXOR`);
          at += n;
        }
        assert.equal(at, s.ts.length, `${s.name}: block chunks hold every sample`);
      }
      if (process.env.VIGIL_UPDATE_GOLDEN === "1") {
        const version = execFileSync(PROMTOOL, ["--version"], { encoding: "utf8" }).split("\n")[0]!;
        const fixture: Golden = { source: `${version}: tsdb create-blocks-from openmetrics`, series: fresh };
        writeFileSync(FIXTURE, formatGolden(fixture));
        writeFileSync(OM_FILE, om);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** JSON with one sample or chunk per line, to keep the fixture diffable. */
function formatGolden(g: Golden): string {
  const series = g.series.map((s) => {
    const samples = s.samples.map((x) => JSON.stringify(x)).join(",\n   ");
    const chunks = s.chunks.map((c) => JSON.stringify(c)).join(",\n   ");
    return `  {\n   "name": ${JSON.stringify(s.name)},\n   "samples": [\n   ${samples}\n   ],\n   "chunks": [\n   ${chunks}\n   ]\n  }`;
  });
  return `{\n "source": ${JSON.stringify(g.source)},\n "series": [\n${series.join(",\n")}\n ]\n}\n`;
}

/**
 * Maps the chunks of every block under `out` to the input series: a block
 * writes its series in label order and each series' chunks in time order.
 */
function readBlocks(out: string, input: InputSeries[]): GoldenSeries[] {
  const blocks = readdirSync(out)
    .map((name) => {
      const meta = JSON.parse(readFileSync(join(out, name, "meta.json"), "utf8")) as {
        minTime: number;
        maxTime: number;
      };
      return { dir: join(out, name), ...meta };
    })
    .sort((a, b) => a.minTime - b.minTime);
  const result: GoldenSeries[] = input.map((s) => ({
    name: s.name,
    samples: s.ts.map((t, j): [number, string] => {
      const { hi, lo } = parseGoFloat(s.texts[j]!);
      return [t, bitsHex(hi, lo)];
    }),
    chunks: [],
  }));
  const sorted = input.map((s, i) => ({ s, i })).sort((a, b) => (a.s.name < b.s.name ? -1 : 1));
  for (const b of blocks) {
    const cr = ChunkReader.open(join(b.dir, "chunks"));
    try {
      const entries = [...cr.entries()];
      let e = 0;
      for (const { s, i } of sorted) {
        let left = s.ts.filter((t) => t >= b.minTime && t < b.maxTime).length;
        while (left > 0) {
          const c = entries[e++];
          assert.ok(c !== undefined, `${b.dir}: ran out of chunks at ${s.name}`);
          assert.equal(c.encoding, Encoding.XOR);
          const n = (c.data[0]! << 8) | c.data[1]!;
          assert.ok(n > 0 && n <= left, `${b.dir}: chunk of ${n} samples where ${s.name} has ${left} left`);
          result[i]!.chunks.push(hex(c.data));
          left -= n;
        }
      }
      assert.equal(e, entries.length, `${b.dir}: chunks left over`);
    } finally {
      cr.close();
    }
  }
  return result;
}
