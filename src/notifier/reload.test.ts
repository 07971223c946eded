import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import { NotifierManager } from "./manager.ts";
import { alertNamed, configOf, configTo, metricValue, startManager } from "./manager_testing.ts";
import { type FakeAlertmanager, startFakeAlertmanager, waitUntil } from "./testing.ts";

const names = (am: FakeAlertmanager): string[] =>
  am.alerts().map((a) => (a.labels as Record<string, string>).alertname);

describe("NotifierManager discovery and reload", () => {
  let am1: FakeAlertmanager;
  let am2: FakeAlertmanager;
  let dir: string;
  before(async () => {
    am1 = await startFakeAlertmanager();
    am2 = await startFakeAlertmanager();
    dir = mkdtempSync(join(tmpdir(), "vigil-notifier-"));
  });
  after(async () => {
    await am1.close();
    await am2.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const reset = (): void => {
    for (const am of [am1, am2]) {
      am.requests.length = 0;
      am.behaviour.delayMs = 0;
    }
  };

  it("finds the Alertmanager through file SD and sends to it", async () => {
    reset();
    const file = join(dir, "ams.json");
    writeFileSync(file, JSON.stringify([{ targets: [am1.address], labels: { dc: "x" } }]));
    const config = configOf(
      `alerting:\n  alertmanagers:\n  - path_prefix: /am\n    file_sd_configs:\n    - files: ['${file}']\n`,
      dir,
    );
    const { manager, running, registry } = await startManager(config, 1);
    assert.deepEqual(manager.alertmanagers(), [`http://${am1.address}/am/api/v2/alerts`]);
    assert.deepEqual(manager.source().active(), manager.alertmanagers());
    assert.equal(await metricValue(registry, "prometheus_notifications_alertmanagers_discovered"), 1);
    manager.send(alertNamed("A"));
    await waitUntil(() => am1.requests.length === 1, "request via file SD");
    assert.equal(am1.requests[0].path, "/am/api/v2/alerts");
    await manager.stop();
    await running;
  });

  it("keeps queued alerts across a reload that replaces the Alertmanager", async () => {
    reset();
    const { manager, running } = await startManager(configTo([am1.address]), 1);
    am1.behaviour.delayMs = 300;
    manager.send(alertNamed("first"));
    await waitUntil(() => am1.requests.length === 1, "first request");
    manager.send(alertNamed("queued"));
    await manager.applyConfig(configTo([am2.address]));
    await waitUntil(() => am2.requests.length === 1, "queued alert at the new Alertmanager");
    assert.deepEqual(names(am1), ["first"]);
    assert.deepEqual(names(am2), ["queued"]);
    assert.deepEqual(manager.alertmanagers(), [`http://${am2.address}/api/v2/alerts`]);
    await manager.stop();
    await running;
  });

  it("a reload with an unchanged set keeps its Alertmanagers at once", async () => {
    reset();
    const config = configTo([am1.address], "    timeout: 5s\n");
    const { manager, running } = await startManager(config, 1, { discoveryUpdateIntervalMs: 60_000 });
    // The second delivery would come a minute later: the endpoints must be adopted.
    await manager.applyConfig(
      configTo([am1.address], "    timeout: 5s\n", "global:\n  external_labels: {a: b}\n"),
    );
    assert.deepEqual(manager.alertmanagers(), [`http://${am1.address}/api/v2/alerts`]);
    manager.send(alertNamed("A"));
    await waitUntil(() => am1.requests.length === 1, "request after reload");
    assert.deepEqual(am1.alerts()[0].labels, { alertname: "A", a: "b" });
    await manager.stop();
    await running;
  });

  it("a failed reload changes nothing", async () => {
    reset();
    const { manager, running } = await startManager(configTo([am1.address]), 1);
    const bad = configTo(
      [am2.address],
      `    tls_config:\n      ca_file: ${join(dir, "missing-ca.pem")}\n`,
      "global:\n  external_labels: {x: y}\n",
    );
    await assert.rejects(manager.applyConfig(bad), /ENOENT|no such file/);
    assert.deepEqual(manager.alertmanagers(), [`http://${am1.address}/api/v2/alerts`]);
    manager.send(alertNamed("A"));
    await waitUntil(() => am1.requests.length === 1, "request to the old set");
    assert.deepEqual(am1.alerts()[0].labels, { alertname: "A" });
    await manager.stop();
    await running;
  });

  it("stop is safe twice and without run", async () => {
    reset();
    const { manager, running } = await startManager(configTo([am1.address]), 1);
    await manager.stop();
    await manager.stop();
    await running;
    const idle = new NotifierManager({ registry: new Registry() });
    await idle.applyConfig(configTo([am1.address]));
    await idle.stop();
    assert.equal(am1.requests.length, 0);
  });

  it("removing every Alertmanager stops sending to it", async () => {
    reset();
    const { manager, running } = await startManager(configTo([am1.address]), 1);
    await manager.applyConfig(configOf("alerting:\n  alertmanagers: []\n"));
    assert.deepEqual(manager.alertmanagers(), []);
    manager.send(alertNamed("A"));
    await waitUntil(() => manager.queueLength() === 0, "queue consumed");
    await manager.stop();
    await running;
    assert.equal(am1.requests.length, 0);
  });
});
