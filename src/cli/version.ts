import { printVersion } from "../version/info.ts";
import type { Command } from "./command.ts";
import { parseFlags } from "./flags.ts";

/** `vigil version` (also `vigil --version`): build information, shaped like `prometheus --version`. */
export const versionCommand: Command = {
  summary: "Show version and build information.",
  flags: {},
  async run(args, ctx) {
    parseFlags({}, args);
    ctx.stdout.write(`${printVersion("vigil")}\n`);
    return 0;
  },
};
