/**
 * A database Vigil wrote through its appender, read back by promtool: the
 * compacted blocks and the WAL tail must hold exactly what was appended.
 */
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { DB } from "../../tsdb/db.ts";
import { formatGoFloat } from "./format.ts";
import { PROMTOOL, promtool, tempDir, vigil } from "./testing.ts";

const HOUR = 3_600_000;
const START = 1_700_000_000_000 - (1_700_000_000_000 % (2 * HOUR));
/** The stale marker's bit pattern, which must survive as is (it prints as NaN). */
const STALE_NAN = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0]!;
const ODD = [Number.NaN, STALE_NAN, Infinity, -Infinity, -0, 5e-324, 1e21, 2 ** 53 + 2, -1e-300, 0.1];

const tmp = tempDir();
after(() => tmp.cleanup());

interface Appended {
  labels: Labels;
  t: number;
  v: number;
}

/** 60 series over 5 hours, 15 s to 60 s apart, with odd values sprinkled in. */
function appendAll(db: DB): Appended[] {
  const rand = mulberry32(7);
  const out: Appended[] = [];
  const series: { labels: Labels; step: number }[] = [];
  for (let i = 0; i < 60; i++) {
    series.push({
      labels: Labels.fromStrings(
        "__name__",
        i < 30 ? "vigil_requests_total" : "vigil_temperature",
        "instance",
        `host-${i % 7}`,
        "shard",
        String(i),
        ...(i % 5 === 0 ? ["path", `/a "quoted"\\path\n${i}`] : []),
      ),
      step: [15_000, 30_000, 60_000][i % 3]!,
    });
  }
  // Scrape-like: every 15 s, the series due then, one commit per round.
  for (let t = START; t < START + 5 * HOUR; t += 15_000) {
    const app = db.appender();
    for (const [i, s] of series.entries()) {
      if ((t - START) % s.step !== 0) continue;
      const v = rand() < 0.01 ? ODD[(i + t / 15_000) % ODD.length]! : Math.round(rand() * 1e6) / 100;
      app.append(0, s.labels, t + (i % 4), v);
      out.push({ labels: s.labels, t: t + (i % 4), v });
    }
    app.commit();
  }
  return out;
}

function expectedDump(samples: Appended[]): string {
  const sorted = [...samples].sort((a, b) => Labels.compare(a.labels, b.labels) || a.t - b.t);
  return sorted.map((s) => `${s.labels.toString()} ${formatGoFloat(s.v)} ${s.t}\n`).join("");
}

describe("what Vigil's appender stored, as promtool reads it", () => {
  it("blocks from compaction and the WAL tail hold every sample exactly", async (t) => {
    if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
    const dir = join(tmp.dir, "db");
    const db = DB.open(dir, {});
    const samples = appendAll(db);
    // Two 2h ranges persisted as blocks; the last hour stays in the head (and WAL).
    db.compactHeadRange(START, START + 2 * HOUR);
    db.compactHeadRange(START + 2 * HOUR, START + 4 * HOUR);
    await db.close();
    assert.equal(readdirSync(dir).filter((n) => n !== "wal").length, 2);

    const want = expectedDump(samples);
    const p = promtool("tsdb", "dump", dir);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(p.stdout, want);
    const v = await vigil("tsdb", "dump", dir);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, want);

    // Part of the range, some series: still the same.
    const args = [
      "--min-time",
      String(START + HOUR),
      "--max-time",
      String(START + 4.5 * HOUR),
      "--match=vigil_temperature",
    ];
    const pp = promtool("tsdb", "dump", ...args, dir);
    const vv = await vigil("tsdb", "dump", ...args, dir);
    assert.equal(pp.code, 0, pp.stderr);
    assert.equal(vv.stdout, pp.stdout);
    assert.ok(pp.stdout.length > 0);

    const om = promtool("tsdb", "dump-openmetrics", dir);
    const vom = await vigil("tsdb", "dump-openmetrics", dir);
    assert.equal(vom.stdout, om.stdout);
    assert.equal(om.stdout.split("\n").length - 2, samples.length);

    const list = promtool("tsdb", "list", dir);
    assert.equal(list.code, 0, list.stderr);
    assert.equal((await vigil("tsdb", "list", dir)).stdout, list.stdout);
  });

  it("a WAL alone (nothing compacted) dumps in series creation order, as promtool", async (t) => {
    if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
    const dir = join(tmp.dir, "walonly");
    const db = DB.open(dir, {});
    const app = db.appender();
    app.append(0, Labels.fromStrings("__name__", "zz", "a", "b"), 1000, 1);
    app.append(0, Labels.fromStrings("__name__", "aa"), 1000, 5);
    app.append(0, Labels.fromStrings("__name__", "zz", "a", "b"), 2000, STALE_NAN);
    app.commit();
    await db.close();
    for (const cmd of ["dump", "dump-openmetrics"]) {
      const p = promtool("tsdb", cmd, dir);
      assert.equal(p.code, 0, p.stderr);
      assert.equal((await vigil("tsdb", cmd, dir)).stdout, p.stdout);
    }
    assert.match(promtool("tsdb", "dump", dir).stdout, /^\{__name__="zz", a="b"\} 1 1000\n/);
  });
});

describe("vigil tsdb dump on a database in use", () => {
  it("reads without taking the lock or changing anything", async () => {
    const dir = join(tmp.dir, "inuse");
    const db = DB.open(dir, {});
    const app = db.appender();
    app.append(0, Labels.fromStrings("__name__", "up", "job", "x"), START, 1);
    app.commit();
    const before = snapshot(dir);
    try {
      const r = await vigil("tsdb", "dump", dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `{__name__="up", job="x"} 1 ${START}\n`);
      assert.deepEqual(snapshot(dir), before);
      // The running database is unaffected.
      const app2 = db.appender();
      app2.append(0, Labels.fromStrings("__name__", "up", "job", "x"), START + 15_000, 1);
      app2.commit();
    } finally {
      await db.close();
    }
  });
});

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out.push(`${p} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}
