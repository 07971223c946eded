/**
 * Deployment, ReplicaSet, DaemonSet and StatefulSet metrics (upstream
 * `internal/store/{deployment,replicaset,daemonset,statefulset}.go`).
 */
import {
  type Condition,
  conditionMetrics,
  type KubeObject,
  optional,
  ownerMetrics,
  timestamp,
} from "../common.ts";
import { b, type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { metaFamilies } from "./meta.ts";

interface Workload extends KubeObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly paused?: boolean;
    readonly strategy?: {
      readonly rollingUpdate?: {
        readonly maxSurge?: string | number;
        readonly maxUnavailable?: string | number;
      };
    };
    readonly ordinals?: { readonly start?: number };
    readonly persistentVolumeClaimRetentionPolicy?: {
      readonly whenDeleted?: string;
      readonly whenScaled?: string;
    };
  };
  readonly status?: Readonly<Record<string, number | string | undefined>> & {
    readonly conditions?: readonly Condition[];
  };
}

const num = (w: Workload, field: string): number => {
  const v = w.status?.[field];
  return typeof v === "number" ? v : 0;
};

/** `maxSurge`/`maxUnavailable`: an int, or a percentage of the desired replicas (surge rounds up, unavailable down). */
function intOrPercent(v: string | number | undefined, replicas: number, roundUp: boolean): Metric[] {
  if (v === undefined) return [];
  if (typeof v === "number") return [m(v)];
  const pct = /^(\d+)%$/.exec(v);
  if (pct === null) return /^\d+$/.test(v) ? [m(Number(v))] : [];
  const x = (Number(pct[1]) * replicas) / 100;
  return [m(roundUp ? Math.ceil(x) : Math.floor(x))];
}

const S = { stable: true };
const status = (field: string) => (w: Workload) => [m(num(w, field))];
const generation = (w: Workload) => optional(w.metadata?.generation);

function deploymentFamilies(o: GeneratorOptions): FamilyGenerator<Workload>[] {
  return [
    ...metaFamilies<Workload>("deployment", o),
    family<Workload>(
      "kube_deployment_status_replicas",
      "The number of replicas per deployment.",
      status("replicas"),
      S,
    ),
    family<Workload>(
      "kube_deployment_status_replicas_ready",
      "The number of ready replicas per deployment.",
      status("readyReplicas"),
      S,
    ),
    family<Workload>(
      "kube_deployment_status_replicas_available",
      "The number of available replicas per deployment.",
      status("availableReplicas"),
      S,
    ),
    family<Workload>(
      "kube_deployment_status_replicas_unavailable",
      "The number of unavailable replicas per deployment.",
      status("unavailableReplicas"),
      S,
    ),
    family<Workload>(
      "kube_deployment_status_replicas_updated",
      "The number of updated replicas per deployment.",
      status("updatedReplicas"),
      S,
    ),
    family<Workload>(
      "kube_deployment_status_observed_generation",
      "The generation observed by the deployment controller.",
      status("observedGeneration"),
      S,
    ),
    family<Workload>(
      "kube_deployment_status_condition",
      "The current status conditions of a deployment.",
      (w) =>
        (w.status?.conditions ?? []).flatMap((c) =>
          conditionMetrics(c.status, "status").map((x) => ({
            keys: ["reason", "condition", ...x.keys],
            values: [c.reason ?? "", c.type ?? "", ...x.values],
            value: x.value,
          })),
        ),
      S,
    ),
    family<Workload>(
      "kube_deployment_spec_replicas",
      "Number of desired pods for a deployment.",
      (w) => optional(w.spec?.replicas),
      S,
    ),
    family<Workload>(
      "kube_deployment_spec_paused",
      "Whether the deployment is paused and will not be processed by the deployment controller.",
      (w) => [m(b(w.spec?.paused === true))],
      S,
    ),
    family<Workload>(
      "kube_deployment_spec_strategy_rollingupdate_max_unavailable",
      "Maximum number of unavailable replicas during a rolling update of a deployment.",
      (w) => intOrPercent(w.spec?.strategy?.rollingUpdate?.maxUnavailable, w.spec?.replicas ?? 1, false),
      S,
    ),
    family<Workload>(
      "kube_deployment_spec_strategy_rollingupdate_max_surge",
      "Maximum number of replicas that can be scheduled above the desired number of replicas during a rolling update of a deployment.",
      (w) => intOrPercent(w.spec?.strategy?.rollingUpdate?.maxSurge, w.spec?.replicas ?? 1, true),
      S,
    ),
    family<Workload>(
      "kube_deployment_metadata_generation",
      "Sequence number representing a specific generation of the desired state.",
      generation,
      S,
    ),
    family<Workload>("kube_deployment_owner", "Information about the Deployment's owner.", (w) =>
      ownerMetrics(w.metadata),
    ),
  ];
}

function replicasetFamilies(o: GeneratorOptions): FamilyGenerator<Workload>[] {
  return [
    ...metaFamilies<Workload>("replicaset", o),
    family<Workload>(
      "kube_replicaset_status_replicas",
      "The number of replicas per ReplicaSet.",
      status("replicas"),
      S,
    ),
    family<Workload>(
      "kube_replicaset_status_fully_labeled_replicas",
      "The number of fully labeled replicas per ReplicaSet.",
      status("fullyLabeledReplicas"),
      S,
    ),
    family<Workload>(
      "kube_replicaset_status_ready_replicas",
      "The number of ready replicas per ReplicaSet.",
      status("readyReplicas"),
      S,
    ),
    family<Workload>(
      "kube_replicaset_status_observed_generation",
      "The generation observed by the ReplicaSet controller.",
      status("observedGeneration"),
      S,
    ),
    family<Workload>(
      "kube_replicaset_spec_replicas",
      "Number of desired pods for a ReplicaSet.",
      (w) => optional(w.spec?.replicas),
      S,
    ),
    family<Workload>(
      "kube_replicaset_metadata_generation",
      "Sequence number representing a specific generation of the desired state.",
      generation,
      S,
    ),
    family<Workload>(
      "kube_replicaset_owner",
      "Information about the ReplicaSet's owner.",
      (w) => ownerMetrics(w.metadata),
      S,
    ),
  ];
}

function daemonsetFamilies(o: GeneratorOptions): FamilyGenerator<Workload>[] {
  return [
    ...metaFamilies<Workload>("daemonset", o),
    family<Workload>(
      "kube_daemonset_status_current_number_scheduled",
      "The number of nodes running at least one daemon pod and are supposed to.",
      status("currentNumberScheduled"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_desired_number_scheduled",
      "The number of nodes that should be running the daemon pod.",
      status("desiredNumberScheduled"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_number_available",
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available",
      status("numberAvailable"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_number_misscheduled",
      "The number of nodes running a daemon pod but are not supposed to.",
      status("numberMisscheduled"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_number_ready",
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
      status("numberReady"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_number_unavailable",
      "The number of nodes that should be running the daemon pod and have none of the daemon pod running and available",
      status("numberUnavailable"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_observed_generation",
      "The most recent generation observed by the daemon set controller.",
      status("observedGeneration"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_status_updated_number_scheduled",
      "The total number of nodes that are running updated daemon pod",
      status("updatedNumberScheduled"),
      S,
    ),
    family<Workload>(
      "kube_daemonset_metadata_generation",
      "Sequence number representing a specific generation of the desired state.",
      generation,
      S,
    ),
  ];
}

function statefulsetFamilies(o: GeneratorOptions): FamilyGenerator<Workload>[] {
  const revision = (field: string) => (w: Workload) => {
    const r = w.status?.[field];
    return typeof r === "string" && r !== "" ? [m(1, { revision: r })] : [];
  };
  return [
    ...metaFamilies<Workload>("statefulset", o),
    family<Workload>(
      "kube_statefulset_status_replicas",
      "The number of replicas per StatefulSet.",
      status("replicas"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_replicas_available",
      "The number of available replicas per StatefulSet.",
      status("availableReplicas"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_replicas_current",
      "The number of current replicas per StatefulSet.",
      status("currentReplicas"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_replicas_ready",
      "The number of ready replicas per StatefulSet.",
      status("readyReplicas"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_replicas_updated",
      "The number of updated replicas per StatefulSet.",
      status("updatedReplicas"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_observed_generation",
      "The generation observed by the StatefulSet controller.",
      (w) => optional(w.status?.observedGeneration as number | undefined),
      S,
    ),
    family<Workload>(
      "kube_statefulset_replicas",
      "Number of desired pods for a StatefulSet.",
      (w) => optional(w.spec?.replicas),
      S,
    ),
    family<Workload>(
      "kube_statefulset_ordinals_start",
      "Start ordinal of the StatefulSet.",
      (w) => (w.spec?.ordinals ? [m(w.spec.ordinals.start ?? 0)] : []),
      S,
    ),
    family<Workload>(
      "kube_statefulset_metadata_generation",
      "Sequence number representing a specific generation of the desired state for the StatefulSet.",
      generation,
      S,
    ),
    family<Workload>(
      "kube_statefulset_persistentvolumeclaim_retention_policy",
      "Count of retention policy for StatefulSet template PVCs",
      (w) => {
        const p = w.spec?.persistentVolumeClaimRetentionPolicy;
        return p ? [m(1, { when_deleted: p.whenDeleted ?? "", when_scaled: p.whenScaled ?? "" })] : [];
      },
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_current_revision",
      "Indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).",
      revision("currentRevision"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_status_update_revision",
      "Indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)",
      revision("updateRevision"),
      S,
    ),
    family<Workload>(
      "kube_statefulset_deletion_timestamp",
      "Unix deletion timestamp",
      (w) => timestamp(w.metadata?.deletionTimestamp),
      S,
    ),
  ];
}

function def(
  name: string,
  kind: string,
  label: string,
  gens: (o: GeneratorOptions) => FamilyGenerator<Workload>[],
): ResourceDef {
  return defineResource({ name, kind, group: "apps", version: "v1", namespaced: true }, label, gens);
}

/** `deployments`: `kube_deployment_*`, labelled `namespace`, `deployment`. */
export const DEPLOYMENTS = def("deployments", "Deployment", "deployment", deploymentFamilies);
/** `replicasets`: `kube_replicaset_*`, labelled `namespace`, `replicaset`. */
export const REPLICASETS = def("replicasets", "ReplicaSet", "replicaset", replicasetFamilies);
/** `daemonsets`: `kube_daemonset_*`, labelled `namespace`, `daemonset`. */
export const DAEMONSETS = def("daemonsets", "DaemonSet", "daemonset", daemonsetFamilies);
/** `statefulsets`: `kube_statefulset_*`, labelled `namespace`, `statefulset`. */
export const STATEFULSETS = def("statefulsets", "StatefulSet", "statefulset", statefulsetFamilies);
