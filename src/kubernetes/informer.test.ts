import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../config/httpclient.ts";
import { type KubeClient, newKubeClient } from "./client.ts";
import { type Informer, type InformerOptions, newInformer } from "./informer.ts";
import type { KubeObject } from "./objects.ts";
import { RESOURCES } from "./resources.ts";
import { type FakeAPIServer, startFakeAPIServer } from "./testing/fake_apiserver.ts";

/** Polls `pred` every 10 ms for at most `ms`. */
async function until(pred: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Run {
  readonly inf: Informer<KubeObject>;
  readonly log: string[];
  stop(): Promise<void>;
}

function start(client: KubeClient, over: Partial<InformerOptions> = {}): Run {
  const inf = newInformer<KubeObject>({ client, resource: RESOURCES.pods, initialBackoffMs: 20, ...over });
  const log: string[] = [];
  inf.addHandlers({
    onAdd: (o) => log.push(`add ${o.metadata.name}`),
    onUpdate: (_, o) => log.push(`update ${o.metadata.name}`),
    onDelete: (o) => log.push(`delete ${o.metadata.name}`),
    onSync: () => log.push("sync"),
  });
  const abort = new AbortController();
  const done = inf.run(abort.signal);
  return {
    inf,
    log,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

const newPod = (name: string, ip: string, labels: Record<string, string> = {}): KubeObject =>
  ({
    metadata: { name, namespace: "shop", uid: `uid-${name}`, labels },
    spec: { containers: [{ name: "c", image: "x" }] },
    status: { phase: "Running", podIP: ip },
  }) as KubeObject;

describe("informer against the fake API server", () => {
  let server: FakeAPIServer;
  let client: KubeClient;
  // A fresh server per test: tests change its objects.
  beforeEach(async () => {
    server = await startFakeAPIServer();
    client = newKubeClient({ server: server.url, http: DEFAULT_HTTP_CLIENT_CONFIG, via: "api_server" });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it("lists in pages, then watches from the list's resourceVersion with bookmarks", async () => {
    const before = server.requests.length;
    const r = start(client, { pageSize: 10 });
    try {
      assert.equal(await r.inf.waitForSync(AbortSignal.timeout(2000)), true);
      assert.equal(r.inf.store.size, 34);
      const lists = server.requests.slice(before).filter((q) => q.query.watch === undefined);
      assert.deepEqual(
        lists.map((q) => q.query.limit),
        ["10", "10", "10", "10"],
      );
      assert.ok(lists[1].query.continue !== undefined && lists[1].query.continue !== "");
      await until(() => server.watchers() > 0, "the watch");
      const w = server.requests.slice(before).find((q) => q.query.watch === "true");
      assert.equal(w?.query.allowWatchBookmarks, "true");
      assert.equal(w?.query.resourceVersion, r.inf.resourceVersion());
    } finally {
      await r.stop();
    }
  });

  it("delivers added, modified and deleted objects and moves the resourceVersion on bookmarks", async () => {
    const r = start(client, { namespace: "shop" });
    try {
      await r.inf.waitForSync(AbortSignal.timeout(2000));
      await until(() => server.watchers() > 0, "the watch");
      r.log.length = 0;
      server.upsert("pods", newPod("p1", "10.0.0.1"));
      server.upsert("pods", newPod("p1", "10.0.0.2"));
      await until(() => r.log.length === 2, "two events");
      assert.equal(
        (r.inf.store.get("shop", "p1") as unknown as { status: { podIP: string } }).status.podIP,
        "10.0.0.2",
      );
      const rv = server.bookmark("pods");
      await until(() => r.inf.resourceVersion() === rv, "the bookmark's resourceVersion");
      assert.equal(r.inf.stats.bookmarks, 1);
      server.remove("pods", "shop", "p1");
      await until(() => r.log.includes("delete p1"), "the delete");
      assert.deepEqual(r.log, ["add p1", "update p1", "delete p1"]);
      assert.equal(r.inf.store.get("shop", "p1"), undefined);
    } finally {
      await r.stop();
    }
  });

  for (const goneAs of ["event", "status"] as const) {
    it(`re-lists on 410 Gone as ${goneAs === "event" ? "an ERROR event" : "the HTTP status"} and reports the difference`, async () => {
      const r = start(client, { namespace: "shop", watchTimeoutSeconds: 1 });
      try {
        await r.inf.waitForSync(AbortSignal.timeout(2000));
        await until(() => server.watchers() > 0, "the watch");
        server.goneAs = goneAs;
        // Changes the client misses: its watch ends, history is compacted, then the world moves on.
        server.closeWatches();
        server.compact();
        server.upsert("pods", newPod("late", "10.0.0.9"));
        server.remove("pods", "shop", "cart-7d9f8b6c5d-q8n5m");
        server.compact();
        r.log.length = 0;
        await until(() => r.inf.stats.gone >= 1 && r.log.includes("sync"), "the re-list");
        assert.ok(r.log.includes("add late"));
        assert.ok(r.log.includes("delete cart-7d9f8b6c5d-q8n5m"));
        assert.equal(r.inf.stats.lists, 2);
      } finally {
        await r.stop();
      }
    });
  }

  it("resumes a closed watch from its resourceVersion without re-listing", async () => {
    const r = start(client, { namespace: "shop" });
    try {
      await r.inf.waitForSync(AbortSignal.timeout(2000));
      await until(() => server.watchers() > 0, "the watch");
      server.closeWatches();
      server.upsert("pods", newPod("resumed", "10.0.0.3"));
      await until(() => r.log.includes("add resumed"), "the replayed event");
      assert.equal(r.inf.stats.lists, 1);
      assert.ok(r.inf.stats.watches >= 2);
    } finally {
      await r.stop();
    }
  });

  it("falls back to one full list when a continue token expired", async () => {
    server.failures.push({
      pathPrefix: "/api/v1/pods",
      status: 410,
      count: 1,
      when: (q) => q.continue !== undefined,
    });
    const r = start(client, { pageSize: 20 });
    try {
      assert.equal(await r.inf.waitForSync(AbortSignal.timeout(2000)), true);
      assert.equal(r.inf.store.size, 34);
      const lists = server.requests
        .filter((q) => q.query.watch === undefined)
        .map((q) => q.query.limit ?? "none");
      assert.deepEqual(lists, ["20", "20", "none"]);
      assert.equal(r.inf.stats.failures, 0);
    } finally {
      await r.stop();
    }
  });

  it("backs off and retries after a 403, keeping the Status reason", async () => {
    server.failures.push({ pathPrefix: "/api/v1/namespaces/kube-system/pods", status: 403, count: 2 });
    const r = start(client, { namespace: "kube-system" });
    try {
      assert.equal(await r.inf.waitForSync(AbortSignal.timeout(3000)), true);
      assert.equal(r.inf.stats.failures, 2);
      assert.ok(r.inf.store.list().every((o) => o.metadata.namespace === "kube-system"));
    } finally {
      await r.stop();
    }
  });

  it("sends label and field selectors, which the server applies to lists and watches", async () => {
    const r = start(client, {
      labelSelector: "app.kubernetes.io/part-of=shop",
      fieldSelector: "status.phase!=Pending",
    });
    try {
      await r.inf.waitForSync(AbortSignal.timeout(2000));
      const names = r.inf.store
        .list()
        .map((o) => o.metadata.name)
        .sort();
      assert.deepEqual(names, ["cart-7d9f8b6c5d-q8n5m", "cart-7d9f8b6c5d-x2k4p"]);
      await until(() => server.watchers() > 0, "the watch");
      r.log.length = 0;
      server.upsert("pods", newPod("other", "10.0.0.4", { app: "other" }));
      server.upsert("pods", newPod("moves-in", "10.0.0.5", { "app.kubernetes.io/part-of": "shop" }));
      server.upsert("pods", newPod("moves-in", "10.0.0.5", { "app.kubernetes.io/part-of": "elsewhere" }));
      await until(() => r.log.length === 2, "two events");
      assert.deepEqual(r.log, ["add moves-in", "delete moves-in"]);
    } finally {
      await r.stop();
    }
  });
});

describe("informer resync", () => {
  it("re-delivers every object as an update each resync period", async () => {
    const server = await startFakeAPIServer();
    const client = newKubeClient({ server: server.url, http: DEFAULT_HTTP_CLIENT_CONFIG, via: "api_server" });
    const r = start(client, { resource: RESOURCES.nodes, resyncMs: 50 });
    try {
      await r.inf.waitForSync(AbortSignal.timeout(2000));
      await until(() => r.log.filter((l) => l.startsWith("update")).length >= 6, "two resyncs");
      assert.deepEqual(r.log.slice(0, 4), [
        "add datagen-1-35",
        "add datagen-1-35-m02",
        "add datagen-1-35-m03",
        "sync",
      ]);
    } finally {
      await r.stop();
      await client.close();
      await server.close();
    }
  });
});

describe("KubeAPIError", () => {
  it("carries the status, reason and message of a Status body", async () => {
    const server = await startFakeAPIServer();
    const client = newKubeClient({ server: server.url, http: DEFAULT_HTTP_CLIENT_CONFIG, via: "api_server" });
    try {
      server.failures.push({ pathPrefix: "/apis/discovery.k8s.io", status: 403, count: 1 });
      await assert.rejects(
        client.list("/apis/discovery.k8s.io/v1/endpointslices", {}, AbortSignal.timeout(2000)),
        (e: Error & { status?: number; reason?: string }) => {
          assert.equal(e.status, 403);
          assert.equal(e.reason, "Forbidden");
          assert.match(e.message, /system:serviceaccount:monitoring:prometheus/);
          return true;
        },
      );
      await assert.rejects(
        client.list("/api/v1/widgets", {}, AbortSignal.timeout(2000)),
        /could not find the requested resource/,
      );
    } finally {
      await client.close();
      await server.close();
    }
  });
});
