/**
 * Differential test against the reference amtool: `amtool config routes test
 * --tree` on the fixture routing tree for many label sets (and `routes show`
 * on every fixture config) must print exactly what Vigil prints.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseAlertmanagerConfig } from "../config/config.ts";
import { amtoolSkip, runAmtool } from "../config/testing.ts";
import { routesShow, routesTest } from "./amtool.ts";

const FIXTURES = "/work/shared/fixtures/alertmanager";
const TREE = `${FIXTURES}/routing-tree.yml`;

/** Label sets: a deterministic sample of combinations, plus odd inputs. */
function labelSets(): string[][] {
  const values: Record<string, string[]> = {
    alertname: ["Watchdog", "KubePodCrashLooping", "NodeDown", "Other"],
    severity: ["critical", "warning", "none", ""],
    namespace: ["shop", "payments", "other", ""],
    job: ["batch_import", ""],
  };
  const sets: string[][] = [];
  let i = 0;
  for (const a of values.alertname)
    for (const s of values.severity)
      for (const n of values.namespace)
        for (const j of values.job) {
          if (i++ % 3 !== 0) continue;
          const ls = [`alertname=${a}`];
          if (s !== "") ls.push(`severity=${s}`);
          if (n !== "") ls.push(`namespace=${n}`);
          if (j !== "") ls.push(`job=${j}`);
          sets.push(ls);
        }
  sets.push(
    [],
    ['alertname="Watchdog"'],
    ["severity=critical", "severity=warning"],
    ["instance=node-1:9100", "alertname=NodeFilesystemAlmostOutOfSpace"],
  );
  return sets;
}

describe("routes test against amtool 0.33", { skip: amtoolSkip() }, () => {
  const config = parseAlertmanagerConfig(readFileSync(TREE, "utf8"), TREE).config;
  it("agrees on receivers and matching trees", () => {
    const sets = labelSets();
    const diffs: string[] = [];
    for (const ls of sets) {
      const ref = runAmtool(["config", "routes", "test", `--config.file=${TREE}`, "--tree", ...ls]);
      const ours = routesTest(config, ls, { tree: true });
      if (ref.stdout !== ours.output || ref.status !== ours.exitCode)
        diffs.push(`${ls.join(" ")}:\n${ref.stdout}\n---\n${ours.output}`);
    }
    console.log(`${sets.length - diffs.length}/${sets.length} label sets route the same`);
    assert.deepEqual(diffs, []);
  });

  for (const name of ["simple.yml", "ha-example.yml", "routing-tree.yml"]) {
    it(`draws ${name} the same`, () => {
      const path = `${FIXTURES}/${name}`;
      const ref = runAmtool(["config", "routes", "show", `--config.file=${path}`]);
      assert.equal(routesShow(parseAlertmanagerConfig(readFileSync(path, "utf8"), path).config), ref.stdout);
    });
  }
});
