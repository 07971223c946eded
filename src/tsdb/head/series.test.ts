import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { SampleBuf } from "../../storage/samplebuf.ts";
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

describe("MemSeries flags and rare state", () => {
  it("logged and deleted are independent bits", () => {
    const s = new MemSeries(1, lbl("x"));
    const steps: { set: "logged" | "deleted"; to: boolean; logged: boolean; deleted: boolean }[] = [
      { set: "logged", to: true, logged: true, deleted: false },
      { set: "deleted", to: true, logged: true, deleted: true },
      { set: "logged", to: false, logged: false, deleted: true },
      { set: "logged", to: false, logged: false, deleted: true },
      { set: "deleted", to: false, logged: false, deleted: false },
    ];
    assert.equal(s.logged, false);
    assert.equal(s.deleted, false);
    for (const st of steps) {
      s[st.set] = st.to;
      assert.deepEqual([s.logged, s.deleted], [st.logged, st.deleted], `after ${st.set} = ${st.to}`);
    }
  });

  it("ooo, oooChunks and iso start null, are kept apart, and setting them null again keeps the others", () => {
    const s = new MemSeries(1, lbl("x"));
    assert.deepEqual([s.ooo, s.oooChunks, s.iso], [null, null, null]);
    s.iso = null; // no-op on a series without rare state
    const buf = new SampleBuf(4);
    s.ooo = buf;
    s.oooChunks = [1, 2, 3];
    s.iso = [5, 6];
    assert.equal(s.ooo, buf);
    assert.deepEqual(s.oooChunks, [1, 2, 3]);
    assert.deepEqual(s.iso, [5, 6]);
    s.iso = null;
    assert.equal(s.iso, null);
    assert.equal(s.ooo, buf);
    s.ooo = null;
    s.oooChunks = null;
    assert.deepEqual([s.ooo, s.oooChunks, s.iso], [null, null, null]);
    s.iso = [7, 8];
    assert.deepEqual(s.iso, [7, 8]);
  });

  it("noteCommit keeps isolation pairs only while a reader may need them", () => {
    const s = new MemSeries(1, lbl("x"));
    s.maxT = 10;
    s.noteCommit(3, 1);
    s.maxT = 20;
    s.noteCommit(4, 1);
    assert.deepEqual(s.iso, [3, 10, 4, 20]);
    assert.equal(s.visibleMaxT(2), 10);
    assert.equal(s.visibleMaxT(3), 20);
    s.noteCommit(5, 3);
    assert.deepEqual(s.iso, [4, 20, 5, 20]);
    s.noteCommit(6, 6);
    assert.equal(s.iso, null);
    assert.equal(s.visibleMaxT(0), Infinity);
  });
});
