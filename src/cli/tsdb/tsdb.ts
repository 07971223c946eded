/**
 * `vigil tsdb <command>`: promtool's `tsdb` tools with its arguments, flags
 * and output — list, analyze, dump, dump-openmetrics and
 * create-blocks-from openmetrics.
 */
import type { Command, CommandContext } from "../command.ts";
import { UsageError } from "../flags.ts";
import { analyzeBlock } from "./analyze.ts";
import { type ArgSpec, formatArgSpec, type ParsedArgs, parseArgs } from "./args.ts";
import { backfillOpenMetrics } from "./backfill.ts";
import { type DumpFormat, dumpSamples } from "./dump.ts";
import { parseGoDuration } from "./format.ts";
import { listBlocks } from "./list.ts";
import { SelectorError } from "./selector.ts";

const DB_PATH = { name: "db path", help: "Database path (default is data/).", default: "data/" } as const;
const DEFAULT_MATCH = "{__name__=~'(?s:.*)'}";

const LIST: ArgSpec = {
  flags: { "human-readable": { type: "boolean", short: "r", help: "Print human readable values." } },
  positionals: [DB_PATH],
};

const ANALYZE: ArgSpec = {
  flags: {
    limit: { type: "string", default: "20", help: "How many items to show in each list." },
    extended: { type: "boolean", help: "Run extended analysis." },
    match: {
      type: "string",
      default: "",
      placeholder: "MATCH",
      help: "Series selector to analyze. Only 1 set of matchers is supported now.",
    },
  },
  positionals: [DB_PATH, { name: "block id", help: "Block to analyze (default is the last block)." }],
};

const DUMP: ArgSpec = {
  flags: {
    "sandbox-dir-root": {
      type: "string",
      placeholder: "SANDBOX-DIR-ROOT",
      help: "Accepted for promtool compatibility; Vigil replays the WAL in memory and writes nothing.",
    },
    "min-time": {
      type: "string",
      default: "-9223372036854775808",
      help: "Minimum timestamp to dump, in milliseconds since the Unix epoch.",
    },
    "max-time": {
      type: "string",
      default: "9223372036854775807",
      help: "Maximum timestamp to dump, in milliseconds since the Unix epoch.",
    },
    match: {
      type: "repeated",
      default: DEFAULT_MATCH,
      help: "Series selector. Can be specified multiple times.",
    },
  },
  positionals: [DB_PATH],
};

const CREATE_OPENMETRICS: ArgSpec = {
  flags: {
    "human-readable": { type: "boolean", short: "r", help: "Print human readable values." },
    quiet: { type: "boolean", short: "q", help: "Do not print created blocks." },
    label: {
      type: "repeated",
      placeholder: "LABEL",
      help: "Label to attach to metrics. Can be specified multiple times. Example --label=label_name=label_value",
    },
    "max-block-duration": {
      type: "string",
      default: "0s",
      placeholder: "<duration>",
      hidden: true,
      help: "Maximum duration created blocks may span. Anything less than 2h is ignored.",
    },
  },
  positionals: [
    { name: "input file", required: true, help: "OpenMetrics file to read samples from." },
    { name: "output directory", default: "data/", help: "Output directory for generated blocks." },
  ],
};

interface Sub {
  readonly usage: string;
  readonly summary: string;
  readonly spec: ArgSpec;
  run(args: ParsedArgs, ctx: CommandContext): number;
}

const SUBCOMMANDS: Readonly<Record<string, Sub>> = {
  list: {
    usage: "list [<flags>] [<db path>]",
    summary: "List tsdb blocks.",
    spec: LIST,
    run(a, ctx) {
      ctx.stdout.write(listBlocks(a.positionals.get("db path")!, a.booleans.get("human-readable")!));
      return 0;
    },
  },
  analyze: {
    usage: "analyze [<flags>] [<db path>] [<block id>]",
    summary: "Analyze churn, label pair cardinality and compaction efficiency.",
    spec: ANALYZE,
    run(a, ctx) {
      const text = analyzeBlock(a.positionals.get("db path")!, a.positionals.get("block id"), {
        limit: parseLimit(a.strings.get("limit")!),
        extended: a.booleans.get("extended")!,
        match: a.strings.get("match")!,
      });
      ctx.stdout.write(text);
      return 0;
    },
  },
  dump: {
    usage: "dump [<flags>] [<db path>]",
    summary: "Dump samples from a TSDB.",
    spec: DUMP,
    run: (a, ctx) => runDump(a, ctx, "promtool"),
  },
  "dump-openmetrics": {
    usage: "dump-openmetrics [<flags>] [<db path>]",
    // promtool's help says stale markers are left out; its output (and Vigil's) has them.
    summary: "[Experimental] Dump samples from a TSDB in OpenMetrics text format.",
    spec: DUMP,
    run: (a, ctx) => runDump(a, ctx, "openmetrics"),
  },
  "create-blocks-from openmetrics": {
    usage: "create-blocks-from openmetrics [<flags>] <input file> [<output directory>]",
    summary: "Import samples from OpenMetrics input and produce TSDB blocks.",
    spec: CREATE_OPENMETRICS,
    run(a, ctx) {
      backfillOpenMetrics({
        input: a.positionals.get("input file")!,
        outputDir: a.positionals.get("output directory")!,
        maxBlockDuration: parseDurationFlag(a.strings.get("max-block-duration")!),
        humanReadable: a.booleans.get("human-readable")!,
        quiet: a.booleans.get("quiet")!,
        labels: parseLabelFlags(a.repeated.get("label") ?? []),
        out: (text) => ctx.stdout.write(text),
        progress: (text) => ctx.stderr.write(text),
      });
      return 0;
    },
  },
};

/** Sub-commands promtool has that need what Vigil does not have yet. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  "create-blocks-from rules": "needs PromQL rule evaluation, which Vigil does not have yet",
  "bench write": "is not part of Vigil",
};

function runDump(a: ParsedArgs, ctx: CommandContext, format: DumpFormat): number {
  dumpSamples(
    a.positionals.get("db path")!,
    {
      mint: parseInt64(a.strings.get("min-time")!),
      maxt: parseInt64(a.strings.get("max-time")!),
      match: a.repeated.get("match") ?? [DEFAULT_MATCH],
      format,
    },
    (text) => ctx.stdout.write(text),
  );
  return 0;
}

/** Go's `strconv.ParseInt(s, 10, 64)`, as a number (precision beyond 2^53 is not needed for times). */
export function parseInt64(s: string): number {
  if (!/^[+-]?\d+$/.test(s))
    throw new UsageError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) {
    throw new UsageError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  }
  return Number(n);
}

/** `--limit`, read as a float and truncated, as kingpin does for promtool. */
function parseLimit(s: string): number {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) {
    throw new UsageError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  return Math.trunc(Number(s));
}

function parseDurationFlag(s: string): number {
  try {
    return parseGoDuration(s);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--label name=value` flags; the last of a name wins. */
function parseLabelFlags(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq < 0) throw new UsageError(`expected KEY=VALUE got '${v}'`);
    if (eq === 0) throw new UsageError(`invalid --label '${v}': empty label name`);
    out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}

function describeSubcommands(): string {
  const parts: string[] = ["Run tsdb commands (promtool's `tsdb` tools).", "", "Commands:"];
  for (const sub of Object.values(SUBCOMMANDS)) {
    parts.push(`  tsdb ${sub.usage}`, `      ${sub.summary}`);
    const flags = formatArgSpec(sub.spec);
    if (flags !== "") parts.push(flags.replace(/^/gm, "    "));
    parts.push("");
  }
  parts.push('Run "vigil tsdb <command> [<args>]"; usage errors exit 2, failures exit 1.');
  return parts.join("\n");
}

export const tsdbCommand: Command = {
  summary: "Run tsdb commands: list, analyze, dump, dump-openmetrics, create-blocks-from openmetrics.",
  description: describeSubcommands(),
  flags: {},
  async run(args, ctx) {
    const at = args.findIndex((a) => !a.startsWith("-"));
    if (at < 0) throw new UsageError("must select a subcommand of 'tsdb'");
    let name = args[at]!;
    let rest = [...args.slice(0, at), ...args.slice(at + 1)];
    if (name === "create-blocks-from" || name === "bench") {
      const second = rest.findIndex((a) => !a.startsWith("-"));
      if (second < 0) throw new UsageError(`must select a subcommand of 'tsdb ${name}'`);
      name = `${name} ${rest[second]!}`;
      rest = [...rest.slice(0, second), ...rest.slice(second + 1)];
    }
    if (Object.hasOwn(UNSUPPORTED, name)) {
      throw new Error(`tsdb ${name} ${UNSUPPORTED[name]}`);
    }
    const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    if (sub === undefined) throw new UsageError(`expected command but got ${JSON.stringify(name)}`);
    const parsed = parseArgs(sub.spec, rest);
    try {
      return sub.run(parsed, ctx);
    } catch (e) {
      // A --match that does not parse is a bad flag value.
      if (e instanceof SelectorError) throw new UsageError(e.message, { cause: e });
      throw e;
    }
  },
};
