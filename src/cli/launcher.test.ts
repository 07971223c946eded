/**
 * `bin/vigil.mjs`, the executable: it runs the CLI, and with its compile cache
 * warm, Node's TypeScript stripper (amaro, ~15 MB resident) is never loaded.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/vigil.mjs", import.meta.url));
/** Prints, at exit, whether Node's TypeScript stripper was loaded. */
const PROBE =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('amaro='+process.moduleLoadList.some(m=>m.includes('amaro'))+'\\n'))";

function run(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", PROBE, BIN, "version"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bin/vigil.mjs", () => {
  it("runs the CLI and, once its cache is warm, never loads the TypeScript stripper", () => {
    run(); // fills the cache if this checkout has not run vigil yet
    const warm = run();
    assert.equal(warm.status, 0, warm.stderr);
    assert.match(warm.stdout, /^vigil, version /);
    assert.match(warm.stderr, /amaro=false/);
  });
});
