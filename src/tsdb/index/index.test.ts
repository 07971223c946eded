import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";
import { mulberry32 } from "../../testing/prng.ts";
import type { ChunkMeta } from "../blockreader.ts";
import { IndexReader } from "./reader.ts";
import { IndexWriter } from "./writer.ts";

interface TestSeries {
  labels: Labels;
  chunks: ChunkMeta[];
}

const VALUE_POOL = ["a", "b", "prod", "dev", "ünïcödé", "日本", "\uFF5E", "\u{1F600}", "x y", "0", "10", "9"];

/** Random series: sorted by labels, chunk refs increasing across series, some timestamps negative. */
function genSeries(seed: number, n: number): TestSeries[] {
  const rand = mulberry32(seed);
  const byKey = new Map<string, Labels>();
  while (byKey.size < n) {
    const flat = [
      "__name__",
      `metric_${Math.floor(rand() * 20)}`,
      "instance",
      `host-${Math.floor(rand() * 500)}`,
    ];
    if (rand() < 0.5) flat.push("env", VALUE_POOL[Math.floor(rand() * VALUE_POOL.length)]!);
    if (rand() < 0.2) flat.push("ńámé", VALUE_POOL[Math.floor(rand() * VALUE_POOL.length)]!);
    if (rand() < 0.2) flat.push("\u{1F600}", "smile");
    // Empty values are dropped by Labels, as upstream never indexes them.
    if (rand() < 0.3) flat.push("empty", "");
    const ls = Labels.fromStrings(...flat);
    byKey.set(ls.toString(), ls);
  }
  const labels = [...byKey.values()].sort(Labels.compare);
  let ref = 8;
  return labels.map((ls) => {
    const chunks: ChunkMeta[] = [];
    const nc = Math.floor(rand() * 4);
    let t = Math.floor((rand() - 0.5) * 1e12);
    for (let i = 0; i < nc; i++) {
      const minT = t;
      const maxT = minT + Math.floor(rand() * 7_200_000);
      chunks.push({ ref, minT, maxT });
      // Segment changes now and then: refs are segment * 2^32 + offset.
      ref =
        rand() < 0.05 ? (Math.floor(ref / 2 ** 32) + 1) * 2 ** 32 + 8 : ref + 1 + Math.floor(rand() * 500);
      t = maxT + 1 + Math.floor(rand() * 1000);
    }
    return { labels: ls, chunks };
  });
}

function symbolsOf(series: TestSeries[]): string[] {
  const s = new Set<string>();
  for (const x of series) {
    x.labels.forEach((n, v) => {
      s.add(n).add(v);
    });
  }
  return [...s].sort(compareUTF8);
}

function writeIndex(file: string, series: TestSeries[], symbols = symbolsOf(series)): void {
  const w = IndexWriter.create(file);
  for (const s of symbols) w.addSymbol(s);
  for (let i = 0; i < series.length; i++) w.addSeries(i, series[i]!.labels, series[i]!.chunks);
  w.close();
}

describe("index writer → reader round trip", () => {
  let dir: string;
  let file: string;
  let series: TestSeries[];
  let r: IndexReader;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-index-"));
    file = path.join(dir, "index");
    series = genSeries(42, 3000);
    writeIndex(file, series);
    r = IndexReader.open(file);
  });
  after(() => {
    r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the symbols", () => {
    const want = symbolsOf(series);
    assert.deepEqual([...r.symbols()], want);
    assert.equal(r.numSymbols, want.length);
    assert.equal(r.lookupSymbol(want.length - 1), want[want.length - 1]);
    assert.throws(() => r.lookupSymbol(want.length), /unknown symbol reference/);
  });

  it("lists label names and values in Go byte order", () => {
    const names = new Set<string>();
    const values = new Map<string, Set<string>>();
    for (const s of series) {
      s.labels.forEach((n, v) => {
        names.add(n);
        if (!values.has(n)) values.set(n, new Set());
        values.get(n)!.add(v);
      });
    }
    assert.deepEqual(r.labelNames(), [...names].sort(compareUTF8));
    assert.ok(!r.labelNames().includes("empty"));
    for (const [n, vs] of values) assert.deepEqual(r.labelValues(n), [...vs].sort(compareUTF8), n);
    assert.deepEqual(r.sortedLabelValues("env"), [...values.get("env")!].sort(compareUTF8));
    assert.deepEqual(r.labelValues("nope"), []);
  });

  it("decodes every series with its chunk metas", () => {
    const all = r.postingsForAll();
    assert.equal(all.length, series.length);
    const out: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
    for (let i = 0; i < all.length; i++) {
      assert.equal(r.series(all[i]!, out), true);
      assert.ok(out.labels!.equals(series[i]!.labels), `series ${i}`);
      assert.deepEqual(out.chunks, series[i]!.chunks, `series ${i}`);
    }
    assert.ok(
      series.some((s) => s.chunks.some((c) => c.minT < 0)),
      "test data has negative timestamps",
    );
    assert.ok(
      series.some((s) => s.chunks.some((c) => c.ref > 2 ** 32)),
      "test data has chunk refs past segment 0",
    );
    assert.equal(r.series(0, out), false);
    assert.equal(r.series(all[all.length - 1]! + 1_000_000, out), false);
  });

  it("returns postings per label pair, merged over values", () => {
    const all = r.postingsForAll();
    const want = new Map<string, number[]>();
    series.forEach((s, i) => {
      s.labels.forEach((n, v) => {
        const k = JSON.stringify([n, v]);
        if (!want.has(k)) want.set(k, []);
        want.get(k)!.push(all[i]!);
      });
    });
    for (const [k, refs] of want) {
      const [n, v] = JSON.parse(k) as [string, string];
      assert.deepEqual([...r.postings(n, v)], refs, k);
    }
    const a = want.get(JSON.stringify(["env", "prod"]))!;
    const b = want.get(JSON.stringify(["env", "\u{1F600}"]))!;
    const merged = [...new Set([...a, ...b])].sort((x, y) => x - y);
    assert.deepEqual([...r.postings("env", "prod", "\u{1F600}", "missing")], merged);
    assert.deepEqual([...r.postings("env", ["prod", "\u{1F600}"])], merged);
    assert.deepEqual(
      [...r.postingsForLabelMatching("env", (v) => v === "prod" || v === "\u{1F600}")],
      merged,
    );
    assert.deepEqual([...r.postings("env", "missing")], []);
    assert.deepEqual([...r.postings("nope", "x")], []);
    assert.deepEqual([...r.postings("empty", "")], []);
  });

  it("is deterministic", () => {
    const again = path.join(dir, "index2");
    writeIndex(again, series);
    assert.deepEqual(fs.readFileSync(again), fs.readFileSync(file));
  });
});

describe("index edge cases", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-index-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes and reads an empty index", () => {
    const f = path.join(dir, "empty");
    IndexWriter.create(f).close();
    const r = IndexReader.open(f);
    assert.deepEqual([...r.symbols()], []);
    assert.deepEqual(r.labelNames(), []);
    assert.deepEqual([...r.postingsForAll()], []);
  });

  it("rejects out-of-order input", () => {
    const f = path.join(dir, "bad");
    const cases: [string, (w: IndexWriter) => void, RegExp][] = [
      [
        "symbol order",
        (w) => {
          w.addSymbol("b");
          w.addSymbol("a");
        },
        /out-of-order/,
      ],
      [
        "series order",
        (w) => {
          for (const s of ["a", "b", "c"]) w.addSymbol(s);
          w.addSeries(1, Labels.fromStrings("a", "c"), []);
          w.addSeries(2, Labels.fromStrings("a", "b"), []);
        },
        /out-of-order series/,
      ],
      [
        "missing symbol",
        (w) => {
          w.addSymbol("a");
          w.addSeries(1, Labels.fromStrings("a", "zz"), []);
        },
        /symbol entry for "zz" does not exist/,
      ],
      [
        "symbol after series",
        (w) => {
          w.addSymbol("a");
          w.addSeries(1, Labels.fromStrings("a", "a"), []);
          w.addSymbol("b");
        },
        /invalid stage/,
      ],
      [
        "overlapping chunks",
        (w) => {
          w.addSymbol("a");
          w.addSeries(1, Labels.fromStrings("a", "a"), [
            { ref: 8, minT: 0, maxT: 10 },
            { ref: 20, minT: 10, maxT: 20 },
          ]);
        },
        /not higher than previous chunk maxT/,
      ],
    ];
    for (const [name, fn, re] of cases) {
      const w = IndexWriter.create(f);
      assert.throws(() => fn(w), re, name);
    }
  });

  describe("detects corruption", () => {
    let good: Buffer;
    let r0: IndexReader;
    before(() => {
      const f = path.join(dir, "good");
      writeIndex(f, genSeries(3, 50));
      good = fs.readFileSync(f);
      r0 = IndexReader.open(f);
    });

    const corrupt = (
      name: string,
      mutate: (b: Buffer) => void,
      use: (r: IndexReader) => void,
      re: RegExp,
    ) => {
      it(name, () => {
        const b = Buffer.from(good);
        mutate(b);
        const f = path.join(dir, name.replace(/\W+/g, "_"));
        fs.writeFileSync(f, b);
        assert.throws(
          () => use(IndexReader.open(f)),
          (e: Error) => re.test(e.message) && e.message.includes(f),
        );
      });
    };
    const open = () => {};
    corrupt(
      "bad magic",
      (b) => b.writeUInt32BE(0xdeadbeef, 0),
      open,
      /header: invalid magic number deadbeef/,
    );
    corrupt("version 1", (b) => (b[4] = 1), open, /unsupported index format version 1/);
    corrupt(
      "TOC checksum",
      (b) => (b[b.length - 10] = b[b.length - 10]! ^ 1),
      open,
      /TOC: checksum mismatch/,
    );
    corrupt(
      "symbol table",
      (b) => (b[r0.toc.symbols + 12] = b[r0.toc.symbols + 12]! ^ 0x20),
      open,
      /symbol table/,
    );
    corrupt(
      "postings offset table",
      (b) => (b[r0.toc.postingsTable + 12] = b[r0.toc.postingsTable + 12]! ^ 0x20),
      open,
      /postings offset table: checksum mismatch/,
    );
    corrupt(
      "series",
      (b) => {
        const off = r0.postingsForAll()[1]! * 16 + 3;
        b[off] = b[off]! ^ 1;
      },
      (r) => {
        const out = { chunks: [] };
        for (const ref of r.postingsForAll()) r.series(ref, out);
      },
      /series: checksum mismatch/,
    );
    corrupt(
      "postings list",
      (b) => (b[r0.toc.postings + 8 + 3] = b[r0.toc.postings + 8 + 3]! ^ 1),
      (r) => r.postingsForAll(),
      /postings: checksum mismatch/,
    );
    it("rejects a truncated file", () => {
      const f = path.join(dir, "short");
      fs.writeFileSync(f, good.subarray(0, 3));
      assert.throws(() => IndexReader.open(f), /header: file too short/);
    });
  });
});
