/**
 * The classic Kubernetes scrape jobs (`testdata/recipes.yml`: the API server
 * job, kubelet and cAdvisor over HTTPS with the service-account token, and the
 * `prometheus.io/scrape|port|path` annotation recipes for services and pods)
 * loaded by Vigil's config loader, discovered from the fake API server and
 * relabeled by the scrape layer: the scrape URLs are the expected ones, and,
 * when the reference Prometheus is present, every target's URL and labels
 * equal what it shows in `/api/v1/targets`.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import { loadConfig } from "../../config/config.ts";
import type { ScrapeConfig } from "../../config/types.ts";
import type { FakeAPIServer } from "../../kubernetes/testing/fake_apiserver.ts";
import { LabelsBuilder } from "../../model/labels/labels.ts";
import { targetsFromGroup } from "../../scrape/target.ts";
import { startDiscoverer, testOptions, waitFor } from "../testing/harness.ts";
import { newKubernetesDiscoverer } from "./kubernetes.ts";
import type { KubernetesSDConfig } from "./schema.ts";
import { canonical, startSDFakeServer } from "./testing.ts";

const PROMETHEUS = resolve(import.meta.dirname, "../../../.reference/bin/prometheus");
const RECIPES = resolve(import.meta.dirname, "testdata/recipes.yml");

/** One active target: job, URL and public labels as canonical JSON. */
interface Active {
  readonly job: string;
  readonly url: string;
  readonly labels: string;
}

async function vigilTargets(sc: ScrapeConfig): Promise<Active[]> {
  const sd = sc.service_discovery_configs[0] as KubernetesSDConfig;
  const r = startDiscoverer(newKubernetesDiscoverer(sd, testOptions(new Registry())));
  try {
    await waitFor(() => r.emits.length > 0, `the first emit of ${sc.job_name}`);
    const out: Active[] = [];
    for (const g of r.emits[0]) {
      for (const t of targetsFromGroup(g, sc, new LabelsBuilder()).targets) {
        if (t.labels().size === 0) continue; // dropped by relabeling
        out.push({ job: sc.job_name, url: t.scrapeUrl(), labels: canonical(t.labels().toObject()) });
      }
    }
    return out;
  } finally {
    await r.stop();
  }
}

/** The distinct scrape URLs of `job` (a pool keeps one target per distinct labels and URL). */
const urls = (ts: Active[], job: string) =>
  [...new Set(ts.filter((t) => t.job === job).map((t) => t.url))].sort();

interface PromTarget {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly labels: Record<string, string>;
}

/** Distinct targets as sorted `job url labels` keys. */
const distinct = (ts: Active[]) => [...new Set(ts.map((t) => `${t.job} ${t.url} ${t.labels}`))].sort();

describe("classic Kubernetes scrape jobs", () => {
  let server: FakeAPIServer;
  let dir: string;
  let text: string;
  let mine: Active[] = [];
  before(async () => {
    server = await startSDFakeServer();
    dir = await mkdtemp(join(tmpdir(), "vigil-k8s-recipes-"));
    await writeFile(join(dir, "token"), "sa-token\n");
    text = readFileSync(RECIPES, "utf8")
      .replaceAll("API_SERVER", server.url)
      .replaceAll("TOKEN_FILE", join(dir, "token"));
    await writeFile(join(dir, "prometheus.yml"), text);
    const { config } = loadConfig(text, join(dir, "prometheus.yml"), dir);
    mine = (await Promise.all(config.scrape_configs.map(vigilTargets))).flat();
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("scrapes the API server, every kubelet and cAdvisor over HTTPS", () => {
    assert.deepEqual(urls(mine, "kubernetes-apiservers"), ["https://192.168.67.2:8443/metrics"]);
    const nodes = ["192.168.67.2", "192.168.67.3", "192.168.67.4"];
    assert.deepEqual(
      urls(mine, "kubelet"),
      nodes.map((ip) => `https://${ip}:10250/metrics`),
    );
    assert.deepEqual(
      urls(mine, "cadvisor"),
      nodes.map((ip) => `https://${ip}:10250/metrics/cadvisor`),
    );
    const kubelet = mine.find((t) => t.job === "kubelet" && t.url.includes("192.168.67.3"));
    assert.match(kubelet?.labels ?? "", /\["instance","datagen-1-35-m02"\]/);
    assert.match(kubelet?.labels ?? "", /\["kubernetes_io_hostname","datagen-1-35-m02"\]/);
  });

  it("follows the prometheus.io/scrape|port|path annotations of pods and services", () => {
    assert.deepEqual(urls(mine, "kubernetes-pods"), [
      "http://10.244.0.7:8080/metrics",
      "http://10.244.1.4:9102/metrics",
      "http://10.244.1.5:9102/metrics",
      "http://10.244.1.9/metrics",
      "http://10.244.1.9:8080/metrics",
      "http://10.244.1.9:8125/metrics",
      "http://10.244.1.9:9901/metrics",
    ]);
    const svc = urls(mine, "kubernetes-service-endpoints");
    assert.ok(svc.includes("http://10.244.1.4:9102/metrics"), svc.join(" "));
    assert.ok(
      svc.every((u) => !u.includes(":3000")),
      "the frontend service is not annotated",
    );
  });

  it("matches the reference Prometheus target for target", { skip: !existsSync(PROMETHEUS) }, async () => {
    const s = createServer();
    await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((ok) => s.close(() => ok()));
    const prom: ChildProcess = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
      ],
      { stdio: "ignore" },
    );
    try {
      let theirs: Active[] = [];
      await waitFor(
        () => {
          void fetch(`http://127.0.0.1:${port}/api/v1/targets`)
            .then((res) => res.json() as Promise<{ data: { activeTargets: PromTarget[] } }>)
            .then(
              (body) => {
                theirs = body.data.activeTargets.map((t) => ({
                  job: t.scrapePool,
                  url: t.scrapeUrl,
                  labels: canonical(t.labels),
                }));
              },
              () => {},
            );
          return theirs.length >= distinct(mine).length;
        },
        "Prometheus' targets",
        20_000,
      );
      assert.deepEqual(distinct(mine), distinct(theirs));
      console.log(
        `${distinct(mine).length} relabeled targets of ${new Set(mine.map((t) => t.job)).size} classic jobs agree with Prometheus 3.5`,
      );
    } finally {
      prom.kill("SIGKILL");
    }
  });
});
