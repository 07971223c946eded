/** Upstream's silence metrics (`alertmanager_silences*`), on an explicit registry. */
import { Counter, Gauge, Histogram, type Registry, Summary } from "prom-client";
import type { SilenceState } from "./types.ts";

/** The silences' instruments. */
export interface SilenceMetrics {
  readonly gcDuration: Summary;
  readonly snapshotDuration: Summary;
  readonly snapshotSize: Gauge;
  readonly queriesTotal: Counter;
  readonly queryErrorsTotal: Counter;
  readonly queryDuration: Histogram;
  readonly scannedTotal: Counter;
  readonly gcErrorsTotal: Counter;
  readonly maintenanceTotal: Counter;
  readonly maintenanceErrorsTotal: Counter;
}

/** Creates the metrics; `countState` feeds `alertmanager_silences{state}`. Unregistered when `registry` is undefined. */
export function newSilenceMetrics(
  registry: Registry | undefined,
  countState: (s: SilenceState) => number,
  sizes: () => { state: number; matcherIndex: number } = () => ({ state: 0, matcherIndex: 0 }),
): SilenceMetrics {
  const registers = registry === undefined ? [] : [registry];
  new Gauge({
    name: "alertmanager_silences_state_size",
    help: "The number of silences in the state map.",
    registers,
    collect() {
      this.set(sizes().state);
    },
  });
  new Gauge({
    name: "alertmanager_silences_matcher_index_size",
    help: "The number of entries in the matcher cache index.",
    registers,
    collect() {
      this.set(sizes().matcherIndex);
    },
  });
  new Gauge({
    name: "alertmanager_silences",
    help: "How many silences by state.",
    labelNames: ["state"],
    registers,
    collect() {
      for (const s of ["active", "pending", "expired"] as const) this.set({ state: s }, countState(s));
    },
  });
  new Counter({
    name: "alertmanager_silences_gossip_messages_propagated_total",
    help: "Number of received gossip messages that have been further gossiped.",
    registers,
  });
  return {
    gcDuration: new Summary({
      name: "alertmanager_silences_gc_duration_seconds",
      help: "Duration of the last silence garbage collection cycle.",
      percentiles: [],
      registers,
    }),
    snapshotDuration: new Summary({
      name: "alertmanager_silences_snapshot_duration_seconds",
      help: "Duration of the last silence snapshot.",
      percentiles: [],
      registers,
    }),
    snapshotSize: new Gauge({
      name: "alertmanager_silences_snapshot_size_bytes",
      help: "Size of the last silence snapshot in bytes.",
      registers,
    }),
    queriesTotal: new Counter({
      name: "alertmanager_silences_queries_total",
      help: "How many silence queries were received.",
      registers,
    }),
    queryErrorsTotal: new Counter({
      name: "alertmanager_silences_query_errors_total",
      help: "How many silence received queries did not succeed.",
      registers,
    }),
    queryDuration: new Histogram({
      name: "alertmanager_silences_query_duration_seconds",
      help: "Duration of silence query evaluation.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    scannedTotal: new Counter({
      name: "alertmanager_silences_query_silences_scanned_total",
      help: "How many silences were scanned during query evaluation.",
      registers,
    }),
    gcErrorsTotal: new Counter({
      name: "alertmanager_silences_gc_errors_total",
      help: "How many silence GC errors were encountered.",
      registers,
    }),
    maintenanceTotal: new Counter({
      name: "alertmanager_silences_maintenance_total",
      help: "How many maintenances were executed for silences.",
      registers,
    }),
    maintenanceErrorsTotal: new Counter({
      name: "alertmanager_silences_maintenance_errors_total",
      help: "How many maintenances were executed for silences that failed.",
      registers,
    }),
  };
}
