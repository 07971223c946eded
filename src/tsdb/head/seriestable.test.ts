import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SeriesTable } from "./seriestable.ts";

describe("SeriesTable", () => {
  it("gets, sets and deletes like a Map, iterating in ascending ref order", () => {
    const t = new SeriesTable<string>();
    const m = new Map<number, string>();
    // Refs across pages, out of order (WAL replay), far apart, at the uint32 limit.
    const refs = [5, 1, 4096, 4095, 4097, 100_000, 2 ** 32 - 1, 3, 8192];
    for (const r of refs) {
      t.set(r, `s${r}`);
      m.set(r, `s${r}`);
    }
    t.set(5, "again");
    m.set(5, "again");
    assert.equal(t.size, m.size);
    for (const r of [...refs, 0, 2, 6, 4098, 99_999]) {
      assert.equal(t.get(r), m.get(r), `get ${r}`);
      assert.equal(t.has(r), m.has(r), `has ${r}`);
    }
    assert.deepEqual(
      [...t.values()],
      [...m.keys()].sort((a, b) => a - b).map((r) => m.get(r)),
    );
    for (const r of [4096, 4095, 4097, 42]) assert.equal(t.delete(r), m.delete(r), `delete ${r}`);
    assert.equal(t.size, m.size);
    assert.equal(t.get(4096), undefined);
    t.set(4096, "back"); // its page was let go when it emptied
    assert.equal(t.get(4096), "back");
    t.clear();
    assert.equal(t.size, 0);
    assert.deepEqual([...t.values()], []);
  });

  it("tolerates deletes while iterating (head truncation)", () => {
    const t = new SeriesTable<number>();
    for (let r = 1; r <= 10_000; r++) t.set(r, r);
    const seen: number[] = [];
    for (const v of t.values()) {
      seen.push(v);
      if (v % 2 === 0 || v > 4000) t.delete(v);
    }
    assert.equal(seen.length, 10_000);
    assert.equal(t.size, 2000);
    assert.deepEqual([...t.values()].slice(0, 3), [1, 3, 5]);
  });

  it("refuses refs the postings cannot hold", () => {
    const t = new SeriesTable<number>();
    for (const r of [0, -1, 1.5, 2 ** 32, Number.NaN])
      assert.throws(() => t.set(r, 1), RangeError, String(r));
  });
});
