/** Node metrics (upstream `internal/store/node.go`, docs/metrics/cluster/node-metrics.md). */
import {
  type Condition,
  conditionMetrics,
  type KubeObject,
  resourceAmount,
  sortedResources,
  timestamp,
} from "../common.ts";
import { b, type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { annotationsFamily, createdFamily, labelsFamily } from "./meta.ts";

/** The fields of a Node the generators read. */
export interface Node extends KubeObject {
  readonly spec?: {
    readonly unschedulable?: boolean;
    readonly providerID?: string;
    readonly podCIDR?: string;
    readonly taints?: readonly { readonly key?: string; readonly value?: string; readonly effect?: string }[];
  };
  readonly status?: {
    readonly capacity?: Readonly<Record<string, string>>;
    readonly allocatable?: Readonly<Record<string, string>>;
    readonly conditions?: readonly Condition[];
    readonly addresses?: readonly { readonly type?: string; readonly address?: string }[];
    readonly nodeInfo?: {
      readonly kernelVersion?: string;
      readonly osImage?: string;
      readonly containerRuntimeVersion?: string;
      readonly kubeletVersion?: string;
      readonly kubeProxyVersion?: string;
      readonly systemUUID?: string;
    };
  };
}

const ROLE_PREFIX = "node-role.kubernetes.io/";

function resources(list: Readonly<Record<string, string>> | undefined): Metric[] {
  return sortedResources(list).flatMap(([name, q]) => {
    const amount = resourceAmount(name, q);
    return amount === undefined ? [] : [m(amount[2], { resource: amount[0], unit: amount[1] })];
  });
}

function nodeFamilies(o: GeneratorOptions): FamilyGenerator<Node>[] {
  const S = { stable: true };
  return [
    annotationsFamily<Node>("node", o),
    createdFamily<Node>("node"),
    family<Node>("kube_node_deletion_timestamp", "Unix deletion timestamp", (n) =>
      timestamp(n.metadata?.deletionTimestamp),
    ),
    family<Node>(
      "kube_node_info",
      "Information about a cluster node.",
      (n) => {
        const info = n.status?.nodeInfo ?? {};
        const internal = n.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "";
        return [
          m(1, {
            kernel_version: info.kernelVersion ?? "",
            os_image: info.osImage ?? "",
            container_runtime_version: info.containerRuntimeVersion ?? "",
            kubelet_version: info.kubeletVersion ?? "",
            kubeproxy_version: info.kubeProxyVersion ?? "",
            provider_id: n.spec?.providerID ?? "",
            pod_cidr: n.spec?.podCIDR ?? "",
            system_uuid: info.systemUUID ?? "",
            internal_ip: internal,
          }),
        ];
      },
      S,
    ),
    labelsFamily<Node>("node", o),
    family<Node>("kube_node_role", "The role of a cluster node.", (n) =>
      Object.keys(n.metadata?.labels ?? {})
        .filter((k) => k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length)
        .sort()
        .map((k) => m(1, { role: k.slice(ROLE_PREFIX.length) })),
    ),
    family<Node>(
      "kube_node_spec_taint",
      "The taint of a cluster node.",
      (n) =>
        (n.spec?.taints ?? []).map((t) =>
          m(1, { key: t.key ?? "", value: t.value ?? "", effect: t.effect ?? "" }),
        ),
      S,
    ),
    family<Node>(
      "kube_node_spec_unschedulable",
      "Whether a node can schedule new pods.",
      (n) => [m(b(n.spec?.unschedulable === true))],
      S,
    ),
    family<Node>(
      "kube_node_status_allocatable",
      "The allocatable for different resources of a node that are available for scheduling.",
      (n) => resources(n.status?.allocatable),
      S,
    ),
    family<Node>(
      "kube_node_status_capacity",
      "The capacity for different resources of a node.",
      (n) => resources(n.status?.capacity),
      S,
    ),
    family<Node>(
      "kube_node_status_condition",
      "The condition of a cluster node.",
      (n) =>
        (n.status?.conditions ?? []).flatMap((c) =>
          conditionMetrics(c.status, "status").map((x) => ({
            keys: ["condition", ...x.keys],
            values: [c.type ?? "", ...x.values],
            value: x.value,
          })),
        ),
      S,
    ),
    family<Node>("kube_node_status_addresses", "Node address information.", (n) =>
      (n.status?.addresses ?? []).map((a) => m(1, { type: a.type ?? "", address: a.address ?? "" })),
    ),
  ];
}

/** `nodes`: the `kube_node_*` families, each sample labelled `node`. */
export const NODES: ResourceDef = defineResource(
  { name: "nodes", kind: "Node", group: "", version: "v1", namespaced: false },
  "node",
  nodeFamilies,
);
