import assert from "node:assert/strict";
import { test } from "node:test";
import { muterOf } from "../notify/testing.ts";
import type { Alert, LabelSet } from "../types/types.ts";
import { type Harness, newHarness } from "./testing.ts";

const S = 1000;
const M = 60 * S;

const BASE = `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
  routes:
    - receiver: team
      matchers: ['team="a"']
      continue: true
    - receiver: all
      group_by: ['...']
      matchers: ['split="yes"']
    - receiver: default
      matchers: ['alertname=~".+"']
receivers:
  - name: default
    webhook_configs: [{ url: "http://127.0.0.1:1/", send_resolved: true }]
  - name: team
    webhook_configs: [{ url: "http://127.0.0.1:1/", send_resolved: false }]
  - name: all
    webhook_configs: [{ url: "http://127.0.0.1:1/" }]
`;

function push(h: Harness, labels: LabelSet, over: Partial<Alert> = {}): Alert {
  const now = h.clock.now();
  const a: Alert = {
    labels,
    annotations: {},
    startsAt: now,
    endsAt: 0,
    generatorURL: "",
    updatedAt: now,
    timeout: false,
    ...over,
  };
  h.source.push(a);
  return a;
}

/** Notifications of `receiver` as [seconds since start, reason, sorted "name:status" list]. */
function timeline(h: Harness, receiver: string, start: number): [number, string, string[]][] {
  return h.notifiers
    .get(receiver)!
    .sent.map((s) => [
      (s.at - start) / S,
      s.ctx.notificationReason,
      s.alerts.map(
        (a) =>
          `${a.labels.i ?? a.labels.alertname}:${a.endsAt !== 0 && a.endsAt <= s.ctx.now ? "resolved" : "firing"}`,
      ),
    ]);
}

test("group_wait batches alerts, group_interval spaces later flushes", async () => {
  const h = await newHarness(BASE);
  const t0 = h.clock.now();
  push(h, { alertname: "A", i: "1" });
  await h.clock.advance(10 * S);
  push(h, { alertname: "A", i: "2" });
  await h.clock.advance(19 * S);
  assert.deepEqual(timeline(h, "default", t0), []);
  await h.clock.advance(1 * S);
  assert.deepEqual(timeline(h, "default", t0), [[30, "first notification", ["1:firing", "2:firing"]]]);
  await h.clock.advance(10 * S);
  push(h, { alertname: "A", i: "3" });
  await h.clock.advance(4 * M);
  assert.equal(timeline(h, "default", t0).length, 1, "nothing before the group_interval");
  await h.clock.advance(1 * M);
  assert.deepEqual(timeline(h, "default", t0)[1], [
    330,
    "new alerts added",
    ["1:firing", "2:firing", "3:firing"],
  ]);
  await h.dispatcher.stop();
});

test("repeat_interval: an unchanged group is notified again after it, at a group_interval flush", async () => {
  const h = await newHarness(BASE);
  const t0 = h.clock.now();
  push(h, { alertname: "A" });
  await h.clock.advance(2 * 3600 * S);
  // 30 s, then the first flush strictly after 30 s + 1 h (flushes every 5 m from 30 s), then 1 h after that.
  assert.deepEqual(
    timeline(h, "default", t0).map(([t, r]) => [t, r]),
    [
      [30, "first notification"],
      [30 + 65 * 60, "repeat interval elapsed"],
    ],
  );
  await h.dispatcher.stop();
});

test("an alert older than group_wait is flushed at once", async () => {
  const h = await newHarness(BASE);
  const t0 = h.clock.now();
  push(h, { alertname: "Old" }, { startsAt: t0 - 10 * M });
  await h.clock.advance(1);
  assert.deepEqual(timeline(h, "default", t0), [[0, "first notification", ["Old:firing"]]]);
  await h.dispatcher.stop();
});

test("continue sends to both routes; send_resolved decides who hears the resolution; resolved alerts leave", async () => {
  const h = await newHarness(BASE);
  const t0 = h.clock.now();
  push(h, { alertname: "T", team: "a", i: "1" });
  push(h, { alertname: "T", team: "a", i: "2" });
  await h.clock.advance(30 * S);
  assert.equal(h.notifiers.get("team")!.sent.length, 1);
  assert.equal(h.notifiers.get("default")!.sent.length, 1);
  push(h, { alertname: "T", team: "a", i: "2" }, { startsAt: t0, endsAt: h.clock.now() + 1 * M });
  await h.clock.advance(5 * M);
  assert.deepEqual(timeline(h, "default", t0)[1], [330, "some alerts resolved", ["1:firing", "2:resolved"]]);
  assert.equal(h.notifiers.get("team")!.sent.length, 1, "team has no send_resolved");
  const g = h.dispatcher.groups().groups.find((x) => x.receiver === "default")!;
  assert.deepEqual(
    g.alerts.map((a) => a.labels.i),
    ["1"],
    "the resolved alert left the group after the flush",
  );
  push(h, { alertname: "T", team: "a", i: "1" }, { startsAt: t0, endsAt: h.clock.now() + 1 * M });
  await h.clock.advance(5 * M);
  assert.deepEqual(timeline(h, "default", t0)[2], [630, "all alerts resolved", ["1:resolved"]]);
  // A receiver without send_resolved still hears "all resolved" through dedup, but Retry sends nothing.
  assert.equal(h.notifiers.get("team")!.sent.length, 1);
  await h.clock.advance(30 * S);
  assert.equal(h.dispatcher.groups().groups.length, 0, "empty groups are removed by maintenance");
  const text = await h.registry.getSingleMetricAsString("alertmanager_dispatcher_aggregation_groups");
  assert.match(text, /alertmanager_dispatcher_aggregation_groups 0$/m);
  await h.dispatcher.stop();
});

test("group_by ... makes one group per label set; group keys as upstream", async () => {
  const h = await newHarness(BASE);
  push(h, { alertname: "X", split: "yes", i: "1" });
  push(h, { alertname: "X", split: "yes", i: "2" });
  await h.clock.advance(30 * S);
  const sent = h.notifiers.get("all")!.sent;
  assert.equal(sent.length, 2);
  assert.deepEqual(sent.map((s) => s.ctx.groupKey).sort(), [
    '{}/{split="yes"}:{alertname="X", i="1", split="yes"}',
    '{}/{split="yes"}:{alertname="X", i="2", split="yes"}',
  ]);
  await h.dispatcher.stop();
});

test("silenced and inhibited alerts are not notified", async () => {
  const h = await newHarness(BASE, {
    silencer: muterOf((l) => l.i === "s"),
    inhibitor: muterOf((l) => l.i === "h"),
  });
  const t0 = h.clock.now();
  push(h, { alertname: "M", i: "s" });
  push(h, { alertname: "M", i: "h" });
  push(h, { alertname: "N", i: "s" });
  push(h, { alertname: "M", i: "ok" });
  await h.clock.advance(30 * S);
  assert.deepEqual(timeline(h, "default", t0), [[30, "first notification", ["ok:firing"]]]);
  const metrics = await h.registry.getSingleMetricAsString("alertmanager_notifications_suppressed_total");
  assert.match(metrics, /reason="silence"} 2/);
  assert.match(metrics, /reason="inhibition"} 1/);
  await h.dispatcher.stop();
});

const INTERVALS = `
route:
  receiver: default
  group_wait: 10s
  group_interval: 1m
  routes:
    - receiver: office
      matchers: ['when="office"']
      active_time_intervals: [office]
    - receiver: quiet
      matchers: ['when="night"']
      mute_time_intervals: [night]
time_intervals:
  - name: office
    time_intervals: [{ times: [{ start_time: "09:00", end_time: "17:00" }] }]
  - name: night
    time_intervals: [{ times: [{ start_time: "00:00", end_time: "06:00" }] }]
receivers:
  - name: default
  - name: office
    webhook_configs: [{ url: "http://127.0.0.1:1/" }]
  - name: quiet
    webhook_configs: [{ url: "http://127.0.0.1:1/" }]
`;

test("active and mute time intervals mute whole groups and mark them", async () => {
  // 05:00 UTC: outside office hours, inside the night.
  const h = await newHarness(INTERVALS, { start: Date.UTC(2026, 0, 5, 5) });
  push(h, { alertname: "O", when: "office" });
  push(h, { alertname: "Q", when: "night" });
  await h.clock.advance(10 * S);
  assert.equal(h.notifiers.get("office")!.sent.length, 0);
  assert.equal(h.notifiers.get("quiet")!.sent.length, 0);
  const [office, quiet] = ["office", "quiet"].map(
    (r) => h.dispatcher.groups().groups.find((g) => g.receiver === r)!,
  );
  assert.deepEqual(h.marker.muted(office!.routeID, office!.groupKey), ["office"]);
  assert.deepEqual(h.marker.muted(quiet!.routeID, quiet!.groupKey), ["night"]);
  // 06:00: the night ends; the quiet route notifies at its next flush.
  await h.clock.advance(60 * M);
  assert.equal(h.notifiers.get("quiet")!.sent.length, 1);
  assert.equal(h.notifiers.get("office")!.sent.length, 0);
  assert.deepEqual(h.marker.muted(quiet!.routeID, quiet!.groupKey), []);
  // 09:00: office hours begin.
  await h.clock.advance(3 * 60 * M);
  assert.equal(h.notifiers.get("office")!.sent.length, 1);
  await h.dispatcher.stop();
});

test("groups(): sorted by labels then receiver, alerts by job/instance, receivers per alert", async () => {
  const h = await newHarness(BASE);
  push(h, { alertname: "B", team: "a", job: "j", instance: "2" });
  push(h, { alertname: "B", team: "a", job: "j", instance: "1" });
  push(h, { alertname: "A", team: "a" });
  const { groups, receivers } = h.dispatcher.groups();
  assert.deepEqual(
    groups.map((g) => [g.receiver, g.labels.alertname]),
    [
      ["default", "A"],
      ["team", "A"],
      ["default", "B"],
      ["team", "B"],
    ],
  );
  assert.deepEqual(
    groups[2]!.alerts.map((a) => a.labels.instance),
    ["1", "2"],
  );
  assert.deepEqual([...new Set([...receivers.values()].map((r) => r.join(",")))], ["default,team"]);
  await h.dispatcher.stop();
});

test("a failing integration is retried with backoff until it succeeds", async () => {
  const err = { retry: true, error: new Error("unexpected status code 500") };
  const h = await newHarness(BASE, { results: { default: [err, err] } });
  const t0 = h.clock.now();
  push(h, { alertname: "R" });
  await h.clock.advance(30 * S + 2 * S);
  const at = h.notifiers.get("default")!.sent.map((s) => s.at - t0);
  // Immediately, then 0.5 s and 0.75 s later (jitter off).
  assert.deepEqual(at, [30_000, 30_500.5, 31_251]);
  const m = await h.registry.getSingleMetricAsString("alertmanager_notification_requests_failed_total");
  assert.match(m, /integration="webhook"} 2/);
  await h.dispatcher.stop();
});
