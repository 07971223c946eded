import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Registry } from "prom-client";
import type { KubeObject } from "../../kubernetes/objects.ts";
import type { FakeAPIServer } from "../../kubernetes/testing/fake_apiserver.ts";
import { FIXTURES_DIR } from "../../kubernetes/testing/fake_apiserver.ts";
import type { TargetGroup } from "../discovery.ts";
import { discovererConformance } from "../testing/conformance.ts";
import {
  metricValue,
  type RunningDiscoverer,
  startDiscoverer,
  testOptions,
  waitFor,
} from "../testing/harness.ts";
import { newKubernetesDiscoverer } from "./kubernetes.ts";
import type { KubernetesSDConfig, Role } from "./schema.ts";
import { k8sConfig, startSDFakeServer } from "./testing.ts";

const GOLDEN_DIR = resolve(import.meta.dirname, "testdata");
const UPDATE = process.env.VIGIL_UPDATE_GOLDEN === "1";

function start(
  server: FakeAPIServer,
  role: Role,
  over: Partial<KubernetesSDConfig> = {},
  registry = new Registry(),
) {
  const d = newKubernetesDiscoverer(k8sConfig(role, server.url, over), testOptions(registry, "k8s"), {
    initialBackoffMs: 20,
  });
  return startDiscoverer(d);
}

const bySource = (a: TargetGroup, b: TargetGroup) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);

// [golden name, role, config overrides]
const GOLDEN: [string, Role, Partial<KubernetesSDConfig>][] = [
  ["node", "node", {}],
  ["pod", "pod", {}],
  ["service", "service", {}],
  ["endpoints", "endpoints", {}],
  ["endpointslice", "endpointslice", {}],
  ["ingress", "ingress", {}],
  ["pod_attach_metadata", "pod", { attach_metadata: { node: true, namespace: true }, namespaces: { own_namespace: false, names: ["shop"] } }],
  ["endpointslice_attach_metadata", "endpointslice", { attach_metadata: { node: true, namespace: true }, namespaces: { own_namespace: false, names: ["shop"] } }],
]; // biome-ignore format: a table

describe("kubernetes_sd golden target groups", () => {
  let server: FakeAPIServer;
  beforeEach(async () => {
    server = await startSDFakeServer();
  });
  afterEach(() => server.close());

  for (const [name, role, over] of GOLDEN) {
    it(`${name}: the first emit matches testdata/${name}.golden.json`, async () => {
      const r = start(server, role, over);
      try {
        await waitFor(() => r.emits.length > 0, "the first emit");
        const got = `${JSON.stringify([...r.emits[0]].sort(bySource), null, 1)}\n`;
        const file = resolve(GOLDEN_DIR, `${name}.golden.json`);
        if (UPDATE) writeFileSync(file, got);
        assert.equal(got, readFileSync(file, "utf8"));
      } finally {
        await r.stop();
      }
    });
  }
});

/** The group of `source` in the discoverer's state. */
const group = (r: RunningDiscoverer, source: string) => r.state.get(source);
const target = (r: RunningDiscoverer, source: string, address: string) =>
  group(r, source)?.targets.find((t) => t.__address__ === address);

/** The fixture watch stream's objects, by event index. */
function watchEvents(): Array<{ type: string; object: KubeObject }> {
  const text = readFileSync(resolve(FIXTURES_DIR, "watch-pods.jsonl"), "utf8");
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Resolves within 1 s once `pred` holds, else rejects; returns the elapsed milliseconds. */
async function within1s(pred: () => boolean, what: string): Promise<number> {
  const t0 = performance.now();
  await waitFor(pred, what, 1000);
  return performance.now() - t0;
}

describe("kubernetes_sd watch changes", () => {
  let server: FakeAPIServer;
  beforeEach(async () => {
    server = await startSDFakeServer();
  });
  afterEach(() => server.close());

  it("pod role: the fixture's added, running, IP change and deleted pods show within a second", async () => {
    const r = start(server, "pod");
    try {
      await waitFor(() => r.emits.length > 0, "the first emit");
      const ev = watchEvents();
      const src = "pod/shop/cart-7d9f8b6c5d-v6r8t";
      server.upsert("pods", ev[0].object); // ADDED, Pending without an IP: an empty group
      await within1s(() => r.emits.some((e) => e.some((g) => g.source === src)), "the added pod's group");
      assert.equal(group(r, src), undefined);
      server.upsert("pods", ev[1].object);
      server.upsert("pods", ev[2].object); // Running with an IP
      await within1s(() => target(r, src, "10.244.1.7:8080") !== undefined, "the running pod's target");
      const running = ev[2].object as KubeObject & { status: Record<string, unknown> };
      server.upsert("pods", {
        ...running,
        status: { ...running.status, podIP: "10.244.1.99", podIPs: [{ ip: "10.244.1.99" }] },
      } as KubeObject);
      await within1s(() => target(r, src, "10.244.1.99:8080") !== undefined, "the new IP");
      assert.equal(group(r, src)?.labels.__meta_kubernetes_pod_ip, "10.244.1.99");
      assert.equal(target(r, src, "10.244.1.7:8080"), undefined);
      server.remove("pods", "scraper", "e2e-failjob-28dqq"); // the fixture's DELETED event
      await within1s(
        () => group(r, "pod/scraper/e2e-failjob-28dqq") === undefined,
        "the deleted pod's group to clear",
      );
      const last = r.emits.at(-1)?.find((g) => g.source === "pod/scraper/e2e-failjob-28dqq");
      assert.deepEqual(last, { source: "pod/scraper/e2e-failjob-28dqq", targets: [], labels: {} });
    } finally {
      await r.stop();
    }
  });

  it("endpoints role: an address turning not ready flips __meta_kubernetes_endpoint_ready within a second", async () => {
    const r = start(server, "endpoints");
    try {
      await waitFor(() => r.emits.length > 0, "the first emit");
      const src = "endpoints/shop/cart";
      assert.equal(target(r, src, "10.244.1.4:8080")?.__meta_kubernetes_endpoint_ready, "true");
      const eps = server
        .objects("endpoints")
        .find((o) => o.metadata.name === "cart" && o.metadata.namespace === "shop") as KubeObject & {
        subsets: Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[]; ports: unknown[] }>;
      };
      const s = eps.subsets[0];
      const subsets = [
        { ports: s.ports, notReadyAddresses: [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])] },
      ];
      server.upsert("endpoints", { ...eps, subsets } as KubeObject);
      await within1s(
        () => target(r, src, "10.244.1.4:8080")?.__meta_kubernetes_endpoint_ready === "false",
        "not ready",
      );
    } finally {
      await r.stop();
    }
  });

  it("endpointslice role: conditions.ready false shows within a second; a service label change reaches the group", async () => {
    const r = start(server, "endpointslice");
    try {
      await waitFor(() => r.emits.length > 0, "the first emit");
      const src = "endpointslice/shop/cart-b6pvw";
      const key = "__meta_kubernetes_endpointslice_endpoint_conditions_ready";
      assert.equal(target(r, src, "10.244.1.4:8080")?.[key], "true");
      const slice = server
        .objects("endpointslices")
        .find((o) => o.metadata.name === "cart-b6pvw") as KubeObject & {
        endpoints: Array<{ conditions: Record<string, boolean> }>;
      };
      const endpoints = slice.endpoints.map((e) => ({
        ...e,
        conditions: { ready: false, serving: false, terminating: true },
      }));
      server.upsert("endpointslices", { ...slice, endpoints } as KubeObject);
      await within1s(() => target(r, src, "10.244.1.4:8080")?.[key] === "false", "not ready");
      assert.equal(
        target(r, src, "10.244.1.4:8080")?.__meta_kubernetes_endpointslice_endpoint_conditions_terminating,
        "true",
      );
      const svc = server
        .objects("services")
        .find((o) => o.metadata.name === "cart" && o.metadata.namespace === "shop") as KubeObject;
      server.upsert("services", {
        ...svc,
        metadata: { ...svc.metadata, labels: { ...svc.metadata.labels, tier: "gold" } },
      });
      await within1s(
        () => group(r, src)?.labels.__meta_kubernetes_service_label_tier === "gold",
        "the service label",
      );
    } finally {
      await r.stop();
    }
  });

  it("keeps its groups across a 410 Gone re-list and applies what changed meanwhile", async () => {
    const registry = new Registry();
    const r = start(server, "pod", {}, registry);
    try {
      await waitFor(() => r.emits.length > 0, "the first emit");
      await waitFor(() => server.watchers() > 0, "the watch");
      server.closeWatches();
      server.compact();
      server.remove("pods", "shop", "frontend-5c8d7b9f6-7lzqw");
      server.compact();
      await within1s(
        () => group(r, "pod/shop/frontend-5c8d7b9f6-7lzqw") === undefined,
        "the re-list's delete",
      );
      assert.ok(group(r, "pod/shop/cart-7d9f8b6c5d-x2k4p") !== undefined);
      const lists = server.requests.filter((q) => q.path === "/api/v1/pods" && q.query.watch === undefined);
      assert.equal(lists.length, 2);
      assert.equal(
        await metricValue(registry, "prometheus_sd_kubernetes_events_total", {
          role: "pod",
          event: "delete",
        }),
        1,
      );
    } finally {
      await r.stop();
    }
  });

  it("watches only the configured namespaces, with the role's selectors", async () => {
    const r = start(server, "endpoints", {
      namespaces: { own_namespace: false, names: ["shop"] },
      selectors: [
        { role: "service", label: "app.kubernetes.io/part-of=shop", field: "" },
        { role: "pod", label: "", field: "status.phase=Running" },
      ],
    });
    try {
      await waitFor(() => r.emits.length > 0, "the first emit");
      assert.deepEqual([...r.state.keys()].sort(), ["endpoints/shop/cart", "endpoints/shop/frontend"]);
      const paths = new Set(
        server.requests.map((q) => `${q.path}?${q.query.labelSelector ?? ""}|${q.query.fieldSelector ?? ""}`),
      );
      assert.ok(paths.has("/api/v1/namespaces/shop/services?app.kubernetes.io/part-of=shop|"));
      assert.ok(paths.has("/api/v1/namespaces/shop/pods?|status.phase=Running"));
      // The Pending frontend pod is filtered out: its endpoint target has no pod labels.
      assert.equal(
        target(r, "endpoints/shop/frontend", "10.244.1.6:3000")?.__meta_kubernetes_pod_name,
        undefined,
      );
    } finally {
      await r.stop();
    }
  });
});

describe("kubernetes_sd failures", () => {
  it("counts failed lists and requests by status code, and recovers", async () => {
    const server = await startSDFakeServer();
    const registry = new Registry();
    server.failures.push({ pathPrefix: "/apis/discovery.k8s.io", status: 403, count: 2 });
    const r = start(server, "endpointslice", {}, registry);
    try {
      await waitFor(() => r.emits.length > 0, "the first emit after the 403s");
      assert.equal(await metricValue(registry, "prometheus_sd_kubernetes_failures_total"), 2);
      assert.equal(
        await metricValue(registry, "prometheus_sd_kubernetes_http_request_total", { status_code: "403" }),
        2,
      );
      assert.ok(
        ((await metricValue(registry, "prometheus_sd_kubernetes_http_request_total", {
          status_code: "200",
        })) ?? 0) >= 3,
      );
    } finally {
      await r.stop();
      await server.close();
    }
  });
});

describe("kubernetes_sd own namespace (in-cluster)", () => {
  it("fails like upstream outside a cluster", () => {
    assert.throws(
      () =>
        newKubernetesDiscoverer(
          k8sConfig("pod", "", { api_server: undefined }),
          testOptions(new Registry()),
          { env: {} },
        ),
      /unable to load in-cluster configuration/,
    );
  });
});

discovererConformance("kubernetes", async () => {
  const server = await startSDFakeServer();
  return {
    discoverer: newKubernetesDiscoverer(
      k8sConfig("service", server.url, { namespaces: { own_namespace: false, names: ["shop"] } }),
      testOptions(new Registry()),
    ),
    addresses: ["cart.shop.svc:80", "cart.shop.svc:9102", "frontend.shop.svc:80"],
    change: async () => {
      server.remove("services", "shop", "cart");
    },
    cleanup: () => server.close(),
  };
});
