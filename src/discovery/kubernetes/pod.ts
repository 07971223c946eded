/**
 * The `pod` role, upstream's `pod.go`: one group per pod (source
 * `pod/<namespace>/<name>`), one target per declared container port
 * (`<podIP>:<port>`) and one port-less target (`<podIP>`) per container
 * without ports, init containers included (`…_container_init="true"`). A pod
 * without an IP yet yields an empty group.
 */
import type { V1Pod } from "@kubernetes/client-node";
import type { TargetGroup } from "../discovery.ts";
import {
  addNamespaceLabels,
  addNodeLabels,
  allContainers,
  joinHostPort,
  type Lookups,
  META,
  type MutableLabels,
  NAMESPACE_LABEL,
  podLabels,
} from "./labels.ts";

/** The source of a pod's group. */
export function podSource(namespace: string, name: string): string {
  return `pod/${namespace}/${name}`;
}

/** The ID of container `name` from the pod's statuses (init statuses for init containers), or "". */
function containerID(pod: V1Pod, name: string, init: boolean): string {
  const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return statuses?.find((s) => s.name === name)?.containerID ?? "";
}

/** Builds the group of one pod. */
export function buildPod(pod: V1Pod, look: Lookups): TargetGroup {
  const ns = pod.metadata?.namespace ?? "";
  const source = podSource(ns, pod.metadata?.name ?? "");
  const ip = pod.status?.podIP ?? "";
  if (ip === "") return { source, targets: [], labels: {} };
  const labels: MutableLabels = { ...podLabels(pod), [NAMESPACE_LABEL]: ns };
  addNodeLabels(labels, look, pod.spec?.nodeName);
  addNamespaceLabels(labels, look, ns);
  const targets: MutableLabels[] = [];
  for (const { c, init } of allContainers(pod)) {
    const common = {
      [`${META}pod_container_name`]: c.name,
      [`${META}pod_container_id`]: containerID(pod, c.name, init),
      [`${META}pod_container_image`]: c.image ?? "",
    };
    if ((c.ports ?? []).length === 0) {
      targets.push({ __address__: ip, ...common, [`${META}pod_container_init`]: String(init) });
      continue;
    }
    for (const p of c.ports ?? []) {
      const port = String(p.containerPort);
      targets.push({
        __address__: joinHostPort(ip, port),
        ...common,
        [`${META}pod_container_port_number`]: port,
        [`${META}pod_container_port_name`]: p.name ?? "",
        [`${META}pod_container_port_protocol`]: p.protocol ?? "",
        [`${META}pod_container_init`]: String(init),
      });
    }
  }
  return { source, targets, labels };
}
