import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { MemMarker } from "../marker/marker.ts";
import { type Alert, fingerprint } from "../types/types.ts";
import { completeAlert, mergeAlerts, validateAlert } from "./alert.ts";
import { AlertStore } from "./alerts.ts";

const T = 1_000_000;
function alert(over: Partial<Alert> = {}): Alert {
  return {
    labels: { alertname: "A" },
    annotations: {},
    startsAt: T,
    endsAt: T + 100,
    generatorURL: "",
    updatedAt: T,
    timeout: false,
    ...over,
  };
}

describe("validateAlert", () => {
  const cases: [string, Partial<Alert>, string | undefined][] = [
    ["valid", {}, undefined],
    ["no start", { startsAt: 0 }, "start time missing"],
    ["end before start", { endsAt: T - 1 }, "start time must be before end time"],
    ["no labels", { labels: {} }, "at least one label pair required"],
    ["empty label name", { labels: { "": "x" } }, 'invalid label set: invalid name ""'],
    [
      "bad annotation value",
      { annotations: { a: "\ud800" } },
      'invalid annotations: invalid value "\\ud800"',
    ],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => assert.equal(validateAlert(alert(over)), want));
  }
});

describe("completeAlert", () => {
  it("fills start, end from resolve_timeout, drops empty labels", () => {
    const a = completeAlert(
      { labels: { a: "b", c: "" }, annotations: {}, startsAt: 0, endsAt: 0, generatorURL: "" },
      T,
      300_000,
    );
    assert.deepEqual(a, {
      labels: { a: "b" },
      annotations: {},
      startsAt: T,
      endsAt: T + 300_000,
      generatorURL: "",
      updatedAt: T,
      timeout: true,
    });
  });
  it("a resolved alert without start starts at its end", () => {
    const a = completeAlert(
      { labels: { a: "b" }, annotations: {}, startsAt: 0, endsAt: T - 5, generatorURL: "" },
      T,
      1,
    );
    assert.equal(a.startsAt, T - 5);
    assert.equal(a.timeout, false);
  });
});

describe("mergeAlerts", () => {
  it("keeps the earliest start, takes the newer alert's fields", () => {
    const old = alert({ startsAt: T - 50, endsAt: T + 100, annotations: { v: "1" } });
    const nu = alert({ startsAt: T, endsAt: T + 200, updatedAt: T + 1, annotations: { v: "2" } });
    const m = mergeAlerts(old, nu, T);
    assert.equal(m.startsAt, T - 50);
    assert.equal(m.endsAt, T + 200);
    assert.deepEqual(m.annotations, { v: "2" });
  });
  it("a later explicit end of the older alert wins over a timeout end", () => {
    const old = alert({ endsAt: T + 500 });
    const nu = alert({ endsAt: T + 200, updatedAt: T + 1, timeout: true });
    assert.equal(mergeAlerts(old, nu, T).endsAt, T + 500);
    assert.equal(mergeAlerts(alert({ endsAt: T + 500, timeout: true }), nu, T).endsAt, T + 200);
  });
  it("order of arguments does not matter (the younger wins)", () => {
    const a = alert({ annotations: { v: "old" } });
    const b = alert({ updatedAt: T + 5, annotations: { v: "new" } });
    assert.deepEqual(mergeAlerts(b, a, T).annotations, { v: "new" });
  });
});

describe("AlertStore", () => {
  it("merges overlapping updates and replaces non-overlapping ones", () => {
    const marker = new MemMarker();
    let now = T;
    const s = new AlertStore({ marker, gcInterval: 0, now: () => now });
    s.put(alert({ startsAt: T - 50, endsAt: T + 100 }));
    s.put(alert({ startsAt: T, endsAt: T + 300, updatedAt: T + 1 }));
    const fp = fingerprint({ alertname: "A" });
    assert.equal(s.get(fp)!.startsAt, T - 50);
    now = T + 1000;
    s.put(alert({ startsAt: T + 900, endsAt: T + 2000, updatedAt: now }));
    assert.equal(s.get(fp)!.startsAt, T + 900, "no overlap: a new activity range");
    s.close();
  });

  it("subscribers get current alerts first, then updates, until unsubscribed", () => {
    const s = new AlertStore({ marker: new MemMarker(), gcInterval: 0, now: () => T });
    s.put(alert({ labels: { alertname: "X" } }));
    const seen: string[] = [];
    const unsub = s.subscribe((a) => seen.push(a.labels.alertname!));
    s.put(alert({ labels: { alertname: "Y" } }));
    unsub();
    s.put(alert({ labels: { alertname: "Z" } }));
    assert.deepEqual(seen, ["X", "Y"]);
    s.close();
  });

  it("gc removes resolved alerts and their marker entries; metrics count by state", async () => {
    const marker = new MemMarker();
    const reg = new Registry();
    let now = T;
    const deleted: string[] = [];
    const s = new AlertStore({
      marker,
      gcInterval: 0,
      now: () => now,
      registry: reg,
      onDelete: (a) => deleted.push(a.labels.alertname!),
    });
    s.put(
      alert({ labels: { alertname: "Old" }, endsAt: T + 10 }),
      alert({ labels: { alertname: "New" }, endsAt: T + 1000 }),
    );
    marker.setActiveOrSilenced(fingerprint({ alertname: "Old" }), ["s1"]);
    marker.setActiveOrSilenced(fingerprint({ alertname: "New" }), []);
    const text = await reg.metrics();
    assert.match(text, /alertmanager_alerts\{state="active"\} 1/);
    assert.match(text, /alertmanager_alerts\{state="suppressed"\} 1/);
    now = T + 20;
    assert.deepEqual(
      s.gc().map((a) => a.labels.alertname),
      ["Old"],
    );
    assert.deepEqual(deleted, ["Old"]);
    assert.equal(marker.status(fingerprint({ alertname: "Old" })).state, "unprocessed");
    assert.equal(s.list().length, 1);
    s.close();
  });
});
