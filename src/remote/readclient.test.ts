import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import { compressSync, uncompressSync } from "snappy";
import { loadConfig } from "../config/config.ts";
import { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { Engine } from "../promql/engine.ts";
import { remoteReadMetrics } from "./metrics.ts";
import { RemoteReadQueryable } from "./readclient.ts";
import { decodeReadRequest, encodeReadResponse, type ReadQuery } from "./readproto.ts";
import { type ArraySeries, arrayQueryable, fanoutQueryable } from "./series.ts";

/** A remote-read endpoint on 127.0.0.1 answering every query with `series` (cut to the query's range) after `delayMs`. */
class FakeEndpoint {
  delayMs = 0;
  series: ArraySeries[] = [];
  readonly queries: ReadQuery[] = [];
  readonly headers: IncomingHttpHeaders[] = [];
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rr = decodeReadRequest(uncompressSync(Buffer.concat(chunks)) as Buffer);
        this.queries.push(...rr.queries);
        this.headers.push(req.headers);
        const answer = rr.queries.map((q) =>
          this.series.map((s) => {
            const idx = [...Array(s.ts.length).keys()].filter(
              (i) => s.ts[i]! >= q.start && s.ts[i]! <= q.end,
            );
            return { labels: s.labels, ts: idx.map((i) => s.ts[i]!), vs: idx.map((i) => s.vs[i]!) };
          }),
        );
        const t = setTimeout(() => {
          res.writeHead(200, { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy" });
          res.end(compressSync(encodeReadResponse(answer)));
        }, this.delayMs);
        res.on("close", () => clearTimeout(t));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/v1/read`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

function readConfig(url: string, extra = "") {
  return loadConfig(
    `remote_read: [{url: '${url}', remote_timeout: 5s, read_recent: true, headers: {X-Test: yes}${extra}}]`,
    "t.yml",
    ".",
  ).config.remote_read[0]!;
}

const local = arrayQueryable;

const remoteUp = Labels.fromStrings("__name__", "up", "job", "remote");
const localUp = Labels.fromStrings("__name__", "up", "job", "local");

describe("remote read through the engine", () => {
  const ep = new FakeEndpoint();
  before(() => ep.start());
  after(() => ep.stop());

  it("an instant query returns the remote samples, read asynchronously with the configured headers", async () => {
    ep.delayMs = 0;
    ep.series = [{ labels: remoteUp, ts: [50_000, 100_000], vs: [1, 2] }];
    const rr = new RemoteReadQueryable(readConfig(ep.url), Labels.EMPTY, () => 0);
    const q = fanoutQueryable(local([{ labels: localUp, ts: [100_000], vs: [7] }]), () => [rr]);
    const r = await new Engine().instantQuery(q, "up", 100_000);
    assert.equal(r.value.type, "vector");
    if (r.value.type !== "vector") return;
    assert.deepEqual(
      r.value.samples.map((s) => `${s.metric} ${s.f}`),
      ['{__name__="up", job="local"} 7', '{__name__="up", job="remote"} 2'],
    );
    const last = ep.queries.at(-1)!;
    assert.deepEqual([last.start, last.end], [100_000 - 300_000 + 1, 100_000]);
    assert.equal(ep.headers.at(-1)!["x-test"], "yes");
    assert.equal(ep.headers.at(-1)!["x-prometheus-remote-read-version"], "0.1.0");
    await rr.close();
  });

  it("a selector used twice is read once, over the union of its ranges", async () => {
    ep.delayMs = 0;
    ep.series = [{ labels: remoteUp, ts: [10_000, 20_000, 30_000], vs: [1, 2, 3] }];
    const before = ep.queries.length;
    const rr = new RemoteReadQueryable(readConfig(ep.url), Labels.EMPTY, () => 0);
    const q = fanoutQueryable(local([]), () => [rr]);
    const r = await new Engine().instantQuery(q, "sum_over_time(up[15s]) + up offset 20s", 30_000);
    assert.equal(ep.queries.length - before, 1);
    assert.deepEqual([ep.queries.at(-1)!.start, ep.queries.at(-1)!.end], [10_000 - 300_000 + 1, 30_000]);
    assert.equal(r.value.type, "vector");
    if (r.value.type === "vector")
      assert.deepEqual(
        r.value.samples.map((s) => s.f),
        [2 + 3 + 1],
      );
    await rr.close();
  });

  it("while the endpoint takes 1 s to answer, the event loop keeps running", async () => {
    ep.delayMs = 1000;
    ep.series = [{ labels: remoteUp, ts: [100_000], vs: [5] }];
    const rr = new RemoteReadQueryable(readConfig(ep.url), Labels.EMPTY, () => 0);
    const q = fanoutQueryable(local([]), () => [rr]);
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 10);
    const t0 = performance.now();
    try {
      const r = await new Engine().instantQuery(q, "up", 100_000);
      assert.ok(performance.now() - t0 >= 900, "the answer came before the endpoint's delay");
      assert.equal(r.value.type === "vector" && r.value.samples[0]?.f, 5);
    } finally {
      clearInterval(timer);
      await rr.close();
    }
    assert.ok(maxGap < 400, `event loop blocked for ${maxGap.toFixed(0)} ms`);
  });

  it("a timed-out endpoint becomes a warning and the local samples are still returned (upstream's fanout)", async () => {
    ep.delayMs = 3000;
    ep.series = [{ labels: remoteUp, ts: [100_000], vs: [5] }];
    const rr = new RemoteReadQueryable({ ...readConfig(ep.url), remote_timeout: 200 }, Labels.EMPTY, () => 0);
    const q = fanoutQueryable(local([{ labels: localUp, ts: [100_000], vs: [7] }]), () => [rr]);
    const t0 = performance.now();
    const r = await new Engine().instantQuery(q, "up", 100_000);
    assert.ok(performance.now() - t0 < 2000, "remote_timeout was not honoured");
    assert.equal(r.value.type === "vector" && r.value.samples.length, 1);
    assert.deepEqual(r.annotations.strings("warning"), [
      "remote_read: error sending request: context deadline exceeded",
    ]);
    await rr.close(true);
  });

  it("the query's own timeout aborts a slow read", async () => {
    ep.delayMs = 3000;
    const rr = new RemoteReadQueryable(readConfig(ep.url), Labels.EMPTY, () => 0);
    const q = fanoutQueryable(local([]), () => [rr]);
    const t0 = performance.now();
    await assert.rejects(new Engine({ timeoutMs: 300 }).instantQuery(q, "up", 100_000), /timed out|timeout/i);
    assert.ok(performance.now() - t0 < 2000);
    await rr.close(true);
  });

  it("callers that do not prepare (federation, series API) read local data only", async () => {
    ep.delayMs = 0;
    const before = ep.queries.length;
    const rr = new RemoteReadQueryable(readConfig(ep.url), Labels.EMPTY, () => 0);
    const q = fanoutQueryable(local([{ labels: localUp, ts: [1], vs: [1] }]), () => [rr]);
    const set = q.querier(0, 10).select(true, undefined, Matcher.create("=", "__name__", "up"));
    assert.equal(set.next(), true);
    assert.equal(set.at().labels.get("job"), "local");
    assert.equal(set.next(), false);
    assert.equal(ep.queries.length, before);
  });
});

describe("remote read queryable without network", () => {
  const config = (extra: string) =>
    loadConfig(`remote_read: [{url: 'http://127.0.0.1:9/read', remote_timeout: 1s${extra}}]`, "t.yml", ".")
      .config.remote_read[0]!;
  const job = (v: string) => [Matcher.create("=", "job", v)];

  const rows: { name: string; extra: string; localStart: number; range: [number, number]; ms: Matcher[] }[] =
    [
      {
        name: "required_matchers not all present as equality matchers: not asked",
        extra: ", read_recent: true, required_matchers: {job: x}",
        localStart: 0,
        range: [0, 10],
        ms: [Matcher.create("=~", "job", "x")],
      },
      {
        name: "without read_recent, a range after the local start time is not asked",
        extra: "",
        localStart: 5,
        range: [6, 10],
        ms: job("x"),
      },
    ];
  for (const r of rows) {
    it(r.name, async () => {
      const rr = new RemoteReadQueryable(config(r.extra), Labels.EMPTY, () => r.localStart);
      const p = await rr.prepare([{ matchers: r.ms, mint: r.range[0], maxt: r.range[1] }]);
      const set = p.querier(...r.range).select(false, undefined, ...r.ms);
      assert.equal(set.next(), false);
      assert.deepEqual(set.warnings(), []);
    });
  }

  it("an unreachable endpoint is an error naming the cause, thrown by the select", async () => {
    const rr = new RemoteReadQueryable(config(", read_recent: true"), Labels.EMPTY, () => 0);
    const p = await rr.prepare([{ matchers: job("x"), mint: 0, maxt: 10 }]);
    assert.throws(
      () => p.querier(0, 10).select(false, undefined, ...job("x")),
      /^Error: remote_read: error sending request/,
    );
    await rr.close();
  });
});

/** An endpoint answering the i-th request with `answers[i]` (status, content type, delay). */
async function scriptedEndpoint(
  answers: { status: number; type?: string; delayMs?: number }[],
): Promise<{ url: string; stop: () => Promise<void> }> {
  let i = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const a = answers[Math.min(i++, answers.length - 1)]!;
      const t = setTimeout(() => {
        res.writeHead(a.status, a.type === undefined ? {} : { "Content-Type": a.type });
        res.end(a.status === 200 ? compressSync(encodeReadResponse([[]])) : "boom\n");
      }, a.delayMs ?? 0);
      res.on("close", () => clearTimeout(t));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/read`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe("remote read client metrics (upstream's prometheus_remote_read_client_*)", () => {
  const proto = "application/x-protobuf";
  const job = [Matcher.create("=", "job", "x")];

  it("counts and times 2xx answers by response type; error statuses and network errors only pass through the in-flight gauge", async () => {
    const ep = await scriptedEndpoint([
      { status: 200, type: proto },
      { status: 500, type: "text/plain" },
      { status: 200, type: "text/plain" },
      { status: 200, type: proto, delayMs: 1100 },
    ]);
    const registry = new Registry();
    const rr = new RemoteReadQueryable(readConfig(ep.url), Labels.EMPTY, () => 0, {
      metrics: remoteReadMetrics(registry),
      name: "ep",
    });
    const lbl = `remote_name="ep",url="${ep.url}"`;
    const text = () => registry.metrics();
    const lines = async () => (await text()).split("\n");
    try {
      assert.ok(
        (await lines()).includes(`prometheus_remote_read_client_queries{${lbl}} 0`),
        "gauge at 0 before any read",
      );
      assert.deepEqual(await rr.read(0, 10, job), []);
      await assert.rejects(
        rr.read(0, 10, job),
        new Error(`remote server ${ep.url} returned http status 500 Internal Server Error: boom`),
      );
      await assert.rejects(rr.read(0, 10, job), new Error("unsupported content type: text/plain"));
      const slow = rr.read(0, 10, job);
      const deadline = Date.now() + 1000;
      while (!(await lines()).includes(`prometheus_remote_read_client_queries{${lbl}} 1`)) {
        assert.ok(Date.now() < deadline, "the in-flight gauge never showed the slow read");
        await new Promise((r) => setTimeout(r, 20));
      }
      await slow;
      await ep.stop();
      await assert.rejects(rr.read(0, 10, job), /^Error: error sending request/);
      const out = await text();
      const rows = [
        `prometheus_remote_read_client_queries{${lbl}} 0`,
        `prometheus_remote_read_client_queries_total{${lbl},response_type="sampled",code="200"} 2`,
        `prometheus_remote_read_client_queries_total{${lbl},response_type="unsupported",code="200"} 1`,
        `prometheus_remote_read_client_request_duration_seconds_count{${lbl},response_type="sampled"} 2`,
        `prometheus_remote_read_client_request_duration_seconds_count{${lbl},response_type="unsupported"} 1`,
        `prometheus_remote_read_client_request_duration_seconds_bucket{le="1",${lbl},response_type="sampled"} 1`,
        `prometheus_remote_read_client_request_duration_seconds_bucket{le="60",${lbl},response_type="sampled"} 2`,
      ];
      for (const row of rows) assert.ok(out.split("\n").includes(row), `missing ${row} in\n${out}`);
      assert.doesNotMatch(out, /code="500"/);
      assert.match(out, /^# TYPE prometheus_remote_read_client_request_duration_seconds histogram$/m);
      assert.match(
        out,
        /^# HELP prometheus_remote_read_client_queries_total The total number of remote read queries\.$/m,
      );
    } finally {
      await rr.close(true);
      await ep.stop();
    }
  });
});
