import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ValueType } from "../../storage/interface.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { Encoding, encodeXOR } from "../chunkenc/xor.ts";
import { crc32c } from "../encoding/crc32c.ts";
import { blockChunkRef, refOffset, refSegment } from "./format.ts";
import { ChunkReader, verifyChunk } from "./reader.ts";
import { ChunkWriter } from "./writer.ts";

const PROMTOOL = join(import.meta.dirname, "../../../.reference/bin/promtool");

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vigil-chunks-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function randomBytes(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function flipByte(path: string, at: number): void {
  const b = readFileSync(path);
  b[at]! ^= 0x40;
  writeFileSync(path, b);
}

describe("chunk segment files", () => {
  it("round-trips chunks across segments", () => {
    const r = mulberry32(5);
    const w = new ChunkWriter(dir, { segmentSize: 4096 });
    // Sizes include empty data, multi-byte length fields, more than the reader's
    // read-ahead, more than a segment, and more than the writer's buffer.
    const sizes = [0, 1, 127, 128, 300, 4000, 4095, 5000, 16_384, 2_000_000, 10, 20];
    for (let i = 0; i < 300; i++) sizes.push(Math.floor(r() ** 3 * 3000));
    const written = sizes.map((n) => {
      const data = randomBytes(r, n);
      const encoding = 1 + Math.floor(r() * 3);
      return { ref: w.writeChunk(encoding, data), encoding, data };
    });
    w.close();

    const files = readdirSync(dir).sort();
    assert.ok(files.length > 10, `${files.length} segments`);
    assert.deepEqual(
      files,
      files.map((_, i) => String(i + 1).padStart(6, "0")),
    );
    for (const f of files) {
      const size = statSync(join(dir, f)).size;
      const onlyOne = written.filter((c) => files[refSegment(c.ref)] === f).length === 1;
      assert.ok(size <= 4096 || onlyOne, `${f}: ${size} bytes`);
    }
    for (let i = 1; i < written.length; i++) assert.ok(written[i]!.ref > written[i - 1]!.ref);

    const cr = ChunkReader.open(dir);
    try {
      assert.equal(cr.numSegments(), files.length);
      assert.equal(
        cr.size(),
        files.reduce((s, f) => s + statSync(join(dir, f)).size, 0),
      );
      for (const c of written) {
        const got = cr.chunk(c.ref);
        assert.equal(got.encoding, c.encoding);
        assert.deepEqual(got.data, c.data, `ref ${c.ref}`);
        const view = cr.chunkView(c.ref);
        assert.deepEqual(view.data, c.data);
      }
      const entries = [...cr.entries()];
      assert.deepEqual(
        entries.map((e) => e.ref),
        written.map((c) => c.ref),
      );
      assert.deepEqual(entries[5]!.data, written[5]!.data, "entries keep their own copies");
    } finally {
      cr.close();
    }
  });

  it("cuts segments as upstream: when the chunk with a 5-byte length field would not fit", () => {
    // Segment of 100 bytes; each 20-byte chunk takes 26 bytes but is counted as 30.
    const cases: { name: string; sizes: number[]; want: [number, number][] }[] = [
      {
        name: "fills then cuts",
        sizes: [20, 20, 20, 20],
        want: [
          [0, 8],
          [0, 34],
          [0, 60],
          [1, 8],
        ],
      },
      {
        name: "oversized chunk gets its own segment",
        sizes: [20, 200, 20],
        want: [
          [0, 8],
          [1, 8],
          [2, 8],
        ],
      },
      { name: "first chunk larger than a segment", sizes: [500], want: [[0, 8]] },
    ];
    for (const c of cases) {
      const d = join(dir, c.name.replace(/ /g, "_"));
      const w = new ChunkWriter(d, { segmentSize: 100 });
      const refs = c.sizes.map((n) => w.writeChunk(Encoding.XOR, new Uint8Array(n)));
      w.close();
      assert.deepEqual(
        refs.map((ref) => [refSegment(ref), refOffset(ref)]),
        c.want,
        c.name,
      );
      assert.deepEqual(
        refs,
        c.want.map(([s, o]) => blockChunkRef(s, o)),
      );
    }
  });

  it("writes the segment header", () => {
    const w = new ChunkWriter(dir);
    w.writeChunk(Encoding.XOR, Uint8Array.of(0, 0));
    w.close();
    const b = readFileSync(join(dir, "000001"));
    assert.deepEqual([...b.subarray(0, 8)], [0x85, 0xbd, 0x40, 0xdd, 1, 0, 0, 0]);
    // len 2, XOR, data, CRC32C(01 00 00) big-endian.
    const crc = crc32c(Uint8Array.of(1, 0, 0));
    assert.deepEqual(
      [...b.subarray(8)],
      [2, 1, 0, 0, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff],
    );
    assert.ok(verifyChunk(1, Uint8Array.of(0, 0), crc));
    assert.ok(!verifyChunk(2, Uint8Array.of(0, 0), crc));
  });

  it("writes nothing for no chunks and refuses writes after close", () => {
    const w = new ChunkWriter(join(dir, "empty"));
    w.close();
    w.close();
    assert.deepEqual(readdirSync(join(dir, "empty")), []);
    assert.throws(() => w.writeChunk(Encoding.XOR, new Uint8Array(2)), /closed/);
  });

  it("detects corrupted chunks, naming file and offset", () => {
    const w = new ChunkWriter(dir);
    const small = w.writeChunk(Encoding.XOR, encodeXOR([1, 2, 3], [4, 5, 6]));
    const big = w.writeChunk(Encoding.XOR, new Uint8Array(10_000).fill(3));
    const last = w.writeChunk(Encoding.XOR, Uint8Array.of(0, 0));
    w.close();
    const file = join(dir, "000001");
    const cases: [string, number, number][] = [
      ["data byte of a small chunk", refOffset(small) + 3, small],
      ["encoding byte", refOffset(small) + 1, small],
      ["data byte of a chunk beyond the read-ahead", refOffset(big) + 9000, big],
      ["checksum", refOffset(last) + 4, last],
    ];
    for (const [name, at, ref] of cases) {
      flipByte(file, at);
      const cr = ChunkReader.open(dir);
      assert.throws(
        () => cr.chunk(ref),
        (e: Error) =>
          e.message.includes(file) &&
          e.message.includes(`offset ${refOffset(ref)}`) &&
          /checksum/.test(e.message),
        name,
      );
      cr.close();
      const lax = ChunkReader.open(dir, { verifyCRC: false });
      assert.doesNotThrow(() => lax.chunk(ref), name);
      lax.close();
      flipByte(file, at);
    }
    const cr = ChunkReader.open(dir);
    assert.equal(cr.chunk(big).data.length, 10_000, "intact again");
    cr.close();
  });

  it("rejects references out of range", () => {
    const w = new ChunkWriter(dir);
    // Data bytes of 0x7f read as a length field claim 127 bytes.
    const ref = w.writeChunk(Encoding.XOR, new Uint8Array(40).fill(0x7f));
    w.close();
    const file = join(dir, "000001");
    const size = statSync(file).size;
    const cr = ChunkReader.open(dir);
    const cases: [string, number, RegExp][] = [
      ["segment index", blockChunkRef(1, 8), /segment index 1 out of range/],
      [
        "offset past the end",
        blockChunkRef(0, size),
        new RegExp(`000001: chunk offset ${size} out of range`),
      ],
      ["offset inside the header", blockChunkRef(0, 3), /000001: chunk offset 3 out of range/],
      ["chunk running past the end", ref + 2, /000001: chunk at offset 10 needs 133 bytes/],
      ["not a reference", -1, /out of range/],
    ];
    for (const [name, bad, re] of cases) assert.throws(() => cr.chunk(bad), re, name);
    cr.close();
    assert.throws(() => cr.chunk(ref), /closed/);
  });

  it("validates segment headers at open", () => {
    const cases: [string, Uint8Array, RegExp][] = [
      [
        "bad magic",
        Uint8Array.of(0x85, 0xbd, 0x40, 0xde, 1, 0, 0, 0),
        /000001: invalid magic number 85bd40de/,
      ],
      [
        "bad version",
        Uint8Array.of(0x85, 0xbd, 0x40, 0xdd, 2, 0, 0, 0),
        /000001: invalid chunk format version 2/,
      ],
      ["short file", Uint8Array.of(0x85, 0xbd), /000001: invalid segment header/],
    ];
    for (const [name, bytes, re] of cases) {
      const d = join(dir, name.replace(/ /g, "_"));
      new ChunkWriter(d).close();
      writeFileSync(join(d, "000001"), bytes);
      writeFileSync(join(d, "not-a-segment"), "ignored");
      assert.throws(() => ChunkReader.open(d), re, name);
    }
  });

  it("iterates XOR chunks by reference", () => {
    const w = new ChunkWriter(dir);
    const ref = w.writeChunk(Encoding.XOR, encodeXOR([10, 20, 30], [1, 2, 3]));
    const other = w.writeChunk(Encoding.Histogram, Uint8Array.of(0, 0));
    w.close();
    const cr = ChunkReader.open(dir);
    const it = cr.iterator(ref);
    assert.equal(it.seek(15), ValueType.Float);
    assert.deepEqual([it.atT(), it.atV()], [20, 2]);
    assert.equal(cr.iterator(ref, it), it, "reused");
    assert.equal(it.next(), ValueType.Float);
    assert.equal(it.atT(), 10);
    assert.throws(() => cr.iterator(other), /encoding 2, not XOR/);
    cr.close();
  });

  it("writes byte-identical segment files to promtool's", (t) => {
    if (!existsSync(PROMTOOL)) {
      t.skip("promtool not installed");
      return;
    }
    const lines: string[] = [];
    for (const name of ["m_a", "m_b", "m_c"]) {
      lines.push(`# TYPE ${name} gauge`);
      for (let i = 0; i < 300; i++) lines.push(`${name} ${(i * 37) % 101} ${1_700_006_400 + i * 15}`);
    }
    lines.push("# EOF", "");
    writeFileSync(join(dir, "in.om"), lines.join("\n"));
    execFileSync(
      PROMTOOL,
      ["tsdb", "create-blocks-from", "openmetrics", join(dir, "in.om"), join(dir, "out")],
      {
        stdio: "pipe",
      },
    );
    const [block] = readdirSync(join(dir, "out"));
    const upstream = join(dir, "out", block!, "chunks");
    const cr = ChunkReader.open(upstream);
    const mine = join(dir, "mine");
    const w = new ChunkWriter(mine);
    let n = 0;
    for (const e of cr.entries()) {
      assert.equal(w.writeChunk(e.encoding, e.data), e.ref);
      n++;
    }
    w.close();
    cr.close();
    assert.ok(n >= 6, `${n} chunks`);
    assert.deepEqual(readdirSync(mine), readdirSync(upstream));
    assert.ok(readFileSync(join(mine, "000001")).equals(readFileSync(join(upstream, "000001"))));
  });
});
