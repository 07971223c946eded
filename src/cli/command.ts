import type { FlagSpecs } from "./flags.ts";

/** Where a command writes: `process.stdout`/`process.stderr` or a test's buffer. */
export interface Output {
  write(text: string): unknown;
}

/** What a command runs with besides its arguments. */
export interface CommandContext {
  readonly stdout: Output;
  readonly stderr: Output;
  /**
   * Aborted when a long-running command must stop (SIGINT/SIGTERM in the
   * real CLI, the test's choice in tests). Short commands ignore it.
   */
  readonly signal: AbortSignal;
}

/** A `vigil` sub-command, registered by name in `src/cli/main.ts`. */
export interface Command {
  /** One line for `vigil --help`. */
  readonly summary: string;
  /** Longer description for `vigil <command> --help`; defaults to the summary. */
  readonly description?: string;
  /** The command's flags, for its `--help`. */
  readonly flags: FlagSpecs;
  /**
   * Runs the command and resolves to its exit code: 0 success, 1 failure.
   * Throws `UsageError` for bad arguments (the CLI then exits 2).
   */
  run(args: readonly string[], ctx: CommandContext): Promise<number>;
}
