/**
 * Test helpers for receivers: an HTTP sink on 127.0.0.1 recording requests,
 * and a notification context over Vigil's built-in templates.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadTemplates } from "../../template/load.ts";
import type { Alert } from "../../types/types.ts";
import type { NotifyContext } from "../notifier.ts";
import { testAlert, testContext } from "../testing.ts";

/** One request the sink received. */
export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** An HTTP server recording requests; `reply` picks each answer (default 200 `{}`). */
export interface Sink {
  readonly url: string;
  readonly requests: Captured[];
  close(): Promise<void>;
}

/** Starts a sink on an OS-chosen port. */
export async function startSink(
  reply: (c: Captured) => { status?: number; body?: string; contentType?: string } = () => ({}),
): Promise<Sink> {
  const requests: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const c = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(c);
      const r = reply(c);
      res.statusCode = r.status ?? 200;
      if (r.contentType !== undefined) res.setHeader("Content-Type", r.contentType);
      res.end(r.body ?? "{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Alerts from the JSON shape of `testdata/alerts.json`; `resolved` sets each `endsAt` to its `resolvedAt`. */
export function alertsFromJSON(json: readonly Record<string, unknown>[], resolved: boolean): Alert[] {
  return json.map((a) =>
    testAlert(a.labels as Record<string, string>, {
      annotations: a.annotations as Record<string, string>,
      startsAt: Date.parse(a.startsAt as string),
      endsAt: resolved ? Date.parse(a.resolvedAt as string) : 0,
      generatorURL: a.generatorURL as string,
    }),
  );
}

/** A flush context for receiver `receiverName` with the built-in templates and `externalURL`. */
export async function receiverContext(
  receiverName: string,
  groupLabels: Readonly<Record<string, string>>,
  over: Partial<NotifyContext> = {},
  externalURL = "http://am.example:9093",
): Promise<NotifyContext> {
  const templates = await loadTemplates([], { externalURL });
  const label = Object.entries(groupLabels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",");
  return testContext(templates, {
    groupKey: `{}:{${label}}`,
    receiverName,
    groupLabels,
    now: Date.now(),
    signal: AbortSignal.timeout(10_000),
    ...over,
  });
}
