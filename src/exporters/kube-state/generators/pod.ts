/** Pod metrics (upstream `internal/store/pod.go`, docs/metrics/workload/pod-metrics.md). */
import {
  type Condition,
  conditionMetrics,
  type KubeObject,
  ownerMetrics,
  resourceAmount,
  sortedResources,
  timestamp,
  unix,
} from "../common.ts";
import { labelsMetric } from "../labels.ts";
import { b, type FamilyGenerator, family, type Metric, m, wrap } from "../metric.ts";
import { quantityMilliValue, quantityValue } from "../quantity.ts";
import { erase, type GeneratorOptions, type ResourceDef } from "../resource.ts";

type Resources = Readonly<Record<string, string | number>>;

interface ContainerState {
  readonly waiting?: { readonly reason?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly reason?: string;
    readonly exitCode?: number;
    readonly startedAt?: string;
    readonly finishedAt?: string;
  };
}

interface ContainerStatus {
  readonly name: string;
  readonly image?: string;
  readonly imageID?: string;
  readonly containerID?: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

interface Container {
  readonly name: string;
  readonly image?: string;
  readonly restartPolicy?: string;
  readonly resources?: { readonly requests?: Resources; readonly limits?: Resources };
}

/** The fields of a Pod the generators read. */
export interface Pod extends KubeObject {
  readonly spec?: {
    readonly nodeName?: string;
    readonly hostNetwork?: boolean;
    readonly priorityClassName?: string;
    readonly restartPolicy?: string;
    readonly runtimeClassName?: string;
    readonly schedulerName?: string;
    readonly serviceAccountName?: string;
    readonly overhead?: Resources;
    readonly containers?: readonly Container[];
    readonly initContainers?: readonly Container[];
    readonly volumes?: readonly {
      readonly name: string;
      readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
    }[];
    readonly tolerations?: readonly {
      readonly key?: string;
      readonly operator?: string;
      readonly value?: string;
      readonly effect?: string;
      readonly tolerationSeconds?: number;
    }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly qosClass?: string;
    readonly hostIP?: string;
    readonly podIP?: string;
    readonly podIPs?: readonly { readonly ip: string }[];
    readonly startTime?: string;
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
  };
}

const STATUS_REASONS = ["Evicted", "NodeAffinity", "NodeLost", "Shutdown", "UnexpectedAdmissionError"];
const PHASES = ["Pending", "Succeeded", "Failed", "Unknown", "Running"];
const QOS_CLASSES = ["BestEffort", "Burstable", "Guaranteed"];

const statuses = (p: Pod) => p.status?.containerStatuses ?? [];
const initStatuses = (p: Pod) => p.status?.initContainerStatuses ?? [];

function controllerOf(p: Pod): { kind: string; name: string } {
  const c = p.metadata?.ownerReferences?.find((o) => o.controller === true);
  return { kind: c?.kind || "<none>", name: c?.name || "<none>" };
}

function conditionTime(p: Pod, type: string, status: string): Metric[] {
  const c = p.status?.conditions?.find((x) => x.type === type && x.status === status);
  return c === undefined ? [] : timestamp(c.lastTransitionTime);
}

function conditionOf(p: Pod, type: string): Metric[] {
  return (p.status?.conditions ?? [])
    .filter((c) => c.type === type)
    .flatMap((c) => conditionMetrics(c.status));
}

/** `kube_pod_container_resource_{requests,limits}` samples of a container list. */
function containerResources(
  p: Pod,
  containers: readonly Container[],
  which: "requests" | "limits",
): Metric[] {
  const out: Metric[] = [];
  for (const c of containers) {
    for (const [name, q] of sortedResources(c.resources?.[which])) {
      const amount = resourceAmount(name, q);
      if (amount === undefined) continue;
      const [resource, unit, value] = amount;
      out.push(m(value, { container: c.name, node: p.spec?.nodeName ?? "", resource, unit }));
    }
  }
  return out;
}

function perStatus(list: (p: Pod) => readonly ContainerStatus[], f: (cs: ContainerStatus) => number) {
  return (p: Pod): Metric[] => list(p).map((cs) => m(f(cs), { container: cs.name }));
}

function reasonOf(
  list: (p: Pod) => readonly ContainerStatus[],
  pick: (cs: ContainerStatus) => string | undefined,
) {
  return (p: Pod): Metric[] =>
    list(p).flatMap((cs) => {
      const r = pick(cs);
      return r === undefined ? [] : [m(1, { container: cs.name, reason: r })];
    });
}

function imageSpec(containers: readonly Container[] | undefined, name: string): string {
  return containers?.find((c) => c.name === name)?.image ?? "";
}

function podFamilies(o: GeneratorOptions): FamilyGenerator<Pod>[] {
  const S = { stable: true };
  return [
    family<Pod>(
      "kube_pod_completion_time",
      "Completion time in unix timestamp for a pod.",
      (p) => {
        const times = statuses(p).map((cs) => unix(cs.state?.terminated?.finishedAt) ?? 0);
        const last = Math.max(0, ...times);
        return last > 0 ? [m(last)] : [];
      },
      S,
    ),
    family<Pod>(
      "kube_pod_container_info",
      "Information about a container in a pod.",
      (p) =>
        statuses(p).map((cs) =>
          m(1, {
            container: cs.name,
            image_spec: imageSpec(p.spec?.containers, cs.name),
            image: cs.image ?? "",
            image_id: cs.imageID ?? "",
            container_id: cs.containerID ?? "",
          }),
        ),
      S,
    ),
    family<Pod>(
      "kube_pod_container_resource_limits",
      "The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.",
      (p) => containerResources(p, p.spec?.containers ?? [], "limits"),
      S,
    ),
    family<Pod>(
      "kube_pod_container_resource_requests",
      "The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.",
      (p) => containerResources(p, p.spec?.containers ?? [], "requests"),
      S,
    ),
    family<Pod>(
      "kube_pod_container_state_started",
      "Start time in unix timestamp for a pod container.",
      (p) =>
        statuses(p).flatMap((cs) => {
          const t = unix(cs.state?.running?.startedAt ?? cs.state?.terminated?.startedAt);
          return t === undefined ? [] : [m(t, { container: cs.name })];
        }),
      S,
    ),
    family<Pod>(
      "kube_pod_container_status_last_terminated_reason",
      "Describes the last reason the container was in terminated state.",
      reasonOf(statuses, (cs) =>
        cs.lastState?.terminated ? (cs.lastState.terminated.reason ?? "") : undefined,
      ),
    ),
    family<Pod>(
      "kube_pod_container_status_last_terminated_exitcode",
      "Describes the exit code for the last container in terminated state.",
      (p) =>
        statuses(p).flatMap((cs) =>
          cs.lastState?.terminated ? [m(cs.lastState.terminated.exitCode ?? 0, { container: cs.name })] : [],
        ),
    ),
    family<Pod>(
      "kube_pod_container_status_last_terminated_timestamp",
      "Last terminated time for a pod container in unix timestamp.",
      (p) =>
        statuses(p).flatMap((cs) => {
          const t = unix(cs.lastState?.terminated?.finishedAt);
          return t === undefined ? [] : [m(t, { container: cs.name })];
        }),
    ),
    family<Pod>(
      "kube_pod_container_status_ready",
      "Describes whether the containers readiness check succeeded.",
      perStatus(statuses, (cs) => b(cs.ready === true)),
      S,
    ),
    family<Pod>(
      "kube_pod_container_status_restarts_total",
      "The number of container restarts per container.",
      perStatus(statuses, (cs) => cs.restartCount ?? 0),
      { type: "counter", stable: true },
    ),
    family<Pod>(
      "kube_pod_container_status_running",
      "Describes whether the container is currently in running state.",
      perStatus(statuses, (cs) => b(cs.state?.running !== undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_container_status_terminated",
      "Describes whether the container is currently in terminated state.",
      perStatus(statuses, (cs) => b(cs.state?.terminated !== undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_container_status_terminated_reason",
      "Describes the reason the container is currently in terminated state.",
      reasonOf(statuses, (cs) => (cs.state?.terminated ? (cs.state.terminated.reason ?? "") : undefined)),
    ),
    family<Pod>(
      "kube_pod_container_status_waiting",
      "Describes whether the container is currently in waiting state.",
      perStatus(statuses, (cs) => b(cs.state?.waiting !== undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_container_status_waiting_reason",
      "Describes the reason the container is currently in waiting state.",
      reasonOf(statuses, (cs) => (cs.state?.waiting ? (cs.state.waiting.reason ?? "") : undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_created",
      "Unix creation timestamp",
      (p) => timestamp(p.metadata?.creationTimestamp),
      S,
    ),
    family<Pod>("kube_pod_deletion_timestamp", "Unix deletion timestamp", (p) =>
      timestamp(p.metadata?.deletionTimestamp),
    ),
    family<Pod>(
      "kube_pod_info",
      "Information about pod.",
      (p) => {
        const c = controllerOf(p);
        return [
          m(1, {
            host_ip: p.status?.hostIP ?? "",
            pod_ip: p.status?.podIP ?? "",
            node: p.spec?.nodeName ?? "",
            created_by_kind: c.kind,
            created_by_name: c.name,
            priority_class: p.spec?.priorityClassName ?? "",
            host_network: String(p.spec?.hostNetwork === true),
          }),
        ];
      },
      S,
    ),
    family<Pod>("kube_pod_ips", "Pod IP addresses", (p) =>
      (p.status?.podIPs ?? []).map((x) => m(1, { ip: x.ip, ip_family: x.ip.includes(":") ? "6" : "4" })),
    ),
    family<Pod>(
      "kube_pod_init_container_info",
      "Information about an init container in a pod.",
      (p) =>
        initStatuses(p).map((cs) => {
          const spec = p.spec?.initContainers?.find((c) => c.name === cs.name);
          return m(1, {
            container: cs.name,
            image_spec: spec?.image ?? "",
            image: cs.image ?? "",
            image_id: cs.imageID ?? "",
            container_id: cs.containerID ?? "",
            restart_policy: spec?.restartPolicy ?? "",
          });
        }),
      S,
    ),
    family<Pod>(
      "kube_pod_init_container_resource_limits",
      "The number of requested limit resource by an init container.",
      (p) => containerResources(p, p.spec?.initContainers ?? [], "limits"),
    ),
    family<Pod>(
      "kube_pod_init_container_resource_requests",
      "The number of requested request resource by an init container.",
      (p) => containerResources(p, p.spec?.initContainers ?? [], "requests"),
    ),
    family<Pod>(
      "kube_pod_init_container_status_last_terminated_reason",
      "Describes the last reason the init container was in terminated state.",
      reasonOf(initStatuses, (cs) =>
        cs.lastState?.terminated ? (cs.lastState.terminated.reason ?? "") : undefined,
      ),
    ),
    family<Pod>(
      "kube_pod_init_container_status_ready",
      "Describes whether the init containers readiness check succeeded.",
      perStatus(initStatuses, (cs) => b(cs.ready === true)),
      S,
    ),
    family<Pod>(
      "kube_pod_init_container_status_restarts_total",
      "The number of restarts for the init container.",
      perStatus(initStatuses, (cs) => cs.restartCount ?? 0),
      { type: "counter", stable: true },
    ),
    family<Pod>(
      "kube_pod_init_container_status_running",
      "Describes whether the init container is currently in running state.",
      perStatus(initStatuses, (cs) => b(cs.state?.running !== undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_init_container_status_terminated",
      "Describes whether the init container is currently in terminated state.",
      perStatus(initStatuses, (cs) => b(cs.state?.terminated !== undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_init_container_status_terminated_reason",
      "Describes the reason the init container is currently in terminated state.",
      reasonOf(initStatuses, (cs) => (cs.state?.terminated ? (cs.state.terminated.reason ?? "") : undefined)),
    ),
    family<Pod>(
      "kube_pod_init_container_status_waiting",
      "Describes whether the init container is currently in waiting state.",
      perStatus(initStatuses, (cs) => b(cs.state?.waiting !== undefined)),
      S,
    ),
    family<Pod>(
      "kube_pod_init_container_status_waiting_reason",
      "Describes the reason the init container is currently in waiting state.",
      reasonOf(initStatuses, (cs) => (cs.state?.waiting ? (cs.state.waiting.reason ?? "") : undefined)),
    ),
    family<Pod>("kube_pod_annotations", "Kubernetes annotations converted to Prometheus labels.", (p) =>
      labelsMetric("annotation", p.metadata?.annotations, o.annotationsAllowed),
    ),
    family<Pod>(
      "kube_pod_labels",
      "Kubernetes labels converted to Prometheus labels.",
      (p) => labelsMetric("label", p.metadata?.labels, o.labelsAllowed),
      S,
    ),
    family<Pod>(
      "kube_pod_overhead_cpu_cores",
      "The pod overhead in regards to cpu cores associated with running a pod.",
      (p) => (p.spec?.overhead?.cpu === undefined ? [] : [m(quantityMilliValue(p.spec.overhead.cpu) / 1000)]),
    ),
    family<Pod>(
      "kube_pod_overhead_memory_bytes",
      "The pod overhead in regards to memory associated with running a pod.",
      (p) => (p.spec?.overhead?.memory === undefined ? [] : [m(quantityValue(p.spec.overhead.memory))]),
    ),
    family<Pod>("kube_pod_owner", "Information about the Pod's owner.", (p) => ownerMetrics(p.metadata), S),
    family<Pod>(
      "kube_pod_restart_policy",
      "Describes the restart policy in use by this pod.",
      (p) => [m(1, { type: p.spec?.restartPolicy ?? "" })],
      S,
    ),
    family<Pod>("kube_pod_runtimeclass_name_info", "The runtimeclass associated with the pod.", (p) =>
      p.spec?.runtimeClassName === undefined ? [] : [m(1, { runtimeclass_name: p.spec.runtimeClassName })],
    ),
    family<Pod>(
      "kube_pod_spec_volumes_persistentvolumeclaims_info",
      "Information about persistentvolumeclaim volumes in a pod.",
      (p) =>
        (p.spec?.volumes ?? []).flatMap((v) =>
          v.persistentVolumeClaim
            ? [m(1, { volume: v.name, persistentvolumeclaim: v.persistentVolumeClaim.claimName })]
            : [],
        ),
      S,
    ),
    family<Pod>(
      "kube_pod_spec_volumes_persistentvolumeclaims_readonly",
      "Describes whether a persistentvolumeclaim is mounted read only.",
      (p) =>
        (p.spec?.volumes ?? []).flatMap((v) =>
          v.persistentVolumeClaim
            ? [
                m(b(v.persistentVolumeClaim.readOnly === true), {
                  volume: v.name,
                  persistentvolumeclaim: v.persistentVolumeClaim.claimName,
                }),
              ]
            : [],
        ),
      S,
    ),
    family<Pod>(
      "kube_pod_start_time",
      "Start time in unix timestamp for a pod.",
      (p) => timestamp(p.status?.startTime),
      S,
    ),
    family<Pod>(
      "kube_pod_status_phase",
      "The pods current phase.",
      (p) => {
        const phase = p.status?.phase ?? "";
        return phase === "" ? [] : PHASES.map((x) => m(b(x === phase), { phase: x }));
      },
      S,
    ),
    family<Pod>("kube_pod_status_qos_class", "The pods current qosClass.", (p) => {
      const q = p.status?.qosClass ?? "";
      return q === "" ? [] : QOS_CLASSES.map((x) => m(b(x === q), { qos_class: x }));
    }),
    family<Pod>(
      "kube_pod_status_ready",
      "Describes whether the pod is ready to serve requests.",
      (p) => conditionOf(p, "Ready"),
      S,
    ),
    family<Pod>("kube_pod_status_ready_time", "Readiness achieved time in unix timestamp for a pod.", (p) =>
      conditionTime(p, "Ready", "True"),
    ),
    family<Pod>("kube_pod_status_initialized_time", "Initialized time in unix timestamp for a pod.", (p) =>
      conditionTime(p, "Initialized", "True"),
    ),
    family<Pod>(
      "kube_pod_status_container_ready_time",
      "Readiness achieved time in unix timestamp for a pod containers.",
      (p) => conditionTime(p, "ContainersReady", "True"),
    ),
    family<Pod>("kube_pod_status_reason", "The pod status reasons", (p) =>
      STATUS_REASONS.map((r) => m(b(p.status?.reason === r), { reason: r })),
    ),
    family<Pod>(
      "kube_pod_status_scheduled",
      "Describes the status of the scheduling process for the pod.",
      (p) => conditionOf(p, "PodScheduled"),
      S,
    ),
    family<Pod>(
      "kube_pod_status_scheduled_time",
      "Unix timestamp when pod moved into scheduled status",
      (p) => conditionTime(p, "PodScheduled", "True"),
      S,
    ),
    family<Pod>(
      "kube_pod_status_unscheduled_time",
      "Unix timestamp when pod moved into unscheduled status",
      (p) => conditionTime(p, "PodScheduled", "False"),
    ),
    family<Pod>(
      "kube_pod_status_unschedulable",
      "Describes the unschedulable status for the pod.",
      (p) =>
        (p.status?.conditions ?? []).some((c) => c.type === "PodScheduled" && c.status === "False")
          ? [m(1)]
          : [],
      S,
    ),
    family<Pod>("kube_pod_tolerations", "Information about the pod tolerations", (p) =>
      (p.spec?.tolerations ?? []).map((t) => {
        const labels: Record<string, string> = {};
        if (t.key) labels.key = t.key;
        if (t.operator) labels.operator = t.operator;
        if (t.value) labels.value = t.value;
        if (t.effect) labels.effect = t.effect;
        if (t.tolerationSeconds !== undefined) labels.toleration_seconds = String(t.tolerationSeconds);
        return m(1, labels);
      }),
    ),
    family<Pod>("kube_pod_service_account", "The service account for a pod.", (p) => [
      m(1, { service_account: p.spec?.serviceAccountName ?? "" }),
    ]),
    family<Pod>("kube_pod_scheduler", "The scheduler for a pod.", (p) =>
      p.spec?.schedulerName ? [m(1, { name: p.spec.schedulerName })] : [],
    ),
  ];
}

/** `pods`: the `kube_pod_*` families, each sample labelled `namespace`, `pod`, `uid`. */
export const PODS: ResourceDef = {
  name: "pods",
  kind: "Pod",
  group: "",
  version: "v1",
  namespaced: true,
  families: (o) =>
    erase(
      podFamilies(o).map((g) =>
        wrap(g, (p) => ({
          namespace: p.metadata?.namespace ?? "",
          pod: p.metadata?.name ?? "",
          uid: p.metadata?.uid ?? "",
        })),
      ),
    ),
};
