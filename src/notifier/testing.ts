/**
 * Test helpers: a fake Alertmanager on 127.0.0.1 recording every request,
 * and bounded waiting.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "../testing/wait.ts";

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How the fake answers; changeable between requests. */
export interface FakeBehaviour {
  status: number;
  /** Milliseconds to wait before answering. */
  delayMs: number;
}

/** A running fake Alertmanager. */
export interface FakeAlertmanager {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly requests: RecordedRequest[];
  readonly behaviour: FakeBehaviour;
  /** The alerts of every request, parsed, in arrival order. */
  alerts(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts a fake Alertmanager on an OS-chosen port. */
export async function startFakeAlertmanager(): Promise<FakeAlertmanager> {
  const requests: RecordedRequest[] = [];
  const behaviour: FakeBehaviour = { status: 200, delayMs: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const answer = (): void => {
        res.writeHead(behaviour.status);
        res.end();
      };
      if (behaviour.delayMs <= 0) return answer();
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, behaviour.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    behaviour,
    alerts: () => requests.flatMap((r) => JSON.parse(r.body) as Array<Record<string, unknown>>),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `cond` every 10 ms until it holds; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  await waitFor(what, () => (cond() ? true : undefined), timeoutMs, 10);
}
