import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeRange, parseTime, refreshMs, resolveRange, zoomOut } from "./timeRange.ts";

const NOW = Date.UTC(2026, 0, 15, 12, 30, 45);

describe("parseTime", () => {
  const cases: [string, boolean, number | undefined][] = [
    ["now", false, NOW],
    ["now-6h", false, NOW - 6 * 3_600_000],
    ["now-1h-30m", false, NOW - 90 * 60_000],
    ["now+5m", false, NOW + 5 * 60_000],
    ["1700000000000", false, 1_700_000_000_000],
    ["2026-01-15T00:00:00Z", false, Date.UTC(2026, 0, 15)],
    ["now-6x", false, undefined],
    ["yesterday", false, undefined],
  ];
  for (const [text, up, want] of cases) it(text, () => assert.equal(parseTime(text, NOW, up), want));

  it("rounds to the start and end of a unit", () => {
    const start = parseTime("now/d", NOW)!;
    const end = parseTime("now/d", NOW, true)!;
    assert.equal(new Date(start).getHours(), 0);
    assert.equal(end - start, 86_400_000 - 1);
  });
});

describe("ranges", () => {
  it("refuses a range ending before it starts", () => {
    assert.deepEqual(resolveRange({ from: "now", to: "now-1h" }, NOW), { error: "from must be before to" });
    assert.deepEqual(resolveRange({ from: "bad", to: "now" }, NOW), { error: "invalid time: bad" });
  });
  it("zooms out around the middle, clamped at now", () => {
    assert.deepEqual(zoomOut({ from: NOW - 3_600_000, to: NOW }, NOW), {
      from: String(NOW - 7_200_000),
      to: "now",
    });
    const mid = zoomOut({ from: NOW - 10 * 3_600_000, to: NOW - 8 * 3_600_000 }, NOW);
    assert.deepEqual(mid, { from: String(NOW - 11 * 3_600_000), to: String(NOW - 7 * 3_600_000) });
  });
  it("describes quick and relative ranges", () => {
    assert.equal(describeRange({ from: "now-6h", to: "now" }), "Last 6 hours");
    assert.equal(describeRange({ from: "now-90m", to: "now" }), "Last 90m");
    assert.equal(refreshMs("30s"), 30_000);
    assert.equal(refreshMs("off"), 0);
  });
});
