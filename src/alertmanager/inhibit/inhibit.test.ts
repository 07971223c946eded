import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InhibitRuleConfig } from "../config/types.ts";
import { MemMarker } from "../marker/marker.ts";
import { Matcher } from "../matcher/matcher.ts";
import { AlertStore } from "../provider/alerts.ts";
import { type Alert, fingerprint, fingerprintString, type LabelSet } from "../types/types.ts";
import { Inhibitor } from "./inhibit.ts";

const T = 1_000_000;
const alert = (labels: LabelSet, endsAt = T + 1000): Alert => ({
  labels,
  annotations: {},
  startsAt: T - 10,
  endsAt,
  generatorURL: "",
  updatedAt: T,
  timeout: false,
});

function rule(over: Partial<InhibitRuleConfig> = {}): InhibitRuleConfig {
  return {
    name: "",
    source_match: {},
    source_match_re: {},
    source_matchers: [Matcher.create("=", "severity", "critical")],
    target_match: {},
    target_match_re: {},
    target_matchers: [Matcher.create("=", "severity", "warning")],
    equal: ["alertname"],
    ...over,
  };
}

function setup(rules: InhibitRuleConfig[], alerts: Alert[]) {
  const marker = new MemMarker();
  const store = new AlertStore({ marker, gcInterval: 0, now: () => T });
  store.put(...alerts);
  const ih = new Inhibitor(store, rules, marker, { now: () => T });
  return { marker, store, ih };
}

describe("Inhibitor", () => {
  it("mutes a target with equal labels and marks the inhibiting alert", () => {
    const src = { alertname: "A", severity: "critical" };
    const { marker, store, ih } = setup([rule()], [alert(src)]);
    const target = { alertname: "A", severity: "warning" };
    assert.equal(ih.mutes(target), true);
    assert.deepEqual(marker.status(fingerprint(target)).inhibitedBy, [fingerprintString(fingerprint(src))]);
    assert.equal(ih.mutes({ alertname: "B", severity: "warning" }), false);
    assert.deepEqual(marker.status(fingerprint({ alertname: "B", severity: "warning" })).inhibitedBy, []);
    ih.stop();
    store.close();
  });

  it("ignores resolved sources and learns of new ones from the store", () => {
    const { store, ih } = setup([rule()], [alert({ alertname: "A", severity: "critical" }, T - 1)]);
    const target = { alertname: "A", severity: "warning" };
    assert.equal(ih.mutes(target), false);
    store.put(alert({ alertname: "A", severity: "critical", x: "1" }));
    assert.equal(ih.mutes(target), true);
    ih.stop();
    store.close();
  });

  it("treats missing equal labels as equal empty values", () => {
    const { ih, store } = setup(
      [rule({ equal: ["cluster"] })],
      [alert({ alertname: "S", severity: "critical" })],
    );
    assert.equal(ih.mutes({ alertname: "T", severity: "warning" }), true);
    assert.equal(ih.mutes({ alertname: "T", severity: "warning", cluster: "c" }), false);
    ih.stop();
    store.close();
  });

  it("an alert matching both sides does not inhibit itself nor other two-sided alerts", () => {
    const both = rule({
      source_matchers: [Matcher.create("=", "k", "v")],
      target_matchers: [Matcher.create("=", "k", "v")],
    });
    const self = { alertname: "A", k: "v" };
    const { ih, store } = setup([both], [alert(self)]);
    assert.equal(ih.mutes(self), false);
    assert.equal(ih.mutes({ alertname: "A", k: "v", other: "1" }), false);
    ih.stop();
    store.close();
  });

  it("supports source_match / target_match_re from old-style configs", () => {
    const r = rule({
      source_matchers: [],
      target_matchers: [],
      source_match: { severity: "critical" },
      target_match_re: { severity: "warn.*" },
    });
    const { ih, store } = setup([r], [alert({ alertname: "A", severity: "critical" })]);
    assert.equal(ih.mutes({ alertname: "A", severity: "warning" }), true);
    assert.equal(ih.mutes({ alertname: "A", severity: "xwarning" }), false);
    ih.stop();
    store.close();
  });
});
