import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { StorageError } from "../storage/errors.ts";
import { ValueType } from "../storage/interface.ts";
import { DB } from "./db.ts";
import { readAll, tempDir } from "./testing/util.ts";
import { isULID } from "./ulid.ts";

const H = 3600 * 1000;
const ls = (...kv: string[]): Labels => Labels.fromStrings(...kv);

function errorKind(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StorageError) return e.kind;
    throw e;
  }
  return "none";
}

describe("DB", () => {
  it("serves committed samples and hides uncommitted ones", () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = DB.open(dir);
      const app = db.appender();
      const ref = app.append(0, ls("__name__", "up", "job", "a"), 1000, 1);
      app.append(ref, ls("__name__", "up", "job", "a"), 2000, 0);
      assert.equal(readAll(db.querier(0, 10000)).size, 0, "nothing visible before commit");
      app.commit();
      assert.deepEqual(readAll(db.querier(0, 10000)).get('{__name__="up", job="a"}'), [
        [1000, 1],
        [2000, 0],
      ]);
      const rb = db.appender();
      rb.append(0, ls("__name__", "up", "job", "b"), 3000, 1);
      rb.rollback();
      assert.equal(readAll(db.querier(0, 10000)).has('{__name__="up", job="b"}'), false);
      void db.close();
    } finally {
      cleanup();
    }
  });

  it("keeps the stale marker's NaN bits through head, WAL, out-of-order buffer and blocks", async () => {
    const { dir, cleanup } = tempDir();
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    words[1] = 0x7ff00000;
    words[0] = 2;
    const stale = bits[0]!;
    const staleBits = (v: number): boolean => {
      bits[0] = v;
      return words[1] === 0x7ff00000 && words[0] === 2;
    };
    const check = (db: DB, what: string): void => {
      const set = db
        .querier(-Infinity, Infinity)
        .select(true, undefined, Matcher.create("=", "__name__", "m"));
      assert.ok(set.next(), what);
      const it = set.at().iterator();
      const got: boolean[] = [];
      while (it.next() !== ValueType.None) got.push(staleBits(it.atV()));
      assert.deepEqual(got, [false, true, true, false], what);
    };
    try {
      let db = DB.open(dir, { oooTimeWindow: H });
      const a = db.appender();
      a.append(0, ls("__name__", "m"), 0, 1);
      a.append(0, ls("__name__", "m"), 30_000, stale);
      a.append(0, ls("__name__", "m"), 4 * H, 2);
      a.commit();
      const b = db.appender();
      b.append(0, ls("__name__", "m"), 4 * H - 1000, stale);
      b.commit();
      check(db, "head");
      await db.close();
      db = DB.open(dir, { oooTimeWindow: H });
      check(db, "after WAL replay");
      db.compact();
      assert.ok(db.blocks().length > 0);
      check(db, "blocks");
      await db.close();
    } finally {
      cleanup();
    }
  });

  it("rejects samples with upstream's error kinds", () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = DB.open(dir);
      const l = ls("__name__", "m");
      const a = db.appender();
      a.append(0, l, 10 * H, 1);
      a.commit();
      const b = db.appender();
      assert.equal(
        errorKind(() => b.append(0, l, 10 * H - 1000, 1)),
        "out_of_order",
      );
      assert.equal(
        errorKind(() => b.append(0, l, 10 * H, 2)),
        "duplicate_sample",
      );
      assert.equal(
        errorKind(() => b.append(0, l, 10 * H, 1)),
        "none",
        "same value at same time is a no-op",
      );
      assert.equal(
        errorKind(() => b.append(0, ls("__name__", "n"), 8 * H, 1)),
        "out_of_bounds",
      );
      assert.equal(
        errorKind(() => b.append(0, Labels.EMPTY, 11 * H, 1)),
        "invalid_labels",
      );
      b.commit();
      void db.close();
    } finally {
      cleanup();
    }
  });

  it("accepts out-of-order samples inside the window and merges them in queries", () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = DB.open(dir, { oooTimeWindow: 30 * 60 * 1000 });
      const l = ls("__name__", "m");
      const a = db.appender();
      for (let t = 0; t <= 60; t += 10) a.append(0, l, H + t * 60_000, t);
      a.commit();
      const b = db.appender();
      b.append(0, l, H + 55 * 60_000, 55);
      b.append(0, l, H + 45 * 60_000, 45);
      assert.equal(
        errorKind(() => b.append(0, l, H + 10 * 60_000, 1)),
        "too_old",
      );
      b.commit();
      const got = readAll(db.querier(0, 3 * H)).get('{__name__="m"}')!;
      assert.deepEqual(
        got.map(([, v]) => v),
        [0, 10, 20, 30, 40, 45, 50, 55, 60],
      );
      void db.close();
    } finally {
      cleanup();
    }
  });

  it("keeps a query's view while later commits land (isolation)", () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = DB.open(dir);
      const a = db.appender();
      a.append(0, ls("__name__", "x", "i", "1"), 1000, 1);
      a.append(0, ls("__name__", "x", "i", "2"), 1000, 1);
      a.commit();
      const q = db.querier(0, 10_000);
      const set = q.select(true, undefined, Matcher.create("=", "__name__", "x"));
      assert.ok(set.next());
      const first = set.at();
      // A commit touching both series lands mid-query.
      const b = db.appender();
      b.append(0, ls("__name__", "x", "i", "1"), 2000, 2);
      b.append(0, ls("__name__", "x", "i", "2"), 2000, 2);
      b.commit();
      assert.ok(set.next());
      const second = set.at();
      for (const s of [first, second]) {
        const it = s.iterator();
        let n = 0;
        while (it.next() !== ValueType.None) n++;
        assert.equal(n, 1, `${s.labels} must not show the later commit`);
      }
      q.close();
      assert.equal(readAll(db.querier(0, 10_000)).get('{__name__="x", i="1"}')!.length, 2);
      void db.close();
    } finally {
      cleanup();
    }
  });

  it("compacts the head into blocks, replays the WAL on reopen, and reads both", async () => {
    const { dir, cleanup } = tempDir();
    try {
      let db = DB.open(dir);
      const want = new Map<string, [number, number][]>();
      for (let s = 0; s < 20; s++) {
        const l = ls("__name__", "metric", "series", String(s));
        want.set(l.toString(), []);
      }
      // 5 hours of 30s samples.
      for (let t = 0; t < 5 * H; t += 30_000) {
        const app = db.appender();
        for (let s = 0; s < 20; s++) {
          const l = ls("__name__", "metric", "series", String(s));
          const v = s * 1000 + t / 30_000;
          app.append(0, l, t, v);
          want.get(l.toString())!.push([t, v]);
        }
        app.commit();
      }
      db.compact();
      const blocks = readdirSync(dir).filter(isULID);
      assert.ok(blocks.length >= 1, "a block was cut from the head");
      assert.ok(existsSync(join(dir, blocks[0]!, "index")));
      for (const b of db.blocks()) {
        assert.ok(b.meta.compaction.sources.length > 0, "a block names its sources");
        if (b.meta.compaction.level === 1) assert.deepEqual(b.meta.compaction.sources, [b.meta.ulid]);
      }
      assert.ok(db.head.minT >= 2 * H, "head dropped persisted samples");
      assert.deepEqual(readAll(db.querier(-Infinity, Infinity)), want);
      await db.close();

      db = DB.open(dir);
      assert.deepEqual(readAll(db.querier(-Infinity, Infinity)), want, "after reopen (blocks + WAL replay)");
      await db.close();
    } finally {
      cleanup();
    }
  });

  it("deletes by matcher and time range, in blocks and in the head, and cleans tombstones", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = DB.open(dir);
      for (let t = 0; t < 4 * H; t += 60_000) {
        const app = db.appender();
        app.append(0, ls("__name__", "a"), t, 1);
        app.append(0, ls("__name__", "b"), t, 2);
        app.commit();
      }
      db.compact();
      assert.ok(db.blocks().length >= 1);
      db.delete(H, 3 * H, Matcher.create("=", "__name__", "a"));
      const check = (): void => {
        const got = readAll(db.querier(-Infinity, Infinity));
        const a = got.get('{__name__="a"}')!;
        assert.ok(
          a.every(([t]) => t < H || t > 3 * H),
          "deleted range gone from a",
        );
        assert.equal(got.get('{__name__="b"}')!.length, 240, "b untouched");
      };
      check();
      db.cleanTombstones();
      assert.equal(
        db.blocks().reduce((n, b) => n + b.tombstones().total(), 0),
        0,
      );
      check();
      await db.close();
    } finally {
      cleanup();
    }
  });

  it("applies time and size retention to blocks", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = DB.open(dir, { retentionMs: 6 * H, maxBlockDuration: 2 * H });
      for (let t = 0; t < 20 * H; t += 5 * 60_000) {
        const app = db.appender();
        app.append(0, ls("__name__", "m"), t, t);
        app.commit();
      }
      db.compact();
      const newest = Math.max(...db.blocks().map((b) => b.maxTime));
      for (const b of db.blocks())
        assert.ok(newest - b.maxTime < 6 * H, `block ${b.minTime}-${b.maxTime} kept`);
      assert.ok(db.metrics.timeRetentionsTotal > 0);
      await db.close();

      const sized = DB.open(dir, { retentionMs: 0, retentionBytes: 1, maxBlockDuration: 2 * H });
      sized.applyRetention();
      assert.equal(sized.blocks().length, 0, "every block is over a 1-byte budget");
      await sized.close();
    } finally {
      cleanup();
    }
  });
});
