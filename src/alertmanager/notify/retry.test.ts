import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "prom-client";
import { nopLogger } from "../../log/log.ts";
import { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { FakeClock } from "./clock.ts";
import { newNotifyMetrics } from "./metrics.ts";
import { NotifyError } from "./notifier.ts";
import { canceled, RetryStage } from "./retry.ts";
import { RecordingNotifier, testAlert, testContext } from "./testing.ts";

const BACKOFF = { initialMs: 1000, multiplier: 2, randomization: 0, maxMs: 4000, random: () => 0 };
const fail = { retry: true, error: new NotifyError("serverError", "unexpected status code 500") };

async function setup(results: { retry: boolean; error?: Error }[], sendResolved = true) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const registry = new Registry();
  const notifier = new RecordingNotifier(clock, results);
  const stage = new RetryStage(
    { name: "webhook", index: 0, notifier, sendResolved },
    "r",
    newNotifyMetrics(registry),
    clock,
    BACKOFF,
  );
  const templates = await AlertmanagerTemplates.fromGlobs([]);
  return { clock, registry, notifier, stage, templates };
}

test("retries until the flush deadline, then fails with the last error and its reason", async () => {
  const s = await setup(Array(20).fill(fail));
  const deadline = new AbortController();
  const ctx = testContext(s.templates, { signal: deadline.signal, now: s.clock.now(), firingAlerts: [1n] });
  const run = s.stage.exec(ctx, nopLogger, [testAlert({ a: "1" })]).then(
    () => undefined,
    (e: unknown) => e,
  );
  await s.clock.advance(9000);
  deadline.abort(new DOMException("context deadline exceeded", "TimeoutError"));
  await s.clock.advance(1);
  const err = await run;
  assert.ok(err instanceof NotifyError);
  // Attempts at 0, 1 s, 3 s (1+2), 7 s (3+4): four before 9 s.
  assert.deepEqual(
    s.notifier.sent.map((x) => x.at - ctx.now),
    [0, 1000, 3000, 7000],
  );
  assert.equal(
    err.message,
    "r/webhook[0]: notify retry canceled after 4 attempts: unexpected status code 500",
  );
  assert.equal(err.reason, "serverError");
  const m = await s.registry.getSingleMetricAsString("alertmanager_notifications_failed_total");
  assert.match(m, /integration="webhook",reason="serverError"} 1/);
});

test("a canceled flush before any attempt reports contextCanceled", async () => {
  const s = await setup([]);
  const stop = new AbortController();
  stop.abort(canceled());
  const ctx = testContext(s.templates, { signal: stop.signal, firingAlerts: [1n] });
  await assert.rejects(s.stage.exec(ctx, nopLogger, [testAlert({ a: "1" })]), {
    message: "r/webhook[0]: notify retry canceled after 0 attempts: context canceled",
    reason: "contextCanceled",
  });
});

test("an unrecoverable error stops at once", async () => {
  const s = await setup([
    { retry: false, error: new NotifyError("clientError", "unexpected status code 400") },
  ]);
  const ctx = testContext(s.templates, { firingAlerts: [1n] });
  await assert.rejects(s.stage.exec(ctx, nopLogger, [testAlert({ a: "1" })]), {
    message:
      "r/webhook[0]: notify retry canceled due to unrecoverable error after 1 attempts: unexpected status code 400",
  });
  assert.equal(s.notifier.sent.length, 1);
});

test("without send_resolved: resolved alerts are dropped, an all-resolved group sends nothing", async () => {
  const s = await setup([], false);
  const now = Date.UTC(2026, 0, 1);
  const firing = testAlert({ a: "1" });
  const resolved = testAlert({ a: "2" }, { endsAt: now - 1 });
  const ctx = testContext(s.templates, { now, firingAlerts: [1n], resolvedAlerts: [2n] });
  const r = await s.stage.exec(ctx, nopLogger, [firing, resolved]);
  assert.equal(r.alerts.length, 2, "passes every alert on, for the log");
  assert.deepEqual(s.notifier.sent[0]!.alerts, [firing]);
  await s.stage.exec({ ...ctx, firingAlerts: [] }, nopLogger, [resolved]);
  assert.equal(s.notifier.sent.length, 1);
});
