/**
 * kube-state-metrics' own metrics, served on the telemetry port (8081):
 * list and watch counts per resource, sharding, build info, process metrics.
 */
import type { MetricFamily, Sample } from "../../exposition/types.ts";
import { Labels } from "../../model/labels/labels.ts";
import type { ResourceDef } from "./resource.ts";

/** Outcome of one list or watch call. */
export type CallResult = "success" | "error";

/** Counts of list and watch calls, by upstream's `resource` label (`*v1.Pod`). */
export class Telemetry {
  readonly #lists = new Map<string, number>();
  readonly #watches = new Map<string, number>();
  readonly shardOrdinal: number;
  readonly totalShards: number;

  constructor(shardOrdinal = 0, totalShards = 1) {
    this.shardOrdinal = shardOrdinal;
    this.totalShards = totalShards;
  }

  /** Upstream's `resource` label value for a definition, e.g. `*v1.Pod`. */
  static resourceLabel(def: ResourceDef): string {
    return `*${def.version}.${def.kind}`;
  }

  /** Records one list call of `def`. */
  list(def: ResourceDef, result: CallResult): void {
    bump(this.#lists, `${Telemetry.resourceLabel(def)}\u0000${result}`);
  }

  /** Records one watch call of `def`. */
  watch(def: ResourceDef, result: CallResult): void {
    bump(this.#watches, `${Telemetry.resourceLabel(def)}\u0000${result}`);
  }

  /** The families, in name order. */
  families(): MetricFamily[] {
    const gauge = (name: string, help: string, labels: Labels, value: number): MetricFamily => ({
      name,
      type: "gauge",
      help,
      samples: [{ name, labels, value }],
    });
    return [
      counter(
        "kube_state_metrics_list_total",
        "Number of total resource list in kube-state-metrics",
        this.#lists,
      ),
      gauge(
        "kube_state_metrics_shard_ordinal",
        "Current sharding ordinal/index of this instance",
        Labels.fromObject({ shard_ordinal: String(this.shardOrdinal) }),
        this.shardOrdinal,
      ),
      gauge(
        "kube_state_metrics_total_shards",
        "Number of total shards this instance is aware of",
        Labels.EMPTY,
        this.totalShards,
      ),
      counter(
        "kube_state_metrics_watch_total",
        "Number of total resource watches in kube-state-metrics",
        this.#watches,
      ),
    ];
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function counter(name: string, help: string, counts: ReadonlyMap<string, number>): MetricFamily {
  const samples: Sample[] = [...counts.entries()].sort().map(([key, value]) => {
    const [resource, result] = key.split("\u0000");
    return { name, labels: Labels.fromObject({ resource: resource!, result: result! }), value };
  });
  return { name, type: "counter", help, samples };
}
