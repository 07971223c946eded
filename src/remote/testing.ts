/**
 * Test helpers for the reference differential tests: child processes
 * (Vigil, the reference Prometheus, VictoriaMetrics) on 127.0.0.1 ports, a
 * scrape target whose values change every scrape, and raw-sample readers for
 * each server's HTTP API. Every wait is bounded.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "../testing/net.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
export const BIN = {
  prometheus: `${ROOT}.reference/bin/prometheus`,
  victoria: `${ROOT}.reference/bin/victoria-metrics`,
  alertmanager: `${ROOT}.reference/bin/alertmanager`,
};

/** Why the reference tests cannot run here, or undefined. */
export function referenceSkip(...bins: string[]): string | undefined {
  const missing = bins.filter((b) => !existsSync(b));
  return missing.length > 0 ? `reference binaries missing: ${missing.join(", ")}` : undefined;
}

export { freePort };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value; throws after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** A child process and its recent output. */
export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  log = "";
  readonly exited: Promise<void>;

  constructor(name: string, cmd: string, args: readonly string[], cwd?: string) {
    this.name = name;
    this.child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], cwd });
    const keep = (d: Buffer): void => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((r) => this.child.once("exit", () => r()));
  }

  /** Signals the process and waits (at most 15 s, then SIGKILL). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    const t = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Starts a process and waits until `url` answers 200. */
export async function startReady(
  name: string,
  cmd: string,
  args: readonly string[],
  readyUrl: string,
  cwd?: string,
): Promise<Proc> {
  const p = new Proc(name, cmd, args, cwd);
  try {
    await waitFor(`${name} ready`, async () => {
      if (p.child.exitCode !== null) throw new Error(`${name} exited: ${p.log}`);
      return (await fetch(readyUrl)).status === 200 ? true : undefined;
    });
  } catch (err) {
    await p.stop("SIGKILL");
    throw new Error(`${(err as Error).message}\n${p.log}`);
  }
  return p;
}

/** `vigil server` as a child process (the way users run it). */
export function vigilArgs(config: string, data: string, port: number, ...flags: string[]): string[] {
  return [
    `${ROOT}bin/vigil.mjs`,
    "server",
    `--config.file=${config}`,
    `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`,
    ...flags,
  ];
}

/** A scrape target with `n` counters that advance on every scrape. */
export async function counterTarget(n = 20): Promise<{ server: Server; address: string }> {
  let scrapes = 0;
  const server = createServer((_req, res) => {
    scrapes++;
    const lines = ["# TYPE rw_test_total counter", "# HELP rw_test_total A test counter."];
    for (let i = 0; i < n; i++) lines.push(`rw_test_total{i="${i}"} ${scrapes * (i + 1) + i / 10}`);
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(`${lines.join("\n")}\n`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Raw samples as `labels@t=v` strings (labels without `drop`), via a range selector at `end`. */
export async function rawSamples(
  base: string,
  selector: string,
  end: number,
  drop: string[] = [],
): Promise<Set<string>> {
  const q = `${selector}[1h]`;
  const r = (await (
    await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}&time=${end / 1000}`)
  ).json()) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  const out = new Set<string>();
  for (const s of r.data.result) for (const x of expand(s.metric, s.values, drop)) out.add(x);
  return out;
}

function expand(metric: Record<string, string>, values: [number, string][], drop: string[]): string[] {
  const m = { ...metric };
  for (const d of drop) delete m[d];
  const key = Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join(",");
  return values.map(([t, v]) => `${key}@${Math.round(t * 1000)}=${v}`);
}

/** Raw samples from VictoriaMetrics' export API, same format. */
export async function victoriaSamples(
  base: string,
  selector: string,
  drop: string[] = [],
): Promise<Set<string>> {
  await fetch(`${base}/internal/force_flush`);
  const text = await (await fetch(`${base}/api/v1/export?match[]=${encodeURIComponent(selector)}`)).text();
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const s = JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
    const values = s.timestamps.map((t, i): [number, string] => [t / 1000, formatValue(s.values[i]!)]);
    for (const x of expand(s.metric, values, drop)) out.add(x);
  }
  return out;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

/** The sum of a metric in a server's `/metrics`. */
export async function selfMetric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** Every series' value of a metric on a /metrics page (one per label set). */
export async function selfMetricValues(base: string, name: string): Promise<number[]> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .map((line) => Number(line.slice(line.lastIndexOf(" ") + 1)));
}

/** The lines of a /metrics page whose names start with `prefix` (for failure messages). */
export async function selfMetricLines(base: string, prefix: string): Promise<string> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(prefix))
    .join("\n");
}

/** Elements of `a` missing from `b`, at most 5 shown. */
export function missing(a: Set<string>, b: Set<string>): { count: number; examples: string[] } {
  const m = [...a].filter((x) => !b.has(x));
  return { count: m.length, examples: m.slice(0, 5) };
}
