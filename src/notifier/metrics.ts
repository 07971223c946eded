/**
 * The notifier's metrics, upstream's `notifier/metric.go` as of Prometheus
 * 3.5: names, help texts and label (`alertmanager`, the endpoint URL) as the
 * reference binary exposes them.
 */
import { Counter, Gauge, type Registry, Summary } from "prom-client";

/** The metrics one {@link NotifierMetrics} owner updates. */
export interface NotifierMetrics {
  readonly latency: Summary<"alertmanager">;
  readonly errors: Counter<"alertmanager">;
  readonly sent: Counter<"alertmanager">;
  readonly dropped: Counter;
}

/** What the gauges read when scraped. */
export interface NotifierGauges {
  readonly queueCapacity: number;
  queueLength(): number;
  alertmanagersDiscovered(): number;
}

/**
 * Registers the notifier's metrics on `registry` (once per registry: a second
 * call throws, as prom-client refuses duplicate names).
 */
export function newNotifierMetrics(registry: Registry, gauges: NotifierGauges): NotifierMetrics {
  const registers = [registry];
  const latency = new Summary({
    name: "prometheus_notifications_latency_seconds",
    help: "Latency quantiles for sending alert notifications.",
    labelNames: ["alertmanager"] as const,
    percentiles: [0.5, 0.9, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers,
  });
  const errors = new Counter({
    name: "prometheus_notifications_errors_total",
    help: "Total number of sent alerts affected by errors.",
    labelNames: ["alertmanager"] as const,
    registers,
  });
  const sent = new Counter({
    name: "prometheus_notifications_sent_total",
    help: "Total number of alerts sent.",
    labelNames: ["alertmanager"] as const,
    registers,
  });
  const dropped = new Counter({
    name: "prometheus_notifications_dropped_total",
    help: "Total number of alerts dropped due to errors when sending to Alertmanager.",
    registers,
  });
  new Gauge({
    name: "prometheus_notifications_queue_length",
    help: "The number of alert notifications in the queue.",
    registers,
    collect() {
      this.set(gauges.queueLength());
    },
  });
  new Gauge({
    name: "prometheus_notifications_queue_capacity",
    help: "The capacity of the alert notifications queue.",
    registers,
  }).set(gauges.queueCapacity);
  new Gauge({
    name: "prometheus_notifications_alertmanagers_discovered",
    help: "The number of alertmanagers discovered and active.",
    registers,
    collect() {
      this.set(gauges.alertmanagersDiscovered());
    },
  });
  return { latency, errors, sent, dropped };
}
