/**
 * The exporter on the shared informer against `src/kubernetes/testing`'s fake
 * API server: the initial list, changes showing up in `/metrics` within a
 * second, bookmarks, `410 Gone` (as an ERROR event and as the HTTP status)
 * causing exactly one re-list, scrapes never listing, one informer per
 * `--namespaces` entry, and the list/watch counters.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../../config/httpclient.ts";
import { newKubeClient } from "../../kubernetes/client.ts";
import type { KubeObject } from "../../kubernetes/objects.ts";
import {
  type FakeAPIServer,
  FIXTURES_DIR,
  startFakeAPIServer,
} from "../../kubernetes/testing/fake_apiserver.ts";
import { nopLogger } from "../../log/log.ts";
import { waitFor } from "../../testing/wait.ts";
import { RESOURCES } from "./registry.ts";
import { connectionFromFlags, type RunningKubeState, startKubeStateMetrics } from "./run.ts";

const WATCH_FIXTURE = `${FIXTURES_DIR}/watch-pods.jsonl`;

/** The pod the fixture watch stream adds (`cart-7d9f8b6c5d-v6r8t`), as created, then running. */
function watchPods(): { creating: KubeObject; running: KubeObject } {
  const events = readFileSync(WATCH_FIXTURE, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; object: KubeObject });
  const cart = events.filter((e) => e.object.metadata.name === "cart-7d9f8b6c5d-v6r8t");
  return { creating: cart[0]!.object, running: cart.at(-1)!.object };
}

async function start(
  api: FakeAPIServer,
  over: { namespaces?: string[]; resources?: string[] } = {},
): Promise<RunningKubeState> {
  return startKubeStateMetrics({
    resources: (over.resources ?? ["nodes", "pods"]).map((r) => RESOURCES.get(r)!),
    namespaces: over.namespaces ?? [],
    namespacesDenylist: ["kube-public"],
    labelsAllowList: new Map(),
    annotationsAllowList: new Map(),
    client: newKubeClient({ server: api.url, http: DEFAULT_HTTP_CLIENT_CONFIG, via: "api_server" }),
    listen: "127.0.0.1:0",
    telemetryListen: "127.0.0.1:0",
    gzip: false,
    logger: nopLogger,
    retryMs: 20,
  });
}

/** List requests (not watches) of `path`. */
function lists(api: FakeAPIServer, path: string): number {
  return api.requests.filter((r) => r.path === path && r.query.watch === undefined).length;
}

const within = (what: string, cond: () => Promise<boolean> | boolean) =>
  waitFor(what, async () => ((await cond()) ? true : undefined), 1000);

describe("kube-state-metrics on the shared informer", {
  skip: !existsSync(WATCH_FIXTURE) && "no fixtures",
}, () => {
  for (const goneAs of ["event", "status"] as const) {
    it(`lists once, follows watches, re-lists once on 410 Gone as ${goneAs}`, {
      timeout: 20_000,
    }, async (t) => {
      const api = await startFakeAPIServer();
      api.goneAs = goneAs;
      const ks = await start(api);
      t.after(async () => {
        await ks.close();
        await api.close();
      });
      const base = `http://127.0.0.1:${ks.metricsServer.port}`;
      const telemetryURL = `http://127.0.0.1:${ks.telemetryServer.port}`;
      const scrape = async () => (await fetch(`${base}/metrics`)).text();

      await ks.synced;
      assert.equal((await fetch(`${telemetryURL}/readyz`)).status, 200);
      await within("watches", () => api.watchers() === 2);
      const first = await scrape();
      assert.match(first, /kube_pod_info\{namespace="scraper",pod="e2e-failjob-28dqq",/);
      assert.match(first, /kube_node_info\{node="datagen-1-35-m03",/);
      assert.ok(!first.includes("cart-7d9f8b6c5d-v6r8t"));
      // The watch resumed from the list's version, with bookmarks; the denylist is a field selector.
      const w = api.requests.find((r) => r.path === "/api/v1/pods" && r.query.watch === "true")!;
      assert.equal(w.query.resourceVersion, String(api.resourceVersion()));
      assert.equal(w.query.allowWatchBookmarks, "true");
      assert.equal(w.query.fieldSelector, "metadata.namespace!=kube-public");

      const { creating, running } = watchPods();
      api.upsert("pods", creating);
      await within("added pod", async () => (await scrape()).includes('pod="cart-7d9f8b6c5d-v6r8t"'));
      api.upsert("pods", running);
      const phase =
        /kube_pod_status_phase\{namespace="shop",pod="cart-7d9f8b6c5d-v6r8t",[^}]*phase="Running"\} 1/;
      await within("running pod", async () => phase.test(await scrape()));
      api.bookmark("pods");
      api.remove("pods", "scraper", "e2e-failjob-28dqq");
      await within("deleted pod", async () => !(await scrape()).includes('pod="e2e-failjob-28dqq"'));
      assert.equal(lists(api, "/api/v1/pods"), 1, "scrapes and watch events must not list");

      // A change the watch misses, then history compacted: resuming gets 410 and re-lists.
      api.closeWatches();
      api.remove("pods", "shop", "cart-7d9f8b6c5d-v6r8t");
      api.compact();
      await within("re-list after 410", () => lists(api, "/api/v1/pods") === 2);
      await within("state from the re-list", async () => !(await scrape()).includes("cart-7d9f8b6c5d-v6r8t"));
      await within("watching again", () => api.watchers() === 2);
      await new Promise((r) => setTimeout(r, 200));
      await scrape();
      assert.equal(lists(api, "/api/v1/pods"), 2, "exactly one re-list");
      // Compaction is server-wide: the nodes informer re-lists once too.
      assert.equal(lists(api, "/api/v1/nodes"), 2, "exactly one nodes re-list");

      const self = await (await fetch(`${telemetryURL}/metrics`)).text();
      assert.match(self, /kube_state_metrics_list_total\{resource="\*v1.Pod",result="success"\} 2\n/);
      assert.match(self, /kube_state_metrics_list_total\{resource="\*v1.Node",result="success"\} 2\n/);
      // Watches: the first, the resumed one after closeWatches (a 410 ERROR event arrives on an open
      // watch), and the one after the re-list; a 410 status is a failed watch call instead.
      const watches = /kube_state_metrics_watch_total\{resource="\*v1.Pod",result="success"\} (\d+)/.exec(
        self,
      );
      assert.equal(watches?.[1], goneAs === "event" ? "3" : "2");
      const failed = /kube_state_metrics_watch_total\{resource="\*v1.Pod",result="error"\} (\d+)/.exec(self);
      assert.equal(failed?.[1], goneAs === "event" ? undefined : "1");
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    });
  }

  it("runs one informer per --namespaces entry", { timeout: 20_000 }, async (t) => {
    const api = await startFakeAPIServer();
    const ks = await start(api, { namespaces: ["shop", "scraper"], resources: ["pods"] });
    t.after(async () => {
      await ks.close();
      await api.close();
    });
    await ks.synced;
    const scrape = async () => (await fetch(`http://127.0.0.1:${ks.metricsServer.port}/metrics`)).text();
    const namespaces = async () =>
      [
        ...new Set([...(await scrape()).matchAll(/kube_pod_info\{namespace="([^"]*)"/g)].map((m) => m[1])),
      ].sort();
    assert.deepEqual(await namespaces(), ["scraper", "shop"]);
    assert.equal(lists(api, "/api/v1/namespaces/shop/pods"), 1);
    assert.equal(lists(api, "/api/v1/namespaces/scraper/pods"), 1);
    assert.equal(lists(api, "/api/v1/pods"), 0);
    await within("watches", () => api.watchers() === 2);
    api.remove("pods", "scraper", "e2e-failjob-28dqq");
    await within("deleted pod", async () => !(await scrape()).includes('pod="e2e-failjob-28dqq"'));
    assert.deepEqual(await namespaces(), ["scraper", "shop"]);
    // Re-created under the same name (a MODIFIED with a new uid): the old uid's lines go.
    const pod = api.objects("pods").find((p) => p.metadata.namespace === "shop")!;
    const name = pod.metadata.name!;
    api.upsert("pods", { ...pod, metadata: { ...pod.metadata, uid: "00000000-new" } });
    const infos = async () =>
      (await scrape())
        .split("\n")
        .filter((l) => l.startsWith(`kube_pod_info{namespace="shop",pod="${name}",`));
    await within("new uid", async () => (await infos()).some((l) => l.includes('uid="00000000-new"')));
    assert.equal((await infos()).length, 1);
  });

  it("is not ready while a list fails, counting list errors", { timeout: 20_000 }, async (t) => {
    const api = await startFakeAPIServer();
    const forbidden = { pathPrefix: "/api/v1/nodes", status: 403, count: 1_000_000 };
    api.failures.push(forbidden);
    const ks = await start(api);
    t.after(async () => {
      await ks.close();
      await api.close();
    });
    const telemetryURL = `http://127.0.0.1:${ks.telemetryServer.port}`;
    const self = async () => (await fetch(`${telemetryURL}/metrics`)).text();
    const errors = /kube_state_metrics_list_total\{resource="\*v1.Node",result="error"\} (\d+)\n/;
    await waitFor(
      "two failed lists",
      async () => Number(errors.exec(await self())?.[1] ?? 0) >= 2 || undefined,
    );
    assert.equal((await fetch(`${telemetryURL}/readyz`)).status, 503);
    forbidden.count = 0;
    await ks.synced;
    assert.equal((await fetch(`${telemetryURL}/readyz`)).status, 200);
    assert.match(await self(), /kube_state_metrics_list_total\{resource="\*v1.Node",result="success"\} 1\n/);
  });
});

describe("connectionFromFlags", () => {
  it("takes --kubeconfig, with --apiserver overriding its server, or --apiserver alone", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-ksm-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "kubeconfig");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://10.0.0.1:6443/', insecure-skip-tls-verify: true}}]",
        "users: [{name: u, user: {token: s3cret}}]",
        "contexts: [{name: x, context: {cluster: c, user: u, namespace: shop}}]",
        "current-context: x",
      ].join("\n"),
    );
    const fromFile = connectionFromFlags("", file);
    assert.equal(fromFile.server, "https://10.0.0.1:6443");
    assert.deepEqual(fromFile.http.authorization, { type: "Bearer", credentials: "s3cret" });
    assert.equal(fromFile.namespace, "shop");
    const overridden = connectionFromFlags("http://127.0.0.1:8001/", file);
    assert.equal(overridden.server, "http://127.0.0.1:8001");
    assert.deepEqual(overridden.http.authorization, { type: "Bearer", credentials: "s3cret" });
    const bare = connectionFromFlags("http://127.0.0.1:8001", "");
    assert.equal(bare.via, "api_server");
    assert.equal(bare.http.authorization, undefined);
  });
});
