import assert from "node:assert/strict";
import { test } from "node:test";
import { nopLogger } from "../../log/log.ts";
import { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { type NflogEntry, NotificationLog } from "../nflog/nflog.ts";
import { FakeClock } from "./clock.ts";
import { DedupStage, type NotifyReason, needsUpdate, SetNotifiesStage } from "./dedup.ts";
import { hashAlert, hashLabels, xxhash64 } from "./hash.ts";
import { MemoryNflog, testAlert, testContext } from "./testing.ts";

const NOW = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;
const recv = { groupName: "r", integration: "webhook", idx: 0 };

function entry(firing: number[], resolved: number[], ageMs: number): NflogEntry {
  return {
    groupKey: "g",
    receiver: recv,
    timestamp: NOW - ageMs,
    firingAlerts: firing.map(BigInt),
    resolvedAlerts: resolved.map(BigInt),
  };
}

// The cases of upstream's TestDedupStageNeedsUpdate, with the reason each gets.
const cases: {
  name: string;
  entry?: NflogEntry;
  firing: number[];
  resolved: number[];
  repeat?: number;
  sendResolved?: boolean;
  want: NotifyReason;
}[] = [
  { name: "no entry, nothing firing", firing: [], resolved: [], want: "none" },
  { name: "no entry, only resolved", firing: [], resolved: [1], want: "none" },
  { name: "no entry, firing", firing: [2, 3, 4], resolved: [], want: "first notification" },
  {
    name: "new firing alert",
    entry: entry([1, 2, 3], [], 0),
    firing: [2, 3, 4],
    resolved: [],
    want: "new alerts added",
  },
  {
    name: "firing after a resolution",
    entry: entry([], [1], 0),
    firing: [1],
    resolved: [],
    want: "first notification",
  },
  {
    name: "same firing, repeat not elapsed",
    entry: entry([1, 2, 3], [], 9 * MIN),
    firing: [1, 2, 3],
    resolved: [],
    repeat: 10 * MIN,
    want: "none",
  },
  {
    name: "same firing, repeat elapsed",
    entry: entry([1, 2, 3], [], 11 * MIN),
    firing: [1, 2, 3],
    resolved: [],
    repeat: 10 * MIN,
    want: "repeat interval elapsed",
  },
  {
    name: "fewer firing, no send_resolved",
    entry: entry([1, 2, 3], [], 0),
    firing: [1, 2],
    resolved: [3],
    want: "none",
  },
  {
    name: "fewer firing, send_resolved",
    entry: entry([1, 2, 3], [], 0),
    firing: [1, 2],
    resolved: [3],
    sendResolved: true,
    want: "some alerts resolved",
  },
  {
    name: "resolved known, send_resolved",
    entry: entry([1, 2], [3], 0),
    firing: [1, 2],
    resolved: [3],
    sendResolved: true,
    want: "none",
  },
  {
    name: "all resolved",
    entry: entry([1, 2, 3], [], 0),
    firing: [],
    resolved: [1, 2, 3],
    want: "all alerts resolved",
  },
  {
    name: "all resolved, send_resolved",
    entry: entry([1, 2, 3], [], 0),
    firing: [],
    resolved: [1, 2, 3],
    sendResolved: true,
    want: "all alerts resolved",
  },
  {
    name: "resolved again, nothing notified firing",
    entry: entry([], [1, 2, 3], 0),
    firing: [],
    resolved: [1, 2, 3],
    sendResolved: true,
    want: "none",
  },
  {
    name: "fired and resolved within an interval",
    entry: entry([], [], 0),
    firing: [],
    resolved: [4],
    want: "none",
  },
];

for (const c of cases) {
  test(`needsUpdate: ${c.name}`, () => {
    const got = needsUpdate(
      c.entry,
      new Set(c.firing.map(BigInt)),
      new Set(c.resolved.map(BigInt)),
      c.repeat ?? 60 * MIN,
      c.sendResolved ?? false,
      NOW,
    );
    assert.equal(got, c.want);
  });
}

test("xxhash64 known vectors", () => {
  const e = new TextEncoder();
  assert.equal(xxhash64(e.encode("")).toString(16), "ef46db3751d8e999");
  assert.equal(xxhash64(e.encode("abc")).toString(16), "44bc2cf5ad770999");
  assert.equal(
    xxhash64(e.encode("Nobody inspects the spammish repetition")).toString(16),
    "fbcea83c8a378bf1",
  );
});

test("hashAlert is order-free and separates names from values", () => {
  assert.equal(hashLabels({ a: "1", b: "2" }), hashLabels({ b: "2", a: "1" }));
  assert.notEqual(hashLabels({ a: "1b" }), hashLabels({ a1: "b" }));
  // "a" 0xff "1" 0xff
  assert.equal(hashLabels({ a: "1" }), xxhash64(Uint8Array.of(0x61, 0xff, 0x31, 0xff)));
});

test("DedupStage and SetNotifiesStage: first, quiet, repeat, resolved", async () => {
  const clock = new FakeClock(NOW);
  const tmpl = await AlertmanagerTemplates.fromGlobs([]);
  const nflog = new MemoryNflog(clock);
  const dedup = new DedupStage(nflog, recv, true);
  const set = new SetNotifiesStage(nflog, recv);
  const a = testAlert({ alertname: "A", i: "1" }, { startsAt: NOW - MIN });
  const run = async (alerts = [a]) => {
    const ctx = testContext(tmpl, { groupKey: "g", now: clock.now(), repeatInterval: 10 * MIN });
    const r = await dedup.exec(ctx, nopLogger, alerts);
    if (r.alerts.length > 0) await set.exec(r.ctx, nopLogger, r.alerts);
    return r;
  };
  const first = await run();
  assert.equal(first.ctx.notificationReason, "first notification");
  assert.deepEqual(first.ctx.firingAlerts, [hashAlert(a)]);
  await clock.advance(5 * MIN);
  assert.equal((await run()).alerts.length, 0);
  await clock.advance(6 * MIN);
  assert.equal((await run()).ctx.notificationReason, "repeat interval elapsed");
  const gone = { ...a, endsAt: clock.now() - 1 };
  const last = await run([gone]);
  assert.equal(last.ctx.notificationReason, "all alerts resolved");
  assert.deepEqual(last.ctx.resolvedAlerts, [hashAlert(a)]);
  assert.deepEqual(nflog.query("g", recv)[0]?.firingAlerts, []);
});

test("DedupStage reads the real notification log (not-found is no entry)", async () => {
  const tmpl = await AlertmanagerTemplates.fromGlobs([]);
  const nflog = new NotificationLog({ now: () => NOW });
  const dedup = new DedupStage(nflog, recv, false);
  const set = new SetNotifiesStage(nflog, recv);
  const a = testAlert({ alertname: "A" }, { startsAt: NOW - MIN });
  const ctx = testContext(tmpl, { groupKey: "g", now: NOW, repeatInterval: 10 * MIN });
  const first = await dedup.exec(ctx, nopLogger, [a]);
  assert.equal(first.ctx.notificationReason, "first notification");
  await set.exec(first.ctx, nopLogger, first.alerts);
  assert.equal((await dedup.exec(ctx, nopLogger, [a])).alerts.length, 0);
});
