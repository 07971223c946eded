/**
 * What the scrape-based benchmarks share (`scrape`, `remote-write`): the
 * synthetic targets in their own process, the config both servers load,
 * and starting Vigil or the reference Prometheus as users run them.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { freePort, PROMETHEUS_BIN } from "../../src/promql/difftest/prometheus.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Node flags of bin/vigil.mjs' shebang and `npm start` (see src/server/heap.ts): Vigil as users run it. */
const VIGIL_NODE_FLAGS = ["--max-semi-space-size=4"];

/** A server under test. */
export interface BenchServer {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly url: string;
}

/** Starts `targets.ts` with `count` targets (pushed to `children`); resolves to their ports. */
export async function startTargets(count: number, children: ChildProcess[]): Promise<number[]> {
  const proc = spawn(process.execPath, [join(ROOT, "bench/scrape/targets.ts"), String(count)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(proc);
  return JSON.parse(await firstLine(proc)) as number[];
}

/** A prometheus.yml scraping `ports` on 127.0.0.1 as job `bench`, plus `extra` YAML lines. */
export function benchConfig(
  ports: readonly number[],
  interval: number,
  extra: readonly string[] = [],
): string {
  const targets = ports.map((p) => `'127.0.0.1:${p}'`).join(", ");
  return `${[
    "global:",
    `  scrape_interval: ${interval}s`,
    `  scrape_timeout: ${Math.max(1, interval - 1)}s`,
    "scrape_configs:",
    "  - job_name: bench",
    "    static_configs:",
    `      - targets: [${targets}]`,
    ...extra,
  ].join("\n")}\n`;
}

/**
 * Fills Vigil's compile cache as `npm ci` (the `prepare` script) and the
 * container build do, so the server under test starts as users' does: from
 * cached bytecode, without loading Node's TypeScript stripper (~15 MB
 * resident, which a server started cold keeps for its lifetime). The cache is
 * keyed by V8 flags, hence the same flags as the server. Once per benchmark
 * process: the remote-write benchmark starts two servers.
 */
let compileCacheWarm = false;

function warmCompileCache(): void {
  if (compileCacheWarm) return;
  const r = spawnSync(process.execPath, [...VIGIL_NODE_FLAGS, join(ROOT, "bin/vigil.mjs"), "--help"], {
    stdio: "ignore",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`vigil --help exited ${r.status ?? r.signal}`);
  compileCacheWarm = true;
}

/**
 * Starts `vigil server` (`flavour` "vigil") or the reference Prometheus on a
 * free port of 127.0.0.1 with `config`, data in `<work>/data-<name>`; resolves
 * once `/-/ready` answers, rejects (with the log's tail) when it exits or is
 * not ready within 30 s.
 */
export async function startServer(
  flavour: string,
  name: string,
  work: string,
  config: string,
  children: ChildProcess[],
): Promise<BenchServer> {
  const port = await freePort();
  const flags = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(work, `data-${name}`)}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ];
  if (flavour === "vigil") warmCompileCache();
  const proc =
    flavour === "vigil"
      ? spawn(process.execPath, [...VIGIL_NODE_FLAGS, join(ROOT, "bin/vigil.mjs"), "server", ...flags], {
          stdio: ["ignore", "ignore", "pipe"],
        })
      : spawn(PROMETHEUS_BIN, flags, { stdio: ["ignore", "ignore", "pipe"], cwd: work });
  children.push(proc);
  let log = "";
  proc.stderr?.on("data", (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited ${proc.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { name, proc, url };
    } catch {}
    if (Date.now() > deadline) throw new Error(`${name} not ready after 30s:\n${log}`);
    await sleep(200);
  }
}

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    proc.on("exit", (code) => reject(new Error(`targets exited ${code}`)));
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
