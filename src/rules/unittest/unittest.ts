/**
 * `test rules`, as `promtool test rules` runs it: for each test file, the
 * rule files it names (globs, relative to the test file) are loaded afresh
 * for each test group and checked; promtool's output (`  SUCCESS`, or
 * `  FAILED:` and each failure on stderr) and exit code (1 if any failed).
 */
import { dirname } from "node:path";
import { RE2JS } from "re2js";
import type { CommandOutput } from "../check.ts";
import { glob } from "../glob.ts";
import { readUnitTestFile, resolveRuleFile, type UnitTestFile } from "./file.ts";
import { runTestGroup } from "./testgroup.ts";

/** Options of {@link testRules}. */
export interface TestRulesOptions {
  /** promtool's `--run`: only test groups whose name matches one of these regular expressions. */
  readonly run?: readonly string[];
  /** promtool's `--ignore-unknown-fields` (for the rule files). */
  readonly ignoreUnknownFields?: boolean;
  /** `--enable-feature=promql-experimental-functions`. */
  readonly experimentalFunctions?: boolean;
}

/** Runs the unit tests of `files`; returns promtool's exit code (0 or 1). */
export async function testRules(
  files: readonly string[],
  opts: TestRulesOptions,
  out: CommandOutput,
): Promise<number> {
  const run = opts.run === undefined || opts.run.length === 0 ? null : RE2JS.compile(opts.run.join("|"));
  let failed = false;
  for (const f of files) {
    const errs = await testFile(f, opts, run, out);
    if (errs.length > 0) {
      out.stderr.write("  FAILED:\n");
      for (const e of errs) {
        out.stderr.write(`${e}\n`);
        out.stdout.write("\n");
      }
      failed = true;
    } else {
      out.stdout.write("  SUCCESS\n");
    }
    out.stdout.write("\n");
  }
  return failed ? 1 : 0;
}

/** Upstream's `ruleUnitTest`: the failures of one test file. */
async function testFile(
  file: string,
  opts: TestRulesOptions,
  run: RE2JS | null,
  out: CommandOutput,
): Promise<string[]> {
  let utf: UnitTestFile;
  let ruleFiles: string[];
  try {
    utf = await readUnitTestFile(file);
    ruleFiles = await globRuleFiles(dirname(file), utf.rule_files, out);
  } catch (err) {
    return [(err as Error).message];
  }
  const evalIntervalMs = utf.evaluation_interval === 0 ? 60_000 : utf.evaluation_interval;
  const groupOrder = new Map<string, number>();
  for (const [i, name] of utf.group_eval_order.entries()) {
    if (groupOrder.has(name)) return [`group name repeated in evaluation order: ${name}`];
    groupOrder.set(name, i);
  }
  const errs: string[] = [];
  for (const tg of utf.tests) {
    if (run !== null && !run.matcher(tg.name).find()) continue;
    const group = tg.interval === 0 ? { ...tg, interval: evalIntervalMs } : tg;
    errs.push(
      ...(await runTestGroup(group, {
        evalIntervalMs,
        groupOrder,
        ruleFiles,
        fuzzyCompare: utf.fuzzy_compare,
        ignoreUnknownFields: opts.ignoreUnknownFields === true,
        experimentalFunctions: opts.experimentalFunctions === true,
      })),
    );
  }
  return errs;
}

/** Upstream's `resolveAndGlobFilepaths`, warning about patterns matching nothing. */
async function globRuleFiles(
  baseDir: string,
  patterns: readonly string[],
  out: CommandOutput,
): Promise<string[]> {
  const files: string[] = [];
  for (const p of patterns.map((x) => resolveRuleFile(baseDir, x))) {
    const matches = await glob(p);
    if (matches.length === 0) out.stderr.write(`  WARNING: no file match pattern ${p}\n`);
    files.push(...matches);
  }
  return files;
}
