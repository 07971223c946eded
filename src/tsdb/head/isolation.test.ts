import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { Isolation } from "./isolation.ts";
import { MemSeries } from "./series.ts";

describe("isolation", () => {
  it("hides commits newer than the reader", () => {
    const iso = new Isolation();
    const s = new MemSeries(1, Labels.fromStrings("a", "b"));
    s.maxT = 10;
    const r = iso.openReader();
    // Two commits after the reader opened.
    const c1 = ++iso.lastAppendId;
    s.noteCommit(c1, iso.lowWatermark());
    s.maxT = 20;
    const c2 = ++iso.lastAppendId;
    s.noteCommit(c2, iso.lowWatermark());
    s.maxT = 30;
    assert.equal(s.visibleMaxT(r.readId), 10);
    const r2 = iso.openReader();
    assert.equal(s.visibleMaxT(r2.readId), Infinity);
    iso.closeReader(r.token);
    iso.closeReader(r2.token);
    s.noteCommit(++iso.lastAppendId, iso.lowWatermark());
    assert.equal(s.iso, null);
  });
  it("low watermark is the oldest open reader", () => {
    const iso = new Isolation();
    iso.lastAppendId = 5;
    const a = iso.openReader();
    iso.lastAppendId = 9;
    const b = iso.openReader();
    assert.equal(iso.lowWatermark(), 5);
    iso.closeReader(a.token);
    assert.equal(iso.lowWatermark(), 9);
    iso.closeReader(b.token);
    assert.equal(iso.openReaders(), 0);
  });
});
