/**
 * High availability: two Vigil servers (external label `replica` A and B)
 * scrape the same target, evaluate the same alerting rule and send to one
 * reference Alertmanager; `alert_relabel_configs` drops `replica`, so the
 * Alertmanager sees one alert and notifies once. Skips without the binary.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BIN,
  counterTarget,
  freePort,
  type Proc,
  referenceSkip,
  selfMetric,
  sleep,
  startReady,
  vigilArgs,
  waitFor,
} from "./testing.ts";

const skip = referenceSkip(BIN.alertmanager);

describe("two Vigil replicas, one Alertmanager", { skip, timeout: 90_000 }, () => {
  let work: string;
  let target: { server: Server; address: string };
  let hook: Server;
  const notifications: { alerts: { labels: Record<string, string> }[] }[] = [];
  const procs: Proc[] = [];
  const vigils: string[] = [];
  let am = "";

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-ha-"));
    target = await counterTarget(2);
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        notifications.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const amPort = await freePort();
    am = `http://127.0.0.1:${amPort}`;
    writeFileSync(
      join(work, "am.yml"),
      [
        "route: {receiver: hook, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1h}",
        "receivers:",
        "  - name: hook",
        `    webhook_configs: [{url: 'http://127.0.0.1:${(hook.address() as AddressInfo).port}/'}]`,
        "",
      ].join("\n"),
    );
    procs.push(
      await startReady(
        "alertmanager",
        BIN.alertmanager,
        [
          `--config.file=${join(work, "am.yml")}`,
          `--storage.path=${join(work, "am")}`,
          `--web.listen-address=127.0.0.1:${amPort}`,
          "--cluster.listen-address=",
          "--log.level=error",
        ],
        `${am}/-/ready`,
      ),
    );
    writeFileSync(
      join(work, "rules.yml"),
      'groups:\n  - name: g\n    rules:\n      - alert: TargetUp\n        expr: up{job="t"} == 1\n',
    );
    for (const replica of ["A", "B"]) {
      const cfg = join(work, `${replica}.yml`);
      writeFileSync(
        cfg,
        [
          `global: {scrape_interval: 1s, evaluation_interval: 1s, external_labels: {replica: ${replica}}}`,
          `rule_files: ['${join(work, "rules.yml")}']`,
          "alerting:",
          "  alert_relabel_configs: [{action: labeldrop, regex: replica}]",
          `  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:${amPort}']}]}]`,
          "scrape_configs:",
          "  - job_name: t",
          `    static_configs: [{targets: ['${target.address}']}]`,
          "",
        ].join("\n"),
      );
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      procs.push(
        await startReady(
          `vigil-${replica}`,
          process.execPath,
          vigilArgs(cfg, join(work, replica), port),
          `${base}/-/ready`,
        ),
      );
      vigils.push(base);
    }
    await waitFor(
      "both replicas sent alerts",
      async () => {
        const sent = await Promise.all(
          vigils.map((v) => selfMetric(v, "prometheus_notifications_sent_total")),
        );
        return sent.every((n) => n > 0) ? true : undefined;
      },
      30_000,
    );
    await waitFor("a notification", async () => (notifications.length > 0 ? true : undefined), 30_000);
    await sleep(4000); // room for a duplicate notification, were there one
  });

  after(async () => {
    for (const p of procs) await p.stop();
    await new Promise((r) => hook?.close(r));
    await new Promise((r) => target?.server.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it("the Alertmanager holds one alert, without the replica label", async () => {
    const alerts = (await (await fetch(`${am}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
    }[];
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.labels, { alertname: "TargetUp", instance: target.address, job: "t" });
  });

  it("the receiver is notified once, with one alert", () => {
    assert.equal(notifications.length, 1, JSON.stringify(notifications));
    assert.equal(notifications[0]!.alerts.length, 1);
  });
});
