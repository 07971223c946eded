/**
 * The composed Alertmanager in process on 127.0.0.1: alerts in and out of
 * API v2, notifications to a webhook sink, a silence and the notification
 * log surviving a restart (no duplicate notification), reloads (a bad config
 * keeps the old one running), the route prefix, and every fixture config.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Alertmanager } from "./alertmanager.ts";
import {
  metricValue,
  postAlerts,
  startInProcess,
  startWebhookSink,
  type WebhookSink,
  waitFor,
} from "./testing.ts";

const config = (url: string): string => `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 200ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${url}/hook
`;

const alert = (name: string, startsAt: string) => ({
  labels: { alertname: name, instance: "i1" },
  annotations: { summary: `${name} is firing` },
  startsAt,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("vigil alertmanager lifecycle", () => {
  let dir: string;
  let sink: WebhookSink;
  let sink2: WebhookSink;
  let am: Alertmanager | undefined;
  let url: string;
  let flags: string[];
  const started = new Date(Date.now() - 60_000).toISOString();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-am-server-"));
    sink = await startWebhookSink();
    sink2 = await startWebhookSink();
    writeFileSync(join(dir, "am.yml"), config(sink.url));
    flags = [`--config.file=${join(dir, "am.yml")}`, `--storage.path=${join(dir, "data")}`];
    ({ am, url } = await startInProcess(flags));
  });
  after(async () => {
    await am?.close();
    await Promise.all([sink.close(), sink2.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("receives alerts, serves them back and notifies the webhook", { timeout: 15_000 }, async () => {
    await postAlerts(url, [alert("A", started)]);
    const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: object }[];
    assert.deepEqual(
      alerts.map((a) => a.labels),
      [{ alertname: "A", instance: "i1" }],
    );
    const n = await waitFor("notification", () => sink.received[0]);
    assert.equal(n.path, "/hook");
    assert.equal(n.body.receiver, "hook");
    assert.equal(n.body.groupKey, '{}:{alertname="A"}');
    assert.deepEqual(n.body.alerts[0]!.labels, { alertname: "A", instance: "i1" });
    assert.equal(await metricValue(url, "alertmanager_config_last_reload_successful"), 1);
  });

  it("a silenced alert is not notified and shows as suppressed", { timeout: 15_000 }, async () => {
    const r = await fetch(`${url}/api/v2/silences`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        matchers: [{ name: "alertname", value: "B", isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: "test",
        comment: "quiet",
      }),
    });
    assert.equal(r.status, 200);
    await postAlerts(url, [alert("B", started)]);
    await sleep(600);
    const got = (await (await fetch(`${url}/api/v2/alerts?filter=alertname%3D%22B%22`)).json()) as {
      status: { state: string };
    }[];
    assert.equal(got[0]!.status.state, "suppressed");
    assert.equal(sink.received.filter((x) => x.body.groupLabels.alertname === "B").length, 0);
  });

  it("after a restart the silence survives and the nflog prevents a duplicate", {
    timeout: 20_000,
  }, async () => {
    await am!.close();
    am = undefined;
    const before = sink.received.length;
    ({ am, url } = await startInProcess(flags));
    const sils = (await (await fetch(`${url}/api/v2/silences`)).json()) as {
      comment: string;
      status: { state: string };
    }[];
    assert.deepEqual(
      sils.map((s) => [s.comment, s.status.state]),
      [["quiet", "active"]],
    );
    // Prometheus re-sends its firing alerts: A was already notified before the restart.
    await postAlerts(url, [alert("A", started), alert("B", started)]);
    await sleep(1200);
    assert.equal(sink.received.length, before, "no duplicate notification for A");
    await postAlerts(url, [alert("C", started)]);
    const c = await waitFor("notification for C", () =>
      sink.received.find((x) => x.body.groupLabels.alertname === "C"),
    );
    assert.equal(c.body.alerts.length, 1);
  });

  it("a bad reload is refused with the reason and the old config keeps running", {
    timeout: 15_000,
  }, async () => {
    writeFileSync(join(dir, "am.yml"), "route:\n  receiver: nope\nreceivers:\n  - name: x\n");
    const r = await fetch(`${url}/-/reload`, { method: "POST" });
    assert.equal(r.status, 500);
    assert.match(
      await r.text(),
      /^failed to reload config: .*am\.yml:2:\d+: .*undefined receiver "nope" used in route\n$/,
    );
    assert.equal(await metricValue(url, "alertmanager_config_last_reload_successful"), 0);
    await postAlerts(url, [alert("D", started)]);
    const d = await waitFor("notification for D", () =>
      sink.received.find((x) => x.body.groupLabels.alertname === "D"),
    );
    assert.equal(d.body.receiver, "hook");
  });

  it("a good reload swaps the dispatcher and integrations", { timeout: 15_000 }, async () => {
    writeFileSync(join(dir, "am.yml"), config(sink2.url));
    const r = await fetch(`${url}/-/reload`, { method: "POST" });
    assert.equal(r.status, 200, await r.text());
    assert.equal(await metricValue(url, "alertmanager_config_last_reload_successful"), 1);
    await postAlerts(url, [alert("E", started)]);
    const e = await waitFor("notification for E", () =>
      sink2.received.find((x) => x.body.groupLabels.alertname === "E"),
    );
    assert.equal(e.body.receiver, "hook");
    assert.equal(sink.received.filter((x) => x.body.groupLabels.alertname === "E").length, 0);
    const status = (await (await fetch(`${url}/api/v2/status`)).json()) as { config: { original: string } };
    assert.match(status.config.original, /group_wait: 200ms/);
  });
});

describe("vigil alertmanager web endpoints", () => {
  let dir: string;
  let am: Alertmanager;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-am-web-"));
    copyFileSync("/work/shared/fixtures/alertmanager/ha-example.yml", join(dir, "am.yml"));
    ({ am, url } = await startInProcess([
      `--config.file=${join(dir, "am.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      "--web.external-url=http://am.example:9093/am/",
    ]));
  });
  after(async () => {
    await am.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string, number, RegExp][] = [
    ["GET", "/am/-/healthy", 200, /^OK$/],
    ["GET", "/am/-/ready", 200, /^OK$/],
    ["GET", "/am/", 200, /Vigil Alertmanager/],
    ["GET", "/-/healthy", 404, /^404 page not found\n$/],
    ["GET", "/am/-/reload", 405, /Method Not Allowed/],
    ["GET", "/am/api/v1/alerts", 410, /"status":"deprecated"/],
    ["GET", "/am/api/v2/receivers", 200, /^\[\{"labels":\{"name":"web\.hook"\},"name":"web\.hook"\}\]\n$/],
    ["GET", "/am/metrics", 200, /^alertmanager_build_info\{/m],
  ];
  for (const [method, path, status, body] of cases) {
    it(`${method} ${path} → ${status}`, async () => {
      const r = await fetch(`${url}${path}`, { method, redirect: "manual" });
      assert.equal(r.status, status);
      assert.match(await r.text(), body);
    });
  }

  it("GET / redirects to the route prefix", async () => {
    const r = await fetch(`${url}/`, { redirect: "manual" });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get("location"), "/am");
  });

  it("/metrics has the config gauges with upstream's hash of the file", async () => {
    // Upstream 0.33.1 reports this hash for ha-example.yml.
    assert.equal(await metricValue(`${url}/am`, "alertmanager_config_hash"), 169305133433276);
    assert.equal(await metricValue(`${url}/am`, "alertmanager_receivers"), 1);
    assert.equal(await metricValue(`${url}/am`, "alertmanager_inhibition_rules"), 1);
    assert.equal(await metricValue(`${url}/am`, "alertmanager_cluster_enabled"), 0);
  });
});

describe("every fixture alertmanager.yml starts and is ready", () => {
  const dir = "/work/shared/fixtures/alertmanager";
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".yml"))
      .map((f) => join(dir, f)),
    "/work/shared/fixtures/api/alertmanager/config/alertmanager.yml",
  ];
  for (const file of files) {
    it(file.replace("/work/shared/fixtures/", ""), { timeout: 10_000 }, async () => {
      const data = mkdtempSync(join(tmpdir(), "vigil-am-fixture-"));
      try {
        const { am, url } = await startInProcess([`--config.file=${file}`, `--storage.path=${data}`]);
        try {
          assert.equal((await fetch(`${url}/-/ready`)).status, 200);
          assert.equal(await metricValue(url, "alertmanager_config_last_reload_successful"), 1);
        } finally {
          await am.close();
        }
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    });
  }
});
