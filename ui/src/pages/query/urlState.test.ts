import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { autoStep, DEFAULT_PANEL, panelsToSearch, parsePanels, stepRange } from "./urlState.ts";

describe("query page URL state", () => {
  it("reads upstream 3.x links", () => {
    const got = parsePanels(
      "?g0.expr=up&g0.tab=graph&g0.range_input=5m&g0.end_input=2026-01-02%2003%3A04%3A05&g0.res_type=fixed&g0.res_step=15&g0.display_mode=stacked" +
        "&g1.expr=rate(x%5B1m%5D)&g1.tab=table",
    );
    assert.deepEqual(got, [
      {
        expr: "up",
        tab: "graph",
        rangeMs: 300_000,
        endMs: Date.parse("2026-01-02T03:04:05Z"),
        stepS: 15,
        stacked: true,
      },
      { ...DEFAULT_PANEL, expr: "rate(x[1m])" },
    ]);
  });
  it("reads 2.x links (tab 0 is the graph, step_input, moment_input)", () => {
    const [p] = parsePanels("?g0.expr=up&g0.tab=0&g0.step_input=30&g0.moment_input=2026-01-02%2003:04:05");
    assert.equal(p.tab, "graph");
    assert.equal(p.stepS, 30);
    assert.equal(p.endMs, Date.parse("2026-01-02T03:04:05Z"));
  });
  it("falls back to one empty panel and defaults for malformed values", () => {
    assert.deepEqual(parsePanels(""), [DEFAULT_PANEL]);
    assert.deepEqual(parsePanels("?g0.expr=x&g0.range_input=bogus&g0.res_step=-1&g0.end_input=never"), [
      { ...DEFAULT_PANEL, expr: "x" },
    ]);
  });
  it("round-trips panels", () => {
    const panels = [
      {
        expr: 'sum by (job) (up{a="b"})',
        tab: "graph",
        rangeMs: 93_600_000,
        endMs: 1_767_225_600_000,
        stepS: 60,
        stacked: true,
      },
      DEFAULT_PANEL,
    ] as const;
    const search = panelsToSearch(panels);
    assert.match(search, /^\?g0\.expr=sum\+by/);
    assert.match(search, /g0\.range_input=1d2h/);
    assert.deepEqual(parsePanels(search), panels);
  });
  it("steps ranges through the presets and picks upstream's automatic step", () => {
    assert.equal(stepRange(3600_000, 1), 7200_000);
    assert.equal(stepRange(3600_000, -1), 1800_000);
    assert.equal(stepRange(60_000, -1), 60_000);
    assert.equal(stepRange(5400_000, -1), 3600_000);
    assert.equal(autoStep(3600_000), 14);
    assert.equal(autoStep(60_000), 1);
  });
});
