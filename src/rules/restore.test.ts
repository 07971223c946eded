import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nopLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { STALE_NAN } from "../model/value/value.ts";
import { parseExpr } from "../promql/parser/index.ts";
import { AlertingRule } from "./alerting.ts";
import { pairsFromMaps } from "./pairs.ts";
import { restoredActiveAt, restoreForState } from "./restore.ts";
import type { EvalEnv, RuleSample } from "./rule.ts";
import { memStorage } from "./testing.ts";

const M = 60_000;
const H = 60 * M;
const opts = { outageToleranceMs: H, forGracePeriodMs: 10 * M };

describe("restoredActiveAt", () => {
  const cases: [string, number, number, number, number, number][] = [
    // name, activeAt, downAt, now, for, want
    ["was firing: unchanged", 0, 20 * M, 30 * M, 10 * M, 0],
    ["would fire within the grace period: fires when it ends", 0, 25 * M, 40 * M, 30 * M, 20 * M],
    ["otherwise the downtime is not counted", 0, 5 * M, 15 * M, 30 * M, 10 * M],
  ];
  for (const [name, activeAt, downAt, now, hold, want] of cases) {
    it(name, () => assert.equal(restoredActiveAt(activeAt, downAt, now, hold, 10 * M), want));
  }
});

function rule(holdMs: number): AlertingRule {
  return new AlertingRule({
    name: "Down",
    expr: parseExpr("up == 0"),
    holdDurationMs: holdMs,
    keepFiringForMs: 0,
    labels: pairsFromMaps({ severity: "page" }),
    annotations: [],
    externalLabels: {},
    externalURL: "",
    restored: false,
  });
}

const env: EvalEnv = {
  query: async (): Promise<RuleSample[]> => [{ labels: Labels.fromStrings("instance", "a"), t: 0, v: 0 }],
  externalURL: null,
  logger: nopLogger,
};
const FOR_STATE = Labels.fromStrings(
  "__name__",
  "ALERTS_FOR_STATE",
  "alertname",
  "Down",
  "instance",
  "a",
  "severity",
  "page",
);

describe("restoreForState", () => {
  it("restores activeAt from the last ALERTS_FOR_STATE sample", async () => {
    const st = memStorage();
    // Active since 100s, last written at 10m; Vigil is back at 15m.
    st.add(FOR_STATE, 9 * M, 100);
    st.add(FOR_STATE, 10 * M, 100);
    const r = rule(30 * M);
    await r.eval(15 * M, 0, env, 0);
    restoreForState([r], st.queryable, 15 * M, opts, nopLogger);
    assert.equal([...r.active.values()][0]!.activeAt, 100_000 + 5 * M);
    assert.equal(r.restored, true);
  });

  it("ignores a series that ended with a staleness marker", async () => {
    const st = memStorage();
    st.add(FOR_STATE, 9 * M, 100);
    st.add(FOR_STATE, 10 * M, STALE_NAN);
    const r = rule(30 * M);
    await r.eval(15 * M, 0, env, 0);
    restoreForState([r], st.queryable, 15 * M, opts, nopLogger);
    assert.equal([...r.active.values()][0]!.activeAt, 15 * M);
  });

  it("ignores samples older than the outage tolerance", async () => {
    const st = memStorage();
    st.add(FOR_STATE, 10 * M, 100);
    const r = rule(30 * M);
    await r.eval(2 * H, 0, env, 0);
    restoreForState([r], st.queryable, 2 * H, opts, nopLogger);
    assert.equal([...r.active.values()][0]!.activeAt, 2 * H);
  });

  it("skips rules whose `for` is shorter than the grace period, marking them restored", async () => {
    const st = memStorage();
    st.add(FOR_STATE, 10 * M, 100);
    const r = rule(5 * M);
    await r.eval(15 * M, 0, env, 0);
    restoreForState([r], st.queryable, 15 * M, opts, nopLogger);
    assert.equal([...r.active.values()][0]!.activeAt, 15 * M);
    assert.equal(r.restored, true);
  });
});
