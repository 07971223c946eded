/**
 * The shared fixture rule files (`../shared/fixtures/rules`): `check rules`
 * reproduces the recorded promtool output, and gives promtool's verdict and
 * output for every YAML file there (differential, skipped without promtool).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkRules } from "./check.ts";
import { captured, promtool, promtoolMissing } from "./testing.ts";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/rules/", import.meta.url));
const KP = join(FIXTURES, "kube-prometheus");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.ya?ml$/.test(n) ? [p] : [];
    });
}

/** Our output for `files` (under `cwd`), both streams into one as `2>&1` records it, names relative to `cwd`. */
async function merged(files: string[], cwd: string, lint?: string): Promise<{ text: string; code: number }> {
  let text = "";
  const w = { write: (s: string) => (text += s) };
  const code = await checkRules(files, { lint }, { stdout: w, stderr: w });
  return { text: text.replaceAll(`${cwd}/`, ""), code };
}

describe("check rules on the shared fixtures", {
  skip: existsSync(FIXTURES) ? false : "fixtures missing",
}, () => {
  const recorded: [string, string | undefined][] = [
    ["promtool-check-rules.out.txt", undefined],
    ["promtool-check-rules-lint-none.out.txt", "none"],
  ];
  for (const [golden, lint] of recorded) {
    it(`matches ${golden}`, async () => {
      const files = readdirSync(KP)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => join(KP, f));
      const r = await merged(files, KP, lint);
      assert.equal(r.code, 0);
      assert.equal(r.text, readFileSync(join(KP, golden), "utf8"));
    });
  }

  it("agrees with promtool on every fixture file", async (t) => {
    const skip = promtoolMissing();
    if (skip !== false) return t.skip(skip);
    const files = yamlFiles(FIXTURES);
    let agree = 0;
    for (const file of files) {
      const rel = relative(FIXTURES, file);
      const theirs = await promtool(["check", "rules", rel], FIXTURES);
      const out = captured();
      const code = await checkRules([file], {}, out);
      const ours = out.text();
      assert.equal(code, theirs.code, `${rel}: exit code`);
      assert.equal(ours.stdout.replaceAll(FIXTURES, ""), theirs.stdout, `${rel}: stdout`);
      assert.equal(ours.stderr.replaceAll(FIXTURES, ""), theirs.stderr, `${rel}: stderr`);
      agree++;
    }
    assert.ok(files.length >= 10, `only ${files.length} fixture files found`);
    t.diagnostic(`${agree} files agree`);
    console.log(`${agree} files agree`);
  });
});
