import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { Head } from "./head.ts";

const lbl = (i: number): Labels => Labels.fromStrings("__name__", "m", "i", String(i));

describe("Head series lookup by labels", () => {
  const cases = [
    { name: "a few series", series: 10, dropEvery: 2 },
    { name: "growth past several table sizes", series: 5000, dropEvery: 3 },
    { name: "almost all removed (the index shrinks)", series: 3000, dropEvery: 1 },
  ];
  for (const tc of cases) {
    it(`finds, forgets and re-adds series: ${tc.name}`, () => {
      const head = new Head();
      const app = head.appender();
      // Series i % dropEvery === 0 only get an old sample and are truncated away.
      for (let i = 0; i < tc.series; i++)
        app.append(0, lbl(i), i % tc.dropEvery === 0 ? 1000 : 10_000_000, 1);
      app.commit();
      const refs = Array.from({ length: tc.series }, (_, i) => head.getByLabels(lbl(i))!.ref);
      assert.equal(new Set(refs).size, tc.series);
      assert.equal(head.getByLabels(lbl(tc.series)), undefined);
      const kept = tc.series - Math.ceil(tc.series / tc.dropEvery);
      head.truncate(2_000_000);
      assert.equal(head.numSeries(), kept);
      for (let i = 0; i < tc.series; i++) {
        const s = head.getByLabels(lbl(i));
        if (i % tc.dropEvery === 0) assert.equal(s, undefined, `series ${i} was truncated`);
        else assert.equal(s?.ref, refs[i]);
      }
      for (let i = 0; i < tc.series; i += tc.dropEvery) {
        const s = head.getOrCreate(lbl(i));
        assert.ok(s.ref > Math.max(...refs), "a re-added series gets a new ref");
        assert.equal(head.getByLabels(lbl(i)), s);
      }
      assert.equal(head.numSeries(), tc.series);
    });
  }
});
