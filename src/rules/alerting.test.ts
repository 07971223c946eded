/**
 * Alerting rules as timelines: scripted query results per evaluation time,
 * and the states, samples and notifications upstream's rules produce.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nopLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import type { RuleAlert as NotifiedAlert } from "../notifier/alert.ts";
import { parseExpr } from "../promql/parser/index.ts";
import { AlertingRule, type AlertingRuleOptions } from "./alerting.ts";
import { pairsFromMaps } from "./pairs.ts";
import type { EvalEnv, RuleSample } from "./rule.ts";

const M = 60_000;
const up = (instance: string, v = 1): RuleSample => ({
  labels: Labels.fromStrings("__name__", "up", "instance", instance),
  t: 0,
  v,
});

/** An env whose query answers `script(ts)`. */
function env(script: (ts: number) => RuleSample[]): EvalEnv & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    query: async (_e, ts) => {
      asked.push(ts);
      return script(ts);
    },
    externalURL: null,
    logger: nopLogger,
  };
}

function rule(o: Partial<AlertingRuleOptions> = {}): AlertingRule {
  return new AlertingRule({
    name: "Down",
    expr: parseExpr("up == 0"),
    holdDurationMs: 0,
    keepFiringForMs: 0,
    labels: [],
    annotations: [],
    externalLabels: {},
    externalURL: "",
    restored: true,
    ...o,
  });
}

function states(r: AlertingRule): string[] {
  return [...r.active.values()].map((a) => `${a.labels.get("instance")}:${a.state}`);
}

describe("AlertingRule", () => {
  it("goes pending, fires after `for`, resolves, and is forgotten after 15m", async () => {
    const r = rule({ holdDurationMs: 2 * M });
    const present = new Set([0, M, 2 * M]);
    const e = env((ts) => (present.has(ts) ? [up("a")] : []));
    const timeline: [number, string[]][] = [
      [0, ["a:pending"]],
      [M, ["a:pending"]],
      [2 * M, ["a:firing"]],
      [3 * M, ["a:inactive"]],
      [18 * M, ["a:inactive"]],
      [18 * M + 1, []],
    ];
    for (const [ts, want] of timeline) {
      await r.eval(ts, 0, e, 0);
      assert.deepEqual(states(r), want, `at ${ts}`);
    }
    assert.equal(r.activeAlerts().length, 0);
  });

  it("drops a pending alert as soon as it disappears", async () => {
    const r = rule({ holdDurationMs: 5 * M });
    const e = env((ts) => (ts === 0 ? [up("a")] : []));
    await r.eval(0, 0, e, 0);
    await r.eval(M, 0, e, 0);
    assert.deepEqual(states(r), []);
  });

  it("keeps firing for keep_firing_for after the condition clears", async () => {
    const r = rule({ keepFiringForMs: 3 * M });
    const e = env((ts) => (ts === 0 || ts === 5 * M ? [up("a")] : []));
    const timeline: [number, string, number | null][] = [
      [0, "firing", null],
      [M, "firing", M],
      [3 * M, "firing", M],
      [4 * M, "inactive", M],
    ];
    for (const [ts, state, since] of timeline) {
      await r.eval(ts, 0, e, 0);
      const a = [...r.active.values()][0]!;
      assert.equal(a.state, state, `at ${ts}`);
      assert.equal(a.keepFiringSince, since, `keepFiringSince at ${ts}`);
    }
  });

  it("writes ALERTS and ALERTS_FOR_STATE at the offset time, once restored", async () => {
    const r = rule({ holdDurationMs: M, labels: pairsFromMaps({ severity: "page" }), restored: false });
    const e = env(() => [up("a")]);
    assert.deepEqual(await r.eval(10 * M, 0, e, 0), []);
    r.restored = true;
    const out = await r.eval(11 * M, 30_000, e, 0);
    assert.deepEqual(e.asked, [10 * M, 11 * M - 30_000]);
    assert.deepEqual(
      out.map((s) => [s.labels.toString(), s.t, s.v]),
      [
        [
          '{__name__="ALERTS", alertname="Down", alertstate="firing", instance="a", severity="page"}',
          11 * M - 30_000,
          1,
        ],
        [
          '{__name__="ALERTS_FOR_STATE", alertname="Down", instance="a", severity="page"}',
          11 * M - 30_000,
          600,
        ],
      ],
    );
  });

  it("removes a label whose value is empty", async () => {
    const r = rule({ labels: pairsFromMaps({ instance: "" }) });
    await r.eval(
      0,
      0,
      env(() => [up("a")]),
      0,
    );
    assert.equal([...r.active.values()][0]!.labels.toString(), '{alertname="Down"}');
  });

  it("fails when alert labels make two results equal", async () => {
    const r = rule();
    const twins = [up("a"), { ...up("a"), labels: Labels.fromStrings("__name__", "other", "instance", "a") }];
    await assert.rejects(
      r.eval(
        0,
        0,
        env(() => twins),
        0,
      ),
      /^Error: vector contains metrics with the same labelset after applying alert labels$/,
    );
  });

  it("enforces the group limit and forgets its alerts", async () => {
    const r = rule();
    await assert.rejects(
      r.eval(
        0,
        0,
        env(() => [up("a"), up("b")]),
        1,
      ),
      /^Error: exceeded limit of 1 with 2 alerts$/,
    );
    assert.equal(r.active.size, 0);
    assert.equal(
      (
        await r.eval(
          M,
          0,
          env(() => [up("a")]),
          1,
        )
      ).length,
      2,
    );
  });

  it("reports the highest state", async () => {
    const r = rule({ holdDurationMs: M });
    assert.equal(r.state(), "inactive");
    await r.eval(
      0,
      0,
      env(() => [up("a")]),
      0,
    );
    assert.equal(r.state(), "pending");
  });

  it("sends firing and resolved alerts, resending after the delay", async () => {
    const r = rule();
    const sent: [number, NotifiedAlert[]][] = [];
    const e = env((ts) => (ts < 2 * M ? [up("a")] : []));
    const steps = [0, 15_000, 61_000, 2 * M, 2 * M + 15_000];
    for (const ts of steps) {
      await r.eval(ts, 0, e, 0);
      r.sendAlerts(ts, M, 15_000, (expr, alerts) => {
        assert.equal(expr, "up == 0");
        sent.push([ts, [...alerts]]);
      });
    }
    const counts = sent.map(([ts, a]) => [ts, a.length]);
    assert.deepEqual(counts, [
      [0, 1],
      [15_000, 0],
      [61_000, 1],
      [2 * M, 1],
      [2 * M + 15_000, 0],
    ]);
    const first = sent[0]![1][0]!;
    assert.equal(first.validUntil.getTime(), 4 * M);
    assert.equal(first.state, "firing");
    assert.equal(first.firedAt?.getTime(), 0);
    const resolved = sent[3]![1][0]!;
    assert.equal(resolved.state, "inactive");
    assert.equal(resolved.resolvedAt?.getTime(), 2 * M);
  });

  it("never sends pending alerts", async () => {
    const r = rule({ holdDurationMs: 5 * M });
    await r.eval(
      0,
      0,
      env(() => [up("a")]),
      0,
    );
    let n = -1;
    r.sendAlerts(0, M, M, (_e, alerts) => {
      n = alerts.length;
    });
    assert.equal(n, 0);
  });
});
