/**
 * A fake Kubernetes cluster for browser tests, in process on 127.0.0.1:
 * `src/kubernetes/testing`'s fake API server over the shared fixtures,
 * `vigil kube-state-metrics` watching it, and a kubelet whose
 * `/metrics/cadvisor` serves the captured cAdvisor exposition of the same
 * cluster (counters growing with time, so rates are not flat zero), plus
 * the scrape jobs and rule files a kube-prometheus deployment has.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../../src/config/httpclient.ts";
import { RESOURCES } from "../../src/exporters/kube-state/registry.ts";
import { type RunningKubeState, startKubeStateMetrics } from "../../src/exporters/kube-state/run.ts";
import { newKubeClient } from "../../src/kubernetes/client.ts";
import { RESOURCES as API_RESOURCES } from "../../src/kubernetes/resources.ts";
import {
  EXTRA_FIXTURES_DIR,
  type FakeAPIServer,
  FIXTURES_DIR,
  startFakeAPIServer,
} from "../../src/kubernetes/testing/fake_apiserver.ts";
import { nopLogger } from "../../src/log/log.ts";

const SHARED = "/work/shared/fixtures";
/** The kubelet's cAdvisor capture (one node of the fixture cluster: `datagen-1-35`). */
export const CADVISOR_DIR = join(SHARED, "exposition", "kubelet-cadvisor");
/** kube-prometheus' rule files (recording and alerting rules). */
export const KUBE_RULES = join(SHARED, "rules", "kube-prometheus", "*.yaml");
/** kube-state-metrics' hand-written lists (HPAs, resource quotas, PDBs) the shared fixtures lack. */
const KSM_TESTDATA = join(import.meta.dirname, "..", "..", "src", "exporters", "kube-state", "testdata");
/** The node the cAdvisor capture (and the node exporter, by its `instance`) stands for. */
export const NODE_NAME = "datagen-1-35";

/** The running cluster. */
export interface KubeFixtures {
  /** `host:port` of kube-state-metrics' metrics port. */
  readonly kubeStateAddress: string;
  /** `host:port` of the kubelet stand-in (`/metrics/cadvisor`). */
  readonly kubeletAddress: string;
  stop(): Promise<void>;
}

/**
 * The capture as served at `elapsedS` seconds after start: sample
 * timestamps dropped, counters grown by a wobbling rate proportional to
 * their value (monotonic: d/dt of t + 20·sin(t/30) is at least 1/3).
 */
export function cadvisorBody(capture: string, elapsedS: number): string {
  const grow = 1 + (elapsedS + 20 * Math.sin(elapsedS / 30)) / 600;
  const counters = new Set<string>();
  const out: string[] = [];
  for (const line of capture.split("\n")) {
    if (line.startsWith("#")) {
      const m = /^# TYPE (\S+) counter/.exec(line);
      if (m !== null) counters.add(m[1]!);
      out.push(line);
      continue;
    }
    const m = /^([^{\s]+)(\{.*\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (m === null) {
      out.push(line);
      continue;
    }
    const value = counters.has(m[1]!) ? String(Number(m[3]) * grow) : m[3];
    out.push(`${m[1]}${m[2] ?? ""} ${value}`);
  }
  return out.join("\n");
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Serves the cAdvisor capture at `/metrics/cadvisor`. */
async function startKubelet(): Promise<{ address: string; server: Server }> {
  const capture = readdirSync(CADVISOR_DIR)
    .filter((f) => f.endsWith(".prom"))
    .map((f) => readFileSync(join(CADVISOR_DIR, f), "utf8"))
    .join("\n");
  const started = Date.now();
  const server = createServer((req, res) => {
    if (req.url !== "/metrics/cadvisor") {
      res.writeHead(404).end("404 page not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(cadvisorBody(capture, (Date.now() - started) / 1000));
  });
  return { address: await listen(server), server };
}

/** Starts the fake API server, kube-state-metrics on it and the kubelet stand-in; resolves once kube-state-metrics listed everything. */
export async function startKubeFixtures(): Promise<KubeFixtures> {
  const api: FakeAPIServer = await startFakeAPIServer({
    dirs: [FIXTURES_DIR, EXTRA_FIXTURES_DIR, KSM_TESTDATA],
  });
  let ksm: RunningKubeState | undefined;
  let kubelet: { address: string; server: Server } | undefined;
  try {
    ksm = await startKubeStateMetrics({
      // Those the fake API server serves (not PodDisruptionBudgets).
      resources: [...RESOURCES.values()].filter((r) => Object.hasOwn(API_RESOURCES, r.name)),
      namespaces: [],
      namespacesDenylist: [],
      labelsAllowList: new Map(),
      annotationsAllowList: new Map(),
      client: newKubeClient({ server: api.url, http: DEFAULT_HTTP_CLIENT_CONFIG, via: "api_server" }),
      listen: "127.0.0.1:0",
      telemetryListen: "127.0.0.1:0",
      gzip: false,
      logger: nopLogger,
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ksm.synced,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("kube-state-metrics did not sync within 20s")), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    kubelet = await startKubelet();
  } catch (err) {
    await ksm?.close();
    await api.close();
    throw err;
  }
  const running = ksm;
  const k = kubelet;
  return {
    kubeStateAddress: `127.0.0.1:${running.metricsServer.port}`,
    kubeletAddress: k.address,
    stop: async () => {
      k.server.closeAllConnections();
      await new Promise((resolve) => k.server.close(resolve));
      await running.close();
      await api.close();
    },
  };
}

/**
 * kube-prometheus' scrape jobs for `kube`, as `scrape_configs` entries: the
 * kubelet's cAdvisor endpoint as job `kubelet` with a `metrics_path` label
 * (its ServiceMonitor's relabeling) and the node's name, and
 * kube-state-metrics, both with `honor_labels` as there.
 */
export function kubeScrapeConfigs(kube: KubeFixtures): string {
  return `  - job_name: kubelet
    metrics_path: /metrics/cadvisor
    honor_labels: true
    honor_timestamps: false
    static_configs: [{targets: ["${kube.kubeletAddress}"], labels: {node: ${NODE_NAME}, service: kubelet, endpoint: https-metrics}}]
    relabel_configs:
      - source_labels: [__metrics_path__]
        target_label: metrics_path
  - job_name: kube-state-metrics
    honor_labels: true
    static_configs: [{targets: ["${kube.kubeStateAddress}"]}]
`;
}
