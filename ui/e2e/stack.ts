/**
 * A `vigil server` for browser tests, in process on 127.0.0.1: it scrapes
 * itself and an in-process `vigil node-exporter` (plus a refused target and
 * one relabeling drops, so every state shows), evaluates a recording rule
 * and two alerting rules (one firing, one inactive).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeExporterCommand } from "../../src/cli/nodeexporter.ts";
import { capture } from "../../src/cli/testing.ts";
import { runServer, waitFor } from "../../src/server/testing.ts";

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

const CONFIG = `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
scrape_configs:
  - job_name: vigil
    file_sd_configs: [{files: [vigil.json], refresh_interval: 1s}]
  - job_name: node
    file_sd_configs: [{files: [node.json], refresh_interval: 1s}]
    relabel_configs:
      - source_labels: [drop]
        regex: "yes"
        action: drop
`;

/** The running stack. */
export interface Stack {
  /** The server's base URL. */
  readonly url: string;
  /** The node exporter's `host:port`. */
  readonly nodeAddress: string;
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

/** Starts the stack and waits until every target has been scraped and the alert fires. */
export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-ui-e2e-"));
  const node = await startNodeExporter();
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
  writeFileSync(join(dir, "prometheus.yml"), CONFIG);
  const server = await runServer(dir, join(dir, "prometheus.yml"));
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
  return {
    url: server.url,
    nodeAddress: node.address,
    stop: async () => {
      server.stop();
      node.stop();
      await Promise.allSettled([server.done, node.done]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
