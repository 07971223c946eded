/**
 * `vigil test rules`: promtool's `test rules` (unit tests for rules, in
 * promtool's test file format), with its flags, output and exit codes.
 */
import { parseArgs } from "node:util";
import { testRules } from "../rules/unittest/unittest.ts";
import type { Command } from "./command.ts";
import { UsageError } from "./flags.ts";

export const testCommand: Command = {
  summary: "Unit testing: rules (promtool's `test rules`).",
  description: [
    "Unit testing.",
    "",
    "Commands:",
    "  test rules [--run=<regex>...] [--ignore-unknown-fields] [--enable-feature=promql-experimental-functions] <test-rule-file>...",
    "      Unit tests for rules.",
  ].join("\n"),
  flags: {},
  async run(args, ctx) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new UsageError((err as Error).message.split("\n")[0]!.replace(/\.$/, ""), { cause: err });
    }
    const [sub, ...files] = parsed.positionals;
    if (sub === undefined) throw new UsageError("must select a subcommand of 'test'");
    if (sub !== "rules") throw new UsageError(`expected command but got ${JSON.stringify(sub)}`);
    if (files.length === 0) throw new UsageError("required argument 'test-rule-file' not provided");
    const features = (parsed.values["enable-feature"] ?? []).flatMap((f) => f.split(","));
    return testRules(
      files,
      {
        run: parsed.values.run ?? [],
        ignoreUnknownFields: parsed.values["ignore-unknown-fields"] === true,
        experimentalFunctions: features.includes("promql-experimental-functions"),
      },
      ctx,
    );
  },
};

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      run: { type: "string", multiple: true },
      "ignore-unknown-fields": { type: "boolean", default: false },
      "enable-feature": { type: "string", multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
}
