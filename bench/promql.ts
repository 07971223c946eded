/**
 * PromQL benchmark (`npm run bench -- promql`): typical dashboard queries over
 * the TSDB benchmark's dataset (./tsdbdata.ts, 10k series × 24h at 15 s by
 * default), on Vigil's engine in process and on the reference Prometheus over
 * HTTP, both reading the same blocks.
 *
 * The blocks are written once by Vigil's DB (format-identical to Prometheus';
 * promtool's backfill is far too slow at this size) into
 * `.bench-cache/promql-<hosts>x<hours>h/` and reused by later runs; Prometheus
 * gets its own copy. Each query runs as an instant query at the dataset's end
 * and as a range query over the whole dataset at a 60 s step: `--warmup`
 * untimed runs and at least half a second of them (both engines alike: a server answers dashboards warm, and V8
 * needs a few runs to optimise a code path that Go compiled ahead of time),
 * then `--runs` timed runs per engine, medians reported. Vigil: wall time of
 * the engine call (and its stats.evalMs); Prometheus: its own execTotalTime
 * (the primary comparison) and the HTTP round trip.
 *
 * Flags: --hosts=N (100 series each, default 100), --hours=H (default 24),
 * --runs=R (default 5), --warmup=W (default 3), --skip-vigil. Last line: one JSON object.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ReadOnlyDB } from "../src/cli/tsdb/readonly.ts";
import { PrometheusServer, referenceAvailable } from "../src/promql/difftest/prometheus.ts";
import type { Engine } from "../src/promql/engine.ts";
import type { QueryValue } from "../src/promql/value.ts";
import { DB } from "../src/tsdb/db.ts";
import { isULID } from "../src/tsdb/ulid.ts";
import { hostSeries, START_MS, STEP_MS } from "./tsdbdata.ts";

const H = 3600 * 1000;
const CACHE = new URL("../.bench-cache/", import.meta.url).pathname;

/** The dashboard queries: a name for the table, and the PromQL. */
const QUERIES: [string, string][] = [
  ["cpu-busy-by-instance", 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))'],
  ["cpu-util-pct", '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))'],
  ["cpu-mode-count", "count by (mode) (rate(node_cpu_seconds_total[5m]) > 0.01)"],
  ["net-rx-top10", "topk(10, sum by (instance) (rate(node_network_receive_bytes_total[5m])))"],
  ["net-tx-increase-1h", "sum(increase(node_network_transmit_packets_total[1h]))"],
  ["net-irate-eth0", 'sum by (instance) (irate(node_network_receive_packets_total{device="eth0"}[5m]))'],
  ["http-p99", "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"],
  [
    "http-p90-by-handler",
    'histogram_quantile(0.9, sum by (le, handler) (rate(http_request_duration_seconds_bucket{handler=~"/api/v1/.*"}[5m])))',
  ],
  [
    "http-mean-latency",
    "sum by (handler) (rate(http_request_duration_seconds_sum[5m])) / sum by (handler) (rate(http_request_duration_seconds_count[5m]))",
  ],
  [
    "mem-cache-ratio",
    "(node_memory_Cached_bytes + node_memory_Buffers_bytes) / on(instance) node_memory_MemAvailable_bytes",
  ],
  ["mem-active-avg-1h", "avg_over_time(node_memory_Active_bytes[1h])"],
  ["mem-series-regex", 'count by (instance) ({__name__=~"node_memory_.*"})'],
  ["fs-used-pct", '1 - node_filesystem_avail_bytes{mountpoint=~"/|/var"} / node_filesystem_size_bytes'],
  ["fs-predict-4h", 'predict_linear(node_filesystem_avail_bytes{mountpoint="/"}[1h], 4 * 3600)'],
  [
    "net-max-subquery",
    "max_over_time(sum by (instance) (rate(node_network_transmit_bytes_total[5m]))[30m:1m])",
  ],
  ["scrape-p95-1h", "quantile_over_time(0.95, scrape_duration_seconds[1h])"],
  ["up-sum", "sum(up)"],
];

/** Writes the dataset into one block (of `hours`) under the cache dir, unless it is there already. */
function ensureBlocks(hosts: number, hours: number): { dir: string; buildSeconds: number | null } {
  const dir = join(CACHE, `promql-${hosts}x${hours}h`);
  if (existsSync(dir) && readdirSync(dir).some(isULID)) return { dir, buildSeconds: null };
  const t0 = performance.now();
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const specs = [];
  for (let h = 0; h < hosts; h++) specs.push(...hostSeries(h));
  const n = specs.length;
  const span = hours * H;
  // One head range as long as the dataset, no WAL: the head is written out as a single block.
  const db = DB.open(tmp, { noWAL: true, retentionMs: 0, minBlockDuration: span, maxBlockDuration: span });
  const refs = new Array<number>(n).fill(0);
  const steps = Math.round(span / STEP_MS);
  for (let step = 0; step < steps; step++) {
    const t = START_MS + step * STEP_MS;
    const app = db.appender();
    for (let i = 0; i < n; i++) refs[i] = app.append(refs[i]!, specs[i]!.labels, t, specs[i]!.next());
    app.commit();
    if (step % 960 === 959) console.log(`  built ${((step + 1) * STEP_MS) / H}h of ${hours}h`);
  }
  db.compactHeadRange(START_MS, START_MS + span);
  void db.close();
  // Keep only the block: the cache holds nothing a reader could mistake for a WAL.
  for (const name of readdirSync(tmp))
    if (!isULID(name)) rmSync(join(tmp, name), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, buildSeconds: (performance.now() - t0) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function seriesCount(v: QueryValue): number {
  switch (v.type) {
    case "vector":
      return v.samples.length;
    case "matrix":
      return v.series.length;
    default:
      return 1;
  }
}

interface Row {
  name: string;
  query: string;
  mode: "instant" | "range";
  vigilMs: number | null;
  vigilEvalMs: number | null;
  promExecMs: number;
  promWallMs: number;
  ratioExec: number | null;
  ratioWall: number | null;
  vigilSeries: number | null;
  promSeries: number;
  vigilError?: string;
}

/**
 * Untimed runs before measuring: at least `runs`, and for at least half a
 * second (at most 200 runs), so that short queries reach the steady state a
 * server answering dashboards is in. Returns the last run's result.
 */
async function warm<T>(runs: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let last = await run();
  for (let i = 1; i < 200 && (i < runs || performance.now() - started < 500); i++) last = await run();
  return last;
}

function fmt(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? "-" : x.toFixed(digits);
}

export async function run(args: string[] = process.argv.slice(3)): Promise<void> {
  const { values: flags } = parseArgs({
    args,
    options: {
      hosts: { type: "string", default: "100" },
      hours: { type: "string", default: "24" },
      runs: { type: "string", default: "5" },
      warmup: { type: "string", default: "3" },
      "skip-vigil": { type: "boolean", default: false },
    },
    strict: false,
  });
  const hosts = Number(flags.hosts);
  const hours = Number(flags.hours);
  const runs = Math.max(1, Number(flags.runs));
  const warmup = Math.max(1, Number(flags.warmup));
  if (!referenceAvailable()) {
    console.log("promql: reference prometheus not installed in .reference/bin; skipped");
    console.log(JSON.stringify({ skipped: "no reference prometheus" }));
    return;
  }
  console.log(
    `promql: ${hosts * 100} series × ${hours}h at 15s, ${runs} runs per query (after ${warmup} warm-up runs)`,
  );
  const { dir, buildSeconds } = ensureBlocks(hosts, hours);
  console.log(
    buildSeconds === null
      ? `blocks: cached in ${dir}`
      : `blocks: built in ${buildSeconds.toFixed(1)} s into ${dir}`,
  );
  const end = START_MS + hours * H;
  const rangeStep = 60_000;

  let engine: Engine | null = null;
  if (!flags["skip-vigil"]) {
    const { Engine } = await import("../src/promql/engine.ts");
    engine = new Engine({ enableDelayedNameRemoval: false, lookbackDelta: 5 * 60_000 });
  }
  const db = ReadOnlyDB.open(dir);
  const prom = await PrometheusServer.start({ dataDir: dir });
  const rows: Row[] = [];
  try {
    for (const [name, query] of QUERIES) {
      for (const mode of ["instant", "range"] as const) {
        const vigilRun = () =>
          mode === "instant"
            ? engine!.instantQuery(db, query, end)
            : engine!.rangeQuery(db, query, START_MS, end, rangeStep);
        const promRun = () =>
          mode === "instant" ? prom.instant(query, end) : prom.range(query, START_MS, end, rangeStep);

        let vigilMs: number | null = null;
        let vigilEvalMs: number | null = null;
        let vigilSeries: number | null = null;
        let vigilError: string | undefined;
        if (engine !== null) {
          try {
            vigilSeries = await warm(warmup, async () => seriesCount((await vigilRun()).value));
            const wall: number[] = [];
            const evals: number[] = [];
            for (let i = 0; i < runs; i++) {
              const t0 = performance.now();
              const r = await vigilRun();
              wall.push(performance.now() - t0);
              evals.push(r.stats.evalMs);
            }
            vigilMs = median(wall);
            vigilEvalMs = median(evals);
          } catch (e) {
            vigilError = (e as Error).message;
          }
        }
        const promSeries = await warm(warmup, async () => seriesCount((await promRun()).value));
        const exec: number[] = [];
        const wall: number[] = [];
        for (let i = 0; i < runs; i++) {
          const r = await promRun();
          exec.push(r.timings.execTotalMs);
          wall.push(r.wallMs);
        }
        const promExecMs = median(exec);
        const promWallMs = median(wall);
        const row: Row = {
          name,
          query,
          mode,
          vigilMs,
          vigilEvalMs,
          promExecMs,
          promWallMs,
          ratioExec: vigilMs === null ? null : vigilMs / promExecMs,
          ratioWall: vigilMs === null ? null : vigilMs / promWallMs,
          vigilSeries,
          promSeries,
        };
        if (vigilError !== undefined) row.vigilError = vigilError;
        rows.push(row);
        if (vigilError !== undefined) console.log(`WARNING: ${name} ${mode}: vigil failed: ${vigilError}`);
        else if (vigilSeries !== null && vigilSeries !== promSeries) {
          console.log(
            `WARNING: ${name} ${mode}: vigil returned ${vigilSeries} series, prometheus ${promSeries}`,
          );
        }
      }
    }
  } finally {
    await prom.stop();
    db.close();
  }

  const header = [
    "query",
    "mode",
    "vigil ms",
    "(eval)",
    "prom exec ms",
    "prom http ms",
    "ratio exec",
    "ratio http",
    "series",
  ];
  const table = rows.map((r) => [
    r.name,
    r.mode,
    fmt(r.vigilMs),
    fmt(r.vigilEvalMs),
    fmt(r.promExecMs),
    fmt(r.promWallMs),
    fmt(r.ratioExec, 2),
    fmt(r.ratioWall, 2),
    r.vigilSeries === null || r.vigilSeries === r.promSeries
      ? String(r.promSeries)
      : `${r.vigilSeries}≠${r.promSeries}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));

  const geomean = (xs: number[]): number | null =>
    xs.length === 0 ? null : Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  const ratios = (mode: string, key: "ratioExec" | "ratioWall"): number[] =>
    rows
      .filter((r) => (mode === "all" || r.mode === mode) && r[key] !== null && r[key]! > 0)
      .map((r) => r[key]!);
  const summary = {
    geomeanRatioExec: geomean(ratios("all", "ratioExec")),
    geomeanRatioExecInstant: geomean(ratios("instant", "ratioExec")),
    geomeanRatioExecRange: geomean(ratios("range", "ratioExec")),
    geomeanRatioWall: geomean(ratios("all", "ratioWall")),
    seriesMismatches: rows.filter((r) => r.vigilSeries !== null && r.vigilSeries !== r.promSeries).length,
    vigilErrors: rows.filter((r) => r.vigilError !== undefined).length,
  };
  console.log(
    `geomean vigil/prometheus (exec): all ${fmt(summary.geomeanRatioExec, 2)}, instant ${fmt(summary.geomeanRatioExecInstant, 2)}, range ${fmt(summary.geomeanRatioExecRange, 2)}; vs HTTP wall ${fmt(summary.geomeanRatioWall, 2)}`,
  );
  console.log(
    JSON.stringify({
      series: hosts * 100,
      hours,
      runs,
      warmup,
      rangeStepSeconds: rangeStep / 1000,
      blocksBuildSeconds: buildSeconds,
      queries: rows,
      ...summary,
    }),
  );
}
