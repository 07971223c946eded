/**
 * `check rules`, as promtool does it: each file is parsed and validated,
 * then linted for duplicate rules. Output goes where promtool writes it
 * (`Checking <file>` and `SUCCESS` on stdout, `FAILED:` and the errors on
 * stderr), and the exit code is promtool's: 0, 1 for errors, 3 for lint
 * findings under `--lint-fatal`.
 */
import { compareUTF8, goQuote } from "../model/labels/strings.ts";
import { comparePairs, type LabelPairs, pairsFromMaps } from "./pairs.ts";
import { type ParseOptions, type ParseResult, parseRuleFile, parseRules } from "./rulefmt/parse.ts";
import type { RuleGroups } from "./rulefmt/types.ts";

/** Where a command writes (a stream or a test's buffer). */
export interface Writer {
  write(text: string): unknown;
}

/** A command's two output streams. */
export interface CommandOutput {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

/** Options of {@link checkRules}. */
export interface CheckRulesOptions extends ParseOptions {
  /** promtool's `--lint`: comma-separated `all`, `duplicate-rules`, `none`. Default `duplicate-rules`. */
  readonly lint?: string;
  /** promtool's `--lint-fatal`: lint findings exit with 3. */
  readonly lintFatal?: boolean;
  /** Reads standard input when no file is given; default `process.stdin`. */
  readonly stdin?: () => Promise<string>;
}

/** promtool's exit codes. */
export const SUCCESS_EXIT = 0;
export const FAILURE_EXIT = 1;
export const LINT_EXIT = 3;

interface LintSettings {
  readonly duplicateRules: boolean;
}

function lintSettings(lint: string, out: CommandOutput): LintSettings {
  let duplicateRules = false;
  for (const item of lint.split(",")) {
    if (item === "all" || item === "duplicate-rules") duplicateRules = true;
    else if (item !== "none") out.stdout.write(`WARNING: unknown lint option: ${goQuote(item)}\n`);
  }
  return { duplicateRules };
}

/** An error of one file; lint findings alone do not make `check rules` exit 1. */
interface Finding {
  readonly text: string;
  readonly lint: boolean;
}

/**
 * Checks rule files as `promtool check rules` and returns the exit code.
 * With no files, checks standard input.
 */
export async function checkRules(
  files: readonly string[],
  opts: CheckRulesOptions,
  out: CommandOutput,
): Promise<number> {
  const lint = lintSettings(opts.lint ?? "duplicate-rules", out);
  const state = { failed: false, hasErrors: false };
  if (files.length === 0) {
    out.stdout.write("Checking standard input\n");
    const text = await (opts.stdin ?? readStdin)();
    checkOne(parseRules(text, opts), lint, out, state);
  } else {
    for (const f of files) {
      out.stdout.write(`Checking ${f}\n`);
      checkOne(await parseRuleFile(f, opts), lint, out, state);
    }
  }
  if (state.failed && state.hasErrors) return FAILURE_EXIT;
  if (state.failed && opts.lintFatal === true) return LINT_EXIT;
  return SUCCESS_EXIT;
}

function checkOne(
  res: ParseResult,
  lint: LintSettings,
  out: CommandOutput,
  state: { failed: boolean; hasErrors: boolean },
): void {
  if (!res.ok) {
    state.failed = true;
    state.hasErrors = true;
    out.stderr.write("  FAILED:\n");
    for (const e of res.errors) out.stderr.write(`${e}\n`);
    return;
  }
  const findings = checkRuleGroups(res.groups, lint);
  if (findings.length > 0) {
    state.failed = true;
    out.stderr.write("  FAILED:\n");
    for (const f of findings) {
      out.stderr.write(`${f.text}\n`);
      if (!f.lint) state.hasErrors = true;
    }
  } else {
    out.stdout.write(`  SUCCESS: ${countRules(res.groups)} rules found\n`);
  }
  out.stdout.write("\n");
}

function countRules(g: RuleGroups): number {
  return g.groups.reduce((n, grp) => n + grp.rules.length, 0);
}

function checkRuleGroups(groups: RuleGroups, lint: LintSettings): Finding[] {
  if (!lint.duplicateRules) return [];
  const dups = duplicateRules(groups);
  if (dups.length === 0) return [];
  let msg = `${dups.length} duplicate rule(s) found.\n`;
  for (const d of dups) {
    msg += `Metric: ${d.metric}\nLabel(s):\n`;
    for (const [n, v] of d.labels) msg += `\t${n}: ${v}\n`;
  }
  msg += "Might cause inconsistency while recording expressions";
  return [{ text: `lint error ${msg}`, lint: true }];
}

/** A rule's output name (alert or record) with its group and rule labels. */
export interface RuleIdentity {
  readonly metric: string;
  readonly labels: LabelPairs;
}

function compareIdentity(a: RuleIdentity, b: RuleIdentity): number {
  return compareUTF8(a.metric, b.metric) || comparePairs(a.labels, b.labels);
}

/** Upstream's `checkDuplicates`: each identity produced by more than one rule, once, sorted. */
export function duplicateRules(groups: RuleGroups): RuleIdentity[] {
  const all: RuleIdentity[] = [];
  for (const g of groups.groups) {
    for (const r of g.rules) {
      all.push({ metric: r.alert !== "" ? r.alert : r.record, labels: pairsFromMaps(g.labels, r.labels) });
    }
  }
  all.sort(compareIdentity);
  const dups: RuleIdentity[] = [];
  for (let i = 1; i < all.length; i++) {
    if (compareIdentity(all[i - 1]!, all[i]!) !== 0) continue;
    const last = dups[dups.length - 1];
    if (last === undefined || compareIdentity(all[i - 1]!, last) !== 0) dups.push(all[i]!);
  }
  return dups;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
