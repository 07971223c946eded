/**
 * Must-show: Vigil scrapes a target and remote-writes to VictoriaMetrics and
 * to the reference Prometheus (`--web.enable-remote-write-receiver`); both
 * receivers are stopped for `VIGIL_REMOTE_OUTAGE_SECONDS` (default 10; the
 * issue's scenario is 120) and restarted mid-run, then Vigil is SIGKILLed and
 * restarted. Afterwards every sample Vigil stored for the job is in both
 * receivers with the same value. Skips without the reference binaries.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BIN,
  counterTarget,
  freePort,
  missing,
  type Proc,
  rawSamples,
  referenceSkip,
  selfMetricLines,
  selfMetricValues,
  sleep,
  startReady,
  victoriaSamples,
  vigilArgs,
  waitFor,
} from "./testing.ts";

const OUTAGE_S = Number(process.env.VIGIL_REMOTE_OUTAGE_SECONDS ?? "10");
const skip = referenceSkip(BIN.prometheus, BIN.victoria);
const NODE = process.execPath;

describe("vigil remote write to VictoriaMetrics and Prometheus", {
  skip,
  timeout: (OUTAGE_S + 120) * 1000,
}, () => {
  let work: string;
  let target: { server: Server; address: string };
  const procs: Proc[] = [];
  let vigil: Proc;
  let vm: Proc;
  let prom: Proc;
  let ports: { vigil: number; vm: number; prom: number };
  let config: string;
  let end = 0;

  const startVM = async () => {
    vm = await startReady(
      "victoria-metrics",
      BIN.victoria,
      [`-httpListenAddr=127.0.0.1:${ports.vm}`, `-storageDataPath=${join(work, "vm")}`, "-loggerLevel=ERROR"],
      `http://127.0.0.1:${ports.vm}/health`,
    );
    procs.push(vm);
  };
  const startProm = async () => {
    prom = await startReady(
      "prometheus",
      BIN.prometheus,
      [
        `--config.file=${join(work, "empty.yml")}`,
        `--storage.tsdb.path=${join(work, "prom")}`,
        `--web.listen-address=127.0.0.1:${ports.prom}`,
        "--web.enable-remote-write-receiver",
        "--log.level=error",
      ],
      `http://127.0.0.1:${ports.prom}/-/ready`,
      work,
    );
    procs.push(prom);
  };
  const startVigil = async () => {
    vigil = await startReady(
      "vigil",
      NODE,
      vigilArgs(config, join(work, "vigil"), ports.vigil, "--log.level=warn"),
      `http://127.0.0.1:${ports.vigil}/-/ready`,
    );
    procs.push(vigil);
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-rw-ref-"));
    target = await counterTarget();
    ports = { vigil: await freePort(), vm: await freePort(), prom: await freePort() };
    writeFileSync(join(work, "empty.yml"), "global: {}\n");
    config = join(work, "vigil.yml");
    writeFileSync(
      config,
      [
        "global:",
        "  scrape_interval: 1s",
        "  external_labels: {replica: a}",
        "scrape_configs:",
        "  - job_name: t",
        `    static_configs: [{targets: ['${target.address}']}]`,
        "remote_write:",
        `  - url: http://127.0.0.1:${ports.vm}/api/v1/write`,
        "    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}",
        `  - url: http://127.0.0.1:${ports.prom}/api/v1/write`,
        "    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}",
        "",
      ].join("\n"),
    );
    await startVM();
    await startProm();
    await startVigil();
    await sleep(5000);
    // Outage of both receivers.
    await vm.stop();
    await prom.stop();
    await sleep(OUTAGE_S * 1000);
    await startVM();
    await startProm();
    await sleep(5000);
    // Vigil killed without a chance to flush.
    await vigil.stop("SIGKILL");
    await sleep(1000);
    await startVigil();
    await sleep(5000);
    end = Date.now();
    const base = `http://127.0.0.1:${ports.vigil}`;
    // Drained: each queue has sent a sample scraped after `end` (the WAL is read in order, so
    // everything before it went out too). "Nothing pending" is not a usable signal with a
    // 1 s scrape interval: a fresh scrape is almost always waiting for its batch.
    const drained = async () => {
      const sent = await selfMetricValues(
        base,
        "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
      );
      return sent.length === 2 && Math.min(...sent) * 1000 >= end ? true : undefined;
    };
    try {
      await waitFor("queues drained", drained, 60_000);
    } catch (e) {
      const metrics = await selfMetricLines(base, "prometheus_remote_storage_").catch((m) => String(m));
      throw new Error(
        `${(e as Error).message}; end=${end / 1000}\n${metrics}\nvigil log:\n${vigil.log.slice(-4000)}`,
      );
    }
    await sleep(3000);
  });

  after(async () => {
    for (const p of procs) await p.stop();
    await new Promise((r) => target?.server.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  const vigilSamples = () => rawSamples(`http://127.0.0.1:${ports.vigil}`, '{job="t"}', end);

  it("every sample Vigil scraped is in VictoriaMetrics with the same value", async () => {
    const want = await vigilSamples();
    const got = await victoriaSamples(`http://127.0.0.1:${ports.vm}`, '{job="t"}', ["replica"]);
    assert.ok(want.size > 100, `only ${want.size} samples scraped`);
    const m = missing(want, got);
    assert.equal(
      m.count,
      0,
      `missing in VictoriaMetrics: ${m.count} of ${want.size}, e.g. ${m.examples.join(" ")}`,
    );
  });

  it("every sample Vigil scraped is in Prometheus with the same value", async () => {
    const want = await vigilSamples();
    const got = await rawSamples(`http://127.0.0.1:${ports.prom}`, '{job="t"}', end, ["replica"]);
    const m = missing(want, got);
    assert.equal(
      m.count,
      0,
      `missing in Prometheus: ${m.count} of ${want.size}, e.g. ${m.examples.join(" ")}`,
    );
    // No time gap: the outage and the kill left no hole beyond Vigil's own (it did not scrape while dead).
    const ts = [...got]
      .filter((s) => s.startsWith("__name__=up,"))
      .map((s) => Number(s.split("@")[1]!.split("=")[0]));
    assert.ok(ts.length > 10);
  });

  it("the receivers carry the external label", async () => {
    const got = await rawSamples(`http://127.0.0.1:${ports.prom}`, '{job="t",replica="a"}', end);
    assert.ok(got.size > 0);
  });
});
