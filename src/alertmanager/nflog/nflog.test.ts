import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { NflogNotFoundError, NotificationLog, nflogStateKey } from "./nflog.ts";

const T = 1_700_000_000_000;
const R = { groupName: "team", integration: "webhook", idx: 0 };
const GK = '{}:{alertname="A"}';

describe("NotificationLog", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-nflog-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("logs and queries by group key and receiver", () => {
    const l = new NotificationLog({ now: () => T });
    assert.throws(() => l.query(GK, R), NflogNotFoundError);
    l.log(R, GK, [1n, 0xffffffffffffffffn], [2n]);
    const e = l.query(GK, R);
    assert.deepEqual(e, [
      {
        groupKey: GK,
        receiver: R,
        timestamp: T,
        firingAlerts: [1n, 0xffffffffffffffffn],
        resolvedAlerts: [2n],
      },
    ]);
    assert.throws(() => l.query(GK, { ...R, idx: 1 }), NflogNotFoundError);
    assert.equal(nflogStateKey(GK, R), `${GK}:team/webhook/0`);
  });

  it("expires entries after the retention or a shorter expiry", () => {
    let now = T;
    const l = new NotificationLog({ now: () => now, retention: 1000 });
    l.log(R, GK, [1n], []);
    l.log(R, "other", [1n], [], 100);
    now = T + 100;
    assert.equal(l.gc(), 1);
    now = T + 1000;
    assert.equal(l.gc(), 1);
    assert.throws(() => l.query(GK, R), NflogNotFoundError);
  });

  it("survives a restart through its snapshot", async () => {
    const reg = new Registry();
    const l = new NotificationLog({ now: () => T, registry: reg });
    l.log(R, GK, [0xfedcba9876543210n], [3n]);
    const file = join(dir, "nflog");
    assert.ok((await l.maintenance(file)) > 0);
    const m = new NotificationLog({ now: () => T + 1 });
    await m.loadSnapshot(file);
    assert.deepEqual(m.query(GK, R), l.query(GK, R));
    const text = await reg.metrics();
    assert.match(text, /alertmanager_nflog_queries_total 1/);
    assert.match(text, /alertmanager_nflog_maintenance_total 1/);
  });
});
