import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import type { Alert, RuleAlert } from "./alert.ts";
import { sendAlerts, tableLinkForExpression } from "./send_alerts.ts";

describe("tableLinkForExpression", () => {
  // Expected values are generatorURL paths Prometheus 3.5.3 sent (fixtures and testdata).
  const table: Array<[string, string]> = [
    ["up == 1", "/graph?g0.expr=up+%3D%3D+1&g0.tab=1"],
    [
      'time() - push_time_seconds{job="batch_import"} < 3600',
      "/graph?g0.expr=time%28%29+-+push_time_seconds%7Bjob%3D%22batch_import%22%7D+%3C+3600&g0.tab=1",
    ],
    [
      "vector(1) > 0 and on () vector(2) < 5",
      "/graph?g0.expr=vector%281%29+%3E+0+and+on+%28%29+vector%282%29+%3C+5&g0.tab=1",
    ],
    ["a_b.c~d", "/graph?g0.expr=a_b.c~d&g0.tab=1"],
  ];
  for (const [expr, want] of table) it(expr, () => assert.equal(tableLinkForExpression(expr), want));
});

describe("sendAlerts", () => {
  const base: RuleAlert = {
    labels: Labels.fromStrings("alertname", "A"),
    annotations: Labels.fromStrings("summary", "s"),
    state: "firing",
    activeAt: new Date(1_000),
    firedAt: new Date(2_000),
    resolvedAt: null,
    validUntil: new Date(9_000),
  };

  function capture(): { sent: Alert[][]; send(...alerts: Alert[]): void } {
    const sent: Alert[][] = [];
    return { sent, send: (...alerts) => void sent.push(alerts) };
  }

  it("maps firing and resolved alerts as upstream", () => {
    const sender = capture();
    const notify = sendAlerts(sender, "http://vm:9090");
    notify("up == 1", [base, { ...base, state: "inactive", resolvedAt: new Date(5_000) }]);
    assert.equal(sender.sent.length, 1);
    const [firing, resolved] = sender.sent[0];
    assert.equal(firing.startsAt?.getTime(), 2_000);
    assert.equal(firing.endsAt?.getTime(), 9_000);
    assert.equal(resolved.endsAt?.getTime(), 5_000);
    assert.equal(firing.generatorURL, "http://vm:9090/graph?g0.expr=up+%3D%3D+1&g0.tab=1");
    assert.equal(firing.labels, base.labels);
    assert.equal(firing.annotations, base.annotations);
  });

  it("a firing alert never fired keeps a null start", () => {
    const sender = capture();
    sendAlerts(sender, "")("x", [{ ...base, firedAt: null }]);
    assert.equal(sender.sent[0][0].startsAt, null);
    assert.equal(sender.sent[0][0].generatorURL, "/graph?g0.expr=x&g0.tab=1");
  });

  it("sends nothing for an empty list", () => {
    const sender = capture();
    sendAlerts(sender, "http://h")("up", []);
    assert.equal(sender.sent.length, 0);
  });
});
