import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import { type SeriesSet, ValueType } from "../storage/interface.ts";
import { type ArraySeries, arrayQueryable, fanoutQueryable } from "./series.ts";

const fake = arrayQueryable;

function dump(set: SeriesSet): string[] {
  const out: string[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const pts: string[] = [];
    while (it.next() === ValueType.Float) pts.push(`${it.atT()}:${it.atV()}`);
    out.push(`${s.labels} ${pts.join(",")}`);
  }
  return out;
}

const up = Labels.fromStrings("__name__", "up", "job", "a");
const down = Labels.fromStrings("__name__", "up", "job", "b");

describe("fanout of local and remote-read series", () => {
  const rows: { name: string; local: ArraySeries[]; remote: ArraySeries[]; want: string[] }[] = [
    {
      name: "remote empty: local as is",
      local: [{ labels: up, ts: [1, 2], vs: [1, 1] }],
      remote: [],
      want: ['{__name__="up", job="a"} 1:1,2:1'],
    },
    {
      name: "overlapping series merge, equal timestamps kept once (local first)",
      local: [{ labels: up, ts: [2, 3], vs: [20, 30] }],
      remote: [
        { labels: up, ts: [1, 2], vs: [10, 99] },
        { labels: down, ts: [1], vs: [0] },
      ],
      want: ['{__name__="up", job="a"} 1:10,2:20,3:30', '{__name__="up", job="b"} 1:0'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const q = fanoutQueryable(fake(r.local), () => [fake(r.remote)]).querier(0, 10);
      assert.deepEqual(dump(q.select(true, undefined)), r.want);
    });
  }
});
