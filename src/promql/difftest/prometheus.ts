/**
 * A reference Prometheus server for differential tests and benchmarks: the
 * upstream binary started on a copy of a TSDB blocks directory, listening on
 * loopback only, asked queries over its HTTP API. Results come back in the
 * engine's own `QueryValue` shape so the two can be compared directly.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Labels } from "../../model/labels/labels.ts";
import { freePort } from "../../testing/net.ts";
import type { MatrixSeries, QueryValue, Sample } from "../value.ts";

export const PROMETHEUS_BIN = new URL("../../../.reference/bin/prometheus", import.meta.url).pathname;
export const PROMTOOL_BIN = new URL("../../../.reference/bin/promtool", import.meta.url).pathname;

/** Whether the reference binaries are installed. */
export function referenceAvailable(): boolean {
  return existsSync(PROMETHEUS_BIN) && existsSync(PROMTOOL_BIN);
}

/** Prometheus' own timings for one query (`stats=all`), ms. */
export interface PromTimings {
  execTotalMs: number;
  evalTotalMs: number;
  execQueueMs: number;
  queryPreparationMs: number;
  innerEvalMs: number;
  resultSortMs: number;
}

export interface PromQueryResult {
  value: QueryValue;
  warnings: string[];
  infos: string[];
  timings: PromTimings;
  totalQueryableSamples: number;
  peakSamples: number;
  /** Wall time of the HTTP request as seen by the client, ms. */
  wallMs: number;
}

/** A query the server rejected, with the API's `errorType`. */
export class PromQueryError extends Error {
  readonly errorType: string;
  readonly status: number;

  constructor(errorType: string, message: string, status: number) {
    super(message);
    this.name = "PromQueryError";
    this.errorType = errorType;
    this.status = status;
  }
}

export interface StartOptions {
  /** Blocks directory; copied unless `copy` is false (Prometheus locks and writes its data dir). */
  dataDir: string;
  copy?: boolean;
  /** `--query.lookback-delta`, default "5m". */
  lookbackDelta?: string;
  /** How long to wait for `/-/ready`, ms (default 30 s). */
  readyTimeoutMs?: number;
  extraFlags?: string[];
}

const CONFIG = "global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n";

export class PrometheusServer {
  readonly url: string;
  readonly workDir: string;
  readonly dataDir: string;
  private readonly proc: ChildProcess;
  private exited: Promise<void>;
  private output = "";
  private alive = true;

  private constructor(proc: ChildProcess, url: string, workDir: string, dataDir: string) {
    this.proc = proc;
    this.url = url;
    this.workDir = workDir;
    this.dataDir = dataDir;
    const keep = (b: Buffer): void => {
      this.output = (this.output + b.toString("utf8")).slice(-16_384);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      proc.once("exit", () => {
        this.alive = false;
        resolve();
      });
    });
  }

  /** Starts Prometheus on (a copy of) `dataDir` and waits until it is ready. */
  static async start(o: StartOptions): Promise<PrometheusServer> {
    const workDir = mkdtempSync(join(tmpdir(), "vigil-difftest-prom-"));
    try {
      const dataDir = o.copy === false ? o.dataDir : join(workDir, "data");
      if (o.copy !== false) cpSync(o.dataDir, dataDir, { recursive: true });
      const config = join(workDir, "prometheus.yml");
      writeFileSync(config, CONFIG);
      let lastError: unknown;
      // The free port may be taken between probing and binding: retry with another.
      for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const args = [
          `--config.file=${config}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // Datasets use old timestamps: the default 15d retention would delete them.
          "--storage.tsdb.retention.time=100y",
          // Only 2h ranges: no background compaction of the blocks while measuring.
          "--storage.tsdb.min-block-duration=2h",
          "--storage.tsdb.max-block-duration=2h",
          `--query.lookback-delta=${o.lookbackDelta ?? "5m"}`,
          "--log.level=warn",
          ...(o.extraFlags ?? []),
        ];
        const proc = spawn(PROMETHEUS_BIN, args, { stdio: ["ignore", "pipe", "pipe"], cwd: workDir });
        const srv = new PrometheusServer(proc, `http://127.0.0.1:${port}`, workDir, dataDir);
        try {
          await srv.waitReady(o.readyTimeoutMs ?? 30_000);
          return srv;
        } catch (e) {
          lastError = e;
          await srv.kill();
        }
      }
      throw lastError;
    } catch (e) {
      rmSync(workDir, { recursive: true, force: true });
      throw e;
    }
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (!this.alive) throw new Error(`prometheus exited before ready:\n${this.output}`);
      try {
        const r = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer();
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`prometheus not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  /** The server's recent log output (last 16 KiB). */
  log(): string {
    return this.output;
  }

  /** `/api/v1/query` at `t` (ms). */
  instant(query: string, t: number): Promise<PromQueryResult> {
    return this.query("/api/v1/query", { query, time: formatTime(t) });
  }

  /** `/api/v1/query_range` over `[start, end]` (ms) at `step` (ms). */
  range(query: string, start: number, end: number, step: number): Promise<PromQueryResult> {
    return this.query("/api/v1/query_range", {
      query,
      start: formatTime(start),
      end: formatTime(end),
      step: String(step / 1000),
    });
  }

  private async query(path: string, params: Record<string, string>): Promise<PromQueryResult> {
    const body = new URLSearchParams({ ...params, stats: "all" });
    const t0 = performance.now();
    const r = await fetch(`${this.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const text = await r.text();
    const wallMs = performance.now() - t0;
    let json: ApiResponse;
    try {
      json = JSON.parse(text) as ApiResponse;
    } catch {
      throw new PromQueryError(
        "internal",
        `unparsable response (HTTP ${r.status}): ${text.slice(0, 200)}`,
        r.status,
      );
    }
    if (json.status !== "success" || json.data === undefined) {
      throw new PromQueryError(json.errorType ?? "unknown", json.error ?? "unknown error", r.status);
    }
    const timings = json.data.stats?.timings;
    const samples = json.data.stats?.samples;
    return {
      value: decodeValue(json.data.resultType, json.data.result),
      warnings: json.warnings ?? [],
      infos: json.infos ?? [],
      timings: {
        execTotalMs: (timings?.execTotalTime ?? Number.NaN) * 1000,
        evalTotalMs: (timings?.evalTotalTime ?? Number.NaN) * 1000,
        execQueueMs: (timings?.execQueueTime ?? Number.NaN) * 1000,
        queryPreparationMs: (timings?.queryPreparationTime ?? Number.NaN) * 1000,
        innerEvalMs: (timings?.innerEvalTime ?? Number.NaN) * 1000,
        resultSortMs: (timings?.resultSortTime ?? Number.NaN) * 1000,
      },
      totalQueryableSamples: samples?.totalQueryableSamples ?? 0,
      peakSamples: samples?.peakSamples ?? 0,
      wallMs,
    };
  }

  private async kill(): Promise<void> {
    if (this.alive) this.proc.kill("SIGTERM");
    const timer = setTimeout(() => {
      if (this.alive) this.proc.kill("SIGKILL");
    }, 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the server, waits for it to exit, and removes its working copy. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

interface ApiResponse {
  status: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
  data?: {
    resultType: string;
    result: unknown;
    stats?: {
      timings?: Record<string, number>;
      samples?: { totalQueryableSamples?: number; peakSamples?: number };
    };
  };
}

type ApiPoint = [number, string];

/** Seconds with millisecond precision, as the API takes them. */
export function formatTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** An API float: Go's text for ±Inf and NaN, a decimal otherwise. */
export function parseApiFloat(s: string): number {
  switch (s) {
    case "+Inf":
      return Number.POSITIVE_INFINITY;
    case "-Inf":
      return Number.NEGATIVE_INFINITY;
    case "NaN":
      return Number.NaN;
    default:
      return Number(s);
  }
}

function ms(seconds: number): number {
  return Math.round(seconds * 1000);
}

/** Converts the API's `resultType`/`result` into a `QueryValue`. */
export function decodeValue(resultType: string, result: unknown): QueryValue {
  switch (resultType) {
    case "scalar": {
      const [t, v] = result as ApiPoint;
      return { type: "scalar", t: ms(t), v: parseApiFloat(v) };
    }
    case "string": {
      const [t, v] = result as ApiPoint;
      return { type: "string", t: ms(t), v };
    }
    case "vector": {
      const samples: Sample[] = [];
      for (const s of result as { metric: Record<string, string>; value?: ApiPoint }[]) {
        if (s.value === undefined) throw new Error("native histogram results are not supported");
        samples.push({
          metric: Labels.fromObject(s.metric),
          t: ms(s.value[0]),
          f: parseApiFloat(s.value[1]),
        });
      }
      return { type: "vector", samples };
    }
    case "matrix": {
      const series: MatrixSeries[] = [];
      for (const s of result as { metric: Record<string, string>; values?: ApiPoint[] }[]) {
        if (s.values === undefined) throw new Error("native histogram results are not supported");
        series.push({
          metric: Labels.fromObject(s.metric),
          t: s.values.map((p) => ms(p[0])),
          f: s.values.map((p) => parseApiFloat(p[1])),
        });
      }
      return { type: "matrix", series };
    }
    default:
      throw new Error(`unknown resultType ${resultType}`);
  }
}

export { freePort };
