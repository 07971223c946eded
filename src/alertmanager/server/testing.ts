/**
 * Test helpers for the Alertmanager process: a webhook sink recording each
 * notification with its arrival time, Vigil's Alertmanager in process or as
 * a child process (`node bin/vigil.mjs alertmanager`), the reference
 * `alertmanager` as a child process; `waitFor` and the reference binaries
 * come from `src/testing/`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { nopLogger } from "../../log/log.ts";
import { referenceBin, referenceSkip } from "../../testing/reference.ts";
import { waitFor } from "../../testing/wait.ts";
import { Alertmanager } from "./alertmanager.ts";
import { alertmanagerOptions, flagValues } from "./flags.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
/** The reference binaries. */
export const REFERENCE = {
  alertmanager: referenceBin("alertmanager"),
  amtool: referenceBin("amtool"),
  prometheus: referenceBin("prometheus"),
} as const;

/** The shared test helpers (`src/testing/`), re-exported for the Alertmanager tests. */
export { referenceSkip, waitFor };

/** One webhook notification: its arrival time (ms) and parsed body. */
export interface Received {
  readonly at: number;
  readonly path: string;
  readonly body: WebhookBody;
}

/** The parts of upstream's webhook body the tests compare. */
export interface WebhookBody {
  readonly receiver: string;
  readonly status: string;
  readonly groupKey: string;
  readonly groupLabels: Record<string, string>;
  readonly alerts: { status: string; labels: Record<string, string>; startsAt: string; endsAt: string }[];
  readonly [k: string]: unknown;
}

/** A webhook sink on 127.0.0.1 (OS-chosen port). */
export interface WebhookSink {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** Starts a {@link WebhookSink} answering 200. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      try {
        received.push({ at, path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString()) });
      } catch {
        // Not a webhook body: ignored.
      }
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts Vigil's Alertmanager in this process on 127.0.0.1:0 with `flags` (`--config.file`, `--storage.path`, …). */
export async function startInProcess(flags: readonly string[]): Promise<{ am: Alertmanager; url: string }> {
  const opts = alertmanagerOptions(
    flagValues(["--web.listen-address=127.0.0.1:0", "--cluster.listen-address=", ...flags]),
  );
  const am = await Alertmanager.start(opts, nopLogger, "localhost");
  return { am, url: `http://${am.address}` };
}

/** A child process serving HTTP. */
export interface Child {
  readonly url: string;
  readonly proc: ChildProcess;
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const LISTENING = /msg="Listening on".*?address=(\S+)/;

/** Spawns `cmd args`, waits for its `Listening on` log line and a 200 from `/-/ready`. */
export async function spawnServing(cmd: string, args: readonly string[], cwd?: string): Promise<Child> {
  const proc = spawn(cmd, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  proc.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  const stop = async (): Promise<number | null> => {
    if (!dead) proc.kill("SIGTERM");
    const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  try {
    const address = await waitFor(
      "listening",
      () => {
        if (dead) throw new Error(`${cmd} exited:\n${err}`);
        return LISTENING.exec(err)?.[1];
      },
      15_000,
    );
    const url = `http://${address}`;
    await waitFor("ready", async () => ((await fetch(`${url}/-/ready`)).status === 200 ? true : undefined));
    return { url, proc, stderr: () => err, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `node bin/vigil.mjs alertmanager` on 127.0.0.1:0. */
export function spawnVigil(flags: readonly string[]): Promise<Child> {
  return spawnServing(process.execPath, [
    join(ROOT, "bin/vigil.mjs"),
    "alertmanager",
    "--web.listen-address=127.0.0.1:0",
    "--cluster.listen-address=",
    ...flags,
  ]);
}

/** The reference alertmanager on `port` (it needs a fixed port). */
export function spawnReference(port: number, flags: readonly string[]): Promise<Child> {
  return spawnServing(REFERENCE.alertmanager, [
    `--web.listen-address=127.0.0.1:${port}`,
    "--cluster.listen-address=",
    ...flags,
  ]);
}

/** POSTs alerts (API v2 postable alerts) to an Alertmanager; throws unless 200. */
export async function postAlerts(url: string, alerts: readonly Record<string, unknown>[]): Promise<void> {
  const r = await fetch(`${url}/api/v2/alerts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(alerts),
  });
  if (r.status !== 200) throw new Error(`POST alerts: ${r.status} ${await r.text()}`);
}

/** The value of an unlabelled sample in a `/metrics` page, or undefined. */
export async function metricValue(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m === null ? undefined : Number(m[1]);
}
