/**
 * `vigil start`'s alerting defaults: the rule file passes `vigil check
 * rules` and its unit tests (`testdata/rules.test.yml`) pass `vigil test
 * rules` — and the reference promtool, when present; the default
 * alertmanager.yml loads and routes everything to a receiver with no
 * integration. `testdata/rules.yml` is a copy of DEFAULT_RULES, rewritten
 * with `VIGIL_UPDATE_GOLDEN=1 node --test src/cli/start/alerting.test.ts`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseAlertmanagerConfig } from "../../alertmanager/config/config.ts";
import { buildIntegrations } from "../../alertmanager/notify/receivers/build.ts";
import { Route } from "../../alertmanager/route/route.ts";
import { main } from "../main.ts";
import { capture } from "../testing.ts";
import { DEFAULT_ALERTMANAGER_CONFIG, DEFAULT_RULES } from "./alerting.ts";

const TESTDATA = fileURLToPath(new URL("testdata/", import.meta.url));
const RULES = `${TESTDATA}rules.yml`;
const UNIT = `${TESTDATA}rules.test.yml`;
const PROMTOOL = fileURLToPath(new URL("../../../.reference/bin/promtool", import.meta.url));
const AMTOOL = fileURLToPath(new URL("../../../.reference/bin/amtool", import.meta.url));

async function vigil(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(args, { stdout, stderr, signal: new AbortController().signal });
  return { code, out: stdout.text(), err: stderr.text() };
}

describe("vigil start alerting defaults", () => {
  it("testdata/rules.yml is DEFAULT_RULES", () => {
    if (process.env.VIGIL_UPDATE_GOLDEN === "1") writeFileSync(RULES, DEFAULT_RULES);
    assert.equal(readFileSync(RULES, "utf8"), DEFAULT_RULES);
  });

  it("the rules pass vigil check rules", async () => {
    const r = await vigil("check", "rules", RULES);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /SUCCESS: 5 rules found/);
  });

  it("the rules' unit tests pass vigil test rules", async () => {
    const r = await vigil("test", "rules", UNIT);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /SUCCESS/);
  });

  it("and the reference promtool agrees", {
    skip: existsSync(PROMTOOL) ? false : "reference promtool missing",
  }, () => {
    for (const args of [
      ["check", "rules", RULES],
      ["test", "rules", UNIT],
    ]) {
      const r = spawnSync(PROMTOOL, args, { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.status, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    }
  });

  it("the default alertmanager.yml sends everything to a receiver without integrations", () => {
    const { config } = parseAlertmanagerConfig(DEFAULT_ALERTMANAGER_CONFIG, "alertmanager.yml");
    const route = Route.fromConfig(config.route);
    assert.deepEqual(
      route.match({ alertname: "InstanceDown", job: "node" }).map((r) => r.opts.receiver),
      ["blackhole"],
    );
    assert.equal(config.receivers.length, 1);
    assert.equal(buildIntegrations(config.receivers[0]!).integrations.length, 0);
  });

  it("and amtool check-config accepts it", {
    skip: existsSync(AMTOOL) ? false : "reference amtool missing",
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-start-am-"));
    try {
      writeFileSync(join(dir, "alertmanager.yml"), DEFAULT_ALERTMANAGER_CONFIG);
      const r = spawnSync(AMTOOL, ["check-config", join(dir, "alertmanager.yml")], {
        encoding: "utf8",
        timeout: 10_000,
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
