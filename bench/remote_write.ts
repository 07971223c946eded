/**
 * Remote-write benchmark (`npm run bench -- remote-write`): Vigil and the
 * reference Prometheus scrape the same synthetic targets (./scrape/targets.ts)
 * and remote-write (protocol 1.0, one endpoint) to counting sinks of this
 * process on 127.0.0.1. Each also runs a twin without `remote_write`, so the
 * CPU remote write costs is the difference between the twins' CPU over the
 * window, divided by the samples the sink received. Reported per server:
 * samples/s sent, total CPU µs per sample, remote-write CPU µs per sample.
 *
 * Flags: --targets=N (20), --interval=S (2), --warmup=S (20), --measure=S (60),
 * --skip-prometheus. Last line: one JSON object.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { uncompressSync } from "snappy";
import { referenceAvailable } from "../src/promql/difftest/prometheus.ts";
import { decodeWriteV1 } from "../src/remote/prompb.ts";
import { cpuMicros } from "./scrape/proc.ts";
import { type BenchServer, benchConfig, sleep, startServer, startTargets } from "./scrape/servers.ts";
import { SERIES_PER_TARGET } from "./scrape/targets.ts";

/** Counts samples of the write requests it receives. */
class Sink {
  samples = 0;
  requests = 0;
  server!: HttpServer;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { series } = decodeWriteV1(uncompressSync(Buffer.concat(chunks)) as Buffer);
        for (const s of series) this.samples += s.ts.length;
        this.requests++;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1/write`;
  }
}

interface Figures {
  samplesPerSecond: number;
  cpuMicrosPerSample: number;
  remoteWriteCpuMicrosPerSample: number;
}

export async function run(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a.startsWith("--")),
    options: {
      targets: { type: "string", default: "20" },
      interval: { type: "string", default: "2" },
      warmup: { type: "string", default: "20" },
      measure: { type: "string", default: "60" },
      "skip-prometheus": { type: "boolean", default: false },
    },
    strict: false,
  });
  const targets = Number(values.targets);
  const interval = Number(values.interval);
  const withPrometheus = values["skip-prometheus"] !== true && referenceAvailable();
  const work = mkdtempSync(join(tmpdir(), "vigil-bench-rw-"));
  const children: ChildProcess[] = [];
  const sinks = new Map<string, Sink>();
  try {
    const ports = await startTargets(targets, children);
    console.log(`remote-write bench: ${targets} targets × ${SERIES_PER_TARGET} series every ${interval}s`);
    const flavours = withPrometheus ? ["vigil", "prometheus"] : ["vigil"];
    const procs: BenchServer[] = [];
    for (const f of flavours) {
      const sink = new Sink();
      await sink.start();
      sinks.set(f, sink);
      const withRW = join(work, `${f}-rw.yml`);
      writeFileSync(
        withRW,
        benchConfig(ports, interval, [
          "remote_write:",
          `  - url: ${sink.url}`,
          "    metadata_config: {send: false}",
        ]),
      );
      const without = join(work, `${f}.yml`);
      writeFileSync(without, benchConfig(ports, interval));
      procs.push(await startServer(f, `${f}-rw`, work, withRW, children));
      procs.push(await startServer(f, `${f}-plain`, work, without, children));
    }
    console.log(`warming up ${values.warmup}s`);
    await sleep(Number(values.warmup) * 1000);
    const ms = Number(values.measure) * 1000;
    const cpu0 = new Map(procs.map((p) => [p.name, cpuMicros(p.proc.pid!)]));
    const sent0 = new Map([...sinks].map(([f, s]) => [f, s.samples]));
    const t0 = performance.now();
    await sleep(ms);
    const secs = (performance.now() - t0) / 1000;
    const cpu = new Map(procs.map((p) => [p.name, cpuMicros(p.proc.pid!) - cpu0.get(p.name)!]));
    const figures: Record<string, Figures> = {};
    for (const f of flavours) {
      const sent = sinks.get(f)!.samples - sent0.get(f)!;
      const rw = cpu.get(`${f}-rw`)!;
      const plain = cpu.get(`${f}-plain`)!;
      figures[f] = {
        samplesPerSecond: Math.round(sent / secs),
        cpuMicrosPerSample: round3(rw / sent),
        remoteWriteCpuMicrosPerSample: round3((rw - plain) / sent),
      };
      const x = figures[f]!;
      console.log(
        `${f.padEnd(10)} sent ${x.samplesPerSecond} samples/s; CPU ${x.cpuMicrosPerSample} µs/sample in total, ${x.remoteWriteCpuMicrosPerSample} µs/sample for remote write`,
      );
    }
    const v = figures.vigil!;
    const p = figures.prometheus;
    console.log(
      JSON.stringify({
        benchmark: "remote-write",
        targets,
        seriesPerTarget: SERIES_PER_TARGET,
        intervalSeconds: interval,
        measureSeconds: Number(values.measure),
        vigil: v,
        prometheus: p ?? null,
        ratios:
          p === undefined
            ? null
            : { remoteWriteCpuPerSample: v.remoteWriteCpuMicrosPerSample / p.remoteWriteCpuMicrosPerSample },
        goals: {
          remoteWriteCpuPerSampleAtMostPrometheus:
            p === undefined ? null : v.remoteWriteCpuMicrosPerSample <= p.remoteWriteCpuMicrosPerSample,
        },
      }),
    );
  } finally {
    for (const c of children) c.kill("SIGTERM");
    for (const s of sinks.values()) s.server.close();
    await sleep(500);
    rmSync(work, { recursive: true, force: true });
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
