/**
 * The Alertmanager process's own metrics (upstream's `cmd/alertmanager`,
 * `config.Coordinator` and `api` metrics): config hash and reload status,
 * configured receivers / integrations / inhibition rules, cluster state, and
 * HTTP instrumentation. Everything else registers itself in its package.
 */
import { createHash } from "node:crypto";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The gauges and histograms owned by the server. */
export interface ServerMetrics {
  readonly configHash: Gauge;
  readonly configSuccess: Gauge;
  readonly configSuccessTime: Gauge;
  readonly receivers: Gauge;
  readonly integrations: Gauge;
  readonly inhibitionRules: Gauge;
  readonly clusterEnabled: Gauge;
  readonly requestDuration: Histogram<"handler" | "method">;
  readonly responseSize: Histogram<"handler" | "method">;
  readonly inFlight: Gauge<"method">;
  readonly concurrencyLimitExceeded: Counter<"method">;
}

/** Registers the server's metrics on `registry` with upstream's names, help texts and buckets. */
export function newServerMetrics(registry: Registry): ServerMetrics {
  const registers = [registry];
  const gauge = (name: string, help: string): Gauge => new Gauge({ name, help, registers });
  const m: ServerMetrics = {
    configHash: gauge(
      "alertmanager_config_hash",
      "Hash of the currently loaded alertmanager configuration. Note that this is not a cryptographically strong hash.",
    ),
    configSuccess: gauge(
      "alertmanager_config_last_reload_successful",
      "Whether the last configuration reload attempt was successful.",
    ),
    configSuccessTime: gauge(
      "alertmanager_config_last_reload_success_timestamp_seconds",
      "Timestamp of the last successful configuration reload.",
    ),
    receivers: gauge("alertmanager_receivers", "Number of configured receivers."),
    integrations: gauge("alertmanager_integrations", "Number of configured integrations."),
    inhibitionRules: gauge("alertmanager_inhibition_rules", "Number of configured inhibition rules."),
    clusterEnabled: gauge(
      "alertmanager_cluster_enabled",
      "Indicates whether the clustering is enabled or not.",
    ),
    requestDuration: new Histogram({
      name: "alertmanager_http_request_duration_seconds",
      help: "Histogram of latencies for HTTP requests.",
      labelNames: ["handler", "method"],
      buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 20, 60],
      registers,
    }),
    responseSize: new Histogram({
      name: "alertmanager_http_response_size_bytes",
      help: "Histogram of response size for HTTP requests.",
      labelNames: ["handler", "method"],
      buckets: [100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8],
      registers,
    }),
    inFlight: new Gauge({
      name: "alertmanager_http_requests_in_flight",
      help: "Current number of HTTP requests being processed.",
      labelNames: ["method"],
      registers,
    }),
    concurrencyLimitExceeded: new Counter({
      name: "alertmanager_http_concurrency_limit_exceeded_total",
      help: "Total number of times an HTTP request failed because the concurrency limit was reached.",
      labelNames: ["method"],
      registers,
    }),
  };
  m.inFlight.set({ method: "get" }, 0);
  m.concurrencyLimitExceeded.inc({ method: "get" }, 0);
  m.clusterEnabled.set(0);
  return m;
}

/**
 * Upstream's `md5HashAsMetricValue`: the first 6 bytes of the MD5 of `text`,
 * read as a little-endian integer (48 bits fit a float64 exactly).
 */
export function configHashValue(text: string): number {
  const sum = createHash("md5").update(text, "utf8").digest();
  let v = 0;
  for (let i = 5; i >= 0; i--) v = v * 256 + sum[i]!;
  return v;
}
