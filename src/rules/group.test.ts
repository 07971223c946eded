import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nopLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { parseExpr } from "../promql/parser/index.ts";
import { AlertingRule } from "./alerting.ts";
import { Group, type GroupEnv, type GroupOptions } from "./group.ts";
import { RuleMetrics } from "./metrics.ts";
import { RecordingRule } from "./recording.ts";
import { engineQueryFunc, type Rule } from "./rule.ts";
import { type MemStorage, memStorage } from "./testing.ts";

const M = 60_000;
const L = (...flat: string[]): Labels => Labels.fromStrings(...flat);

function groupEnv(st: MemStorage, o: Partial<GroupEnv> = {}): GroupEnv {
  return {
    query: engineQueryFunc(st.engine, st.queryable),
    externalURL: null,
    logger: nopLogger,
    appendable: st.appendable,
    queryable: st.queryable,
    notify: () => {},
    resendDelayMs: M,
    defaultQueryOffsetMs: () => 0,
    metrics: new RuleMetrics(),
    now: Date.now,
    ...o,
  };
}

function group(env: GroupEnv, rules: Rule[], o: Partial<GroupOptions> = {}): Group {
  return new Group(
    {
      name: "g",
      file: "f.yml",
      intervalMs: M,
      limit: 0,
      queryOffsetMs: undefined,
      rules,
      shouldRestore: false,
      ...o,
    },
    env,
    nopLogger,
  );
}

const record = (name: string, expr: string): RecordingRule => new RecordingRule(name, parseExpr(expr), []);

function alert(name: string, expr: string): AlertingRule {
  return new AlertingRule({
    name,
    expr: parseExpr(expr),
    holdDurationMs: 0,
    keepFiringForMs: 0,
    labels: [],
    annotations: [],
    externalLabels: {},
    externalURL: "",
    restored: true,
  });
}

async function counter(c: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await c.get()).values.reduce((s, v) => s + v.value, 0);
}

describe("Group.eval", () => {
  it("appends results and marks vanished series stale at ts minus the offset", async () => {
    const st = memStorage();
    st.add(L("__name__", "m", "i", "a"), 0, 1);
    st.add(L("__name__", "m", "i", "b"), 0, 2);
    st.add(L("__name__", "m", "i", "a"), 6 * M, 1);
    const g = group(groupEnv(st, { defaultQueryOffsetMs: () => 10_000 }), [record("r", "m")]);
    await g.eval(M + 10_000);
    await g.eval(7 * M + 10_000);
    assert.deepEqual(st.samples(L("__name__", "r", "i", "a")), [
      [M, 1],
      [7 * M, 1],
    ]);
    const b = st.samples(L("__name__", "r", "i", "b"));
    assert.equal(b.length, 2);
    assert.equal(b[1]![0], 7 * M);
    assert.equal(b[1]![1], "stale");
  });

  it("uses the group's own query offset over the default", async () => {
    const st = memStorage();
    st.add(L("__name__", "m"), 0, 1);
    const g = group(groupEnv(st, { defaultQueryOffsetMs: () => 10_000 }), [record("r", "m")], {
      queryOffsetMs: 0,
    });
    await g.eval(M);
    assert.deepEqual(st.samples(L("__name__", "r")), [[M, 1]]);
  });

  it("records failures in the rule's health and the metrics", async () => {
    const st = memStorage();
    const env = groupEnv(st);
    st.add(L("__name__", "a", "x", "1"), 0, 1);
    st.add(L("__name__", "b", "x", "1"), 0, 1);
    const bad = record("r", '{__name__=~"a|b"}');
    const good = record("ok", "a");
    const g = group(env, [bad, good]);
    await g.eval(M);
    assert.equal(bad.health, "err");
    assert.match(bad.lastError, /same labelset after applying rule labels/);
    assert.equal(good.health, "ok");
    assert.equal(await counter(env.metrics.evalTotal), 2);
    assert.equal(await counter(env.metrics.evalFailures), 1);
    assert.ok(bad.evaluationTimestamp !== null);
  });

  it("hands the alerts of each alerting rule to notify", async () => {
    const st = memStorage();
    st.add(L("__name__", "up", "i", "a"), 0, 0);
    const calls: [string, number][] = [];
    const g = group(groupEnv(st, { notify: (expr, alerts) => calls.push([expr, alerts.length]) }), [
      alert("Down", "up == 0"),
      record("r", "up"),
    ]);
    await g.eval(M);
    assert.deepEqual(calls, [["up == 0", 1]]);
    assert.equal(
      st.samples(L("__name__", "ALERTS", "alertname", "Down", "alertstate", "firing", "i", "a")).length,
      1,
    );
  });
});

describe("Group.copyState", () => {
  it("carries alerts and series over by name and labels; leftovers go stale", async () => {
    const st = memStorage();
    const env = groupEnv(st);
    st.add(L("__name__", "up", "i", "a"), 0, 0);
    const oldAlert = alert("Down", "up == 0");
    const old = group(env, [record("gone", "up"), oldAlert, record("kept", "up")]);
    await old.eval(M);
    const newAlert = alert("Down", "up == 0");
    const next = group(env, [record("kept", "up"), newAlert]);
    next.copyState(old);
    assert.deepEqual([...newAlert.active.keys()], [...oldAlert.active.keys()]);
    assert.deepEqual([...next.seriesInPreviousEval[0]!.keys()], ['{__name__="kept", i="a"}']);
    assert.deepEqual(
      next.staleSeries.map((s) => s.toString()),
      ['{__name__="gone", i="a"}'],
    );
    next.cleanupStaleSeries(2 * M);
    assert.equal(next.staleSeries.length, 0);
    const gone = st.samples(L("__name__", "gone", "i", "a"));
    assert.deepEqual(gone[gone.length - 1], [2 * M, "stale"]);
  });

  it("compares groups by settings and rule definitions", () => {
    const env = groupEnv(memStorage());
    const a = group(env, [record("r", "up")]);
    assert.ok(a.equals(group(env, [record("r", "up")])));
    assert.ok(!a.equals(group(env, [record("r", "up + 1")])));
    assert.ok(!a.equals(group(env, [record("r", "up")], { intervalMs: 2 * M })));
    assert.ok(!a.equals(group(env, [record("r", "up")], { queryOffsetMs: 0 })));
    assert.ok(!a.equals(group(env, [record("r", "up")], { limit: 3 })));
  });
});
