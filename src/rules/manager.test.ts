/**
 * The manager end to end over an in-memory head: loading, the API views,
 * reloads (kept, replaced and removed groups, a broken file), the
 * evaluation loop with short intervals, and the metrics it exports.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { Labels } from "../model/labels/labels.ts";
import type { RuleAlert } from "../notifier/alert.ts";
import { Manager, type ManagerOptions } from "./manager.ts";
import { memStorage } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "vigil-rules-manager-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const RULES = `groups:
  - name: rec
    interval: 2m
    limit: 5
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
  - name: alerts
    rules:
      - alert: Down
        expr: up == 0
        for: 5m
        keep_firing_for: 1m
        labels: {severity: page}
        annotations: {summary: down}
`;

function manager(o: Partial<ManagerOptions> = {}) {
  const st = memStorage();
  const m = new Manager({
    engine: st.engine,
    queryable: st.queryable,
    appendable: st.appendable,
    notify: () => {},
    ...o,
  });
  return { m, st };
}

/** Waits until `cond()` holds, at most `ms`. */
async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("Manager", () => {
  it("loads groups and shows them as the API does, sorted by file and name", async () => {
    const { m } = manager();
    const f = file("a.yml", RULES);
    await m.update(60_000, [f], {}, "");
    const groups = m.ruleGroups();
    assert.deepEqual(
      groups.map((g) => [g.name, g.file, g.interval, g.limit]),
      [
        ["alerts", f, 60, 0],
        ["rec", f, 120, 5],
      ],
    );
    const down = groups[0]!.rules[0]!;
    assert.equal(down.type, "alerting");
    if (down.type !== "alerting") return;
    assert.equal(down.query, "up == 0");
    assert.equal(down.duration, 300);
    assert.equal(down.keepFiringFor, 60);
    assert.equal(down.labels.toString(), '{severity="page"}');
    assert.equal(down.health, "unknown");
    assert.equal(down.state, "inactive");
    assert.equal(down.lastEvaluation, null);
  });

  it("keeps the old rule set when a file is invalid", async () => {
    const { m } = manager();
    await m.update(60_000, [file("ok.yml", RULES)], {}, "");
    await assert.rejects(
      m.update(60_000, [file("bad.yml", "groups: [{name: x, rules: [{record: 'a{', expr: '1'}]}]")], {}, ""),
      /^Error: error loading rules, previous rule set restored$/,
    );
    assert.equal(m.ruleGroups().length, 2);
  });

  it("reloads: unchanged groups keep running, changed ones take over the state, removed ones stop", async () => {
    const { m, st } = manager();
    const f = file("reload.yml", RULES);
    await m.update(60_000, [f], {}, "");
    const [alerts, rec] = m.groups();
    st.add(Labels.fromStrings("__name__", "up", "job", "j", "instance", "i"), Date.now() - 1000, 0);
    await alerts!.eval(Date.now());
    assert.equal(m.alerts().length, 1);
    file("reload.yml", RULES.replace("for: 5m", "for: 6m").replace("limit: 5", "limit: 6"));
    await m.update(60_000, [f], {}, "");
    const [alerts2, rec2] = m.groups();
    assert.notEqual(alerts2, alerts);
    assert.notEqual(rec2, rec);
    assert.equal(m.alerts().length, 1, "the pending alert survived the reload");
    await m.update(60_000, [f], {}, "");
    assert.equal(m.groups()[0], alerts2, "an unchanged group is kept as is");
    await m.update(60_000, [], {}, "");
    assert.equal(m.groups().length, 0);
    assert.equal(alerts2!.stopped, true);
  });

  it("evaluates on schedule, notifies, restores, and stops", async () => {
    const notified: RuleAlert[] = [];
    const registry = new Registry();
    const { m, st } = manager({
      notify: (_e, alerts) => notified.push(...alerts),
      registry,
      resendDelayMs: 0,
    });
    st.add(Labels.fromStrings("__name__", "up", "job", "j"), Date.now(), 0);
    const f = file(
      "fast.yml",
      "groups:\n  - name: fast\n    interval: 50ms\n    rules:\n      - alert: Down\n        expr: up == 0\n      - record: r\n        expr: up\n",
    );
    await m.update(60_000, [f], {}, "");
    m.run();
    const g = m.groups()[0]!;
    await until(() => g.lastEvaluation !== null && notified.length >= 2 && !g.shouldRestore);
    assert.equal(notified[0]!.state, "firing");
    assert.equal(notified[0]!.labels.get("alertname"), "Down");
    assert.equal(m.alerts()[0]!.state, "firing");
    assert.ok((g.lastEvalTimestamp ?? 0) > 0);
    const text = await registry.metrics();
    for (const name of [
      "prometheus_rule_evaluations_total",
      "prometheus_rule_evaluation_failures_total",
      "prometheus_rule_group_duration_seconds",
      "prometheus_rule_group_last_duration_seconds",
      "prometheus_rule_group_rules",
      "prometheus_rule_group_iterations_total",
      "prometheus_rule_group_iterations_missed_total",
      "prometheus_rule_group_interval_seconds",
      "prometheus_rule_group_last_evaluation_timestamp_seconds",
      "prometheus_rule_group_last_restore_duration_seconds",
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), name);
    }
    assert.match(text, new RegExp(`^prometheus_rule_group_rules\\{rule_group="${f};fast"\\} 2$`, "m"));
    assert.match(
      text,
      new RegExp(`^prometheus_rule_group_interval_seconds\\{rule_group="${f};fast"\\} 0.05$`, "m"),
    );
    await m.stop();
    const n = notified.length;
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(notified.length, n, "nothing evaluates after stop");
  });

  it("counts the slots missed by a slow iteration and skips them", async () => {
    const registry = new Registry();
    const slots: number[] = [];
    const { m } = manager({
      registry,
      queryFunc: async (_e, ts) => {
        slots.push(ts);
        await new Promise((r) => setTimeout(r, 130));
        return [];
      },
    });
    const f = file(
      "slow.yml",
      "groups:\n  - name: slow\n    interval: 50ms\n    rules:\n      - record: r\n        expr: up\n",
    );
    await m.update(60_000, [f], {}, "");
    m.run();
    await until(() => slots.length >= 3, 5_000);
    await m.stop();
    const missed = await m.env.metrics.iterationsMissed.get();
    assert.ok(missed.values[0]!.value >= 2, `missed ${missed.values[0]!.value}`);
    for (let i = 1; i < slots.length; i++) {
      const step = slots[i]! - slots[i - 1]!;
      assert.ok(step > 50 && step % 50 === 0, `slots ${slots.join(", ")}`);
    }
  });

  it("marks a removed group's series stale after two intervals", async () => {
    const { m, st } = manager();
    const up = Labels.fromStrings("__name__", "up", "job", "j");
    st.add(up, Date.now(), 1);
    const f = file(
      "stale.yml",
      "groups:\n  - name: s\n    interval: 40ms\n    rules:\n      - record: r\n        expr: up\n",
    );
    await m.update(60_000, [f], {}, "");
    m.run();
    const r = Labels.fromStrings("__name__", "r", "job", "j");
    await until(() => st.samples(r).length > 0);
    await m.update(60_000, [], {}, "");
    await until(() => st.samples(r).at(-1)?.[1] === "stale", 2_000);
    await m.stop();
  });
});
