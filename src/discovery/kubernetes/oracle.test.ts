/**
 * Differential test against the reference Prometheus (`.reference/bin/prometheus`,
 * 3.5): both discover from the same fake API server, every role (and
 * `attach_metadata.node` for pod and endpoints); Prometheus' `discoveredLabels`
 * (its scrape-only labels removed) must equal Vigil's merged group and target
 * labels, target for target. Skipped without the reference binary.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import type { FakeAPIServer } from "../../kubernetes/testing/fake_apiserver.ts";
import type { TargetGroup } from "../discovery.ts";
import { startDiscoverer, testOptions, waitFor } from "../testing/harness.ts";
import { newKubernetesDiscoverer } from "./kubernetes.ts";
import type { KubernetesSDConfig, Role } from "./schema.ts";
import { canonical, flatten, k8sConfig, startSDFakeServer } from "./testing.ts";

const PROMETHEUS = resolve(import.meta.dirname, "../../../.reference/bin/prometheus");
const SCRAPE_ONLY = new Set([
  "job",
  "__scheme__",
  "__metrics_path__",
  "__scrape_interval__",
  "__scrape_timeout__",
]);

interface Job {
  readonly name: string;
  readonly role: Role;
  readonly over: Partial<KubernetesSDConfig>;
}

const JOBS: Job[] = [
  ...(["node", "pod", "service", "endpoints", "endpointslice", "ingress"] as const).map((role) => ({
    name: role,
    role,
    over: {},
  })),
  { name: "pod-node", role: "pod", over: { attach_metadata: { node: true, namespace: false } } },
  { name: "endpoints-node", role: "endpoints", over: { attach_metadata: { node: true, namespace: false } } },
  {
    name: "endpointslice-node",
    role: "endpointslice",
    over: { attach_metadata: { node: true, namespace: false } },
  },
  {
    name: "pod-shop",
    role: "pod",
    over: { namespaces: { own_namespace: false, names: ["shop", "kube-system"] } },
  },
  {
    name: "pod-selected",
    role: "pod",
    over: {
      selectors: [
        { role: "pod", label: "app.kubernetes.io/name in (cart,frontend)", field: "status.phase=Running" },
      ],
    },
  },
];

function promConfig(url: string): string {
  const lines = ["global:", "  scrape_interval: 1h", "scrape_configs:"];
  for (const j of JOBS) {
    const sd = { role: j.role, api_server: url, ...pick(j.over) };
    lines.push(`- job_name: ${j.name}`, `  kubernetes_sd_configs: [${JSON.stringify(sd)}]`);
    // Keep-all relabeling that makes every discovered target distinct, so none is de-duplicated.
    lines.push("  relabel_configs: [{action: labelmap, regex: '__meta_(.+)', replacement: 'm_$1'}]");
  }
  return `${lines.join("\n")}\n`;
}

function pick(over: Partial<KubernetesSDConfig>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (over.attach_metadata !== undefined) out.attach_metadata = { node: over.attach_metadata.node };
  if (over.namespaces !== undefined) out.namespaces = { names: over.namespaces.names };
  if (over.selectors !== undefined) out.selectors = over.selectors;
  return out;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

type Discovered = Map<string, string[]>;

async function prometheusTargets(base: string): Promise<Discovered> {
  const res = await fetch(`${base}/api/v1/targets`);
  const body = (await res.json()) as {
    data: { activeTargets: Array<{ scrapePool: string; discoveredLabels: Record<string, string> }> };
  };
  const out: Discovered = new Map();
  for (const t of body.data.activeTargets) {
    const ls = Object.fromEntries(Object.entries(t.discoveredLabels).filter(([k]) => !SCRAPE_ONLY.has(k)));
    out.set(t.scrapePool, [...(out.get(t.scrapePool) ?? []), canonical(ls)]);
  }
  return out;
}

async function vigilGroups(url: string, job: Job): Promise<TargetGroup[]> {
  const r = startDiscoverer(
    newKubernetesDiscoverer(k8sConfig(job.role, url, job.over), testOptions(new Registry())),
  );
  try {
    await waitFor(() => r.emits.length > 0, `the first emit of ${job.name}`, 10_000);
    return r.emits[0];
  } finally {
    await r.stop();
  }
}

describe("kubernetes_sd oracle: reference Prometheus", { skip: !existsSync(PROMETHEUS) }, () => {
  let server: FakeAPIServer;
  let prom: ChildProcess;
  let dir: string;
  let base: string;
  before(async () => {
    server = await startSDFakeServer();
    dir = await mkdtemp(join(tmpdir(), "vigil-k8s-oracle-"));
    await writeFile(join(dir, "prometheus.yml"), promConfig(server.url));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
      ],
      { stdio: "ignore" },
    );
  });
  after(async () => {
    prom?.kill("SIGKILL");
    await server?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("discovers the same labels for every target of every role", async () => {
    let seen: Discovered = new Map();
    await waitFor(
      () => {
        void prometheusTargets(base).then(
          (d) => (seen = d),
          () => {},
        );
        return JOBS.every((j) => (seen.get(j.name)?.length ?? 0) > 0);
      },
      "Prometheus to discover every job",
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    seen = await prometheusTargets(base);
    let groups = 0;
    for (const job of JOBS) {
      const mine = await vigilGroups(server.url, job);
      const want = [...(seen.get(job.name) ?? [])].sort();
      const got = flatten(mine).map(canonical).sort();
      assert.deepEqual(got, want, `job ${job.name}`);
      groups += mine.filter((g) => g.targets.length > 0).length;
    }
    console.log(`${groups} target groups agree with Prometheus 3.5 over ${JOBS.length} jobs`);
  });
});
