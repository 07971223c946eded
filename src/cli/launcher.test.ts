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

/** Prints, after loading every module `vigil server` loads up front, which copies of undici are loaded. */
const SERVER_PROBE = `
import { createRequire } from "node:module";
await import(${JSON.stringify(new URL("./server.ts", import.meta.url).href)});
const npm = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("/node_modules/undici/"));
const bundled = process.moduleLoadList.some((m) => m.includes("deps/undici"));
process.stdout.write(JSON.stringify({ npm, bundled }));
`;

describe("bin/vigil.mjs", () => {
  it("vigil server loads undici only when it needs it (https, proxies, remote storage, SD over HTTP)", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", SERVER_PROBE], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { npm: false, bundled: false });
  });

  it("runs the CLI and, once its cache is warm, never loads the TypeScript stripper", () => {
    run(); // fills the cache if this checkout has not run vigil yet
    const warm = run();
    assert.equal(warm.status, 0, warm.stderr);
    assert.match(warm.stdout, /^vigil, version /);
    assert.match(warm.stderr, /amaro=false/);
  });
});
