/**
 * A synchronous HTTP POST for remote read: storage's `Querier.select` is
 * synchronous (see storage/interface.ts), so the request runs on a worker
 * thread while the caller blocks on a shared flag (`Atomics.wait`) and then
 * takes the answer off a message port. The event loop is blocked for the
 * duration of the remote read, bounded by `remote_timeout`.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { HTTPClientConfig } from "../config/types.ts";

let worker: Worker | null = null;

function getWorker(): Worker {
  if (worker === null) {
    worker = new Worker(new URL("./readworker.ts", import.meta.url));
    worker.unref();
  }
  return worker;
}

/** An HTTP answer, or the transport error. */
export type SyncResponse =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: Uint8Array }
  | { readonly error: string };

/** POSTs `body` to `url` and waits for the answer (at most `timeoutMs` plus a second). */
export function syncPost(
  cfg: HTTPClientConfig,
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
): SyncResponse {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    getWorker().postMessage({ cfg, url, body, headers, timeoutMs, flag, port: port2 }, [port2]);
    const r = Atomics.wait(flag, 0, 0, timeoutMs + 1000);
    if (r === "timed-out") return { error: `remote read timed out after ${timeoutMs}ms` };
    const msg = receiveMessageOnPort(port1);
    return msg === undefined
      ? { error: "remote read: no answer from worker" }
      : (msg.message as SyncResponse);
  } finally {
    port1.close();
  }
}

/** Stops the worker (tests). */
export async function stopSyncPost(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.terminate();
}
