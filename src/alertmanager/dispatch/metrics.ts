/** The dispatcher's metrics, names and help texts as Alertmanager 0.33 exposes them. */
import { Counter, Gauge, type Registry, Summary } from "prom-client";

/** What the dispatcher updates. */
export interface DispatcherMetrics {
  readonly aggrGroups: Gauge;
  readonly processingDuration: Summary;
  readonly aggrGroupLimitReached: Counter;
}

/** Registers the dispatcher's metrics on `registry` (once per registry). */
export function newDispatcherMetrics(registry: Registry): DispatcherMetrics {
  const registers = [registry];
  return {
    aggrGroups: new Gauge({
      name: "alertmanager_dispatcher_aggregation_groups",
      help: "Number of active aggregation groups",
      registers,
    }),
    processingDuration: new Summary({
      name: "alertmanager_dispatcher_alert_processing_duration_seconds",
      help: "Summary of latencies for the processing of alerts.",
      percentiles: [],
      registers,
    }),
    aggrGroupLimitReached: new Counter({
      name: "alertmanager_dispatcher_aggregation_group_limit_reached_total",
      help: "Number of times when dispatcher failed to create new aggregation group due to limit.",
      registers,
    }),
  };
}
