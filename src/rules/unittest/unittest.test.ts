/**
 * `test rules` against promtool 3.5.3: the shared fixture tests (recorded
 * output), and the test files of `../testdata/unittest` (passing, failing,
 * broken) against golden outputs recorded from promtool, re-checked against
 * the live promtool when installed. Regenerate the goldens with
 *   VIGIL_UPDATE_GOLDEN=1 ./node_modules/.bin/node --test src/rules/unittest/unittest.test.ts
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { captured, promtool, promtoolMissing, type Run } from "../testing.ts";
import { testRules } from "./unittest.ts";

const DIR = fileURLToPath(new URL("../testdata/unittest/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/rules/unit-tests/", import.meta.url));
const TEST_FILES = ["pass", "fuzzy", "fail", "evalerror", "badorder", "badfield"];

async function ours(dir: string, file: string): Promise<Run> {
  const out = captured();
  const code = await testRules([join(dir, file)], {}, out);
  const { stdout, stderr } = out.text();
  return { code, stdout: stdout.replaceAll(dir, ""), stderr: stderr.replaceAll(dir, "") };
}

function render(r: Run): string {
  return `exit: ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

describe("test rules: shared fixtures", { skip: existsSync(FIXTURES) ? false : "fixtures missing" }, () => {
  it("passes kube-prometheus-rules.test.yaml", async () => {
    const r = await ours(FIXTURES, "kube-prometheus-rules.test.yaml");
    assert.equal(r.stdout, readFileSync(join(FIXTURES, "kube-prometheus-rules.test.out.txt"), "utf8"));
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
  });

  it("fails kube-prometheus-rules.failing.test.yaml with promtool's report", async () => {
    // The recording holds both streams as written (`2>&1`).
    let text = "";
    const w = { write: (s: string) => (text += s) };
    const code = await testRules(
      [join(FIXTURES, "kube-prometheus-rules.failing.test.yaml")],
      {},
      { stdout: w, stderr: w },
    );
    assert.equal(text, readFileSync(join(FIXTURES, "kube-prometheus-rules.failing.test.out.txt"), "utf8"));
    assert.equal(code, 1);
  });
});

describe("test rules: golden outputs", () => {
  for (const name of TEST_FILES) {
    it(`${name}.yml prints what promtool prints`, async (t) => {
      const golden = join(DIR, `${name}.out`);
      if (process.env.VIGIL_UPDATE_GOLDEN === "1") {
        const skip = promtoolMissing();
        if (skip !== false) return t.skip(skip);
        writeFileSync(golden, render(await promtool(["test", "rules", `${name}.yml`], DIR)));
      }
      assert.equal(render(await ours(DIR, `${name}.yml`)), readFileSync(golden, "utf8"));
    });
  }

  it("agrees with the live promtool", async (t) => {
    const skip = promtoolMissing();
    if (skip !== false) return t.skip(skip);
    for (const name of TEST_FILES) {
      const theirs = await promtool(["test", "rules", `${name}.yml`], DIR);
      assert.equal(render(await ours(DIR, `${name}.yml`)), render(theirs), name);
    }
  });

  it("runs only the groups --run selects", async () => {
    const out = captured();
    const code = await testRules([join(DIR, "fail.yml")], { run: ["^no alert"] }, out);
    assert.equal(code, 1);
    const { stderr } = out.text();
    assert.match(stderr, /misses required attribute alertname at eval_time 5m \(in TestGroup no alertname\)/);
    assert.doesNotMatch(stderr, /wrong expectations|1m30s/);
  });
});
