/**
 * Interoperation with the reference binaries, all on 127.0.0.1: the
 * reference `prometheus` fires a rule and sends to Vigil's Alertmanager,
 * which notifies a webhook sink; Vigil's server sends to the reference
 * `alertmanager`, which notifies a webhook sink. Skips without the binaries.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runServer } from "../../server/testing.ts";
import { freePort } from "../../testing/net.ts";
import {
  type Child,
  REFERENCE,
  referenceSkip,
  spawnReference,
  spawnServing,
  spawnVigil,
  startWebhookSink,
  type WebhookSink,
  waitFor,
} from "./testing.ts";

const RULES = `groups:
  - name: interop
    interval: 500ms
    rules:
      - alert: InteropFiring
        expr: vector(1) > 0
        labels:
          severity: page
        annotations:
          summary: "value is {{ $value }}"
`;

const amConfig = (sink: string): string => `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 500ms
  group_interval: 1s
receivers:
  - name: hook
    webhook_configs:
      - url: ${sink}/hook
`;

const promConfig = (am: string): string => `global:
  evaluation_interval: 500ms
  external_labels:
    origin: interop
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${am}']
`;

describe("interop with the reference binaries", { skip: referenceSkip("prometheus", "alertmanager") }, () => {
  let dir: string;
  let sink: WebhookSink;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-am-interop-"));
    sink = await startWebhookSink();
    writeFileSync(join(dir, "rules.yml"), RULES);
    writeFileSync(join(dir, "am.yml"), amConfig(sink.url));
  });
  after(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reference prometheus → vigil alertmanager → webhook", { timeout: 40_000 }, async () => {
    const children: Child[] = [];
    try {
      const am = await spawnVigil([
        `--config.file=${join(dir, "am.yml")}`,
        `--storage.path=${join(dir, "vigil-am")}`,
      ]);
      children.push(am);
      const promDir = join(dir, "prom");
      writeFileSync(join(dir, "prometheus.yml"), promConfig(am.url.slice("http://".length)));
      const port = await freePort();
      children.push(
        await spawnServing(
          REFERENCE.prometheus,
          [
            `--config.file=${join(dir, "prometheus.yml")}`,
            `--storage.tsdb.path=${promDir}`,
            `--web.listen-address=127.0.0.1:${port}`,
            // Alerts evaluated before the notifier discovered the Alertmanager are not queued: resend soon.
            "--rules.alert.resend-delay=1s",
          ],
          dir,
        ),
      );
      const n = await waitFor(
        "notification",
        () => sink.received.find((r) => r.body.receiver === "hook"),
        30_000,
      );
      const a = n.body.alerts[0]!;
      assert.deepEqual(a.labels, { alertname: "InteropFiring", severity: "page", origin: "interop" });
      assert.equal(a.status, "firing");
      assert.equal(n.body.groupKey, '{}:{alertname="InteropFiring"}');
      assert.match(String((a as Record<string, unknown>).generatorURL), /^http:\/\/.*\/graph\?g0\.expr=/);
    } finally {
      await Promise.all(children.map((c) => c.stop()));
    }
  });

  it("vigil server → reference alertmanager → webhook", { timeout: 40_000 }, async () => {
    sink.received.length = 0;
    const port = await freePort();
    const ref = await spawnReference(port, [
      `--config.file=${join(dir, "am.yml")}`,
      `--storage.path=${join(dir, "ref-am")}`,
    ]);
    const srvDir = join(dir, "srv");
    writeFileSync(join(dir, "prometheus-vigil.yml"), promConfig(`127.0.0.1:${port}`));
    const server = await runServer(srvDir, join(dir, "prometheus-vigil.yml"));
    try {
      const n = await waitFor(
        "notification",
        () => sink.received.find((r) => r.body.receiver === "hook"),
        30_000,
      );
      assert.deepEqual(n.body.alerts[0]!.labels, {
        alertname: "InteropFiring",
        severity: "page",
        origin: "interop",
      });
      assert.equal(n.body.alerts[0]!.status, "firing");
    } finally {
      server.stop();
      await server.done;
      await ref.stop();
    }
  });
});
