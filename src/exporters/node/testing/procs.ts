/**
 * Starts `vigil node-exporter` and the reference node_exporter as child
 * processes on free 127.0.0.1 ports, for the differential test and the
 * benchmark. Every wait is bounded.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../promql/difftest/prometheus.ts";

/** The reference node_exporter binary installed by `install-reference.sh`. */
export const REFERENCE_NODE_EXPORTER = fileURLToPath(
  new URL("../../../../.reference/bin/node_exporter", import.meta.url),
);
const NODE = process.execPath;
const COMMAND = new URL("../../../cli/nodeexporter.ts", import.meta.url).href;

/** True when the reference binary is present (tests skip otherwise). */
export function referenceAvailable(): boolean {
  return existsSync(REFERENCE_NODE_EXPORTER);
}

/** A running exporter process. */
export interface ExporterProcess {
  readonly name: string;
  readonly pid: number;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves when the process has exited (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * The collectors both exporters run in the differential test and the
 * benchmark: the default set plus the small default ones Vigil also
 * implements.
 */
export const DIFF_COLLECTORS: readonly string[] = [
  "arp",
  "conntrack",
  "cpu",
  "cpufreq",
  "diskstats",
  "edac",
  "entropy",
  "filefd",
  "filesystem",
  "hwmon",
  "kernel_hung",
  "loadavg",
  "meminfo",
  "netclass",
  "netdev",
  "netstat",
  "os",
  "powersupplyclass",
  "pressure",
  "schedstat",
  "selinux",
  "sockstat",
  "softnet",
  "stat",
  "textfile",
  "thermal_zone",
  "time",
  "timex",
  "udp_queues",
  "uname",
  "vmstat",
];

/** Starts the reference node_exporter with `args` on a free port. */
export async function startReference(args: readonly string[]): Promise<ExporterProcess> {
  const port = await freePort();
  const child = spawn(REFERENCE_NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return wrap("node_exporter", child, `http://127.0.0.1:${port}`);
}

/** Starts `vigil node-exporter` with `args` in its own Node.js process on a free port. */
export async function startVigil(args: readonly string[]): Promise<ExporterProcess> {
  const port = await freePort();
  const script = [
    `import { nodeExporterCommand } from ${JSON.stringify(COMMAND)};`,
    "const ac = new AbortController();",
    'process.on("SIGTERM", () => ac.abort("SIGTERM"));',
    "const ctx = { stdout: process.stdout, stderr: process.stderr, signal: ac.signal };",
    "process.exitCode = await nodeExporterCommand.run(JSON.parse(process.argv[1]), ctx);",
  ].join("\n");
  const argv = JSON.stringify([`--web.listen-address=127.0.0.1:${port}`, ...args]);
  const child = spawn(NODE, ["--input-type=module", "-e", script, argv], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return wrap("vigil", child, `http://127.0.0.1:${port}`);
}

async function wrap(name: string, child: ChildProcess, url: string): Promise<ExporterProcess> {
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const proc: ExporterProcess = {
    name,
    pid: child.pid ?? 0,
    url,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(kill);
    },
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return proc;
    } catch {
      if (Date.now() > deadline) {
        await proc.stop();
        throw new Error(`${name} did not start listening on ${url}: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** GETs `<url>/metrics` and returns the body text. */
export async function scrape(url: string, path = "/metrics"): Promise<string> {
  const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`scrape ${url}${path}: HTTP ${res.status}`);
  return res.text();
}
