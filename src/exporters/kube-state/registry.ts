/**
 * Every resource Vigil's kube-state-metrics knows, by the name `--resources`
 * takes, and upstream's default set.
 */

import { HORIZONTALPODAUTOSCALERS, PODDISRUPTIONBUDGETS } from "./generators/autoscaling.ts";
import { CRONJOBS, JOBS } from "./generators/batch.ts";
import { ENDPOINTS, NAMESPACES, RESOURCEQUOTAS, SERVICES } from "./generators/core.ts";
import { NODES } from "./generators/node.ts";
import { PODS } from "./generators/pod.ts";
import { PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES } from "./generators/storage.ts";
import { DAEMONSETS, DEPLOYMENTS, REPLICASETS, STATEFULSETS } from "./generators/workload.ts";
import type { ResourceDef } from "./resource.ts";

/** Implemented resources by name, sorted as upstream sorts the enabled set. */
export const RESOURCES: ReadonlyMap<string, ResourceDef> = new Map(
  [
    CRONJOBS,
    DAEMONSETS,
    DEPLOYMENTS,
    ENDPOINTS,
    HORIZONTALPODAUTOSCALERS,
    JOBS,
    NAMESPACES,
    NODES,
    PERSISTENTVOLUMECLAIMS,
    PERSISTENTVOLUMES,
    PODDISRUPTIONBUDGETS,
    PODS,
    REPLICASETS,
    RESOURCEQUOTAS,
    SERVICES,
    STATEFULSETS,
  ].map((d) => [d.name, d]),
);

/**
 * Upstream's default `--resources` that Vigil does not implement: accepted,
 * logged, and skipped.
 */
export const NOT_IMPLEMENTED: ReadonlySet<string> = new Set([
  "certificatesigningrequests",
  "configmaps",
  "ingresses",
  "leases",
  "limitranges",
  "mutatingwebhookconfigurations",
  "networkpolicies",
  "replicationcontrollers",
  "secrets",
  "storageclasses",
  "validatingwebhookconfigurations",
  "volumeattachments",
]);

/** Upstream's default set: everything above plus the implemented ones. */
export const DEFAULT_RESOURCES: readonly string[] = [...RESOURCES.keys(), ...NOT_IMPLEMENTED].sort();

/** Upstream's opt-in resources Vigil does not implement: accepted, logged and skipped. */
const OPT_IN_NOT_IMPLEMENTED: ReadonlySet<string> = new Set([
  "clusterrolebindings",
  "clusterroles",
  "endpointslices",
  "ingressclasses",
  "rolebindings",
  "roles",
  "serviceaccounts",
]);

/** Thrown for `--resources` values upstream does not know either. */
export class UnknownResourceError extends Error {
  override readonly name = "UnknownResourceError";
}

/**
 * The resources a `--resources` value selects (empty: the defaults), split
 * into implemented definitions (sorted by name) and skipped names.
 */
export function selectResources(flag: string): { enabled: ResourceDef[]; skipped: string[] } {
  const names =
    flag.trim() === ""
      ? DEFAULT_RESOURCES
      : flag
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
  const enabled: ResourceDef[] = [];
  const skipped: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const def = RESOURCES.get(name);
    if (def !== undefined) enabled.push(def);
    else if (NOT_IMPLEMENTED.has(name) || OPT_IN_NOT_IMPLEMENTED.has(name)) skipped.push(name);
    else
      throw new UnknownResourceError(
        `resource ${name} does not exist. Available resources: ${DEFAULT_RESOURCES.join(",")}`,
      );
  }
  return { enabled, skipped };
}
