/**
 * The kube-prometheus dashboards (shared fixtures) must find every metric
 * they query in a Vigil deployment: kube-state-metrics (over the fixtures),
 * `vigil node-exporter` (over its captured tree), `vigil server`'s own
 * `/metrics` (one started in process), the kubelet's cAdvisor endpoint (the
 * captured exposition) and recording rules (kube-prometheus' and Vigil's
 * defaults in `deploy/`) whose inputs those provide. Names that the kubelet's
 * own `/metrics` or the API server provide are listed by name, with the
 * reason; nothing may be missing.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFamilies } from "../../exposition/families.ts";
import { writeFamilies } from "../../exposition/writer.ts";
import { parseRules } from "../../rules/rulefmt/parse.ts";
import { runServer } from "../../server/testing.ts";
import { dashboardQueries, queriedMetricNames } from "../../testing/dashboards.ts";
import { FIXTURE_FLAGS } from "../node/testing/fixture.ts";
import { scrape, startVigil } from "../node/testing/procs.ts";
import { CoverageChecker, exposedNames } from "./coverage.ts";
import { KubeStateExporter } from "./exporter.ts";
import { RESOURCES } from "./registry.ts";
import { Telemetry } from "./telemetry.ts";
import { FIXTURE_API_DIR, fixtureItems } from "./testing.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../../../shared/fixtures/${p}`, import.meta.url));
const DIR = fixture("grafana/dashboards/");
const RULES_DIR = fixture("rules/kube-prometheus/");
const CADVISOR_DIR = fixture("exposition/kubelet-cadvisor/");
const VIGIL_RULES_DIR = fileURLToPath(
  new URL("../../../deploy/kubernetes/base/config/rules/", import.meta.url),
);
const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));
/** The Kubernetes dashboards, and the one of the server they monitor. */
const DASHBOARDS = [
  "kube-prometheus-k8s-resources-cluster.json",
  "kube-prometheus-k8s-resources-namespace.json",
  "kube-prometheus-kubelet.json",
  "kube-prometheus-node-cluster-rsrc-use.json",
  "kube-prometheus-node-rsrc-use.json",
  "kube-prometheus-nodes.json",
  "kube-prometheus-prometheus.json",
];

const queriesOf = (file: string) => dashboardQueries(JSON.parse(readFileSync(`${DIR}${file}`, "utf8")));
const textNames = (body: string) => exposedNames(parseFamilies(Buffer.from(body), "prometheus-text"));

/** kube-state-metrics' two ports with every resource filled from the fixtures. */
function kubeStateNames(): Set<string> {
  const exporter = new KubeStateExporter({
    resources: [...RESOURCES.values()],
    labelsAllowList: new Map([["*", ["*"]]]),
    annotationsAllowList: new Map(),
  });
  for (const [name, store] of exporter.stores) {
    const local = `${TESTDATA}${name}.json`;
    store.replace(existsSync(local) ? JSON.parse(readFileSync(local, "utf8")).items : fixtureItems(name));
  }
  const telemetry = writeFamilies(new Telemetry().families(), "prometheus-text");
  return new Set([...textNames(exporter.write()), ...textNames(telemetry)]);
}

/** Every recording rule of the rule files in `dirs`. */
function recordingRules(dirs: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      const parsed = parseRules(readFileSync(join(dir, file), "utf8"));
      assert.ok(parsed.ok, `${file}: ${parsed.ok ? "" : parsed.errors.join("; ")}`);
      for (const rule of parsed.groups.groups.flatMap((g) => g.rules)) {
        if (rule.record !== "") out.set(rule.record, [...(out.get(rule.record) ?? []), rule.expr]);
      }
    }
  }
  return out;
}

describe("Kubernetes dashboards", {
  skip: (!existsSync(DIR) || !existsSync(FIXTURE_API_DIR)) && "no fixtures",
}, () => {
  it("find every kube_* metric they query in Vigil's kube-state-metrics output", (t) => {
    const { parsed: count, names: wanted } = queriedMetricNames(DASHBOARDS.flatMap(queriesOf));
    assert.ok(count > 50, `only ${count} queries`);
    const exposed = kubeStateNames();
    const sorted = [...wanted].sort();
    const kube = sorted.filter((n) => n.startsWith("kube_"));
    const recorded = sorted.filter((n) => n.includes(":"));
    const rules = recordingRules([RULES_DIR]);
    const unknownRecords = recorded.filter((n) => !rules.has(n));
    t.diagnostic(`${count} queries, ${wanted.size} metric names, ${kube.length} kube_*: ${kube.join(", ")}`);
    t.diagnostic(`recording rules in no kube-prometheus rule file: ${unknownRecords.join(", ") || "none"}`);
    assert.ok(kube.length >= 5, `only ${kube.length} kube_* names`);
    assert.deepEqual(unknownRecords, []);
    assert.deepEqual(
      kube.filter((n) => !exposed.has(n)),
      [],
    );
  });

  it("find every metric they query in Vigil, cAdvisor or the cluster's own components", {
    timeout: 60_000,
    skip: !existsSync(CADVISOR_DIR) && "no kubelet cAdvisor fixture",
  }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-ksm-dashboards-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "prometheus.yml"), "global:\n  scrape_interval: 15s\n");
    const server = await runServer(dir, join(dir, "prometheus.yml"));
    t.after(async () => {
      server.stop();
      await server.done;
    });
    const node = await startVigil(FIXTURE_FLAGS);
    t.after(() => node.stop());
    const cadvisor = new Set(
      readdirSync(CADVISOR_DIR)
        .filter((f) => f.endsWith(".prom"))
        .flatMap((f) => [...textNames(readFileSync(join(CADVISOR_DIR, f), "utf8"))]),
    );
    // Looked up in this order when a selector names no literal job.
    const sources = new Map([
      ["vigil server", textNames(await (await fetch(`${server.url}/metrics`)).text())],
      ["kube-state-metrics", kubeStateNames()],
      ["node exporter", textNames(await scrape(node.url))],
      ["cAdvisor", cadvisor],
    ]);
    for (const [name, names] of sources) assert.ok(names.size > 20, `${name}: only ${names.size} names`);
    const checker = new CoverageChecker(sources, recordingRules([RULES_DIR, VIGIL_RULES_DIR]));

    const missing: string[] = [];
    let cluster = 0;
    for (const file of DASHBOARDS) {
      const cov = checker.dashboard(queriesOf(file));
      const bySource = new Map<string, number>();
      for (const source of cov.covered.values()) {
        const key = source.startsWith("recording rule") ? "recording rules" : source;
        bySource.set(key, (bySource.get(key) ?? 0) + 1);
      }
      const counts = [...bySource].map(([s, n]) => `${n} ${s}`).join(", ");
      t.diagnostic(
        `${file}: covered ${cov.covered.size} (${counts}); cluster components ${cov.cluster.size}; missing ${cov.missing.size}`,
      );
      const reasons = new Map<string, string[]>();
      for (const [name, reason] of cov.cluster) reasons.set(reason, [...(reasons.get(reason) ?? []), name]);
      for (const [reason, names] of reasons) t.diagnostic(`  from ${reason}: ${names.sort().join(", ")}`);
      for (const [name, why] of cov.missing) missing.push(`${file}: ${name} (${why})`);
      assert.ok(cov.covered.size > 0, `${file}: nothing covered`);
      cluster += cov.cluster.size;
    }
    t.diagnostic(`missing: ${missing.join("; ") || "none"}`);
    // The kubelet dashboard is mostly the kubelet's own metrics; the others are Vigil's.
    assert.ok(cluster >= 15 && cluster < 40, `${cluster} names from cluster components`);
    assert.deepEqual(missing, []);
  });
});
