import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupPath, pushTimeSeconds, toGroup } from "./api.ts";

describe("pushgateway API helpers", () => {
  const cases: [Record<string, string>, string][] = [
    [{ job: "a" }, "metrics/job@base64/YQ=="],
    [{ instance: "", job: "batch/1" }, "metrics/job@base64/YmF0Y2gvMQ==/instance@base64/="],
    [{ job: "j", zone: "서울?" }, "metrics/job@base64/ag==/zone@base64/7ISc7Jq4Pw=="],
  ];
  for (const [labels, want] of cases) {
    it(`group path of ${JSON.stringify(labels)}`, () => assert.equal(groupPath(labels), want));
  }

  it("splits families from a wire group and reads push times", () => {
    const g = toGroup({
      labels: { job: "a" },
      last_push_successful: true,
      push_time_seconds: { time_stamp: "t", type: "GAUGE", metrics: [{ labels: {}, value: "1.7e+09" }] },
      b_total: { time_stamp: "t", type: "COUNTER", metrics: [] },
    });
    assert.deepEqual(
      g.families.map(([n]) => n),
      ["b_total", "push_time_seconds"],
    );
    assert.equal(g.last_push_successful, true);
    assert.equal(pushTimeSeconds(g, "push_time_seconds"), 1.7e9);
    assert.equal(pushTimeSeconds(g, "push_failure_time_seconds"), 0);
  });
});
