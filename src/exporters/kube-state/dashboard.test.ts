/**
 * The kube-prometheus Kubernetes dashboards (shared fixtures) must find every
 * `kube_*` metric they query in Vigil's kube-state-metrics output. Names
 * other exporters provide (cAdvisor, kubelet, node exporter, API server) and
 * recording rules are listed separately, as not from kube-state-metrics.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFamilies } from "../../exposition/families.ts";
import { writeFamilies } from "../../exposition/writer.ts";
import { dashboardQueries, queriedMetricNames } from "../../testing/dashboards.ts";
import { KubeStateExporter } from "./exporter.ts";
import { RESOURCES } from "./registry.ts";
import { Telemetry } from "./telemetry.ts";
import { FIXTURE_API_DIR } from "./testing.ts";

const DIR = fileURLToPath(new URL("../../../../shared/fixtures/grafana/dashboards/", import.meta.url));
const RULES_DIR = fileURLToPath(
  new URL("../../../../shared/fixtures/rules/kube-prometheus/", import.meta.url),
);
const DASHBOARDS = [
  "kube-prometheus-k8s-resources-cluster.json",
  "kube-prometheus-k8s-resources-namespace.json",
  "kube-prometheus-kubelet.json",
  "kube-prometheus-node-cluster-rsrc-use.json",
  "kube-prometheus-node-rsrc-use.json",
  "kube-prometheus-nodes.json",
];

describe("Kubernetes dashboards", {
  skip: (!existsSync(DIR) || !existsSync(FIXTURE_API_DIR)) && "no fixtures",
}, () => {
  it("find every kube_* metric they query in Vigil's kube-state-metrics output", (t) => {
    const { parsed: count, names: wanted } = queriedMetricNames(
      DASHBOARDS.flatMap((file) => dashboardQueries(JSON.parse(readFileSync(`${DIR}${file}`, "utf8")))),
    );
    assert.ok(count > 50, `only ${count} queries`);
    const exporter = new KubeStateExporter({
      resources: [...RESOURCES.values()],
      labelsAllowList: new Map(),
      annotationsAllowList: new Map(),
    });
    const exposed = new Set(
      [
        ...parseFamilies(Buffer.from(exporter.write()), "prometheus-text"),
        ...parseFamilies(
          Buffer.from(writeFamilies(new Telemetry().families(), "prometheus-text")),
          "prometheus-text",
        ),
      ].map((f) => f.name),
    );
    const sorted = [...wanted].sort();
    const kube = sorted.filter((n) => n.startsWith("kube_"));
    const recorded = sorted.filter((n) => n.includes(":"));
    const others = sorted.filter((n) => !n.startsWith("kube_") && !n.includes(":"));
    const rules = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => readFileSync(`${RULES_DIR}${f}`, "utf8"))
      .join("\n");
    const unknownRecords = recorded.filter((n) => !rules.includes(`record: ${n}`));
    t.diagnostic(`${count} queries, ${wanted.size} metric names, ${kube.length} kube_*: ${kube.join(", ")}`);
    t.diagnostic(`recording rules (kube-prometheus rule files): ${recorded.join(", ")}`);
    t.diagnostic(`not from kube-state-metrics: ${others.join(", ")}`);
    t.diagnostic(`recording rules in no kube-prometheus rule file: ${unknownRecords.join(", ") || "none"}`);
    assert.ok(kube.length >= 5, `only ${kube.length} kube_* names`);
    assert.deepEqual(unknownRecords, []);
    assert.deepEqual(
      kube.filter((n) => !exposed.has(n)),
      [],
    );
  });
});
