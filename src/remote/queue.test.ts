import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Registry } from "prom-client";
import { uncompressSync } from "snappy";
import { loadConfig } from "../config/config.ts";
import { newLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { DB } from "../tsdb/db.ts";
import { remoteMetrics } from "./metrics.ts";
import { decodeWriteV1, decodeWriteV2 } from "./prompb.ts";
import { QueueManager } from "./queue.ts";
import { PROTO_V2 } from "./receiver.ts";

const quiet = newLogger({ write: () => {} });

/** A fake receiver: records every sample as `labels@t=v`, answers from `reply`. */
class Sink {
  server!: Server;
  port = 0;
  got: string[] = [];
  requests: IncomingMessage["headers"][] = [];
  reply: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 });

  async start(port = 0): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.requests.push(req.headers);
        const r = this.reply(this.requests.length);
        if (r.status < 300) {
          const raw = uncompressSync(Buffer.concat(chunks)) as Buffer;
          const v2 = String(req.headers["content-type"]).includes(PROTO_V2);
          const series = v2 ? decodeWriteV2(raw) : decodeWriteV1(raw).series;
          for (const s of series) {
            const ls = Labels.fromFlatUnsorted(s.flat.slice()).toString();
            for (let i = 0; i < s.ts.length; i++) this.got.push(`${ls}@${s.ts[i]}=${s.vs[i]}`);
          }
        }
        res.writeHead(r.status, r.headers).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function config(port: number, extra = "") {
  const yaml = `
global:
  external_labels: {replica: r1}
remote_write:
  - url: http://127.0.0.1:${port}/api/v1/write
    queue_config: {batch_send_deadline: 50ms, min_backoff: 10ms, max_backoff: 40ms, max_samples_per_send: 100}
${extra}`;
  return loadConfig(yaml, "test.yml", ".").config;
}

describe("remote write queue", () => {
  let dir: string;
  let db: DB;
  let sink: Sink;
  let registry: Registry;
  const queues: QueueManager[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-queue-"));
    db = DB.open(join(dir, "data"), { logger: quiet });
    sink = new Sink();
    await sink.start();
    registry = new Registry();
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    await sink.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function queue(extra = "", savePosition = true): QueueManager {
    const cfg = config(sink.port, extra);
    const q = new QueueManager(cfg.remote_write[0]!, {
      walDir: join(dir, "data", "wal"),
      positionFile: savePosition ? join(dir, "pos.json") : undefined,
      externalLabels: Labels.fromObject(cfg.global.external_labels),
      metrics: remoteMetrics(registry),
      logger: quiet,
      name: "test",
      flushDeadlineMs: 1000,
    });
    queues.push(q);
    q.start();
    return q;
  }

  function append(n: number, t0: number, name = "m"): string[] {
    const app = db.appender();
    const want: string[] = [];
    for (let i = 0; i < n; i++) {
      const ls = Labels.fromStrings("__name__", name, "i", String(i % 7));
      app.append(0, ls, t0 + i, i);
      want.push(
        `${Labels.fromStrings("__name__", name, "i", String(i % 7), "replica", "r1")}@${t0 + i}=${i}`,
      );
    }
    app.commit();
    return want;
  }

  async function metric(name: string): Promise<number> {
    const m = await registry.getSingleMetric(name)?.get();
    return (m?.values ?? []).reduce((s, v) => s + v.value, 0);
  }

  for (const proto of ["prometheus.WriteRequest", PROTO_V2]) {
    it(`sends every sample newer than its start, with external labels (${proto})`, async () => {
      append(5, 1000); // before the queue started: upstream does not send these
      queue(`    protobuf_message: ${proto}`);
      await new Promise((r) => setTimeout(r, 100));
      const now = Date.now();
      const want = append(250, now + 1000);
      await waitFor("all samples", () => sink.got.length >= want.length);
      assert.deepEqual([...sink.got].sort(), [...want].sort());
      const h = sink.requests[0]!;
      assert.equal(h["content-encoding"], "snappy");
      assert.equal(h["x-prometheus-remote-write-version"], proto === PROTO_V2 ? "2.0.0" : "0.1.0");
      assert.equal(
        h["content-type"],
        proto === PROTO_V2 ? `application/x-protobuf;proto=${PROTO_V2}` : "application/x-protobuf",
      );
      assert.ok(sink.requests.length >= 3, "max_samples_per_send splits batches");
      await new Promise((r) => setTimeout(r, 100)); // the metric counts once the response is in
      assert.equal(await metric("prometheus_remote_storage_samples_total"), 250);
    });
  }

  it("applies write_relabel_configs", async () => {
    queue(`    write_relabel_configs: [{source_labels: [i], regex: "[0-5]", action: drop}]`);
    await new Promise((r) => setTimeout(r, 100));
    const want = append(70, Date.now() + 1000).filter((s) => s.includes('i="6"'));
    await waitFor("kept samples", () => sink.got.length >= want.length);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...sink.got].sort(), [...want].sort());
    assert.equal(await metric("prometheus_remote_storage_samples_dropped_total"), 60);
  });

  it("retries 5xx and 429 honouring Retry-After, and loses nothing", async () => {
    sink.reply = (n) =>
      n === 1
        ? { status: 503, headers: { "Retry-After": "0" } }
        : n === 2
          ? { status: 429 }
          : { status: 204 };
    queue();
    await new Promise((r) => setTimeout(r, 100));
    const want = append(50, Date.now() + 1000);
    await waitFor("all samples", () => sink.got.length >= want.length);
    assert.deepEqual([...sink.got].sort(), [...want].sort());
    assert.equal(sink.requests[2]!["retry-attempt"], "2");
    assert.equal(await metric("prometheus_remote_storage_samples_retried_total"), 100);
  });

  it("does not retry 4xx", async () => {
    sink.reply = () => ({ status: 400 });
    queue();
    await new Promise((r) => setTimeout(r, 100));
    append(50, Date.now() + 1000);
    await waitFor("failure", () => sink.requests.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sink.requests.length, 1);
    assert.equal(await metric("prometheus_remote_storage_samples_failed_total"), 50);
  });

  it("keeps sending through a receiver outage", async () => {
    queue();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now() + 1000;
    const want = append(30, t0);
    await waitFor("first samples", () => sink.got.length >= 30);
    const port = sink.port;
    await sink.stop();
    want.push(...append(30, t0 + 100));
    await new Promise((r) => setTimeout(r, 200));
    const got = sink.got;
    sink = new Sink();
    sink.got = got;
    await sink.start(port);
    await waitFor("samples after the outage", () => sink.got.length >= want.length);
    assert.deepEqual([...sink.got].sort(), [...want].sort());
  });

  it("resumes after a restart from the saved position, without resending", async () => {
    const q = queue();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now() + 1000;
    const want = append(20, t0);
    await waitFor("first samples", () => sink.got.length >= 20);
    await q.stop();
    queues.splice(queues.indexOf(q), 1);
    want.push(...append(20, t0 + 100)); // written while no queue runs
    queue();
    want.push(...append(20, t0 + 200));
    await waitFor("all samples", () => sink.got.length >= want.length);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...sink.got].sort(), [...want].sort());
  });

  it("without a saved position, starts at the end of the WAL as upstream", async () => {
    const q = queue("", false);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now() - 20; // after the queue's start, before its restart
    append(20, t0);
    await waitFor("first samples", () => sink.got.length >= 20);
    await q.stop();
    queues.splice(queues.indexOf(q), 1);
    append(20, t0 + 20); // older than the restart: skipped
    queue("", false);
    await new Promise((r) => setTimeout(r, 100));
    const later = append(20, Date.now() + 2000);
    await waitFor("new samples", () => sink.got.length >= 40);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(sink.got.length, 40, sink.got.join("\n"));
    assert.ok(later.every((s) => sink.got.includes(s)));
  });
});

describe("flush deadline (--storage.remote.flush-deadline) bounds stop when the endpoint does not take samples", () => {
  const rows = [
    { name: "endpoint hangs: the in-flight send is aborted", hang: true },
    { name: "endpoint down: the backoff sleep is cut short", hang: false },
  ];
  for (const r of rows) {
    it(r.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), "vigil-flush-"));
      const db = DB.open(join(dir, "data"), { logger: quiet });
      let requests = 0;
      const server = createServer((req) => {
        requests++;
        req.resume(); // never answered
      });
      await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
      const port = (server.address() as AddressInfo).port;
      if (!r.hang) {
        server.closeAllConnections();
        await new Promise((res) => server.close(res));
      }
      const cfg = loadConfig(
        `remote_write:\n  - url: http://127.0.0.1:${port}/w\n    remote_timeout: 30s\n    queue_config: {batch_send_deadline: 10ms, min_backoff: 3s, max_backoff: 5s}\n`,
        "t.yml",
        ".",
      ).config;
      const registry = new Registry();
      const q = new QueueManager(cfg.remote_write[0]!, {
        walDir: join(dir, "data", "wal"),
        externalLabels: Labels.EMPTY,
        metrics: remoteMetrics(registry),
        logger: quiet,
        name: "flush",
        flushDeadlineMs: 200,
      });
      try {
        q.start();
        await new Promise((res) => setTimeout(res, 100));
        const app = db.appender();
        app.append(0, Labels.fromStrings("__name__", "m"), Date.now() + 1000, 1);
        app.commit();
        const retried = async () =>
          (
            await registry.getSingleMetric("prometheus_remote_storage_samples_retried_total")!.get()
          ).values.reduce((s, v) => s + v.value, 0);
        const deadline = Date.now() + 5000;
        // Wait until a send is in flight (hang) or a retry is sleeping (down).
        while (r.hang ? requests === 0 : (await retried()) === 0) {
          assert.ok(Date.now() < deadline, "the queue never tried to send");
          await new Promise((res) => setTimeout(res, 20));
        }
        const t0 = performance.now();
        await q.stop();
        const took = performance.now() - t0;
        assert.ok(took >= 150, `stop returned after ${took.toFixed(0)} ms, before the flush deadline`);
        assert.ok(took < 1500, `stop took ${took.toFixed(0)} ms with a 200 ms flush deadline`);
      } finally {
        if (r.hang) {
          server.closeAllConnections();
          await new Promise((res) => server.close(res));
        }
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
