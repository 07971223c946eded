import { alertmanagerCommand } from "./alertmanager.ts";
import { checkCommand } from "./check/check.ts";
import type { Command, CommandContext } from "./command.ts";
import { dashboardsCommand } from "./dashboards.ts";
import { formatFlags, UsageError } from "./flags.ts";
import { kubeStateMetricsCommand } from "./kubestatemetrics.ts";
import { nodeExporterCommand } from "./nodeexporter.ts";
import { pushgatewayCommand } from "./pushgateway.ts";
import { serverCommand } from "./server.ts";
import { processShutdownSignal } from "./signals.ts";
import { startCommand } from "./start/start.ts";
import { testCommand } from "./test.ts";
import { tsdbCommand } from "./tsdb/tsdb.ts";
import { versionCommand } from "./version.ts";

/**
 * Every sub-command that works today. Commands planned in DESIGN.md
 * (`server`, `alertmanager`, `check`, …) are added here when they exist.
 */
export const commands: Readonly<Record<string, Command>> = {
  alertmanager: alertmanagerCommand,
  check: checkCommand,
  dashboards: dashboardsCommand,
  "kube-state-metrics": kubeStateMetricsCommand,
  "node-exporter": nodeExporterCommand,
  pushgateway: pushgatewayCommand,
  server: serverCommand,
  start: startCommand,
  test: testCommand,
  tsdb: tsdbCommand,
  version: versionCommand,
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
    context.stderr.write(`${usage()}\n`);
    return 2;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    return rest.length > 0 ? runCommand(rest[0]!, ["--help"], context) : help(context);
  }
  if (first === "--version") return runCommand("version", rest, context);
  return runCommand(first, rest, context);
}

async function runCommand(name: string, args: readonly string[], ctx: CommandContext): Promise<number> {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    const what = name.startsWith("-") ? `unknown flag '${name}'` : `unknown command "${name}"`;
    ctx.stderr.write(`${PROGRAM}: error: ${what}, try --help\n`);
    return 2;
  }
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

function help(ctx: CommandContext): number {
  ctx.stdout.write(`${usage()}\n`);
  return 0;
}

/** `vigil --help`: what Vigil is and the commands with their one-line summaries. */
export function usage(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const list = names.map((n) => `  ${n.padEnd(width)}${commands[n]!.summary}`).join("\n");
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
