import type { KubeObject } from "./common.ts";
import { type FamilyGenerator, wrap } from "./metric.ts";

/** What a resource's generators are configured with (from the allowlist flags). */
export interface GeneratorOptions {
  /** Kubernetes label keys for `kube_<resource>_labels` (`*` for all). */
  readonly labelsAllowed: readonly string[];
  /** Annotation keys for `kube_<resource>_annotations` (`*` for all). */
  readonly annotationsAllowed: readonly string[];
}

/**
 * One kube-state-metrics resource (a `--resources` value): where the API
 * serves it and the metric families generated from each object, in
 * upstream's order.
 */
export interface ResourceDef {
  /** The plural name `--resources` and the allowlists use, e.g. `pods`. */
  readonly name: string;
  readonly kind: string;
  /** API group, "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly families: (opts: GeneratorOptions) => readonly FamilyGenerator<KubeObject>[];
}

/** Erases a typed generator list to the store's object type (each def only sees its own kind). */
export function erase<T>(gens: readonly FamilyGenerator<T>[]): readonly FamilyGenerator<KubeObject>[] {
  return gens as unknown as readonly FamilyGenerator<KubeObject>[];
}

/** Where the API serves a resource: the {@link ResourceDef} fields other than `families`. */
export type ResourceAPI = Omit<ResourceDef, "families">;

/**
 * A {@link ResourceDef} whose samples are identified as upstream's
 * `wrapXFunc` does: `namespace` (namespaced resources only), the object's
 * name as `nameLabel`, then `uid` when `withUID`.
 */
export function defineResource<T extends KubeObject>(
  api: ResourceAPI,
  nameLabel: string,
  gens: (opts: GeneratorOptions) => readonly FamilyGenerator<T>[],
  withUID = false,
): ResourceDef {
  const identity = (x: T): Record<string, string> => {
    const id: Record<string, string> = {};
    if (api.namespaced) id.namespace = x.metadata?.namespace ?? "";
    id[nameLabel] = x.metadata?.name ?? "";
    if (withUID) id.uid = x.metadata?.uid ?? "";
    return id;
  };
  return { ...api, families: (o) => erase(gens(o).map((g) => wrap(g, identity))) };
}
