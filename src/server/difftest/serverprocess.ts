/**
 * A Prometheus-compatible server (the reference `prometheus` binary or
 * `vigil server`) run as a child process on a free loopback port, with a
 * small HTTP client for its API. Differential tests start one of each with
 * the same config and ask both the same requests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../promql/difftest/prometheus.ts";

const BIN = fileURLToPath(new URL("../../../.reference/bin/", import.meta.url));
const VIGIL = fileURLToPath(new URL("../../../bin/vigil.mjs", import.meta.url));

/** The reference binaries the differential tests need, missing ones first. */
export function missingReferenceBinaries(names: readonly string[]): string[] {
  return names.filter((n) => !existsSync(join(BIN, n)));
}

/** Which server to start. */
export type Flavour = "prometheus" | "vigil";

/** One HTTP answer: status, content type and body (parsed as JSON when it is JSON). */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body, undefined when not JSON. */
  readonly json: unknown;
}

/** A running server; `stop` ends it. */
export class ServerProcess {
  readonly flavour: Flavour;
  readonly url: string;
  private readonly proc: ChildProcess;
  private readonly exited: Promise<void>;
  private output = "";
  private alive = true;

  private constructor(flavour: Flavour, proc: ChildProcess, url: string) {
    this.flavour = flavour;
    this.proc = proc;
    this.url = url;
    const keep = (b: Buffer): void => {
      this.output = (this.output + b.toString("utf8")).slice(-16_384);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    this.exited = new Promise((resolve) =>
      proc.once("exit", () => {
        this.alive = false;
        resolve();
      }),
    );
  }

  /**
   * Starts `flavour` with `configFile` and storage in `dataDir` (created),
   * waits until `/-/ready` answers 200 (at most `readyMs`), retrying on
   * another port when the probed one was taken meanwhile.
   */
  static async start(
    flavour: Flavour,
    configFile: string,
    dataDir: string,
    extraFlags: readonly string[] = [],
    readyMs = 30_000,
  ): Promise<ServerProcess> {
    mkdirSync(dataDir, { recursive: true });
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const flags = [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
        ...extraFlags,
      ];
      const [cmd, args] =
        flavour === "prometheus"
          ? [join(BIN, "prometheus"), flags]
          : [process.execPath, [VIGIL, "server", ...flags]];
      const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], cwd: dataDir });
      const srv = new ServerProcess(flavour, proc, `http://127.0.0.1:${port}`);
      try {
        await srv.waitReady(readyMs);
        return srv;
      } catch (err) {
        lastError = err;
        await srv.stop();
      }
    }
    throw lastError;
  }

  private async waitReady(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`${this.flavour} exited before ready:\n${this.output}`);
      try {
        if ((await this.get("/-/ready")).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.flavour} not ready after ${ms} ms:\n${this.output}`);
  }

  /** The server's recent log output (last 16 KiB). */
  log(): string {
    return this.output;
  }

  /** GET `path` with `params` in the query string (repeated names as arrays). */
  get(path: string, params: Params = {}): Promise<Reply> {
    const qs = encodeParams(params).toString();
    return this.send(`${path}${qs === "" ? "" : `?${qs}`}`, { method: "GET" });
  }

  /** POST `params` as an `application/x-www-form-urlencoded` body (Grafana's default). */
  post(path: string, params: Params = {}): Promise<Reply> {
    return this.send(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: encodeParams(params).toString(),
    });
  }

  private async send(path: string, init: RequestInit): Promise<Reply> {
    const r = await fetch(`${this.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await r.text();
    const contentType = r.headers.get("content-type") ?? "";
    let json: unknown;
    if (contentType.startsWith("application/json")) json = JSON.parse(text);
    return { status: r.status, contentType, text, json };
  }

  /** GETs an API path and returns `data` of a success envelope; throws with the body otherwise. */
  async data<T>(path: string, params: Params = {}): Promise<T> {
    const r = await this.get(path, params);
    const body = r.json as { status?: string; data?: T } | undefined;
    if (r.status !== 200 || body?.status !== "success")
      throw new Error(`${this.flavour} ${path}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return body.data as T;
  }

  /** SIGTERM, SIGKILL after 10 s; resolves when the process is gone. */
  async stop(): Promise<void> {
    if (this.alive) this.proc.kill("SIGTERM");
    const timer = setTimeout(() => {
      if (this.alive) this.proc.kill("SIGKILL");
    }, 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Request parameters; an array value repeats the name (`match[]`). */
export type Params = Readonly<Record<string, string | readonly string[]>>;

function encodeParams(params: Params): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const value of typeof v === "string" ? [v] : v) out.append(k, value);
  }
  return out;
}
