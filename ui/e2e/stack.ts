/**
 * A `vigil server` for browser tests, in process on 127.0.0.1: it scrapes
 * itself and an in-process `vigil node-exporter` (plus a refused target and
 * one relabeling drops, so every state shows), evaluates a recording rule
 * and two alerting rules (one firing, one inactive). With `kubernetes`, it
 * also scrapes a fake cluster (`kube.ts`) the way kube-prometheus does: the
 * node exporter as job `node-exporter` with the node's name as `instance`,
 * the kubelet's cAdvisor endpoint, kube-state-metrics, and kube-prometheus'
 * rule files.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeExporterCommand } from "../../src/cli/nodeexporter.ts";
import { capture } from "../../src/cli/testing.ts";
import { runServer, waitFor } from "../../src/server/testing.ts";
import { KUBE_RULES, type KubeFixtures, kubeScrapeConfigs, NODE_NAME, startKubeFixtures } from "./kube.ts";

const RULES = `groups:
  - name: ui-example
    interval: 1s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: AlwaysFiring
        expr: vector(1) > 0
        labels: {severity: page}
        annotations: {summary: "value is {{ $value }}"}
      - alert: NeverFiring
        expr: vector(1) < 0
        for: 5m
`;

/** The server's configuration; `kube` adds the fake cluster's jobs and kube-prometheus' rules. */
function config(kube: KubeFixtures | undefined): string {
  const nodeRelabel =
    kube === undefined
      ? ""
      : `
      - source_labels: [env]
        regex: e2e
        target_label: instance
        replacement: ${NODE_NAME}`;
  return `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml${kube === undefined ? "" : `, "${KUBE_RULES}"`}]
scrape_configs:
  - job_name: vigil
    file_sd_configs: [{files: [vigil.json], refresh_interval: 1s}]
  - job_name: ${kube === undefined ? "node" : "node-exporter"}
    file_sd_configs: [{files: [node.json], refresh_interval: 1s}]
    relabel_configs:
      - source_labels: [drop]
        regex: "yes"
        action: drop${nodeRelabel}
${kube === undefined ? "" : kubeScrapeConfigs(kube)}`;
}

/** Series whose presence shows the fake cluster was scraped and kube-prometheus' recording rules ran. */
const KUBE_SERIES = [
  'kube_pod_info{job="kube-state-metrics"}',
  'container_cpu_usage_seconds_total{job="kubelet", metrics_path="/metrics/cadvisor"}',
  "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m",
  "node_namespace_pod_container:container_memory_working_set_bytes",
  "namespace_cpu:kube_pod_container_resource_requests:sum",
  "cluster:node_cpu:ratio_rate5m",
  "instance:node_cpu_utilisation:rate5m",
];

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Also start and scrape a fake Kubernetes cluster and load kube-prometheus' rules. */
  readonly kubernetes?: boolean;
}

/** The running stack. */
export interface Stack {
  /** The server's base URL. */
  readonly url: string;
  /** The node exporter's `host:port`. */
  readonly nodeAddress: string;
  /** When the server started (ms since the epoch): the oldest data is from then. */
  readonly startedAt: number;
  stop(): Promise<void>;
}

async function startNodeExporter(): Promise<{ address: string; stop(): void; done: Promise<number> }> {
  const stderr = capture();
  const controller = new AbortController();
  const done = nodeExporterCommand.run(["--web.listen-address=127.0.0.1:0"], {
    stdout: capture(),
    stderr,
    signal: controller.signal,
  });
  const address = await waitFor(
    "node exporter listening",
    () => /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(stderr.text())?.[1],
  );
  return { address, done, stop: () => controller.abort("SIGTERM") };
}

/**
 * Starts the stack and waits until every target has been scraped and the
 * alert fires (with `kubernetes`: also until {@link KUBE_SERIES} exist).
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-ui-e2e-"));
  const node = await startNodeExporter();
  let kube: KubeFixtures | undefined;
  try {
    kube = opts.kubernetes === true ? await startKubeFixtures() : undefined;
  } catch (err) {
    node.stop();
    await node.done;
    throw err;
  }
  writeFileSync(join(dir, "rules.yml"), RULES);
  writeFileSync(join(dir, "vigil.json"), "[]");
  writeFileSync(
    join(dir, "node.json"),
    JSON.stringify([
      { targets: [node.address], labels: { env: "e2e" } },
      { targets: ["127.0.0.1:1"], labels: { env: "refused" } },
      { targets: ["127.0.0.1:2"], labels: { drop: "yes" } },
    ]),
  );
  writeFileSync(join(dir, "prometheus.yml"), config(kube));
  const server = await runServer(dir, join(dir, "prometheus.yml"));
  const startedAt = Date.now();
  writeFileSync(join(dir, "vigil.json"), JSON.stringify([{ targets: [new URL(server.url).host] }]));
  const query = async (q: string): Promise<number> => {
    const res = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    return body.data?.result?.length ?? 0;
  };
  await waitFor(
    "targets scraped",
    async () => ((await query('up{job="vigil"} == 1')) === 1 ? true : undefined),
    20_000,
  );
  await waitFor(
    "node scraped",
    async () => ((await query("node_cpu_seconds_total")) > 0 ? true : undefined),
    20_000,
  );
  await waitFor(
    "alert firing",
    async () => ((await query('ALERTS{alertstate="firing"}')) > 0 ? true : undefined),
    20_000,
  );
  for (const q of kube === undefined ? [] : KUBE_SERIES) {
    await waitFor(q, async () => ((await query(q)) > 0 ? true : undefined), 30_000);
  }
  return {
    url: server.url,
    nodeAddress: node.address,
    startedAt,
    stop: async () => {
      server.stop();
      node.stop();
      await Promise.allSettled([server.done, node.done, kube?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
