/**
 * `vigil check <what>`: promtool's `check config` and `check rules`, and
 * amtool's `check-config` as `vigil check alertmanager-config`; their
 * arguments, output and exit codes.
 */
import { existsSync } from "node:fs";
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { checkConfig as checkAlertmanagerConfig } from "../../alertmanager/config/check.ts";
import { checkRules } from "../../rules/check.ts";
import type { Command, CommandContext } from "../command.ts";
import { UsageError } from "../flags.ts";
import { checkPrometheusConfig } from "./config.ts";

type Options = ParseArgsOptionsConfig;

const LINT = {
  lint: { type: "string", default: "duplicate-rules" },
  "lint-fatal": { type: "boolean", default: false },
} as const satisfies Options;

interface Sub {
  readonly usage: string;
  readonly options: Options;
  run(values: Record<string, unknown>, files: string[], ctx: CommandContext): Promise<number>;
}

const SUBCOMMANDS: Readonly<Record<string, Sub>> = {
  config: {
    usage:
      "config [--syntax-only] [--lint=duplicate-rules] [--lint-fatal] <config-files>...\n      Check if the config files are valid or not.",
    options: { ...LINT, "syntax-only": { type: "boolean", default: false } },
    run: (v, files, ctx) =>
      checkPrometheusConfig(
        files,
        {
          syntaxOnly: v["syntax-only"] === true,
          lint: String(v.lint),
          lintFatal: v["lint-fatal"] === true,
        },
        ctx,
      ),
  },
  rules: {
    usage:
      "rules [--lint=duplicate-rules] [--lint-fatal] [--ignore-unknown-fields] [<rule-files>...]\n      Check if the rule files are valid or not (standard input without files).",
    options: { ...LINT, "ignore-unknown-fields": { type: "boolean", default: false } },
    run: (v, files, ctx) =>
      checkRules(
        files,
        {
          lint: String(v.lint),
          lintFatal: v["lint-fatal"] === true,
          ignoreUnknownFields: v["ignore-unknown-fields"] === true,
        },
        ctx,
      ),
  },
  "alertmanager-config": {
    usage:
      "alertmanager-config <config-files>...\n      Validate alertmanager config files, as `amtool check-config`.",
    options: {},
    async run(_v, files, ctx) {
      if (files.length === 0) throw new UsageError("required argument 'check-files' not provided");
      const res = await checkAlertmanagerConfig(files, (t) => ctx.stdout.write(t), {
        stderr: (t) => ctx.stderr.write(t),
      });
      return res.exitCode;
    },
  },
};

/** Splits `args` into the sub-command's flags and files; unknown flags are usage errors. */
function parse(sub: Sub, args: readonly string[]): { values: Record<string, unknown>; files: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: sub.options,
      strict: true,
      allowPositionals: true,
    });
    return { values, files: positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]!.replace(/\.$/, ""), { cause: err });
  }
}

export const checkCommand: Command = {
  summary: "Check the resources for validity: config, rules (promtool), alertmanager-config (amtool).",
  description: [
    "Check the resources for validity.",
    "",
    "Commands:",
    ...Object.values(SUBCOMMANDS).map((s) => `  check ${s.usage}`),
  ].join("\n"),
  flags: {},
  async run(args, ctx) {
    const at = args.findIndex((a) => !a.startsWith("-"));
    if (at < 0) throw new UsageError("must select a subcommand of 'check'");
    const name = args[at]!;
    const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    if (sub === undefined) throw new UsageError(`expected command but got ${JSON.stringify(name)}`);
    const { values, files } = parse(sub, [...args.slice(0, at), ...args.slice(at + 1)]);
    // promtool refuses missing paths before checking anything.
    for (const f of files) if (!existsSync(f)) throw new UsageError(`path '${f}' does not exist`);
    return sub.run(values, files, ctx);
  },
};
