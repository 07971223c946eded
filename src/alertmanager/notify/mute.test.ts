import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "prom-client";
import { nopLogger } from "../../log/log.ts";
import { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { newNotifyMetrics } from "./metrics.ts";
import { TimeActiveStage, type TimeMuter, TimeMuteStage } from "./mute.ts";
import { MemoryGroupMarker, testAlert, testContext } from "./testing.ts";

/** A muter whose "now" is inside exactly the intervals named in `inside`. */
function muterInside(...inside: string[]): TimeMuter {
  return {
    mutes: (names) => {
      const hit = names.filter((n) => inside.includes(n));
      return { matched: hit.length > 0, names: hit };
    },
  };
}

const cases: Array<{
  name: string;
  stage: "mute" | "active";
  intervals: string[];
  inside: string[];
  kept: boolean;
  marked: string[];
}> = [
  { name: "mute: no intervals", stage: "mute", intervals: [], inside: ["night"], kept: true, marked: [] },
  {
    name: "mute: inside",
    stage: "mute",
    intervals: ["night", "weekend"],
    inside: ["night"],
    kept: false,
    marked: ["night"],
  },
  { name: "mute: outside", stage: "mute", intervals: ["night"], inside: [], kept: true, marked: [] },
  { name: "active: no intervals", stage: "active", intervals: [], inside: [], kept: true, marked: [] },
  {
    name: "active: inside",
    stage: "active",
    intervals: ["office"],
    inside: ["office"],
    kept: true,
    marked: [],
  },
  {
    name: "active: outside",
    stage: "active",
    intervals: ["office", "oncall"],
    inside: [],
    kept: false,
    marked: ["office", "oncall"],
  },
];

for (const c of cases) {
  test(`time stages: ${c.name}`, async () => {
    const tmpl = await AlertmanagerTemplates.fromGlobs([]);
    const marker = new MemoryGroupMarker();
    marker.setMuted("{}", "g", ["stale"]);
    const registry = new Registry();
    const Stage = c.stage === "mute" ? TimeMuteStage : TimeActiveStage;
    const stage = new Stage(muterInside(...c.inside), marker, newNotifyMetrics(registry));
    const over =
      c.stage === "mute" ? { muteTimeIntervals: c.intervals } : { activeTimeIntervals: c.intervals };
    const ctx = testContext(tmpl, { groupKey: "g", ...over });
    const res = await stage.exec(ctx, nopLogger, [testAlert({ alertname: "A" })]);
    assert.equal(res.alerts.length, c.kept ? 1 : 0);
    assert.deepEqual(marker.muted("{}", "g"), c.marked);
    const reason = c.stage === "mute" ? "mute_time_interval" : "active_time_interval";
    const counted = (await registry.metrics()).includes(`reason="${reason}"} 1`);
    assert.equal(counted, !c.kept, "suppressed count");
  });
}
