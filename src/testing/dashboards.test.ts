import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dashboardPromQL, dashboardQueries, queriedMetricNames } from "./dashboards.ts";

describe("dashboard metric names", () => {
  const dashboard = {
    panels: [
      { targets: [{ expr: 'rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval])' }] },
      { panels: [{ targets: [{ expr: '{__name__="up"} + on() sum_over_time(kube_pod_info[$window])' }] }] },
    ],
    templating: {
      list: [
        { type: "datasource", query: "prometheus" },
        { type: "custom", query: "a,b" },
        { type: "query", query: { query: "label_values(node_uname_info, job)" } },
        { type: "query", query: "label_values(job)" },
      ],
    },
  };

  it("collects panel and query-variable PromQL only", () => {
    assert.deepEqual(dashboardQueries(dashboard), [
      'rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval])',
      '{__name__="up"} + on() sum_over_time(kube_pod_info[$window])',
      "label_values(node_uname_info, job)",
      "label_values(job)",
    ]);
  });

  it("rewrites Grafana syntax to PromQL", () => {
    assert.equal(dashboardPromQL("rate(x[$__interval])"), "rate(x[5m])");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${var} syntax, not a template literal
    assert.equal(dashboardPromQL("x[${w}]"), "x[5m]");
    assert.equal(dashboardPromQL("label_values(up{job='a'}, instance)"), "up{job='a'}");
    assert.equal(dashboardPromQL("label_values(instance)"), undefined);
  });

  it("finds the selected names", () => {
    const { parsed, names } = queriedMetricNames(dashboardQueries(dashboard));
    assert.equal(parsed, 3);
    assert.deepEqual([...names].sort(), ["kube_pod_info", "node_cpu_seconds_total", "node_uname_info", "up"]);
  });
});
