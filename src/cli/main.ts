import type { Command, CommandContext } from "./command.ts";
import { formatFlags, UsageError } from "./flags.ts";
import { processShutdownSignal } from "./signals.ts";

/**
 * Every sub-command, each loaded only when it runs (or for help): a process
 * holds the code of its own command, not of the whole stack (`vigil server`
 * does not load the Alertmanager, the dashboards or the exporters).
 */
export const commands: Readonly<Record<string, () => Promise<Command>>> = {
  alertmanager: async () => (await import("./alertmanager.ts")).alertmanagerCommand,
  check: async () => (await import("./check/check.ts")).checkCommand,
  dashboards: async () => (await import("./dashboards.ts")).dashboardsCommand,
  "kube-state-metrics": async () => (await import("./kubestatemetrics.ts")).kubeStateMetricsCommand,
  "node-exporter": async () => (await import("./nodeexporter.ts")).nodeExporterCommand,
  pushgateway: async () => (await import("./pushgateway.ts")).pushgatewayCommand,
  server: async () => (await import("./server.ts")).serverCommand,
  start: async () => (await import("./start/start.ts")).startCommand,
  test: async () => (await import("./test.ts")).testCommand,
  tsdb: async () => (await import("./tsdb/tsdb.ts")).tsdbCommand,
  version: async () => (await import("./version.ts")).versionCommand,
};

const PROGRAM = "vigil";

/**
 * The `vigil` command line: `vigil <command> [<flags>]`. Resolves to the
 * process exit code, following upstream: 0 success, 1 runtime failure,
 * 2 bad command line (unknown command or flag, bad flag value), where
 * Prometheus exits 2 after "Error parsing command line arguments".
 */
export async function main(argv: readonly string[], ctx: Partial<CommandContext> = {}): Promise<number> {
  let shutdown = ctx.signal;
  const context: CommandContext = {
    stdout: ctx.stdout ?? process.stdout,
    stderr: ctx.stderr ?? process.stderr,
    // Installed on first use: only commands that read the signal trap SIGINT/SIGTERM;
    // the others keep the default of dying on them.
    get signal() {
      shutdown ??= processShutdownSignal();
      return shutdown;
    },
  };
  const [first, ...rest] = argv;
  if (first === undefined) {
    context.stderr.write(`${await usage()}\n`);
    return 2;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    return rest.length > 0 ? runCommand(rest[0]!, ["--help"], context) : help(context);
  }
  if (first === "--version") return runCommand("version", rest, context);
  return runCommand(first, rest, context);
}

async function runCommand(name: string, args: readonly string[], ctx: CommandContext): Promise<number> {
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (load === undefined) {
    const what = name.startsWith("-") ? `unknown flag '${name}'` : `unknown command "${name}"`;
    ctx.stderr.write(`${PROGRAM}: error: ${what}, try --help\n`);
    return 2;
  }
  const command = await load();
  if (args.includes("--help") || args.includes("-h")) {
    ctx.stdout.write(`${commandHelp(name, command)}\n`);
    return 0;
  }
  try {
    return await command.run(args, ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(
      `${PROGRAM} ${name}: error: ${message}${err instanceof UsageError ? ", try --help" : ""}\n`,
    );
    return err instanceof UsageError ? 2 : 1;
  }
}

async function help(ctx: CommandContext): Promise<number> {
  ctx.stdout.write(`${await usage()}\n`);
  return 0;
}

/** `vigil --help`: what Vigil is and the commands with their one-line summaries. */
export async function usage(): Promise<string> {
  const names = Object.keys(commands);
  const loaded = await Promise.all(names.map((n) => commands[n]!()));
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const list = names.map((n, i) => `  ${n.padEnd(width)}${loaded[i]!.summary}`).join("\n");
  return [
    `usage: ${PROGRAM} <command> [<flags>]`,
    "",
    "The Prometheus + Grafana monitoring stack, in TypeScript.",
    "",
    "Flags:",
    "  -h, --help     Show help (also: vigil help [<command>]).",
    "      --version  Show application version.",
    "",
    "Commands:",
    list,
    "",
    `Run "${PROGRAM} <command> --help" for a command's flags.`,
  ].join("\n");
}

function commandHelp(name: string, command: Command): string {
  return [
    `usage: ${PROGRAM} ${name} [<flags>]`,
    "",
    command.description ?? command.summary,
    "",
    "Flags:",
    formatFlags(command.flags),
  ].join("\n");
}
