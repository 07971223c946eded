import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import type { RuleAlert } from "./alert.ts";
import {
  alertNamed,
  configOf,
  configTo,
  metricValue,
  recordingLogger,
  startManager,
} from "./manager_testing.ts";
import { sendAlerts } from "./send_alerts.ts";
import { type FakeAlertmanager, startFakeAlertmanager, waitUntil } from "./testing.ts";

const TESTDATA = new URL("testdata/", import.meta.url).pathname;

describe("NotifierManager", () => {
  let am: FakeAlertmanager;
  before(async () => {
    am = await startFakeAlertmanager();
  });
  after(() => am.close());
  const reset = (): void => {
    am.requests.length = 0;
    am.behaviour.status = 200;
    am.behaviour.delayMs = 0;
  };

  it("sends what Prometheus 3.5.3 sent for the same config and rules (golden)", async () => {
    reset();
    // The config the golden bodies were captured with, the fake in place of
    // the recorder and without the unresolvable host.
    const yaml = readFileSync(`${TESTDATA}prometheus-3.5.3.prometheus.yml`, "utf8")
      .replaceAll("127.0.0.1:18931", am.address)
      .replace("'nohost', ", "");
    const { manager, running } = await startManager(configOf(yaml), 2);
    assert.deepEqual(manager.droppedAlertmanagers(), ["http://dropme:9093/prefix/api/v2/alerts"]);
    const ruleAlert = (name: string, labels: Labels, annotations: Labels): RuleAlert => ({
      labels: Labels.fromObject({ ...labels.toObject(), alertname: name }),
      annotations,
      state: "firing",
      activeAt: new Date("2026-11-22T09:28:24.426Z"),
      firedAt: new Date("2026-11-22T09:28:24.426Z"),
      resolvedAt: null,
      validUntil: new Date("2026-11-22T09:33:25.426Z"),
    });
    const notify = sendAlerts(manager, "http://ext.example:9090/pre");
    manager.send(); // nothing: no request
    notify("vector(1) > 0 and on () vector(2) < 5", [
      ruleAlert("Always", Labels.fromStrings("severity", "page"), Labels.fromStrings("summary", "a <b> & c")),
    ]);
    notify("vector(1)", [ruleAlert("Other", Labels.EMPTY, Labels.EMPTY)]);
    await manager.stop();
    await running;
    const byPath = new Map<string, string>();
    for (const r of am.requests) byPath.set(r.path, (byPath.get(r.path) ?? "") + r.body);
    const golden = (f: string) => readFileSync(`${TESTDATA}${f}`, "utf8").trimEnd();
    // Prometheus sent both alerts in one batch; ours may be one or two requests.
    const merge = (bodies: string) => bodies.replaceAll("][", ",");
    assert.equal(
      merge(byPath.get("/prefix/api/v2/alerts") ?? ""),
      golden("prometheus-3.5.3-post-prefix.json"),
    );
    assert.equal(merge(byPath.get("/api/v2/alerts") ?? ""), golden("prometheus-3.5.3-post-relabeled.json"));
    const r = am.requests[0];
    assert.equal(r.method, "POST");
    assert.equal(r.headers["content-type"], "application/json");
    assert.match(r.headers["user-agent"] ?? "", /^Vigil\//);
  });

  it("sends batches of at most 256 alerts, in queue order", async () => {
    reset();
    const { manager, running, registry } = await startManager(configTo([am.address]), 1);
    const alerts = Array.from({ length: 600 }, (_, i) => alertNamed(`A${i}`));
    manager.send(...alerts);
    await waitUntil(() => am.alerts().length === 600, "600 alerts");
    assert.deepEqual(
      am.requests.map((r) => (JSON.parse(r.body) as unknown[]).length),
      [256, 256, 88],
    );
    assert.deepEqual(
      am.alerts().map((a) => (a.labels as Record<string, string>).alertname),
      alerts.map((a) => a.labels.get("alertname")),
    );
    const url = `http://${am.address}/api/v2/alerts`;
    assert.equal(
      await metricValue(registry, "prometheus_notifications_sent_total", { alertmanager: url }),
      600,
    );
    assert.equal(
      await metricValue(registry, "prometheus_notifications_errors_total", { alertmanager: url }),
      0,
    );
    assert.equal(await metricValue(registry, "prometheus_notifications_dropped_total"), 0);
    await manager.stop();
    await running;
  });

  it("sends basic auth, authorization and http_headers", async () => {
    const table: Array<{ name: string; extra: string; header: string; want: string }> = [
      {
        name: "basic_auth",
        extra: "    basic_auth:\n      username: u\n      password: p\n",
        header: "authorization",
        want: `Basic ${Buffer.from("u:p").toString("base64")}`,
      },
      {
        name: "authorization",
        extra: "    authorization:\n      credentials: tok\n",
        header: "authorization",
        want: "Bearer tok",
      },
      {
        name: "http_headers",
        extra: "    http_headers:\n      X-Scope-OrgID:\n        values: [team-a]\n",
        header: "x-scope-orgid",
        want: "team-a",
      },
    ];
    for (const tc of table) {
      reset();
      const { manager, running } = await startManager(configTo([am.address], tc.extra), 1);
      manager.send(alertNamed("A"));
      await waitUntil(() => am.requests.length === 1, `request with ${tc.name}`);
      assert.equal(am.requests[0].headers[tc.header], tc.want, tc.name);
      await manager.stop();
      await running;
    }
  });

  it("counts a timeout as an error and the batch as dropped", async () => {
    reset();
    am.behaviour.delayMs = 2_000;
    const lines: string[] = [];
    const { manager, running, registry } = await startManager(
      configTo([am.address], "    timeout: 100ms\n"),
      1,
      { logger: recordingLogger(lines) },
    );
    manager.send(alertNamed("A"), alertNamed("B"));
    await waitUntil(() => lines.some((l) => l.includes("Error sending alerts")), "error log");
    const url = `http://${am.address}/api/v2/alerts`;
    await waitUntil(() => manager.queueLength() === 0, "empty queue");
    await manager.stop();
    await running;
    assert.equal(
      await metricValue(registry, "prometheus_notifications_errors_total", { alertmanager: url }),
      2,
    );
    assert.equal(
      await metricValue(registry, "prometheus_notifications_sent_total", { alertmanager: url }),
      2,
    );
    assert.equal(await metricValue(registry, "prometheus_notifications_dropped_total"), 2);
    const line = lines.find((l) => l.includes("Error sending alerts")) ?? "";
    assert.ok(line.includes(`"err":"Post \\"${url}\\": context deadline exceeded"`), line);
    assert.ok(line.includes('"count":2'), line);
  });

  it("treats any 2xx as success and reports other statuses as upstream", async () => {
    const table: Array<[number, string]> = [
      [202, ""],
      [500, "bad response status 500 Internal Server Error"],
      [404, "bad response status 404 Not Found"],
    ];
    for (const [status, wantErr] of table) {
      reset();
      am.behaviour.status = status;
      const lines: string[] = [];
      const { manager, running, registry } = await startManager(configTo([am.address]), 1, {
        logger: recordingLogger(lines),
      });
      manager.send(alertNamed("A"));
      await waitUntil(() => am.requests.length === 1 && manager.queueLength() === 0, `status ${status}`);
      await manager.stop();
      await running;
      const dropped = await metricValue(registry, "prometheus_notifications_dropped_total");
      assert.equal(dropped, wantErr === "" ? 0 : 1, `dropped for ${status}`);
      if (wantErr !== "")
        assert.ok(
          lines.some((l) => l.includes(wantErr)),
          lines.join("\n"),
        );
    }
  });

  it("counts a set without any success as dropped, even when another set succeeded", async () => {
    reset();
    const config = configOf(
      `alerting:\n  alertmanagers:\n  - static_configs: [{targets: ['${am.address}']}]\n` +
        "  - static_configs: [{targets: ['127.0.0.1:1']}]\n",
    );
    const { manager, running, registry } = await startManager(config, 2);
    manager.send(alertNamed("A"));
    await waitUntil(() => am.requests.length === 1, "request to the live set");
    await manager.stop();
    await running;
    assert.equal(await metricValue(registry, "prometheus_notifications_dropped_total"), 1);
    const dead = "http://127.0.0.1:1/api/v2/alerts";
    assert.equal(
      await metricValue(registry, "prometheus_notifications_errors_total", { alertmanager: dead }),
      1,
    );
  });

  it("drops the oldest alerts when the queue overflows", async () => {
    reset();
    const table: Array<{ name: string; first: number; second: number; want: string[]; dropped: number }> = [
      { name: "queue full", first: 4, second: 3, want: ["A2", "A3", "B0", "B1", "B2"], dropped: 2 },
      { name: "batch over capacity", first: 0, second: 7, want: ["B2", "B3", "B4", "B5", "B6"], dropped: 2 },
    ];
    for (const tc of table) {
      reset();
      const { manager, running, registry } = await startManager(configTo([am.address]), 1, {
        queueCapacity: 5,
      });
      am.behaviour.delayMs = 200;
      manager.send(alertNamed("first")); // in flight while the queue fills
      await waitUntil(() => am.requests.length === 1, "first request");
      manager.send(...Array.from({ length: tc.first }, (_, i) => alertNamed(`A${i}`)));
      manager.send(...Array.from({ length: tc.second }, (_, i) => alertNamed(`B${i}`)));
      assert.equal(await metricValue(registry, "prometheus_notifications_queue_length"), 5, tc.name);
      assert.equal(
        await metricValue(registry, "prometheus_notifications_dropped_total"),
        tc.dropped,
        tc.name,
      );
      await manager.stop();
      await running;
      const names = am.alerts().map((a) => (a.labels as Record<string, string>).alertname);
      assert.deepEqual(names, ["first", ...tc.want], tc.name);
      assert.equal(await metricValue(registry, "prometheus_notifications_queue_capacity"), 5);
    }
  });

  it("drains the queue on shutdown, or counts it dropped when draining is off", async () => {
    for (const drain of [true, false]) {
      reset();
      const { manager, running, registry } = await startManager(configTo([am.address]), 1, {
        drainOnShutdown: drain,
      });
      am.behaviour.delayMs = 100;
      manager.send(alertNamed("first"));
      await waitUntil(() => am.requests.length === 1, "first request");
      manager.send(alertNamed("queued1"), alertNamed("queued2"));
      await manager.stop();
      await running;
      const names = am.alerts().map((a) => (a.labels as Record<string, string>).alertname);
      assert.deepEqual(names, drain ? ["first", "queued1", "queued2"] : ["first"], `drain=${drain}`);
      assert.equal(await metricValue(registry, "prometheus_notifications_dropped_total"), drain ? 0 : 2);
    }
  });

  it("exposes upstream's metric names, types and help texts", async () => {
    reset();
    const { manager, running, registry } = await startManager(configTo([am.address]), 1);
    manager.send(alertNamed("A"));
    await waitUntil(() => am.requests.length === 1 && manager.queueLength() === 0, "one request");
    await manager.stop();
    await running;
    const text = await registry.metrics();
    // Lines as Prometheus 3.5.3 exposes them (captured from the reference binary).
    for (const want of [
      "# HELP prometheus_notifications_alertmanagers_discovered The number of alertmanagers discovered and active.",
      "# TYPE prometheus_notifications_alertmanagers_discovered gauge",
      "# HELP prometheus_notifications_dropped_total Total number of alerts dropped due to errors when sending to Alertmanager.",
      "# TYPE prometheus_notifications_dropped_total counter",
      "# HELP prometheus_notifications_errors_total Total number of sent alerts affected by errors.",
      "# HELP prometheus_notifications_latency_seconds Latency quantiles for sending alert notifications.",
      "# TYPE prometheus_notifications_latency_seconds summary",
      "# HELP prometheus_notifications_queue_capacity The capacity of the alert notifications queue.",
      "prometheus_notifications_queue_capacity 10000",
      "# HELP prometheus_notifications_queue_length The number of alert notifications in the queue.",
      "# HELP prometheus_notifications_sent_total Total number of alerts sent.",
      `prometheus_notifications_latency_seconds_count{alertmanager="http://${am.address}/api/v2/alerts"} 1`,
      'prometheus_sd_discovered_targets{config="config-0",name="notify"} 1',
      "prometheus_notifications_alertmanagers_discovered 1",
    ]) {
      assert.ok(text.includes(`${want}\n`), `missing line: ${want}`);
    }
  });
});
