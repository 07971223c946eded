/**
 * `vigil check` and `vigil test rules` through the CLI: promtool's output and
 * exit codes on the shared fixtures, and, when the reference promtool is
 * installed, the same stdout, stderr and exit code as promtool on a config
 * whose rule files pass and one that does not parse.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../main.ts";
import { capture } from "../testing.ts";

const PROMTOOL = fileURLToPath(new URL("../../../.reference/bin/promtool", import.meta.url));
const UNIT_TESTS = fileURLToPath(new URL("../../../../shared/fixtures/rules/unit-tests/", import.meta.url));

/** Runs `vigil` in `cwd`; `combined` is stdout and stderr interleaved as a terminal shows them. */
async function vigil(args: string[], cwd: string) {
  const stdout = capture();
  const stderr = capture();
  const combined = capture();
  const tee = (a: typeof stdout) => ({ write: (s: string) => a.write(s) && combined.write(s) });
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { stdout: tee(stdout), stderr: tee(stderr) });
    return { code, stdout: stdout.text(), stderr: stderr.text(), combined: combined.text() };
  } finally {
    process.chdir(prev);
  }
}

describe("vigil check / vigil test", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-check-"));
    mkdirSync(join(dir, "rules"));
    writeFileSync(
      join(dir, "rules", "a.yml"),
      "groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n",
    );
    writeFileSync(join(dir, "good.yml"), "rule_files: [rules/*.yml]\nscrape_configs: []\n");
    writeFileSync(join(dir, "bad.yml"), "global:\n  scrape_interval: 15x\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("check config: valid config and its rule files, as promtool prints them", async () => {
    const r = await vigil(["check", "config", "good.yml"], dir);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      "Checking good.yml\n  SUCCESS: 1 rule files found\n SUCCESS: good.yml is valid prometheus config file syntax\n\n" +
        "Checking rules/a.yml\n  SUCCESS: 1 rules found\n\n",
    );
  });

  it("check config: a broken file fails with file:line and the reason", async () => {
    const r = await vigil(["check", "config", "bad.yml"], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "Checking bad.yml\n\n");
    assert.equal(
      r.stderr,
      '  FAILED: bad.yml:2:20: global.scrape_interval: unknown unit "x" in duration "15x"\n',
    );
  });

  it("check: a missing path is a usage error", async () => {
    const r = await vigil(["check", "rules", "nope.yml"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /path 'nope.yml' does not exist/);
  });

  it("check config matches promtool for valid configs", {
    skip: !existsSync(PROMTOOL) && "no reference promtool",
  }, async () => {
    const want = spawnSync(PROMTOOL, ["check", "config", "good.yml"], { cwd: dir, encoding: "utf8" });
    const got = await vigil(["check", "config", "good.yml"], dir);
    assert.deepEqual([got.code, got.stdout, got.stderr], [want.status, want.stdout, want.stderr]);
  });

  for (const [file, code] of [
    ["kube-prometheus-rules.test.yaml", 0],
    ["kube-prometheus-rules.failing.test.yaml", 1],
  ] as const) {
    it(`test rules ${file}: promtool's recorded output`, { timeout: 60_000 }, async () => {
      const r = await vigil(["test", "rules", file], UNIT_TESTS);
      assert.equal(r.code, code);
      const recorded = readFileSync(join(UNIT_TESTS, file.replace(/\.yaml$/, ".out.txt")), "utf8");
      assert.equal(r.combined, recorded);
    });
  }
});
