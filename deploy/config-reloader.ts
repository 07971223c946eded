/**
 * The config-reloader sidecar of the Kubernetes manifests (deploy/kubernetes):
 * watches the directories a ConfigMap is mounted at and, when the checksum of
 * their files changes, POSTs the component's reload URL (`/-/reload` of
 * `vigil server` and `vigil alertmanager`). Its flags are those of
 * prometheus-operator's config-reloader (`--watched-dir`, `--reload-url`,
 * `--watch-interval`), so the pod specs read the same.
 *
 *   node deploy/config-reloader.ts --watched-dir=/etc/vigil/config \
 *     --reload-url=http://127.0.0.1:9090/-/reload
 *
 * The kubelet swaps a ConfigMap volume's files atomically (a `..data`
 * symlink), so a checksum taken between two swaps is always of one version.
 * A failed reload (the component refused the config, or was not up) is
 * retried on the next tick until the component accepts the files.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { type Logger, newLogger } from "../src/log/log.ts";

/** What the reloader watches and whom it tells. */
export interface ReloaderOptions {
  /** Directories whose regular files (recursively, following symlinks) make up the config. */
  readonly dirs: readonly string[];
  /** URL POSTed (empty body) when the files change. */
  readonly reloadUrl: string;
  /** Time between two checksums, in milliseconds. */
  readonly intervalMs: number;
  /** Timeout of one reload request, in milliseconds. */
  readonly timeoutMs?: number;
  readonly logger: Logger;
  /** Stops the loop; {@link runReloader} resolves soon after. */
  readonly signal: AbortSignal;
}

/**
 * SHA-256 (hex) over the relative path and content of every regular file
 * below `dirs`, in sorted order. Entries named `..*` (the kubelet's
 * `..data` and timestamped directories behind a ConfigMap volume) are
 * skipped: the visible files are symlinks into them. A missing directory
 * counts as empty.
 */
export async function checksumDirs(dirs: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const dir of dirs) {
    for (const rel of await listFiles(dir, "")) {
      hash.update(`${dir}\0${rel}\0`);
      hash.update(await readFile(join(dir, rel)));
      hash.update("\0");
    }
  }
  return hash.digest("hex");
}

async function listFiles(root: string, rel: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(root, rel));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith("..")) continue;
    const path = rel === "" ? name : join(rel, name);
    const info = await stat(join(root, path)); // follows the ConfigMap symlinks
    if (info.isDirectory()) out.push(...(await listFiles(root, path)));
    else if (info.isFile()) out.push(path);
  }
  return out;
}

/** POSTs `url`; resolves to an error message, or undefined on a 2xx answer. */
export async function triggerReload(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const res = await fetch(url, { method: "POST", signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.text()).trim();
    return res.ok ? undefined : `received unexpected HTTP status ${res.status}: ${body}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Checksums the directories every `intervalMs` and POSTs the reload URL
 * when the checksum differs from the one last applied (the first checksum
 * counts as applied: the component read those files when it started).
 * Resolves to the number of successful reloads once `signal` aborts.
 */
export async function runReloader(opts: ReloaderOptions): Promise<number> {
  const { logger, signal } = opts;
  let applied = await checksumDirs(opts.dirs);
  let reloads = 0;
  logger.info("Starting config reloader", { watched_dirs: opts.dirs.join(","), reload_url: opts.reloadUrl });
  while (!signal.aborted) {
    await sleep(opts.intervalMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) break;
    let current: string;
    try {
      current = await checksumDirs(opts.dirs);
    } catch (err) {
      logger.error("Failed to read watched directories", { err: (err as Error).message });
      continue;
    }
    if (current === applied) continue;
    const failure = await triggerReload(opts.reloadUrl, opts.timeoutMs ?? 10_000);
    if (failure !== undefined) {
      logger.error("Reload failed, retrying on the next change check", { err: failure });
      continue;
    }
    applied = current;
    reloads++;
    logger.info("Reload triggered", { cfg_out: current.slice(0, 12) });
  }
  return reloads;
}

/** Parses `--watch-interval` values like `10s`, `500ms`, `1m`. */
export function parseInterval(text: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(text);
  if (m === null) throw new Error(`invalid duration ${JSON.stringify(text)}, want e.g. 10s`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as "ms" | "s" | "m"];
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "watched-dir": { type: "string", multiple: true, default: [] },
      "reload-url": { type: "string" },
      "watch-interval": { type: "string", default: "10s" },
      "log.format": { type: "string", default: "logfmt" },
    },
  });
  const dirs = values["watched-dir"];
  const reloadUrl = values["reload-url"];
  if (dirs.length === 0 || reloadUrl === undefined) {
    process.stderr.write("config-reloader: --watched-dir and --reload-url are required\n");
    return 2;
  }
  const format = values["log.format"] === "json" ? "json" : "logfmt";
  const logger = newLogger({ format }).with({ component: "config-reloader" });
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
  await runReloader({
    dirs,
    reloadUrl,
    intervalMs: parseInterval(values["watch-interval"]),
    logger,
    signal: stop.signal,
  });
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
