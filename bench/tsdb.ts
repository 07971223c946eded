/**
 * TSDB benchmark (`npm run bench -- tsdb`). On the deterministic dataset of
 * ./tsdbdata.ts (10k series × 24h at 15 s by default: 57.6M samples):
 * - append throughput: samples/s through the DB appender with its WAL, one
 *   core, values generated beforehand and compaction timed apart;
 * - on-disk bytes per sample of the 2h blocks cut from the head, next to the
 *   2h blocks `promtool tsdb create-blocks-from openmetrics` writes from the
 *   same samples (an OpenMetrics file generated from the same generator);
 * - head memory per active series at 100k series with 2h of samples each
 *   (RSS and heap + array buffers), in a child process started with --expose-gc.
 * Flags: --hosts=N (100 series each, default 100), --hours=H (default 24),
 * --memory-series=N (default 100000), --skip-promtool. Last line: one JSON object.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Labels } from "../src/model/labels/labels.ts";
import { DB, dirSize } from "../src/tsdb/db.ts";
import { isULID } from "../src/tsdb/ulid.ts";
import { hostSeries, type SeriesSpec, START_MS, STEP_MS } from "./tsdbdata.ts";

const H = 3600 * 1000;
const PROMTOOL = new URL("../.reference/bin/promtool", import.meta.url).pathname;

interface BlocksSize {
  blocks: number;
  bytes: number;
  samples: number;
}

function blocksIn(dir: string): BlocksSize {
  let bytes = 0;
  let samples = 0;
  let blocks = 0;
  for (const name of readdirSync(dir)) {
    if (!isULID(name)) continue;
    blocks++;
    bytes += dirSize(join(dir, name));
    samples += (
      JSON.parse(readFileSync(join(dir, name, "meta.json"), "utf8")) as { stats: { numSamples: number } }
    ).stats.numSamples;
  }
  return { blocks, bytes, samples };
}

function allSeries(hosts: number): SeriesSpec[] {
  const out: SeriesSpec[] = [];
  for (let h = 0; h < hosts; h++) out.push(...hostSeries(h));
  return out;
}

/** Appends the dataset step by step, as scrapes would; compaction runs every 2h of data, timed apart. */
function vigilAppend(dir: string, hosts: number, steps: number) {
  const specs = allSeries(hosts);
  const n = specs.length;
  const labels: Labels[] = specs.map((s) => s.labels);
  const refs = new Array<number>(n).fill(0);
  const values = new Float64Array(n);
  const db = DB.open(dir, { maxBlockDuration: 2 * H, retentionMs: 0 });
  let appendNs = 0n;
  let compactNs = 0n;
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < n; i++) values[i] = specs[i]!.next();
    const t = START_MS + step * STEP_MS;
    const t0 = process.hrtime.bigint();
    const app = db.appender();
    for (let i = 0; i < n; i++) refs[i] = app.append(refs[i]!, labels[i]!, t, values[i]!);
    app.commit();
    const t1 = process.hrtime.bigint();
    appendNs += t1 - t0;
    if (step % 480 === 479) {
      db.compact();
      compactNs += process.hrtime.bigint() - t1;
    }
  }
  // Persist what the head still holds, 2h at a time.
  const t1 = process.hrtime.bigint();
  for (let mint = START_MS; mint < START_MS + steps * STEP_MS; mint += 2 * H) {
    if (db.head.minT < mint + 2 * H && db.head.numSeries() > 0)
      db.compactHeadRange(Math.max(mint, db.head.minValidTime === -Infinity ? mint : mint), mint + 2 * H);
  }
  compactNs += process.hrtime.bigint() - t1;
  void db.close();
  return {
    samples: n * steps,
    appendSeconds: Number(appendNs) / 1e9,
    compactSeconds: Number(compactNs) / 1e9,
  };
}

/** Writes the dataset as OpenMetrics, family by family, each series' samples together. */
function writeOpenMetrics(path: string, hosts: number, steps: number): number {
  const specs = allSeries(hosts);
  const byFamily = new Map<string, SeriesSpec[]>();
  for (const s of specs) {
    let f = byFamily.get(s.family);
    if (f === undefined) byFamily.set(s.family, (f = []));
    f.push(s);
  }
  const fd = openSync(path, "w");
  let bytes = 0;
  let buf = "";
  const flush = (): void => {
    bytes += writeSync(fd, buf);
    buf = "";
  };
  for (const family of byFamily.values()) {
    for (const s of family) {
      const prefix = `${s.text} `;
      for (let step = 0; step < steps; step++) {
        buf += `${prefix}${s.next()} ${(START_MS + step * STEP_MS) / 1000}\n`;
        if (buf.length > 1 << 20) flush();
      }
    }
  }
  buf += "# EOF\n";
  flush();
  closeSync(fd);
  return bytes;
}

function memoryChild(series: number, steps: number): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const dir = mkdtempSync(join(tmpdir(), "vigil-bench-mem-"));
  try {
    const specs = allSeries(Math.ceil(series / 100)).slice(0, series);
    // The specs hold each series' Labels (which the head keeps) and generator
    // state (which it does not). Measure what a copy of the labels costs, to
    // count it as head memory even though the baseline already holds it.
    gc();
    const l0 = process.memoryUsage().heapUsed;
    let copies: Labels[] | null = specs.map((s) => Labels.fromFlatSorted([...s.labels.flat()]));
    gc();
    const labelBytes = process.memoryUsage().heapUsed - l0;
    copies.length = 0;
    copies = null;
    const db = DB.open(dir, { retentionMs: 0 });
    const refs = new Array<number>(series).fill(0);
    const values = new Float64Array(series);
    gc();
    const before = process.memoryUsage();
    for (let step = 0; step < steps; step++) {
      for (let i = 0; i < series; i++) values[i] = specs[i]!.next();
      const app = db.appender();
      const t = START_MS + step * STEP_MS;
      for (let i = 0; i < series; i++) refs[i] = app.append(refs[i]!, specs[i]!.labels, t, values[i]!);
      app.commit();
    }
    gc();
    const after = process.memoryUsage();
    const perSeries = (a: number, b: number): number => Math.round((a - b + labelBytes) / series);
    process.stdout.write(
      `${JSON.stringify({
        series,
        samplesPerSeries: steps,
        rssPerSeries: perSeries(after.rss, before.rss),
        heapPerSeries: perSeries(after.heapUsed + after.arrayBuffers, before.heapUsed + before.arrayBuffers),
        labelBytesPerSeries: Math.round(labelBytes / series),
        chunkStore: db.head.store.stats(),
      })}\n`,
    );
    void db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[] = process.argv.slice(3)): Promise<void> {
  const { values: flags } = parseArgs({
    args,
    options: {
      hosts: { type: "string", default: "100" },
      hours: { type: "string", default: "24" },
      "memory-series": { type: "string", default: "100000" },
      "skip-promtool": { type: "boolean", default: false },
      "memory-child": { type: "boolean", default: false },
    },
    strict: false,
  });
  const steps = Math.round((Number(flags.hours) * H) / STEP_MS);
  if (flags["memory-child"]) {
    memoryChild(Number(flags["memory-series"]), 480);
    return;
  }
  const hosts = Number(flags.hosts);
  const work = mkdtempSync(join(tmpdir(), "vigil-bench-tsdb-"));
  const result: Record<string, unknown> = {
    series: hosts * 100,
    hours: Number(flags.hours),
    stepSeconds: 15,
  };
  try {
    console.log(`tsdb: ${hosts * 100} series × ${flags.hours}h at 15s = ${hosts * 100 * steps} samples`);
    const v = vigilAppend(join(work, "vigil"), hosts, steps);
    const vb = blocksIn(join(work, "vigil"));
    const appendRate = v.samples / v.appendSeconds;
    console.log(
      `vigil append: ${(appendRate / 1e6).toFixed(2)} M samples/s (${v.appendSeconds.toFixed(1)} s), compaction ${v.compactSeconds.toFixed(1)} s`,
    );
    console.log(
      `vigil blocks: ${vb.blocks} × 2h, ${vb.samples} samples, ${(vb.bytes / vb.samples).toFixed(3)} bytes/sample`,
    );
    result.vigil = {
      appendSamplesPerSec: Math.round(appendRate),
      appendSeconds: v.appendSeconds,
      compactSeconds: v.compactSeconds,
      blocks: vb.blocks,
      blockSamples: vb.samples,
      blockBytes: vb.bytes,
      bytesPerSample: vb.bytes / vb.samples,
    };

    if (!flags["skip-promtool"] && existsSync(PROMTOOL)) {
      const om = join(work, "data.om");
      const t0 = performance.now();
      const omBytes = writeOpenMetrics(om, hosts, steps);
      console.log(
        `openmetrics file: ${(omBytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const t1 = performance.now();
      const r = spawnSync(
        PROMTOOL,
        ["tsdb", "create-blocks-from", "openmetrics", "--quiet", om, join(work, "promtool")],
        {
          encoding: "utf8",
          maxBuffer: 1 << 26,
        },
      );
      const seconds = (performance.now() - t1) / 1000;
      rmSync(om, { force: true });
      if (r.status !== 0) throw new Error(`promtool failed: ${r.stderr}`);
      const pb = blocksIn(join(work, "promtool"));
      console.log(
        `promtool create-blocks-from: ${(pb.samples / seconds / 1e6).toFixed(2)} M samples/s (${seconds.toFixed(1)} s, parsing included), ` +
          `${pb.blocks} blocks, ${(pb.bytes / pb.samples).toFixed(3)} bytes/sample`,
      );
      result.promtool = {
        samplesPerSec: Math.round(pb.samples / seconds),
        seconds,
        blocks: pb.blocks,
        blockSamples: pb.samples,
        blockBytes: pb.bytes,
        bytesPerSample: pb.bytes / pb.samples,
      };
      result.bytesPerSampleRatio = vb.bytes / vb.samples / (pb.bytes / pb.samples);
      result.appendRatio = appendRate / (pb.samples / seconds);
      console.log(`ratios: bytes/sample vigil/promtool ${(result.bytesPerSampleRatio as number).toFixed(3)}`);
    }
    rmSync(join(work, "vigil"), { recursive: true, force: true });
    rmSync(join(work, "promtool"), { recursive: true, force: true });

    const mem = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        new URL(import.meta.url).pathname,
        "--memory-child",
        `--memory-series=${flags["memory-series"]}`,
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    if (mem.status !== 0) throw new Error(`memory child failed: ${mem.stderr}`);
    const m = JSON.parse(mem.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    console.log(
      `head memory at ${m.series} series × ${m.samplesPerSeries} samples: ${m.rssPerSeries} B RSS/series, ${m.heapPerSeries} B heap+buffers/series`,
    );
    result.headMemory = m;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result));
}

if (process.argv.includes("--memory-child")) await run(process.argv.slice(2));
