/**
 * Disk full: in a 4 MiB tmpfs of its own (a user and mount namespace made by
 * `unshare`, so no privileges are needed), appends must fail with a clear
 * error, queries keep working, the process lives on, and writing resumes
 * once space returns — with nothing committed lost.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { tempDir } from "./testing/util.ts";

const CHILD = new URL("./testing/diskfullchild.ts", import.meta.url).pathname;

function canUnshare(): boolean {
  const r = spawnSync("unshare", ["--user", "--map-root-user", "--mount", "true"], { timeout: 5000 });
  return r.status === 0;
}

describe("disk full", () => {
  it("refuses appends clearly, keeps serving queries, and resumes when space returns", (t) => {
    if (!canUnshare()) {
      t.skip("unshare --user --mount is not permitted here: cannot make a private tmpfs");
      return;
    }
    const { dir, cleanup } = tempDir("vigil-diskfull-");
    try {
      const script = `mount -t tmpfs -o size=4m tmpfs "$1" && exec "$2" "$3" "$1"`;
      const r = spawnSync(
        "unshare",
        ["--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", dir, process.execPath, CHILD],
        { encoding: "utf8", timeout: 60_000 },
      );
      assert.equal(r.status, 0, `child failed: ${r.stderr}`);
      const report = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
      assert.equal(report.fillError, "ENOSPC", "the filler filled the tmpfs");
      assert.ok((report.failedWhileFull as number) > 0, "appends failed while the disk was full");
      for (const e of report.errors as string[])
        assert.match(e, /^io: write-ahead log: no space left on device writing segment /);
      assert.equal(report.samplesWhileFull, report.expectedWhileFull, "queries see every committed sample");
      assert.match(String(report.compactionError), /ENOSPC|no space left/, "compaction failed, and said why");
      assert.equal(report.blocksWhileFull, 0);
      assert.equal(
        report.queryAfterFailedCompaction,
        report.expectedWhileFull,
        "a failed compaction loses nothing",
      );
      assert.equal(report.compactionErrorAfterFree, null, "compaction succeeds once space is back");
      assert.ok((report.blocksAfterFree as number) > 0);
      assert.equal(report.resumed, 20, "appends succeed again once space is freed");
      assert.equal(report.samplesAfterFree, report.expectedAfterFree);
      assert.equal(
        report.samplesAfterReopen,
        report.expectedAfterFree,
        "nothing committed is lost on reopen",
      );
    } finally {
      cleanup();
    }
  });
});
