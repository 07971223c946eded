/**
 * The same alert stream into the reference Alertmanager and into this
 * dispatcher + pipeline + webhook, both routing to webhook sinks on
 * 127.0.0.1: the notifications (receivers, group keys, group labels, alert
 * order and status, reasons) must match. Real time, short intervals.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Registry } from "prom-client";
import { nopLogger } from "../../log/log.ts";
import { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { freePort } from "../../testing/net.ts";
import { referenceBin, referenceSkip } from "../../testing/reference.ts";
import { parseAlertmanagerConfig } from "../config/config.ts";
import { newNotifyMetrics } from "../notify/metrics.ts";
import type { Integration } from "../notify/notifier.ts";
import { buildPipeline } from "../notify/pipeline.ts";
import { MemoryGroupMarker, MemoryNflog, NO_MUTER } from "../notify/testing.ts";
import { WebhookNotifier } from "../notify/webhook/webhook.ts";
import { Route } from "../route/route.ts";
import { Intervener } from "../timeinterval/intervener.ts";
import type { Alert } from "../types/types.ts";
import { Dispatcher } from "./dispatcher.ts";
import { newDispatcherMetrics } from "./metrics.ts";
import { PushSource } from "./testing.ts";

const AM = referenceBin("alertmanager");

const config = (url: string) => `
route:
  receiver: main
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - receiver: team
      matchers: ['team="a"']
      continue: true
    - receiver: each
      group_by: ['...']
      matchers: ['split="yes"']
receivers:
  - name: main
    webhook_configs: [{ url: "${url}/main", send_resolved: true }]
  - name: team
    webhook_configs: [{ url: "${url}/team", send_resolved: false }]
  - name: each
    webhook_configs: [{ url: "${url}/each" }]
`;

interface Got {
  readonly path: string;
  readonly at: number;
  readonly body: Record<string, unknown>;
}

async function sink() {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ path: req.url ?? "", at: Date.now(), body: JSON.parse(body) });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

/** One step of the stream: at `at` ms, these alerts (endsAt relative ms or none). */
const STREAM: { at: number; alerts: { labels: Record<string, string>; endsIn?: number }[] }[] = [
  {
    at: 0,
    alerts: [
      { labels: { alertname: "Disk", instance: "b", job: "node" } },
      { labels: { alertname: "Disk", instance: "a", job: "node" } },
      { labels: { alertname: "Cpu", team: "a", instance: "x" } },
      { labels: { alertname: "Split", split: "yes", n: "1" } },
      { labels: { alertname: "Split", split: "yes", n: "2" } },
    ],
  },
  { at: 1500, alerts: [{ labels: { alertname: "Disk", instance: "c", job: "node" } }] },
  { at: 2200, alerts: [{ labels: { alertname: "Disk", instance: "b", job: "node" }, endsIn: 0 }] },
];

function normalise(got: Got[]): string[] {
  return got
    .map((g) => {
      const b = g.body as {
        receiver: string;
        groupKey: string;
        status: string;
        notification_reason: string;
        alerts: { labels: object; status: string }[];
      };
      const alerts = b.alerts.map((a) => `${JSON.stringify(a.labels)}:${a.status}`).join(" ");
      return `${g.path} ${b.receiver} ${b.groupKey} ${b.status} ${b.notification_reason} ${alerts}`;
    })
    .sort();
}

async function waitReady(url: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("reference alertmanager not ready");
}

test("differential: reference Alertmanager and Vigil send the same notifications", {
  skip: referenceSkip("alertmanager"),
  timeout: 30_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-am-diff-"));
  const refSink = await sink();
  const ourSink = await sink();
  let proc: ChildProcess | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    writeFileSync(join(dir, "am.yml"), config(refSink.url));
    const port = await freePort();
    proc = spawn(
      AM,
      [
        `--config.file=${join(dir, "am.yml")}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ],
      { stdio: "ignore" },
    );
    const amURL = `http://127.0.0.1:${port}`;
    await waitReady(amURL);

    const { config: cfg } = parseAlertmanagerConfig(config(ourSink.url), "am.yml");
    const integrations = new Map<string, Integration[]>();
    for (const r of cfg.receivers) {
      integrations.set(
        r.name,
        r.webhook_configs.map((wc, index) => ({
          name: "webhook",
          index,
          notifier: new WebhookNotifier(wc),
          sendResolved: wc.send_resolved,
        })),
      );
    }
    const registry = new Registry();
    const marker = new MemoryGroupMarker();
    const source = new PushSource();
    const clock = {
      now: () => Date.now(),
      timer: (ms: number, fn: () => void) => {
        const h = setTimeout(fn, Math.max(0, ms));
        return { cancel: () => clearTimeout(h) };
      },
    };
    dispatcher = new Dispatcher({
      route: Route.fromConfig(cfg.route),
      alerts: source,
      stage: buildPipeline(integrations, {
        inhibitor: NO_MUTER,
        silencer: NO_MUTER,
        intervener: new Intervener(new Map()),
        marker,
        nflog: new MemoryNflog(clock),
        metrics: newNotifyMetrics(registry),
      }),
      marker,
      templates: await AlertmanagerTemplates.fromGlobs([], { externalURL: amURL }),
      metrics: newDispatcherMetrics(registry),
      logger: nopLogger,
    });
    dispatcher.run();

    const start = Date.now();
    const startsAt = new Date(start).toISOString();
    for (const step of STREAM) {
      await new Promise((r) => setTimeout(r, Math.max(0, start + step.at - Date.now())));
      const now = Date.now();
      const posted = step.alerts.map((a) => ({
        labels: a.labels,
        startsAt,
        ...(a.endsIn !== undefined ? { endsAt: new Date(now + a.endsIn).toISOString() } : {}),
      }));
      const res = await fetch(`${amURL}/api/v2/alerts`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(posted),
      });
      assert.equal(res.status, 200);
      for (const a of step.alerts) {
        const alert: Alert = {
          labels: a.labels,
          annotations: {},
          startsAt: start,
          endsAt: a.endsIn !== undefined ? now + a.endsIn : now + 5 * 60_000,
          generatorURL: "",
          updatedAt: now,
          timeout: a.endsIn === undefined,
        };
        source.push(alert);
      }
    }
    await new Promise((r) => setTimeout(r, 5000));
    const ref = normalise(refSink.got);
    const ours = normalise(ourSink.got);
    assert.ok(ref.length >= 5, `the reference sent ${ref.length} notifications`);
    assert.deepEqual(ours, ref);
  } finally {
    await dispatcher?.stop();
    proc?.kill();
    refSink.close();
    ourSink.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
