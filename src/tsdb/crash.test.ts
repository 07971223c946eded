/**
 * Crash safety: a child appends under load and is killed with SIGKILL at
 * random moments, 20+ times. Every restart must open (replaying the WAL),
 * keep every sample acknowledged before the kill, and every block must pass
 * the consistency check.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Matcher } from "../model/labels/matcher.ts";
import { mulberry32 } from "../testing/prng.ts";
import { DB } from "./db.ts";
import { readAll, tempDir } from "./testing/util.ts";
import { isULID } from "./ulid.ts";
import { verifyBlock } from "./verify.ts";

const CHILD = new URL("./testing/crashchild.ts", import.meta.url).pathname;
const SERIES = 50;
const KILLS = 24;

/** Runs the child until `ms` after it is ready, kills it, returns the last acknowledged timestamp. */
function runAndKill(dir: string, ms: number): Promise<{ ready: number; acked: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(SERIES)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buf = "";
    let ready = Number.NaN;
    let acked = -1;
    let stderr = "";
    const deadline = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [kind, t] = line.split(" ");
        if (kind === "ready") {
          ready = Number(t);
          setTimeout(() => child.kill("SIGKILL"), ms);
        } else if (kind === "ack") acked = Number(t);
        nl = buf.indexOf("\n");
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(deadline);
      if (signal !== "SIGKILL") reject(new Error(`child exited ${code} ${signal}: ${stderr}`));
      else if (Number.isNaN(ready)) reject(new Error(`child never became ready: ${stderr}`));
      else resolve({ ready, acked });
    });
  });
}

describe("crash safety", () => {
  it(`survives ${KILLS} SIGKILLs under load without losing acknowledged samples`, async () => {
    const { dir, cleanup } = tempDir("vigil-crash-");
    const rand = mulberry32(20261122);
    const started = Date.now();
    let maxAcked = -1;
    let replays = 0;
    try {
      for (let kill = 0; kill < KILLS && Date.now() - started < 90_000; kill++) {
        const { ready, acked } = await runAndKill(dir, 30 + Math.floor(rand() * 400));
        // The child resumed after everything acknowledged before.
        assert.ok(ready > maxAcked, `restart ${kill} resumed at ${ready}, after ${maxAcked}`);
        if (acked > maxAcked) maxAcked = acked;

        const db = DB.open(dir);
        replays++;
        try {
          const got = readAll(db.querier(-Infinity, Infinity), Matcher.create("=", "__name__", "crash_test"));
          assert.equal(got.size, SERIES);
          for (const [series, samples] of got) {
            // Every 15 s step from 0 to the last ack is there, exactly once, with its value.
            const upTo = samples.filter(([t]) => t <= maxAcked);
            assert.equal(upTo.length, maxAcked / 15_000 + 1, `${series} after kill ${kill}`);
            const i = Number(/host-(\d+)/.exec(series)![1]);
            for (let k = 0; k < upTo.length; k++) {
              assert.equal(upTo[k]![0], k * 15_000);
              assert.equal(upTo[k]![1], upTo[k]![0] / 1000 + i);
            }
          }
        } finally {
          await db.close();
        }
        for (const b of readdirSync(dir).filter(isULID)) {
          assert.deepEqual(verifyBlock(join(dir, b)), [], `block ${b} after kill ${kill}`);
        }
      }
      assert.ok(replays >= 20, `only ${replays} kill/restart cycles fit in the time budget`);
      assert.ok(readdirSync(dir).filter(isULID).length > 0, "compaction ran under load");
    } finally {
      cleanup();
    }
  });
});
