import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Matcher } from "../model/labels/matcher.ts";
import { emptySeriesSet, type Queryable, type SelectorRange } from "../storage/interface.ts";
import { Engine } from "./engine.ts";

const key = (ms: readonly Matcher[]): string => ms.map(String).join(",");

/** A queryable whose `prepare` records the announced ranges and whose queriers record what is opened. */
function recorder(): { q: Queryable; announced: SelectorRange[]; opened: SelectorRange[] } {
  const announced: SelectorRange[] = [];
  const opened: SelectorRange[] = [];
  const inner: Queryable = {
    querier: (mint, maxt) => ({
      select: (_sorted, _hints, ...matchers) => {
        opened.push({ matchers, mint, maxt });
        return emptySeriesSet;
      },
      labelValues: () => [],
      labelNames: () => [],
      close: () => {},
    }),
  };
  return {
    announced,
    opened,
    q: {
      querier: () => {
        throw new Error("evaluated without the prepared queryable");
      },
      prepare: async (sels) => {
        announced.push(...sels);
        return inner;
      },
    },
  };
}

describe("selector ranges announced before evaluation cover every querier the evaluator opens", () => {
  const rows: { query: string; range?: [number, number, number]; at?: number }[] = [
    { query: "up" },
    { query: "up offset 5m", range: [600_000, 1_200_000, 60_000] },
    { query: "rate(x[5m]) + on() group_left y offset -1m", range: [0, 3_600_000, 15_000] },
    { query: "x @ 1000 + x @ start() - x @ end()", range: [100_000, 200_000, 7_000] },
    { query: "max_over_time(rate(x[1m])[10m:30s])", range: [1_000_000, 1_600_000, 45_000] },
    { query: "max_over_time(rate(x[1m] offset 2m)[10m:] offset 1h)" },
    { query: "min_over_time(max_over_time(x[2m:10s] @ 5000)[1h:7m])", range: [0, 90_000_000, 3_600_000] },
    { query: "x[5m]", at: 123_456 },
    { query: "timestamp(x) > absent_over_time(y[3m]) or absent(z)", range: [50, 5_000, 13] },
    { query: "time()" },
  ];
  for (const r of rows) {
    it(r.query, async () => {
      const rec = recorder();
      const engine = new Engine({ lookbackDelta: 120_000 });
      if (r.range === undefined) await engine.instantQuery(rec.q, r.query, r.at ?? 7_200_000);
      else await engine.rangeQuery(rec.q, r.query, ...r.range);
      for (const o of rec.opened) {
        const covered = rec.announced.some(
          (a) => key(a.matchers) === key(o.matchers) && a.mint <= o.mint && o.maxt <= a.maxt,
        );
        assert.ok(covered, `${key(o.matchers)} [${o.mint}, ${o.maxt}] not announced`);
      }
      assert.equal(rec.announced.length, rec.opened.length, "one announcement per select");
    });
  }
});
