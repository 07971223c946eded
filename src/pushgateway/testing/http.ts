/** HTTP helpers for the Pushgateway's tests: raw requests and the reference binary. */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { freePort } from "../../testing/net.ts";

/** The reference Pushgateway (1.11) the differential tests compare with. */
export const REFERENCE_BIN = new URL("../../../.reference/bin/pushgateway", import.meta.url).pathname;

/** Whether the reference binary is installed (`../shared/tools/install-reference.sh`). */
export function referenceAvailable(): boolean {
  return existsSync(REFERENCE_BIN);
}

/** A request as sent: the path is written as is (no URL normalization). */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What came back. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Sends `req` to `127.0.0.1:port`; rejects after `timeoutMs`. */
export function send(port: number, req: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const r = request(
      {
        host: "127.0.0.1",
        port,
        method: req.method,
        path: req.path,
        headers: { ...(body === undefined ? {} : { "Content-Length": body.length }), ...req.headers },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    r.on("timeout", () => r.destroy(new Error(`${req.method} ${req.path}: timed out`)));
    r.on("error", reject);
    r.end(body);
  });
}

/** A running process serving HTTP on `port`. */
export interface RunningProcess {
  readonly port: number;
  readonly proc: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the exit, SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Spawns `command args` and waits until `GET /-/ready` on `port` answers 200
 * (at most `timeoutMs`); kills the process and rejects otherwise.
 */
export async function spawnServer(
  command: string,
  args: readonly string[],
  port: number,
  timeoutMs = 15_000,
): Promise<RunningProcess> {
  const proc = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const running: RunningProcess = {
    port,
    proc,
    stderr: () => stderr,
    stop: async (signal = "SIGTERM", graceMs = 5000) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${command} exited early: ${stderr}`);
    try {
      if ((await send(port, { method: "GET", path: "/-/ready" }, 1000)).status === 200) return running;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await running.stop("SIGKILL");
  throw new Error(`${command} not ready within ${timeoutMs} ms: ${stderr}`);
}

export { freePort };
