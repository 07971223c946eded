/**
 * Scrape benchmark (`npm run bench -- scrape`): Vigil and the reference
 * Prometheus scrape the same synthetic targets (./scrape/targets.ts: 50 × 2000
 * series with classic histograms, in their own process) with the same config,
 * at the same time, each in its own process and data directory.
 *
 * Phase 1 (no queries, after a warm-up): CPU microseconds per ingested sample
 * (process CPU from /proc over samples appended, from each server's own
 * `prometheus_tsdb_head_samples_appended_total`) and resident memory per
 * active series (RSS over `prometheus_tsdb_head_series`).
 * Phase 2: a heavy range query hits each server every second; scrape lag is
 * how late scrapes run against their schedule, read from the timestamps of the
 * `up` samples each server stored (interval between consecutive scrapes of a
 * target minus the scrape interval), p50/p99/max.
 *
 * Flags: --targets=N (50), --interval=S (5), --warmup=S (30), --measure=S (60),
 * --load=S (60), --skip-prometheus. Last line: one JSON object.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { referenceAvailable } from "../src/promql/difftest/prometheus.ts";
import { cpuMicros, rssBytes } from "./scrape/proc.ts";
import { type BenchServer, benchConfig, sleep, startServer, startTargets } from "./scrape/servers.ts";
import { SERIES_PER_TARGET } from "./scrape/targets.ts";

const HEAVY_QUERY =
  "histogram_quantile(0.99, sum by (le, handler) (rate(bench_http_request_duration_seconds_bucket[1m])))";

type Server = BenchServer;

interface PhaseFigures {
  cpuMicrosPerSample: number;
  bytesPerSeries: number;
  samplesPerSecond: number;
  headSeries: number;
  rssBytes: number;
}

interface LagFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  scrapes: number;
  queries: number;
  queryMedianMs: number;
}

export async function run(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a.startsWith("--")),
    options: {
      targets: { type: "string", default: "50" },
      interval: { type: "string", default: "5" },
      warmup: { type: "string", default: "30" },
      measure: { type: "string", default: "60" },
      load: { type: "string", default: "60" },
      "skip-prometheus": { type: "boolean", default: false },
    },
    strict: false,
  });
  const targets = Number(values.targets);
  const interval = Number(values.interval);
  const withPrometheus = values["skip-prometheus"] !== true && referenceAvailable();
  const work = mkdtempSync(join(tmpdir(), "vigil-bench-scrape-"));
  const children: ChildProcess[] = [];
  try {
    const ports = await startTargets(targets, children);
    const config = join(work, "prometheus.yml");
    writeFileSync(config, benchConfig(ports, interval));
    console.log(`scrape bench: ${targets} targets × ${SERIES_PER_TARGET} series every ${interval}s`);

    const servers: Server[] = [await startServer("vigil", "vigil", work, config, children)];
    if (withPrometheus) servers.push(await startServer("prometheus", "prometheus", work, config, children));
    for (const s of servers) await waitAllUp(s, targets, 60_000);
    console.log(`all targets up; warming up ${values.warmup}s`);
    await sleep(Number(values.warmup) * 1000);

    const phase1 = await measureIngest(servers, Number(values.measure) * 1000);
    for (const s of servers) printIngest(s.name, phase1.get(s.name)!);

    const lag = await measureLag(servers, Number(values.load) * 1000, interval);
    for (const s of servers) printLag(s.name, lag.get(s.name)!);

    const v = phase1.get("vigil")!;
    const p = phase1.get("prometheus");
    const summary = {
      benchmark: "scrape",
      targets,
      seriesPerTarget: SERIES_PER_TARGET,
      intervalSeconds: interval,
      vigil: { ...round(v), lag: lag.get("vigil") },
      prometheus: p === undefined ? null : { ...round(p), lag: lag.get("prometheus") },
      ratios:
        p === undefined
          ? null
          : {
              cpuPerSample: v.cpuMicrosPerSample / p.cpuMicrosPerSample,
              memoryPerSeries: v.bytesPerSeries / p.bytesPerSeries,
            },
      goals: {
        cpuPerSampleAtMostPrometheus: p === undefined ? null : v.cpuMicrosPerSample <= p.cpuMicrosPerSample,
        memoryPerSeriesAtMostPrometheus: p === undefined ? null : v.bytesPerSeries <= p.bytesPerSeries,
        lagP99Under100ms: lag.get("vigil")!.p99Ms < 100,
      },
    };
    console.log(JSON.stringify(summary));
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await sleep(500);
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitAllUp(s: Server, targets: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await instant(s, "sum(up)").catch(() => 0);
    if (up >= targets) return;
    if (Date.now() > deadline) throw new Error(`${s.name}: only ${up} of ${targets} targets up`);
    await sleep(1000);
  }
}

async function instant(s: Server, query: string): Promise<number> {
  const r = (await (await fetch(`${s.url}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return Number(r.data.result[0]?.value[1] ?? 0);
}

/** Sum of every sample of `name` in a server's own /metrics. */
async function selfMetric(s: Server, name: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

async function measureIngest(servers: readonly Server[], ms: number): Promise<Map<string, PhaseFigures>> {
  const start = new Map<string, { cpu: number; samples: number; t: number }>();
  for (const s of servers) {
    start.set(s.name, {
      cpu: cpuMicros(s.proc.pid!),
      samples: await selfMetric(s, "prometheus_tsdb_head_samples_appended_total"),
      t: performance.now(),
    });
  }
  await sleep(ms);
  const out = new Map<string, PhaseFigures>();
  for (const s of servers) {
    const cpu = cpuMicros(s.proc.pid!);
    const samples = await selfMetric(s, "prometheus_tsdb_head_samples_appended_total");
    const series = await selfMetric(s, "prometheus_tsdb_head_series");
    const rss = rssBytes(s.proc.pid!);
    const a = start.get(s.name)!;
    const n = samples - a.samples;
    out.set(s.name, {
      cpuMicrosPerSample: (cpu - a.cpu) / n,
      bytesPerSeries: rss / series,
      samplesPerSecond: n / ((performance.now() - a.t) / 1000),
      headSeries: series,
      rssBytes: rss,
    });
  }
  return out;
}

async function measureLag(
  servers: readonly Server[],
  ms: number,
  interval: number,
): Promise<Map<string, LagFigures>> {
  const from = Date.now() / 1000;
  const end = Date.now() + ms;
  const queryTimes = new Map<string, number[]>(servers.map((s) => [s.name, []]));
  let ticks = 0;
  while (Date.now() < end) {
    const tick = Date.now();
    ticks++;
    await Promise.all(
      servers.map(async (s) => {
        const t0 = performance.now();
        const now = Date.now() / 1000;
        const q = `${s.url}/api/v1/query_range?query=${encodeURIComponent(HEAVY_QUERY)}&start=${now - 600}&end=${now}&step=5`;
        await (await fetch(q)).arrayBuffer();
        queryTimes.get(s.name)!.push(performance.now() - t0);
      }),
    );
    await sleep(Math.max(0, 1000 - (Date.now() - tick)));
  }
  const to = Date.now() / 1000;
  const out = new Map<string, LagFigures>();
  for (const s of servers) {
    const lags = await scrapeLags(s, from, to, interval);
    const qs = queryTimes.get(s.name)!.sort((a, b) => a - b);
    out.set(s.name, {
      p50Ms: quantile(lags, 0.5),
      p99Ms: quantile(lags, 0.99),
      maxMs: lags.at(-1) ?? 0,
      scrapes: lags.length,
      queries: ticks,
      queryMedianMs: quantile(qs, 0.5),
    });
  }
  return out;
}

/** Every `up` interval in (from, to] minus the scrape interval, ms, sorted. */
async function scrapeLags(s: Server, from: number, to: number, interval: number): Promise<number[]> {
  const range = Math.ceil(to - from);
  const r = (await (
    await fetch(`${s.url}/api/v1/query?query=${encodeURIComponent(`up[${range}s]`)}&time=${to}`)
  ).json()) as { data: { result: { values: [number, string][] }[] } };
  const lags: number[] = [];
  for (const series of r.data.result) {
    for (let i = 1; i < series.values.length; i++) {
      lags.push(Math.max(0, (series.values[i]![0] - series.values[i - 1]![0] - interval) * 1000));
    }
  }
  return lags.sort((a, b) => a - b);
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function round(f: PhaseFigures): PhaseFigures {
  return {
    cpuMicrosPerSample: Number(f.cpuMicrosPerSample.toFixed(3)),
    bytesPerSeries: Math.round(f.bytesPerSeries),
    samplesPerSecond: Math.round(f.samplesPerSecond),
    headSeries: f.headSeries,
    rssBytes: f.rssBytes,
  };
}

function printIngest(name: string, f: PhaseFigures): void {
  console.log(
    `${name.padEnd(10)} ${f.cpuMicrosPerSample.toFixed(3)} µs CPU/sample, ${Math.round(f.bytesPerSeries)} B RSS/series ` +
      `(${(f.rssBytes / 2 ** 20).toFixed(0)} MiB, ${f.headSeries} series, ${Math.round(f.samplesPerSecond)} samples/s)`,
  );
}

function printLag(name: string, l: LagFigures): void {
  console.log(
    `${name.padEnd(10)} scrape lag under query load: p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, ` +
      `max ${l.maxMs.toFixed(1)} ms over ${l.scrapes} scrapes; heavy query median ${l.queryMedianMs.toFixed(0)} ms`,
  );
}
