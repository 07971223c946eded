/**
 * `amtool check-config` (and `vigil check-config`): load each file, print
 * what it holds in amtool's words, then check its templates. Output is
 * amtool 0.33's, byte for byte for valid configs; a failure prints Vigil's
 * error (file:line:col, field, upstream's reason) where amtool prints its own.
 */
import { globSync, readFileSync } from "node:fs";
import { loadAlertmanagerConfigFile } from "./config.ts";

/** Options of {@link checkConfig}. */
export interface CheckConfigOptions {
  /**
   * Parses the template files matched by the config's globs (the Go template
   * engine's `template.FromGlobs`); throws to fail the file. The default only
   * reads each matched file. Globs matching nothing are not an error, as upstream.
   */
  readonly checkTemplates?: (files: readonly string[]) => void | Promise<void>;
  /** Where amtool's own error line goes (default: nowhere). */
  readonly stderr?: (text: string) => void;
}

/** What {@link checkConfig} found. */
export interface CheckConfigResult {
  /** Files (or their templates) that failed. */
  readonly failed: number;
  /** amtool's exit status: 1 when anything failed. */
  readonly exitCode: 0 | 1;
}

/** The files Go's `filepath.Glob` would match for the config's template patterns, sorted per pattern. */
export function expandTemplateGlobs(patterns: readonly string[]): string[] {
  return patterns.flatMap((p) => globSync(p).sort());
}

function readAll(files: readonly string[]): void {
  for (const f of files) readFileSync(f);
}

/**
 * Checks `files` in order, writing amtool's report to `out`:
 * `Checking 'x.yml'  SUCCESS`, the `Found:` summary and the templates'
 * result, or `  FAILED: <error>`.
 */
export async function checkConfig(
  files: readonly string[],
  out: (text: string) => void,
  options: CheckConfigOptions = {},
): Promise<CheckConfigResult> {
  const checkTemplates = options.checkTemplates ?? readAll;
  let failed = 0;
  for (const file of files) {
    out(`Checking '${file}'`);
    try {
      const { config } = await loadAlertmanagerConfigFile(file);
      out("  SUCCESS\n");
      out("Found:\n - global config\n - route\n");
      out(` - ${config.inhibit_rules.length} inhibit rules\n`);
      out(` - ${config.receivers.length} receivers\n`);
      out(` - ${config.templates.length} templates\n`);
      if (config.templates.length > 0) {
        try {
          await checkTemplates(expandTemplateGlobs(config.templates));
          out("  SUCCESS\n");
        } catch (err) {
          out(`  FAILED: ${(err as Error).message}\n`);
          failed++;
        }
      }
    } catch (err) {
      out(`  FAILED: ${(err as Error).message}\n`);
      failed++;
    }
    out("\n");
  }
  if (failed > 0) options.stderr?.(`amtool: error: failed to validate ${failed} file(s)\n\n`);
  return { failed, exitCode: failed > 0 ? 1 : 0 };
}
