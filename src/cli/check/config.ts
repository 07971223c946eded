/**
 * `promtool check config`: each config file is loaded (with the same checks
 * as the server: Vigil's errors name file, line and field), its rule files
 * are expanded and, unless `--syntax-only`, checked as `check rules` does.
 * Output and exit codes are promtool's.
 */
import { loadConfigFile } from "../../config/config.ts";
import { checkRules } from "../../rules/check.ts";
import { expandRuleFiles } from "../../rules/glob.ts";
import type { CommandContext } from "../command.ts";

export interface CheckConfigOptions {
  readonly syntaxOnly: boolean;
  readonly lint: string;
  readonly lintFatal: boolean;
}

/** Checks `files` as `promtool check config`; returns its exit code (0, 1, or 3 for fatal lint). */
export async function checkPrometheusConfig(
  files: readonly string[],
  opts: CheckConfigOptions,
  ctx: CommandContext,
): Promise<number> {
  let failed = false;
  let lintFailed = false;
  for (const file of files) {
    ctx.stdout.write(`Checking ${file}\n`);
    let ruleFiles: string[];
    try {
      const { config } = await loadConfigFile(file);
      ruleFiles = opts.syntaxOnly ? [] : await expandRuleFiles(config.rule_files);
      if (!opts.syntaxOnly) ctx.stdout.write(`  SUCCESS: ${ruleFiles.length} rule files found\n`);
      ctx.stdout.write(` SUCCESS: ${file} is valid prometheus config file syntax\n\n`);
    } catch (err) {
      ctx.stderr.write(`  FAILED: ${(err as Error).message}\n`);
      ctx.stdout.write("\n");
      failed = true;
      continue;
    }
    for (const rf of ruleFiles) {
      const code = await checkRules([rf], { lint: opts.lint, lintFatal: opts.lintFatal }, ctx);
      if (code === 1) failed = true;
      else if (code === 3) lintFailed = true;
    }
  }
  return failed ? 1 : lintFailed ? 3 : 0;
}
