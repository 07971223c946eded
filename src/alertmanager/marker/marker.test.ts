import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { MemMarker } from "./marker.ts";

describe("MemMarker", () => {
  it("derives the state from silences and inhibitions", () => {
    const m = new MemMarker();
    assert.deepEqual(m.status(1n), { state: "unprocessed", silencedBy: [], inhibitedBy: [], mutedBy: [] });
    m.setActiveOrSilenced(1n, [], ["p"], 3);
    assert.equal(m.status(1n).state, "active");
    assert.deepEqual(m.silenced(1n), { activeIDs: [], pendingIDs: ["p"], version: 3, found: true });
    m.setInhibited(1n, ["00000000000000ff"]);
    assert.equal(m.status(1n).state, "suppressed");
    m.setActiveOrSilenced(1n, ["s"]);
    m.setInhibited(1n, []);
    assert.deepEqual(m.status(1n), { state: "suppressed", silencedBy: ["s"], inhibitedBy: [], mutedBy: [] });
    m.setActiveOrSilenced(1n, []);
    assert.equal(m.status(1n).state, "active");
    m.delete(1n);
    assert.equal(m.status(1n).state, "unprocessed");
  });

  it("counts and exports alertmanager_marked_alerts", async () => {
    const reg = new Registry();
    const m = new MemMarker(reg);
    m.setActiveOrSilenced(1n, []);
    m.setActiveOrSilenced(2n, ["s"]);
    m.setInhibited(3n, ["x"]);
    assert.equal(m.count(), 3);
    assert.equal(m.count("suppressed"), 2);
    assert.equal(m.count("active", "suppressed"), 3);
    const text = await reg.metrics();
    assert.match(text, /alertmanager_marked_alerts\{state="suppressed"\} 2/);
    assert.match(text, /alertmanager_marked_alerts\{state="active"\} 1/);
    assert.match(text, /alertmanager_marked_alerts\{state="unprocessed"\} 0/);
  });

  it("records muted groups by route and key", () => {
    const m = new MemMarker();
    m.setMuted("r", "g", ["weekends"]);
    assert.deepEqual(m.muted("r", "g"), ["weekends"]);
    assert.deepEqual(m.muted("r2", "g"), []);
    m.setMuted("r", "g", []);
    assert.deepEqual(m.muted("r", "g"), []);
    m.setMuted("r", "g", ["x"]);
    m.deleteByGroupKey("r", "g");
    assert.deepEqual(m.muted("r", "g"), []);
  });
});
