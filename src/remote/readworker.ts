/**
 * The worker side of {@link syncPost} (syncpost.ts): performs one HTTP POST
 * with the endpoint's HTTP client config and posts the answer back on the
 * request's port, then wakes the waiting thread through the shared flag.
 */

import type { MessagePort } from "node:worker_threads";
import { parentPort } from "node:worker_threads";
import { request } from "undici";
import { newDispatcher, requestHeaders } from "../config/client.ts";
import type { HTTPClientConfig } from "../config/types.ts";

interface Job {
  readonly cfg: HTTPClientConfig;
  readonly url: string;
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  readonly flag: Int32Array;
  readonly port: MessagePort;
}

const dispatchers = new Map<string, ReturnType<typeof newDispatcher>>();

async function run(job: Job): Promise<void> {
  let out: { status: number; headers: Record<string, string>; body: Uint8Array } | { error: string };
  try {
    const key = JSON.stringify(job.cfg);
    let d = dispatchers.get(key);
    if (d === undefined) {
      d = newDispatcher(job.cfg);
      dispatchers.set(key, d);
    }
    const res = await request(job.url, {
      method: "POST",
      body: job.body,
      headers: { ...job.headers, ...(await requestHeaders(job.cfg)) },
      dispatcher: d,
      headersTimeout: job.timeoutMs,
      bodyTimeout: job.timeoutMs,
    });
    const body = new Uint8Array(await res.body.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
    out = { status: res.statusCode, headers, body };
  } catch (err) {
    out = { error: (err as Error)?.message ?? String(err) };
  }
  job.port.postMessage(out);
  Atomics.store(job.flag, 0, 1);
  Atomics.notify(job.flag, 0);
}

parentPort?.on("message", (job: Job) => void run(job));
