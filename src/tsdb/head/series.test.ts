import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { MemSeries, SeriesStatePool } from "./series.ts";

const lbl = (v: string): Labels => Labels.fromStrings("a", v);

describe("MemSeries numeric state in a SeriesStatePool", () => {
  it("starts empty, keeps each series' fields apart across pages", () => {
    const pool = new SeriesStatePool();
    const all = Array.from({ length: 5000 }, (_, i) => new MemSeries(i + 1, lbl(String(i)), pool));
    assert.equal(pool.size, 5000);
    assert.equal(pool.pages.length, 2);
    assert.equal(all[4999]!.maxT, -Infinity);
    assert.equal(all[4999]!.nextAt, Infinity);
    assert.equal(all[4999]!.pendingMaxT, -Infinity);
    for (const [i, s] of all.entries()) {
      s.maxT = 1_700_000_000_000 + i;
      s.lastV = i / 3;
      s.headMinT = i;
      s.pendingLastV = -i;
    }
    for (const [i, s] of all.entries()) {
      assert.equal(s.maxT, 1_700_000_000_000 + i);
      assert.equal(s.lastV, i / 3);
      assert.equal(s.headMinT, i);
      assert.equal(s.pendingLastV, -i);
      assert.equal(s.nextAt, Infinity);
    }
  });

  it("a retired series keeps its last values while its slot is reused", () => {
    const pool = new SeriesStatePool();
    const old = new MemSeries(1, lbl("old"), pool);
    old.maxT = 42;
    old.lastV = 7.5;
    assert.throws(() => old.retire(new SeriesStatePool()), /not from this pool/);
    old.retire(pool);
    assert.equal(pool.size, 0);
    const fresh = new MemSeries(2, lbl("new"), pool);
    assert.equal(pool.size, 1);
    assert.equal(fresh.maxT, -Infinity, "a reused slot starts empty");
    fresh.maxT = 99;
    assert.equal(old.maxT, 42);
    assert.equal(old.lastV, 7.5);
    old.retire(pool); // idempotent
    assert.equal(pool.size, 1);
  });

  it("retiring gives back the series' own slot, on any page", () => {
    const pool = new SeriesStatePool();
    const all = Array.from({ length: 9000 }, (_, i) => new MemSeries(i + 1, lbl(String(i)), pool));
    for (const [i, s] of all.entries()) s.maxT = i;
    all[8500]!.retire(pool);
    const reuse = new MemSeries(9001, lbl("reuse"), pool);
    reuse.maxT = -5;
    for (const [i, s] of all.entries()) assert.equal(s.maxT, i, `series ${i}`);
    assert.equal(pool.size, 9000);
  });

  it("works without a pool (own state)", () => {
    const s = new MemSeries(1, lbl("x"));
    s.maxT = 5;
    s.retire(new SeriesStatePool());
    assert.equal(s.maxT, 5);
  });
});
