import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { Registry } from "prom-client";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../../../config/httpclient.ts";
import { nopLogger } from "../../../log/log.ts";
import { AlertmanagerTemplates } from "../../../template/alertmanager.ts";
import type { WebhookConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import { FakeClock } from "../clock.ts";
import { newNotifyMetrics } from "../metrics.ts";
import { RetryStage } from "../retry.ts";
import { testContext } from "../testing.ts";
import { truncateAlerts, WebhookNotifier, webhookBody } from "./webhook.ts";

const FIXTURES = new URL("../../../../../shared/fixtures/api/alertmanager/webhook/", import.meta.url);

interface FixtureAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

function ms(t: string): number {
  return t.startsWith("0001-") ? 0 : Date.parse(t);
}

/** The context and alerts the reference Alertmanager had for a captured body. */
async function fromFixture(name: string) {
  const j = JSON.parse(await readFile(new URL(name, FIXTURES), "utf8"));
  const alerts: Alert[] = (j.alerts as FixtureAlert[]).map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAt: ms(a.startsAt),
    endsAt: ms(a.endsAt),
    generatorURL: a.generatorURL,
    updatedAt: 0,
    timeout: false,
  }));
  const now = Math.max(ms(j.alerts[0].startsAt), ...alerts.map((a) => a.endsAt));
  const templates = await AlertmanagerTemplates.fromGlobs([], { externalURL: j.externalURL });
  const ctx = testContext(templates, {
    receiverName: j.receiver,
    groupKey: j.groupKey,
    groupLabels: j.groupLabels,
    notificationReason: j.notification_reason,
    now,
  });
  return { ctx, alerts };
}

const fixtureNames = (await readdir(FIXTURES)).filter((f) => f.endsWith(".json"));

for (const name of fixtureNames) {
  test(`webhook body equals the captured ${name}`, async () => {
    const { ctx, alerts } = await fromFixture(name);
    assert.equal(webhookBody(ctx, alerts, 0), await readFile(new URL(name, FIXTURES), "utf8"));
  });
}

test("truncateAlerts keeps the first max_alerts", () => {
  const a = [1, 2, 3].map((i) => ({ labels: { i: String(i) } }) as unknown as Alert);
  assert.deepEqual(truncateAlerts(0, a), { alerts: a, truncated: 0 });
  assert.deepEqual(truncateAlerts(2, a), { alerts: a.slice(0, 2), truncated: 1 });
  assert.deepEqual(truncateAlerts(3, a), { alerts: a, truncated: 0 });
});

interface Got {
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** An HTTP sink on 127.0.0.1 answering with `statuses` in turn (then 200). */
async function sink(statuses: number[]) {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end(res.statusCode === 200 ? "" : "boom");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function conf(url: string, over: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    send_resolved: true,
    http_config: DEFAULT_HTTP_CLIENT_CONFIG,
    url,
    url_file: "",
    max_alerts: 0,
    timeout: 0,
    ...over,
  };
}

test("webhook end to end: retried on 500, body as captured, upstream's headers", {
  timeout: 10_000,
}, async () => {
  const s = await sink([500, 503]);
  try {
    const name = "webhook-some-resolved.json";
    const { ctx, alerts } = await fromFixture(name);
    const registry = new Registry();
    const metrics = newNotifyMetrics(registry);
    const clock = new FakeClock(ctx.now);
    const integration = {
      name: "webhook",
      index: 0,
      notifier: new WebhookNotifier(conf(s.url)),
      sendResolved: true,
    };
    const retry = new RetryStage(integration, ctx.receiverName, metrics, clock, {
      initialMs: 10,
      multiplier: 1,
      randomization: 0,
      maxMs: 10,
      random: () => 0,
    });
    const done = retry.exec({ ...ctx, firingAlerts: [1n] }, nopLogger, alerts);
    const deadline = Date.now() + 5000;
    while (s.got.length < 3 && Date.now() < deadline) await clock.advance(20);
    await done;
    assert.equal(s.got.length, 3);
    const want = await readFile(new URL(name, FIXTURES), "utf8");
    for (const g of s.got) assert.equal(g.body, want);
    assert.equal(s.got[0]!.headers["user-agent"], "Alertmanager/0.33.1");
    assert.equal(s.got[0]!.headers["content-type"], "application/json");
    const failed = await registry.getSingleMetricAsString("alertmanager_notification_requests_failed_total");
    assert.match(failed, /integration="webhook"} 2/);
  } finally {
    await s.close();
  }
});

test("webhook: 4xx is not retried, 5xx is, max_alerts truncates", async () => {
  const s = await sink([400, 502]);
  try {
    const { ctx, alerts } = await fromFixture("webhook-firing-group.json");
    const n = new WebhookNotifier(conf(s.url, { max_alerts: 1 }));
    const r1 = await n.notify(ctx, alerts);
    assert.equal(r1.retry, false);
    assert.match(r1.error!.message, /^unexpected status code 400/);
    const r2 = await n.notify(ctx, alerts);
    assert.equal(r2.retry, true);
    assert.equal((r2.error as { reason?: string }).reason, "serverError");
    const r3 = await n.notify(ctx, alerts);
    assert.deepEqual(r3, { retry: false });
    const body = JSON.parse(s.got[2]!.body);
    assert.equal(body.alerts.length, 1);
    assert.equal(body.truncatedAlerts, alerts.length - 1);
  } finally {
    await s.close();
  }
});

test("webhook: a refused connection is retried", async () => {
  const s = await sink([]);
  await s.close();
  const { ctx, alerts } = await fromFixture("webhook-firing-single.json");
  const r = await new WebhookNotifier(conf(s.url)).notify(ctx, alerts);
  assert.equal(r.retry, true);
  assert.ok(r.error !== undefined);
});
