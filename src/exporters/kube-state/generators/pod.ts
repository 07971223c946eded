/**
 * Pod metrics (upstream `internal/store/pod.go`, docs/metrics/workload/pod-metrics.md):
 * the pod-level families here, the container families in `pod_containers.ts`,
 * the object shape in `pod_types.ts`.
 */
import { conditionMetrics, ownerMetrics, timestamp, unix } from "../common.ts";
import { b, type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import { quantityMilliValue, quantityValue } from "../quantity.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { annotationsFamily, createdFamily, labelsFamily } from "./meta.ts";
import { containerFamilies, initContainerFamilies } from "./pod_containers.ts";
import type { Pod } from "./pod_types.ts";

const STATUS_REASONS = ["Evicted", "NodeAffinity", "NodeLost", "Shutdown", "UnexpectedAdmissionError"];
const PHASES = ["Pending", "Succeeded", "Failed", "Unknown", "Running"];
const QOS_CLASSES = ["BestEffort", "Burstable", "Guaranteed"];

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

function podFamilies(o: GeneratorOptions): FamilyGenerator<Pod>[] {
  const S = { stable: true };
  return [
    family<Pod>(
      "kube_pod_completion_time",
      "Completion time in unix timestamp for a pod.",
      (p) => {
        const times = (p.status?.containerStatuses ?? []).map(
          (cs) => unix(cs.state?.terminated?.finishedAt) ?? 0,
        );
        const last = Math.max(0, ...times);
        return last > 0 ? [m(last)] : [];
      },
      S,
    ),
    ...containerFamilies(),
    createdFamily<Pod>("pod"),
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
    ...initContainerFamilies(),
    annotationsFamily<Pod>("pod", o),
    labelsFamily<Pod>("pod", o),
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
export const PODS: ResourceDef = defineResource(
  { name: "pods", kind: "Pod", group: "", version: "v1", namespaced: true },
  "pod",
  podFamilies,
  true,
);
