/**
 * `check rules` against golden outputs of promtool 3.5.3 (`testdata/check/*.out`:
 * stdout, stderr, exit code), and the same files through promtool itself when
 * it is installed. Regenerate the goldens with
 *   VIGIL_UPDATE_GOLDEN=1 ./node_modules/.bin/node --test src/rules/check.test.ts
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkRules, duplicateRules } from "./check.ts";
import { parseRules } from "./rulefmt/parse.ts";
import { captured, promtool, promtoolMissing, type Run } from "./testing.ts";

const DIR = fileURLToPath(new URL("testdata/check/", import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".yml"))
  .sort();

function render(r: Run): string {
  return `exit: ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

async function ours(file: string, args: { lint?: string; lintFatal?: boolean } = {}): Promise<Run> {
  const out = captured();
  const code = await checkRules([`${DIR}${file}`], args, out);
  const { stdout, stderr } = out.text();
  return { code, stdout: stdout.replaceAll(DIR, ""), stderr: stderr.replaceAll(DIR, "") };
}

describe("check rules", () => {
  for (const file of FILES) {
    it(`${file} prints what promtool prints`, async (t) => {
      const golden = `${DIR}${file.replace(/\.yml$/, ".out")}`;
      if (process.env.VIGIL_UPDATE_GOLDEN === "1") {
        const skip = promtoolMissing();
        if (skip !== false) return t.skip(skip);
        writeFileSync(golden, render(await promtool(["check", "rules", file], DIR)));
      }
      assert.equal(render(await ours(file)), readFileSync(golden, "utf8"));
    });
  }

  const lintCases: [string, { lint?: string; lintFatal?: boolean }, number][] = [
    ["default lint", {}, 0],
    ["lint fatal", { lintFatal: true }, 3],
    ["no lint", { lint: "none", lintFatal: true }, 0],
    ["all", { lint: "all", lintFatal: true }, 3],
  ];
  for (const [name, args, code] of lintCases) {
    it(`exit code with ${name}`, async () => {
      assert.equal((await ours("lint.yml", args)).code, code);
    });
  }

  it("warns about an unknown lint option", async () => {
    const r = await ours("good.yml", { lint: "bogus" });
    assert.match(r.stdout, /^WARNING: unknown lint option: "bogus"\n/);
    assert.equal(r.code, 0);
  });

  it("reports a missing file as promtool does", async () => {
    const out = captured();
    const code = await checkRules(["/nonexistent/rules.yml"], {}, out);
    assert.equal(code, 1);
    assert.equal(
      out.text().stderr,
      "  FAILED:\n/nonexistent/rules.yml: open /nonexistent/rules.yml: no such file or directory\n",
    );
  });

  it("reads standard input when given no file", async () => {
    const out = captured();
    const code = await checkRules(
      [],
      { stdin: async () => "groups: [{name: a, rules: [{record: b, expr: '1'}]}]" },
      out,
    );
    assert.equal(code, 0);
    assert.equal(out.text().stdout, "Checking standard input\n  SUCCESS: 1 rules found\n\n");
  });

  it("finds duplicates once each, sorted by name then labels", () => {
    const res = parseRules(readFileSync(`${DIR}lint.yml`, "utf8"));
    assert.ok(res.ok);
    assert.deepEqual(
      duplicateRules(res.groups).map((d) => d.metric),
      ["A", "r"],
    );
  });
});
