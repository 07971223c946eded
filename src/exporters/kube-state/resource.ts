import type { KubeObject } from "./common.ts";
import type { FamilyGenerator } from "./metric.ts";

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

/** The list/watch path of a resource, in all namespaces or one. */
export function resourcePath(def: ResourceDef, namespace?: string): string {
  const base = def.group === "" ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
  return def.namespaced && namespace !== undefined && namespace !== ""
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${def.name}`
    : `${base}/${def.name}`;
}

/** Erases a typed generator list to the store's object type (each def only sees its own kind). */
export function erase<T>(gens: readonly FamilyGenerator<T>[]): readonly FamilyGenerator<KubeObject>[] {
  return gens as unknown as readonly FamilyGenerator<KubeObject>[];
}
