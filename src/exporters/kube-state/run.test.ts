/**
 * The exporter against a fake API server on 127.0.0.1 speaking the list +
 * watch protocol: initial list, the fixture watch stream's changes showing up
 * in `/metrics` within a second, bookmarks, a `410 Gone` ERROR event causing
 * one re-list, and scrapes never listing again.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { nopLogger } from "../../log/log.ts";
import { RESOURCES } from "./registry.ts";
import { startKubeStateMetrics } from "./run.ts";
import { apiClient } from "./source.ts";
import { FIXTURE_API_DIR } from "./testing.ts";

/** A minimal API server: lists from the fixtures, watch streams the test writes to. */
class FakeApi {
  readonly lists = new Map<string, number>();
  readonly queries: string[] = [];
  readonly #watchers = new Map<string, ServerResponse[]>();
  readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://x");
    this.queries.push(url.pathname + url.search);
    const resource = url.pathname.split("/").at(-1)!;
    if (url.searchParams.get("watch") === "1") {
      res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
      res.flushHeaders();
      this.#watchers.set(resource, [...(this.#watchers.get(resource) ?? []), res]);
      return;
    }
    this.lists.set(resource, (this.lists.get(resource) ?? 0) + 1);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(readFileSync(`${FIXTURE_API_DIR}${resource}.json`));
  }

  /** Sends one watch event line to every open watch of `resource`. */
  send(resource: string, line: string): void {
    for (const w of this.#watchers.get(resource) ?? []) w.write(`${line}\n`);
  }

  watching(resource: string): number {
    return (this.#watchers.get(resource) ?? []).filter((w) => !w.writableEnded).length;
  }

  async stop(): Promise<void> {
    for (const ws of this.#watchers.values()) for (const w of ws) w.end();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("kube-state-metrics against a fake API server", {
  skip: !existsSync(`${FIXTURE_API_DIR}watch-pods.jsonl`) && "no fixtures",
}, () => {
  it("lists once, follows the watch stream, re-lists on 410", { timeout: 20_000 }, async (t) => {
    const api = new FakeApi();
    const url = await api.start();
    const ks = await startKubeStateMetrics({
      resources: [RESOURCES.get("nodes")!, RESOURCES.get("pods")!],
      namespaces: [],
      namespacesDenylist: ["kube-public"],
      labelsAllowList: new Map(),
      annotationsAllowList: new Map(),
      client: apiClient(url),
      listen: "127.0.0.1:0",
      telemetryListen: "127.0.0.1:0",
      gzip: false,
      logger: nopLogger,
      retryMs: 20,
    });
    t.after(async () => {
      await ks.close();
      await api.stop();
    });
    const base = `http://127.0.0.1:${ks.metricsServer.port}`;
    const scrape = async () => (await fetch(`${base}/metrics`)).text();
    const ready = async () => (await fetch(`http://127.0.0.1:${ks.telemetryServer.port}/readyz`)).status;

    await ks.synced;
    assert.equal(await ready(), 200);
    await until("watches", () => api.watching("pods") === 1 && api.watching("nodes") === 1);
    const first = await scrape();
    assert.match(first, /kube_pod_info\{namespace="scraper",pod="e2e-failjob-28dqq",/);
    assert.match(first, /kube_node_info\{node="datagen-1-35-m03",/);
    assert.ok(!first.includes("cart-7d9f8b6c5d-v6r8t"));
    // The watch resumed from the list's version, asked for bookmarks, and the denylist is a field selector.
    const watchQuery = api.queries.find((q) => q.startsWith("/api/v1/pods?") && q.includes("watch=1"))!;
    assert.match(watchQuery, /resourceVersion=2091/);
    assert.match(watchQuery, /allowWatchBookmarks=true/);
    assert.match(watchQuery, /fieldSelector=metadata.namespace%21%3Dkube-public/);

    const events = readFileSync(`${FIXTURE_API_DIR}watch-pods.jsonl`, "utf8").trim().split("\n");
    const [added, creating, running, bookmark, deleted, gone] = events;
    api.send("pods", added!);
    await until("added pod", async () => (await scrape()).includes('pod="cart-7d9f8b6c5d-v6r8t"'));
    api.send("pods", creating!);
    api.send("pods", running!);
    await until("running pod", async () =>
      /kube_pod_status_phase\{namespace="shop",pod="cart-7d9f8b6c5d-v6r8t",[^}]*phase="Running"\} 1/.test(
        await scrape(),
      ),
    );
    api.send("pods", bookmark!);
    api.send("pods", deleted!);
    await until("deleted pod", async () => !(await scrape()).includes('pod="e2e-failjob-28dqq"'));
    assert.equal(api.lists.get("pods"), 1, "scrapes must not list");

    api.send("pods", gone!);
    await until("re-list after 410", () => api.lists.get("pods") === 2);
    // The re-list restores the fixture state (the deleted pod is back, the added one gone).
    await until("state from re-list", async () => (await scrape()).includes('pod="e2e-failjob-28dqq"'));
    assert.ok(!(await scrape()).includes("cart-7d9f8b6c5d-v6r8t"));
    const self = await (await fetch(`http://127.0.0.1:${ks.telemetryServer.port}/metrics`)).text();
    assert.match(self, /kube_state_metrics_list_total\{resource="\*v1.Pod",result="success"\} 2/);
    assert.match(self, /kube_state_metrics_list_total\{resource="\*v1.Node",result="success"\} 1/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });
});
