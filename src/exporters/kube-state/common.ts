/**
 * Helpers shared by the generators: Kubernetes object shapes (only the
 * fields read), timestamps, conditions and resource quantities with the
 * units upstream reports.
 */

import { sanitizeLabelName } from "./labels.ts";
import { type Metric, m } from "./metric.ts";
import { quantityMilliValue, quantityValue } from "./quantity.ts";

/** `metadata` of any object (fields read by the generators). */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly ownerReferences?: readonly OwnerReference[];
}

export interface OwnerReference {
  readonly kind?: string;
  readonly name?: string;
  readonly controller?: boolean;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  readonly metadata?: ObjectMeta;
}

export interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly lastTransitionTime?: string;
}

/** Unix seconds of an RFC 3339 time (Go's `Time.Unix()`: whole seconds, floored). */
export function unix(time: string | undefined): number | undefined {
  if (time === undefined || time === "") return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** A one-sample family from an optional timestamp (absent: no sample). */
export function timestamp(time: string | undefined): Metric[] {
  const t = unix(time);
  return t === undefined || t === 0 ? [] : [m(t)];
}

/** A one-sample family from an optional number (absent: no sample). */
export function optional(v: number | undefined | null): Metric[] {
  return v === undefined || v === null ? [] : [m(v)];
}

/** Upstream's `addConditionMetrics`: three samples `condition=true|false|unknown`, 1 for the status. */
export function conditionMetrics(status: string | undefined, key = "condition"): Metric[] {
  return ["true", "false", "unknown"].map((c) => m(status?.toLowerCase() === c ? 1 : 0, { [key]: c }));
}

/** `kube_*_owner` samples: one per owner reference, or one with `<none>` values. */
export function ownerMetrics(meta: ObjectMeta | undefined): Metric[] {
  const owners = meta?.ownerReferences ?? [];
  if (owners.length === 0)
    return [m(1, { owner_kind: "<none>", owner_name: "<none>", owner_is_controller: "<none>" })];
  return owners.map((o) =>
    m(1, {
      owner_kind: o.kind ?? "",
      owner_name: o.name ?? "",
      owner_is_controller: String(o.controller ?? false),
    }),
  );
}

/** Kubernetes' native resource names: no domain, or a `kubernetes.io/` one. */
function isNative(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

/**
 * A resource amount as upstream reports it: `[sanitized resource, unit, value]`,
 * or undefined for resources upstream skips. CPU in cores (from thousandths),
 * memory/storage/hugepages/attachable volumes in bytes, pods and extended
 * resources as integers.
 */
export function resourceAmount(
  name: string,
  quantity: string | number,
): [string, string, number] | undefined {
  const resource = sanitizeLabelName(name);
  switch (name) {
    case "cpu":
      return [resource, "core", quantityMilliValue(quantity) / 1000];
    case "memory":
    case "storage":
    case "ephemeral-storage":
      return [resource, "byte", quantityValue(quantity)];
    case "pods":
      return [resource, "integer", quantityValue(quantity)];
  }
  if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-"))
    return [resource, "byte", quantityValue(quantity)];
  if (!isNative(name) && !name.startsWith("requests.")) return [resource, "integer", quantityValue(quantity)];
  return undefined;
}

/** Entries of a resource list sorted by name (upstream iterates a Go map: any order). */
export function sortedResources(
  list: Readonly<Record<string, string | number>> | undefined,
): [string, string | number][] {
  return Object.entries(list ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
