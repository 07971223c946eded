import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Counter, Gauge, Registry, Summary } from "prom-client";
import { nopLogger } from "../../log/log.ts";
import { readIfExists, writeFileAtomic } from "./file.ts";
import { deleteExpired, type MaintainedState, Maintenance } from "./maintenance.ts";

function metrics() {
  const registers = [new Registry()];
  return {
    maintenance: new Counter({ name: "m_total", help: "h", registers }),
    maintenanceErrors: new Counter({ name: "m_errors_total", help: "h", registers }),
    snapshotSize: new Gauge({ name: "m_size", help: "h", registers }),
  };
}

async function value(m: Counter | Gauge): Promise<number> {
  return (await m.get()).values[0]?.value ?? 0;
}

describe("Maintenance", () => {
  it("runs gc then snapshot and records the size", async () => {
    const calls: string[] = [];
    const state: MaintainedState = {
      gc: () => {
        calls.push("gc");
        return 0;
      },
      snapshot: async (f) => {
        calls.push(`snapshot ${f}`);
        return 7;
      },
    };
    const m = metrics();
    const mt = new Maintenance(state, m, nopLogger);
    assert.equal(await mt.runOnce("f"), 7);
    assert.deepEqual(calls, ["gc", "snapshot f"]);
    assert.equal(await value(m.snapshotSize), 7);
    assert.equal(await mt.runOnce(""), 0);
    assert.equal(await value(m.maintenance), 2);
  });

  it("counts and rethrows failures", async () => {
    const m = metrics();
    const mt = new Maintenance(
      { gc: () => 0, snapshot: () => Promise.reject(new Error("disk")) },
      m,
      nopLogger,
    );
    await assert.rejects(mt.runOnce("f"), /disk/);
    assert.equal(await value(m.maintenanceErrors), 1);
  });

  it("stop writes the shutdown snapshot only after start", async () => {
    let snaps = 0;
    const mt = new Maintenance({ gc: () => 0, snapshot: async () => ++snaps }, metrics(), nopLogger);
    await mt.stop();
    assert.equal(snaps, 0);
    mt.start(3_600_000, "f");
    await mt.stop();
    assert.equal(snaps, 1);
  });
});

describe("snapshot files", () => {
  it("writes atomically and reads back; a missing file is undefined", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vigil-maint-"));
    try {
      const f = join(dir, "snap");
      assert.equal(await readIfExists(f), undefined);
      assert.equal(await writeFileAtomic(f, "héllo"), 6);
      assert.equal(await readFile(f, "utf8"), "héllo");
      assert.equal(await readIfExists(f), "héllo");
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe("deleteExpired", () => {
  it("deletes entries expiring at or before now and reports each key", () => {
    const st = new Map([
      ["a", { expiresAt: 10 }],
      ["b", { expiresAt: 20 }],
      ["c", { expiresAt: 30 }],
    ]);
    const gone: string[] = [];
    const duration = new Summary({ name: "gc_seconds", help: "h", registers: [] });
    assert.equal(
      deleteExpired(st, 20, duration, (k) => gone.push(k)),
      2,
    );
    assert.deepEqual(gone, ["a", "b"]);
    assert.deepEqual([...st.keys()], ["c"]);
  });
});
