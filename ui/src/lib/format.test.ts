import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatDuration,
  formatSeconds,
  formatSeries,
  formatTimestamp,
  parseDuration,
  sinceMs,
} from "./format.ts";

describe("durations", () => {
  const cases: readonly (readonly [string, number | undefined, string])[] = [
    ["1h", 3600_000, "1h"],
    ["1h30m", 5400_000, "1h30m"],
    ["250ms", 250, "250ms"],
    ["1d2h", 93_600_000, "1d2h"],
    ["2w", 14 * 86_400_000, "2w"],
    ["90", 90_000, "1m30s"],
    ["", undefined, ""],
    ["5x", undefined, ""],
    ["m5", undefined, ""],
    ["0s", undefined, ""],
  ];
  for (const [text, ms, back] of cases) {
    it(`${JSON.stringify(text)} → ${ms}`, () => {
      assert.equal(parseDuration(text), ms);
      if (ms !== undefined) assert.equal(formatDuration(ms), back);
    });
  }
  it("formats zero and seconds", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatSeconds(1.5), "1.5s");
    assert.equal(formatSeconds(0.0123), "12.3ms");
    assert.equal(formatSeconds(0.032), "32ms");
    assert.equal(formatSeconds(0.00005), "50µs");
  });
});

describe("times and series", () => {
  it("rounds ages to seconds from 1s and treats Go's zero time as never", () => {
    const now = Date.parse("2026-01-01T00:00:10.400Z");
    assert.equal(sinceMs("2026-01-01T00:00:10.000Z", now), 400);
    assert.equal(sinceMs("2026-01-01T00:00:00.000Z", now), 10_000);
    assert.equal(sinceMs("0001-01-01T00:00:00Z", now), undefined);
  });
  it("formats UTC timestamps", () => {
    assert.equal(formatTimestamp(Date.parse("2026-03-04T05:06:07Z"), true), "2026-03-04 05:06:07");
  });
  it("prints series as PromQL does", () => {
    assert.equal(formatSeries({ __name__: "up" }), "up");
    assert.equal(formatSeries({ __name__: "up", job: 'a"b' }), 'up{job="a\\"b"}');
    assert.equal(formatSeries({ job: "x" }), '{job="x"}');
  });
});
