/** Classification of dashboard metric names by source, job, cluster component and recording rule. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoverageChecker, exposedNames } from "./coverage.ts";

const SOURCES = new Map([
  ["vigil server", new Set(["prometheus_tsdb_head_series", "process_cpu_seconds_total"])],
  ["kube-state-metrics", new Set(["kube_pod_info", "kube_pod_owner"])],
  ["node exporter", new Set(["node_load1", "node_cpu_seconds_total"])],
  ["cAdvisor", new Set(["container_cpu_usage_seconds_total"])],
]);
const RULES = new Map([
  ["instance:node_cpu:rate5m", ['rate(node_cpu_seconds_total{job="node-exporter"}[5m])']],
  ["cluster:cpu:sum", ["sum(instance:node_cpu:rate5m)"]],
  ["bad:rule", ['rate(node_cpu_seconds_total{job="kube-state-metrics"}[5m])']],
  ["twice:rule", ["absent_metric_total", "node_load1"]],
  ["loop:a", ["loop:b"]],
  ["loop:b", ["loop:a"]],
]);

describe("CoverageChecker", () => {
  const checker = new CoverageChecker(SOURCES, RULES);
  // biome-ignore format: a table
  const cases: { query: string; covered?: string; cluster?: string; missing?: RegExp }[] = [
    { query: 'kube_pod_info{job="kube-state-metrics"}', covered: "kube-state-metrics" },
    { query: "sum(rate(process_cpu_seconds_total[5m]))", covered: "vigil server" },
    { query: 'process_cpu_seconds_total{job="kubelet", metrics_path="/metrics"}', cluster: "kubelet" },
    { query: 'rate(container_cpu_usage_seconds_total{job="kubelet", metrics_path="/metrics/cadvisor"}[$__rate_interval])', covered: "cAdvisor" },
    { query: 'apiserver_request_total{job="apiserver"}', cluster: "API server" },
    { query: 'up{job="kubelet"}', covered: "scrape report series" },
    { query: 'kube_pod_info{job="node-exporter"}', missing: /not exposed by node exporter/ },
    { query: 'kube_pod_info{job="$job"}', covered: "kube-state-metrics" },
    { query: "nowhere_total", missing: /exposed by no source/ },
    { query: "cluster:cpu:sum", covered: "recording rule (inputs: recording rule" },
    { query: "bad:rule", missing: /input missing: node_cpu_seconds_total/ },
    { query: "twice:rule", covered: "recording rule (inputs: node exporter)" },
    { query: "loop:a", missing: /input missing: loop:b/ },
    { query: "label_values(kube_pod_owner, namespace)", covered: "kube-state-metrics" },
  ];
  for (const c of cases) {
    it(c.query, () => {
      const cov = checker.dashboard([c.query]);
      const all = [...cov.covered, ...cov.cluster, ...cov.missing];
      assert.equal(all.length, 1, JSON.stringify(all));
      if (c.covered !== undefined)
        assert.ok([...cov.covered.values()][0]?.includes(c.covered), JSON.stringify(all));
      if (c.cluster !== undefined)
        assert.ok([...cov.cluster.values()][0]?.includes(c.cluster), JSON.stringify(all));
      if (c.missing !== undefined) assert.match([...cov.missing.values()][0] ?? "", c.missing);
    });
  }

  it("expands histogram and summary families to their sample names", () => {
    const names = exposedNames([
      { name: "a_seconds", type: "histogram", samples: [] },
      { name: "b_seconds", type: "summary", samples: [] },
      { name: "c_total", type: "counter", samples: [] },
    ]);
    assert.deepEqual([...names].sort(), [
      "a_seconds",
      "a_seconds_bucket",
      "a_seconds_count",
      "a_seconds_sum",
      "b_seconds",
      "b_seconds_count",
      "b_seconds_sum",
      "c_total",
    ]);
  });
});
