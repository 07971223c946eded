/**
 * Test helpers: the reference `amtool` from `.reference/bin` as an oracle for
 * the config loader, matchers parsers and routing tree (tests skip when it is
 * absent), and temporary files to feed it.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { referenceBin, referenceSkip } from "../../testing/reference.ts";

/** Path of the reference amtool 0.33.1. */
export const AMTOOL = referenceBin("amtool");

/** A skip reason when the reference amtool is absent, else false (for `it(…, { skip })`). */
export function amtoolSkip(): string | false {
  return referenceSkip("amtool");
}

/** What one amtool run printed. */
export interface AmtoolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

/** Runs amtool with `args` (10 s limit), from `cwd`. */
export function runAmtool(args: readonly string[], cwd?: string): AmtoolResult {
  const r = spawnSync(AMTOOL, args, { cwd, encoding: "utf8", timeout: 10_000 });
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status ?? -1 };
}

/**
 * Runs the reference amtool with `--alertmanager.url=<url>` and `args`
 * asynchronously (10 s limit), so a server under test in this process keeps
 * running.
 */
export function amtoolAgainst(url: string, args: readonly string[]): Promise<AmtoolResult> {
  return new Promise((resolve) => {
    execFile(AMTOOL, [`--alertmanager.url=${url}`, ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      const status = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      resolve({ stdout, stderr, status });
    });
  });
}

/** A temporary directory removed by `cleanup`; `write` puts a file in it and returns its path. */
export function tempDir(prefix = "vigil-am-"): {
  dir: string;
  write(name: string, text: string): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
