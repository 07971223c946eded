/**
 * Upstream as the oracle: promtool builds a block from OpenMetrics text; its
 * index must read back as the text implies, re-writing it from what was read
 * must give the same bytes, and promtool must read an index written here.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";
import type { ChunkMeta } from "../blockreader.ts";
import { readTombstones, writeTombstoneFile } from "../tombstones/file.ts";
import { IndexReader } from "./reader.ts";
import { IndexWriter } from "./writer.ts";

const PROMTOOL = path.resolve(import.meta.dirname, "../../../.reference/bin/promtool");
const HAVE_PROMTOOL = fs.existsSync(PROMTOOL);

// Aligned to a 2h block boundary so promtool makes a single block.
const START_S = 1_699_999_200;
const STEP_S = 15;

interface Src {
  labels: Labels;
  samples: number;
}

/** 50 series over a counter and a gauge; some long enough for several chunks. */
function makeSeries(): Src[] {
  const out: Src[] = [];
  for (let i = 0; i < 30; i++) {
    out.push({
      labels: Labels.fromStrings(
        "__name__",
        "http_requests_total",
        "code",
        ["200", "404", "500"][i % 3]!,
        "instance",
        `host-${i}`,
        ...(i % 4 === 0 ? ["zone", i % 8 === 0 ? "ünïcödé" : "日本"] : []),
      ),
      samples: 30 + i * 10,
    });
  }
  for (let i = 0; i < 20; i++) {
    out.push({
      labels: Labels.fromStrings(
        "__name__",
        "temperature_celsius",
        "sensor",
        `s${i}`,
        "room",
        i < 10 ? "a" : "b",
      ),
      samples: 5 + i,
    });
  }
  return out;
}

function openMetricsText(series: Src[]): string {
  const lines: string[] = [];
  const families: [string, string, string][] = [
    ["http_requests", "counter", "http_requests_total"],
    ["temperature_celsius", "gauge", "temperature_celsius"],
  ];
  for (const [family, type, sampleName] of families) {
    lines.push(`# TYPE ${family} ${type}`);
    for (const s of series) {
      if (s.labels.metricName() !== sampleName) continue;
      const ls = s.labels
        .withoutName()
        .names()
        .map((n) => `${n}="${s.labels.get(n)}"`)
        .join(",");
      for (let k = 0; k < s.samples; k++) lines.push(`${sampleName}{${ls}} ${k} ${START_S + k * STEP_S}`);
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

interface ReadSeries {
  labels: Labels;
  chunks: ChunkMeta[];
}

function readAll(r: IndexReader): ReadSeries[] {
  const out: ReadSeries[] = [];
  for (const ref of r.postingsForAll()) {
    const s: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
    assert.equal(r.series(ref, s), true);
    out.push({ labels: s.labels!, chunks: s.chunks });
  }
  return out;
}

describe("index against promtool", () => {
  let dir: string;
  let blockDir: string;
  let series: Src[];

  before(() => {
    if (!HAVE_PROMTOOL) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-index-promtool-"));
    series = makeSeries();
    const input = path.join(dir, "input.om");
    fs.writeFileSync(input, openMetricsText(series));
    const outDir = path.join(dir, "out");
    execFileSync(PROMTOOL, ["tsdb", "create-blocks-from", "openmetrics", input, outDir], { stdio: "pipe" });
    const blocks = fs.readdirSync(outDir);
    assert.equal(blocks.length, 1, `expected one block, got ${blocks.join(", ")}`);
    blockDir = path.join(outDir, blocks[0]!);
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads promtool's index as the input implies", (t) => {
    if (!HAVE_PROMTOOL) return t.skip("promtool not installed");
    const r = IndexReader.open(path.join(blockDir, "index"));
    const chunkFileSize = fs.statSync(path.join(blockDir, "chunks", "000001")).size;
    const got = readAll(r);
    const want = series.slice().sort((a, b) => Labels.compare(a.labels, b.labels));
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const g = got[i]!;
      assert.ok(g.labels.equals(w.labels), `series ${i}: ${g.labels} != ${w.labels}`);
      // Chunks partition the samples: consecutive, no gaps, covering first to last.
      const ts = Array.from({ length: w.samples }, (_, k) => (START_S + k * STEP_S) * 1000);
      assert.ok(g.chunks.length >= Math.ceil(w.samples / 120), `${w.labels}: ${g.chunks.length} chunks`);
      let k = 0;
      for (const c of g.chunks) {
        assert.equal(c.minT, ts[k], `${w.labels} chunk minT`);
        while (k < ts.length && ts[k]! <= c.maxT) k++;
        assert.equal(c.maxT, ts[k - 1], `${w.labels} chunk maxT`);
        // One small segment file (000001, sequence 0); its 8-byte header comes first.
        assert.equal(Math.floor(c.ref / 2 ** 32), 0, "chunk ref's segment");
        assert.ok(c.ref % 2 ** 32 >= 8 && c.ref % 2 ** 32 < chunkFileSize, "chunk ref's offset");
      }
      assert.equal(k, ts.length, `${w.labels}: chunks cover every sample`);
    }

    const names = new Set<string>();
    for (const s of series) for (const n of s.labels.names()) names.add(n);
    assert.deepEqual(r.labelNames(), [...names].sort(compareUTF8));
    assert.deepEqual(r.labelValues("zone"), ["ünïcödé", "日本"]);
    assert.deepEqual(r.labelValues("__name__"), ["http_requests_total", "temperature_celsius"]);

    const all = r.postingsForAll();
    for (const name of names) {
      for (const value of r.labelValues(name)) {
        const expect = want.flatMap((s, i) => (s.labels.get(name) === value ? [all[i]!] : []));
        assert.deepEqual([...r.postings(name, value)], expect, `${name}=${value}`);
      }
    }
  });

  it("re-writes promtool's index byte for byte", (t) => {
    if (!HAVE_PROMTOOL) return t.skip("promtool not installed");
    const orig = path.join(blockDir, "index");
    const r = IndexReader.open(orig);
    const copy = path.join(dir, "index.rewritten");
    const w = IndexWriter.create(copy);
    for (const s of r.symbols()) w.addSymbol(s);
    for (const [i, s] of readAll(r).entries()) w.addSeries(i, s.labels, s.chunks);
    w.close();
    const a = fs.readFileSync(orig);
    const b = fs.readFileSync(copy);
    let firstDiff = -1;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) {
        firstDiff = i;
        break;
      }
    }
    assert.equal(firstDiff, -1, `first differing byte at ${firstDiff}`);
    assert.equal(b.length, a.length);
  });

  it("reads and re-writes promtool's (empty) tombstones byte for byte", (t) => {
    if (!HAVE_PROMTOOL) return t.skip("promtool not installed");
    const ts = readTombstones(blockDir);
    assert.equal(ts.total(), 0);
    const out = path.join(dir, "tombstones-copy");
    fs.mkdirSync(out);
    writeTombstoneFile(out, ts);
    assert.deepEqual(
      fs.readFileSync(path.join(out, "tombstones")),
      fs.readFileSync(path.join(blockDir, "tombstones")),
    );
  });

  it("promtool reads an index written here", (t) => {
    if (!HAVE_PROMTOOL) return t.skip("promtool not installed");
    // Same chunks and meta.json, but an index of only every other series.
    const db = path.join(dir, "db");
    const block = path.join(db, path.basename(blockDir));
    fs.cpSync(blockDir, block, { recursive: true });
    fs.mkdirSync(path.join(db, "wal"));
    fs.mkdirSync(path.join(dir, "sandbox"));
    const r = IndexReader.open(path.join(blockDir, "index"));
    const kept = readAll(r).filter((_, i) => i % 2 === 0);
    const symbols = new Set<string>();
    for (const s of kept) for (const [n, v] of s.labels) symbols.add(n).add(v);
    const w = IndexWriter.create(path.join(block, "index"));
    for (const s of [...symbols].sort(compareUTF8)) w.addSymbol(s);
    for (const [i, s] of kept.entries()) w.addSeries(i, s.labels, s.chunks);
    w.close();

    const dump = execFileSync(
      PROMTOOL,
      ["tsdb", "dump", "--sandbox-dir-root", path.join(dir, "sandbox"), db],
      {
        encoding: "utf8",
        maxBuffer: 64 << 20,
      },
    );
    const perSeries = new Map<string, number>();
    for (const line of dump.split("\n")) {
      if (line === "") continue;
      const key = line.slice(0, line.lastIndexOf("}") + 1);
      perSeries.set(key, (perSeries.get(key) ?? 0) + 1);
    }
    const want = new Map<string, number>();
    const bySeries = new Map(series.map((s) => [s.labels.toString(), s.samples]));
    for (const s of kept) want.set(s.labels.toString(), bySeries.get(s.labels.toString())!);
    assert.deepEqual(perSeries, want);
  });
});
