/**
 * The exporter's state: one {@link MetricsStore} per enabled resource, fed by
 * watches, and the `/metrics` body they make together.
 */
import { type AllowList, allowedFor } from "./labels.ts";
import type { ResourceDef } from "./resource.ts";
import { MetricsStore } from "./store.ts";

/** Which resources, and the allowlists of `kube_*_labels` / `kube_*_annotations`. */
export interface ExporterOptions {
  readonly resources: readonly ResourceDef[];
  readonly labelsAllowList: AllowList;
  readonly annotationsAllowList: AllowList;
}

export class KubeStateExporter {
  /** Stores by resource name, in the (sorted) order of `options.resources`. */
  readonly stores: ReadonlyMap<string, MetricsStore>;
  readonly resources: readonly ResourceDef[];

  constructor(options: ExporterOptions) {
    this.resources = options.resources;
    this.stores = new Map(
      options.resources.map((def) => [
        def.name,
        new MetricsStore(
          def.families({
            labelsAllowed: allowedFor(options.labelsAllowList, def.name),
            annotationsAllowed: allowedFor(options.annotationsAllowList, def.name),
          }),
        ),
      ]),
    );
  }

  /** The store of `resource`; throws when it is not enabled. */
  store(resource: string): MetricsStore {
    const s = this.stores.get(resource);
    if (s === undefined) throw new Error(`resource ${resource} is not enabled`);
    return s;
  }

  /** The metrics body: every store's families, resources in order (upstream's `MetricsWriter`s). */
  write(): string {
    let out = "";
    for (const store of this.stores.values()) out += store.write();
    return out;
  }
}
