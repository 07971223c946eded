/**
 * Source of Vigil's built-in dashboards: `node generate.ts` writes
 * `dashboards/*.json` (checked in, reviewed as JSON, formatted with `biome check --write`; the test fails when
 * they differ from this file's output). Grafana JSON model, schema 41,
 * every query through the `datasource` variable.
 */
import { writeFileSync } from "node:fs";
import type { JsonObject } from "../model/json.ts";
import { CURRENT_SCHEMA_VERSION } from "../model/migrate.ts";

type Target = readonly [expr: string, legend: string];
const DS = { type: "prometheus", uid: "${datasource}" };

type Layout = JsonObject;

function targets(ts: readonly Target[], instant = false): JsonObject[] {
  return ts.map(([expr, legend], i) => ({
    datasource: DS,
    expr,
    legendFormat: legend,
    refId: String.fromCharCode(65 + i),
    ...(instant ? { instant: true, range: false } : {}),
  }));
}

function timeseries(
  title: string,
  gridPos: Layout,
  ts: readonly Target[],
  unit = "short",
  extra: JsonObject = {},
): JsonObject {
  return {
    type: "timeseries",
    title,
    datasource: DS,
    gridPos,
    fieldConfig: {
      defaults: { unit, custom: { fillOpacity: 10, lineWidth: 1, showPoints: "never", ...extra } },
      overrides: [],
    },
    options: {
      legend: { showLegend: true, displayMode: "list", placement: "bottom", calcs: [] },
      tooltip: { mode: "multi", sort: "desc" },
    },
    targets: targets(ts),
  };
}

function stat(
  title: string,
  gridPos: Layout,
  expr: string,
  unit = "short",
  steps: [string, number | null][] = [["green", null]],
): JsonObject {
  return {
    type: "stat",
    title,
    datasource: DS,
    gridPos,
    fieldConfig: {
      defaults: {
        unit,
        thresholds: { mode: "absolute", steps: steps.map(([color, value]) => ({ color, value })) },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
      colorMode: "value",
      graphMode: "area",
      textMode: "auto",
      justifyMode: "auto",
      orientation: "auto",
    },
    targets: targets([[expr, ""]]),
  };
}

function row(title: string, y: number): JsonObject {
  return { type: "row", title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] };
}

function queryVar(name: string, label: string, query: string, opts: JsonObject = {}): JsonObject {
  return {
    name,
    label,
    type: "query",
    datasource: DS,
    query,
    definition: query,
    refresh: 2,
    sort: 1,
    regex: "",
    hide: 0,
    includeAll: false,
    multi: false,
    ...opts,
  };
}

function dashboard(
  uid: string,
  title: string,
  tags: string[],
  vars: JsonObject[],
  panels: JsonObject[],
): JsonObject {
  return {
    uid,
    title,
    tags: ["vigil", ...tags],
    editable: true,
    graphTooltip: 1,
    refresh: "30s",
    schemaVersion: CURRENT_SCHEMA_VERSION,
    time: { from: "now-1h", to: "now" },
    timezone: "browser",
    annotations: { list: [] },
    templating: {
      list: [
        {
          name: "datasource",
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          current: {},
          hide: 0,
          regex: "",
        },
        ...vars,
      ],
    },
    panels: panels.map((p, i) => ({ id: i + 1, ...p })),
  };
}

const at = (x: number, y: number, w: number, h: number): Layout => ({ x, y, w, h });
const N = 'instance="$instance",job="$job"';

/** Host overview from node exporter metrics. */
export function hostOverview(): JsonObject {
  return dashboard(
    "vigil-host-overview",
    "Host overview",
    ["node-exporter"],
    [
      queryVar("job", "Job", "label_values(node_uname_info, job)"),
      queryVar("instance", "Instance", 'label_values(node_uname_info{job="$job"}, instance)'),
    ],
    [
      stat("Uptime", at(0, 0, 4, 4), `time() - node_boot_time_seconds{${N}}`, "s"),
      stat("CPU cores", at(4, 0, 4, 4), `count(node_cpu_seconds_total{${N},mode="idle"})`),
      stat(
        "CPU busy",
        at(8, 0, 4, 4),
        `100 * (1 - avg(rate(node_cpu_seconds_total{${N},mode="idle"}[$__rate_interval])))`,
        "percent",
        [
          ["green", null],
          ["orange", 70],
          ["red", 90],
        ],
      ),
      stat(
        "Memory used",
        at(12, 0, 4, 4),
        `100 * (1 - node_memory_MemAvailable_bytes{${N}} / node_memory_MemTotal_bytes{${N}})`,
        "percent",
        [
          ["green", null],
          ["orange", 80],
          ["red", 95],
        ],
      ),
      stat(
        "Root disk used",
        at(16, 0, 4, 4),
        `100 - 100 * node_filesystem_avail_bytes{${N},mountpoint="/",fstype!="rootfs"} / node_filesystem_size_bytes{${N},mountpoint="/",fstype!="rootfs"}`,
        "percent",
        [
          ["green", null],
          ["orange", 80],
          ["red", 90],
        ],
      ),
      stat("Load (1m)", at(20, 0, 4, 4), `node_load1{${N}}`),
      timeseries(
        "CPU usage by mode",
        at(0, 4, 12, 8),
        [
          [
            `sum by (mode) (rate(node_cpu_seconds_total{${N},mode!="idle"}[$__rate_interval])) / scalar(count(node_cpu_seconds_total{${N},mode="idle"}))`,
            "{{mode}}",
          ],
        ],
        "percentunit",
        { stacking: { mode: "normal", group: "A" } },
      ),
      timeseries(
        "Memory",
        at(12, 4, 12, 8),
        [
          [`node_memory_MemTotal_bytes{${N}}`, "total"],
          [`node_memory_MemTotal_bytes{${N}} - node_memory_MemAvailable_bytes{${N}}`, "used"],
          [`node_memory_Cached_bytes{${N}} + node_memory_Buffers_bytes{${N}}`, "cache + buffers"],
        ],
        "bytes",
      ),
      timeseries(
        "Network traffic",
        at(0, 12, 12, 8),
        [
          [
            `rate(node_network_receive_bytes_total{${N},device!="lo"}[$__rate_interval]) * 8`,
            "{{device}} in",
          ],
          [
            `-rate(node_network_transmit_bytes_total{${N},device!="lo"}[$__rate_interval]) * 8`,
            "{{device}} out",
          ],
        ],
        "bps",
      ),
      timeseries(
        "Disk I/O",
        at(12, 12, 12, 8),
        [
          [`rate(node_disk_read_bytes_total{${N}}[$__rate_interval])`, "{{device}} read"],
          [`-rate(node_disk_written_bytes_total{${N}}[$__rate_interval])`, "{{device}} write"],
        ],
        "Bps",
      ),
      timeseries(
        "Filesystem space used",
        at(0, 20, 12, 8),
        [
          [
            `100 - 100 * node_filesystem_avail_bytes{${N},fstype!~"tmpfs|rootfs"} / node_filesystem_size_bytes{${N},fstype!~"tmpfs|rootfs"}`,
            "{{mountpoint}}",
          ],
        ],
        "percent",
      ),
      timeseries("Load average", at(12, 20, 12, 8), [
        [`node_load1{${N}}`, "1m"],
        [`node_load5{${N}}`, "5m"],
        [`node_load15{${N}}`, "15m"],
      ]),
    ],
  );
}

/** Kubernetes cluster view from kube-state-metrics and cAdvisor. */
export function kubernetesCluster(): JsonObject {
  return dashboard(
    "vigil-k8s-cluster",
    "Kubernetes / Cluster",
    ["kubernetes"],
    [],
    [
      stat("Nodes", at(0, 0, 4, 4), "count(kube_node_info)"),
      stat(
        "Nodes not ready",
        at(4, 0, 4, 4),
        'sum(kube_node_status_condition{condition="Ready",status!="true"})',
        "short",
        [
          ["green", null],
          ["red", 1],
        ],
      ),
      stat("Namespaces", at(8, 0, 4, 4), "count(kube_namespace_created)"),
      stat("Pods running", at(12, 0, 4, 4), 'sum(kube_pod_status_phase{phase="Running"})'),
      stat(
        "Pods failing",
        at(16, 0, 4, 4),
        'sum(kube_pod_status_phase{phase=~"Failed|Unknown"}) or vector(0)',
        "short",
        [
          ["green", null],
          ["red", 1],
        ],
      ),
      stat(
        "Container restarts (1h)",
        at(20, 0, 4, 4),
        "sum(increase(kube_pod_container_status_restarts_total[1h]))",
        "short",
        [
          ["green", null],
          ["orange", 1],
        ],
      ),
      timeseries(
        "CPU usage by namespace",
        at(0, 4, 12, 8),
        [
          [
            'sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="",image!=""}[$__rate_interval]))',
            "{{namespace}}",
          ],
        ],
        "short",
        { stacking: { mode: "normal", group: "A" } },
      ),
      timeseries(
        "Memory working set by namespace",
        at(12, 4, 12, 8),
        [
          [
            'sum by (namespace) (container_memory_working_set_bytes{container!="",image!=""})',
            "{{namespace}}",
          ],
        ],
        "bytes",
        { stacking: { mode: "normal", group: "A" } },
      ),
      timeseries("CPU requests vs allocatable", at(0, 12, 12, 8), [
        ['sum(kube_pod_container_resource_requests{resource="cpu"})', "requested"],
        ['sum(kube_node_status_allocatable{resource="cpu"})', "allocatable"],
      ]),
      timeseries(
        "Memory requests vs allocatable",
        at(12, 12, 12, 8),
        [
          ['sum(kube_pod_container_resource_requests{resource="memory"})', "requested"],
          ['sum(kube_node_status_allocatable{resource="memory"})', "allocatable"],
        ],
        "bytes",
      ),
      timeseries("Pods by phase", at(0, 20, 24, 8), [
        ["sum by (phase) (kube_pod_status_phase)", "{{phase}}"],
      ]),
    ],
  );
}

/** One namespace's pods. */
export function kubernetesNamespace(): JsonObject {
  const ns = 'namespace="$namespace"';
  return dashboard(
    "vigil-k8s-namespace",
    "Kubernetes / Namespace",
    ["kubernetes"],
    [queryVar("namespace", "Namespace", "label_values(kube_namespace_created, namespace)")],
    [
      stat("Pods", at(0, 0, 6, 4), `count(kube_pod_info{${ns}})`),
      stat("Deployments", at(6, 0, 6, 4), `count(kube_deployment_created{${ns}}) or vector(0)`),
      stat(
        "CPU used",
        at(12, 0, 6, 4),
        `sum(rate(container_cpu_usage_seconds_total{${ns},container!="",image!=""}[$__rate_interval]))`,
      ),
      stat(
        "Memory used",
        at(18, 0, 6, 4),
        `sum(container_memory_working_set_bytes{${ns},container!="",image!=""})`,
        "bytes",
      ),
      timeseries("CPU usage by pod", at(0, 4, 12, 8), [
        [
          `sum by (pod) (rate(container_cpu_usage_seconds_total{${ns},container!="",image!=""}[$__rate_interval]))`,
          "{{pod}}",
        ],
      ]),
      timeseries(
        "Memory by pod",
        at(12, 4, 12, 8),
        [[`sum by (pod) (container_memory_working_set_bytes{${ns},container!="",image!=""})`, "{{pod}}"]],
        "bytes",
      ),
      timeseries(
        "Network received by pod",
        at(0, 12, 12, 8),
        [[`sum by (pod) (rate(container_network_receive_bytes_total{${ns}}[$__rate_interval]))`, "{{pod}}"]],
        "Bps",
      ),
      timeseries("Container restarts", at(12, 12, 12, 8), [
        [
          `sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns}}[$__rate_interval]))`,
          "{{pod}}",
        ],
      ]),
    ],
  );
}

/** One pod's containers. */
export function kubernetesPod(): JsonObject {
  const p = 'namespace="$namespace",pod="$pod"';
  return dashboard(
    "vigil-k8s-pod",
    "Kubernetes / Pod",
    ["kubernetes"],
    [
      queryVar("namespace", "Namespace", "label_values(kube_pod_info, namespace)"),
      queryVar("pod", "Pod", 'label_values(kube_pod_info{namespace="$namespace"}, pod)'),
    ],
    [
      stat("Phase", at(0, 0, 6, 4), `max by (phase) (kube_pod_status_phase{${p}} == 1)`),
      stat("Restarts", at(6, 0, 6, 4), `sum(kube_pod_container_status_restarts_total{${p}})`, "short", [
        ["green", null],
        ["orange", 1],
      ]),
      stat("Ready containers", at(12, 0, 6, 4), `sum(kube_pod_container_status_ready{${p}})`),
      stat("Node", at(18, 0, 6, 4), `max by (node) (kube_pod_info{${p}})`),
      timeseries("CPU by container", at(0, 4, 12, 8), [
        [
          `sum by (container) (rate(container_cpu_usage_seconds_total{${p},container!="",image!=""}[$__rate_interval]))`,
          "{{container}}",
        ],
        [
          `sum by (container) (kube_pod_container_resource_limits{${p},resource="cpu"})`,
          "{{container}} limit",
        ],
      ]),
      timeseries(
        "Memory by container",
        at(12, 4, 12, 8),
        [
          [
            `sum by (container) (container_memory_working_set_bytes{${p},container!="",image!=""})`,
            "{{container}}",
          ],
          [
            `sum by (container) (kube_pod_container_resource_limits{${p},resource="memory"})`,
            "{{container}} limit",
          ],
        ],
        "bytes",
      ),
      timeseries(
        "Network",
        at(0, 12, 24, 8),
        [
          [`sum(rate(container_network_receive_bytes_total{${p}}[$__rate_interval]))`, "received"],
          [`-sum(rate(container_network_transmit_bytes_total{${p}}[$__rate_interval]))`, "transmitted"],
        ],
        "Bps",
      ),
    ],
  );
}

/** Vigil's own health: server, TSDB, scrapes, rules and alerting. */
export function vigilHealth(): JsonObject {
  return dashboard(
    "vigil-health",
    "Vigil / Health",
    ["self"],
    [],
    [
      row("Server", 0),
      stat("Targets up", at(0, 1, 6, 4), "sum(up)"),
      stat("Targets down", at(6, 1, 6, 4), "count(up == 0) or vector(0)", "short", [
        ["green", null],
        ["red", 1],
      ]),
      stat("Head series", at(12, 1, 6, 4), "sum(prometheus_tsdb_head_series)"),
      stat(
        "Resident memory",
        at(18, 1, 6, 4),
        'sum(process_resident_memory_bytes{job=~".*vigil.*|prometheus"})',
        "bytes",
      ),
      row("TSDB", 5),
      timeseries(
        "Samples appended",
        at(0, 6, 12, 8),
        [["sum(rate(prometheus_tsdb_head_samples_appended_total[$__rate_interval]))", "samples/s"]],
        "ops",
      ),
      timeseries("Head series and chunks", at(12, 6, 12, 8), [
        ["sum(prometheus_tsdb_head_series)", "series"],
        ["sum(prometheus_tsdb_head_chunks)", "chunks"],
      ]),
      timeseries("Compactions and WAL", at(0, 14, 12, 8), [
        ["sum(increase(prometheus_tsdb_compactions_total[$__rate_interval]))", "compactions"],
        ["sum(increase(prometheus_tsdb_compactions_failed_total[$__rate_interval]))", "failed compactions"],
        ["sum(increase(prometheus_tsdb_wal_corruptions_total[$__rate_interval]))", "WAL corruptions"],
      ]),
      timeseries(
        "Storage blocks size",
        at(12, 14, 12, 8),
        [["sum(prometheus_tsdb_storage_blocks_bytes)", "blocks"]],
        "bytes",
      ),
      row("Scrapes", 22),
      timeseries(
        "Scrape duration by job",
        at(0, 23, 12, 8),
        [["max by (job) (scrape_duration_seconds)", "{{job}}"]],
        "s",
      ),
      timeseries(
        "Target interval length (p99)",
        at(12, 23, 12, 8),
        [['max by (interval) (prometheus_target_interval_length_seconds{quantile="0.99"})', "{{interval}}"]],
        "s",
      ),
      timeseries("Samples scraped by job", at(0, 31, 24, 8), [
        ["sum by (job) (scrape_samples_scraped)", "{{job}}"],
      ]),
      row("Rules and alerting", 39),
      timeseries(
        "Rule evaluation failures",
        at(0, 40, 12, 8),
        [
          [
            "sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))",
            "{{rule_group}}",
          ],
        ],
        "ops",
      ),
      timeseries(
        "Notifications sent / failed",
        at(12, 40, 12, 8),
        [
          ["sum(rate(prometheus_notifications_sent_total[$__rate_interval]))", "sent"],
          ["sum(rate(prometheus_notifications_errors_total[$__rate_interval]))", "errors"],
          ["sum(rate(prometheus_notifications_dropped_total[$__rate_interval]))", "dropped"],
        ],
        "ops",
      ),
      timeseries("Active alerts in Alertmanager", at(0, 48, 12, 8), [
        ["sum by (state) (alertmanager_alerts)", "{{state}}"],
      ]),
      timeseries(
        "Alertmanager notifications",
        at(12, 48, 12, 8),
        [
          [
            "sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))",
            "{{integration}}",
          ],
          [
            "sum by (integration) (rate(alertmanager_notifications_failed_total[$__rate_interval]))",
            "{{integration}} failed",
          ],
        ],
        "ops",
      ),
    ],
  );
}

/** Every built-in dashboard by file name. */
export const BUILTIN_DASHBOARDS: Readonly<Record<string, () => JsonObject>> = {
  "host-overview.json": hostOverview,
  "kubernetes-cluster.json": kubernetesCluster,
  "kubernetes-namespace.json": kubernetesNamespace,
  "kubernetes-pod.json": kubernetesPod,
  "vigil-health.json": vigilHealth,
};

if (import.meta.main) {
  for (const [name, make] of Object.entries(BUILTIN_DASHBOARDS)) {
    writeFileSync(new URL(`./dashboards/${name}`, import.meta.url), `${JSON.stringify(make(), null, 2)}\n`);
  }
}
