/**
 * The `endpoints` role, upstream's `endpoints.go`: one group per Endpoints
 * object (source `endpoints/<namespace>/<name>`) carrying the labels of the
 * service of the same name; one target per subset port and address, ready
 * addresses first (`…_endpoint_ready="true"`) then not-ready ones ("false"),
 * with pod and container labels for pod-backed addresses, plus one target per
 * uncovered container port of those pods.
 */
import type {
  V1EndpointAddress,
  CoreV1EndpointPort as V1EndpointPort,
  V1Endpoints,
} from "@kubernetes/client-node";
import type { ObjectMeta } from "../../kubernetes/objects.ts";
import type { TargetGroup } from "../discovery.ts";
import {
  addNamespaceLabels,
  addNodeLabels,
  addObjectMetaLabels,
  joinHostPort,
  type Lookups,
  META,
  type MutableLabels,
  NAMESPACE_LABEL,
  serviceLabels,
} from "./labels.ts";
import { addPodTargetLabels, resolvePodRef, type SeenPods, uncoveredPodTargets } from "./pod_ports.ts";

/** The source of an Endpoints object's group. */
export function endpointsSource(namespace: string, name: string): string {
  return `endpoints/${namespace}/${name}`;
}

/** Builds the group of one Endpoints object. */
export function buildEndpoints(eps: V1Endpoints, look: Lookups): TargetGroup {
  const ns = eps.metadata?.namespace ?? "";
  const name = eps.metadata?.name ?? "";
  const labels: MutableLabels = { [NAMESPACE_LABEL]: ns };
  addObjectMetaLabels(labels, eps.metadata as ObjectMeta, "endpoints");
  const svc = look.service(ns, name);
  if (svc !== undefined) Object.assign(labels, serviceLabels(svc));
  addNamespaceLabels(labels, look, ns);
  const targets: MutableLabels[] = [];
  const seen: SeenPods = new Map();
  const add = (addr: V1EndpointAddress, port: V1EndpointPort, ready: string) => {
    const t: MutableLabels = {
      __address__: joinHostPort(addr.ip, port.port),
      [`${META}endpoint_port_name`]: port.name ?? "",
      [`${META}endpoint_port_protocol`]: port.protocol ?? "",
      [`${META}endpoint_ready`]: ready,
    };
    if (addr.targetRef !== undefined) {
      t[`${META}endpoint_address_target_kind`] = addr.targetRef.kind ?? "";
      t[`${META}endpoint_address_target_name`] = addr.targetRef.name ?? "";
    }
    if (addr.nodeName !== undefined) t[`${META}endpoint_node_name`] = addr.nodeName;
    if (addr.hostname !== undefined && addr.hostname !== "") t[`${META}endpoint_hostname`] = addr.hostname;
    if (addr.nodeName !== undefined) addNodeLabels(t, look, addr.nodeName);
    else if (addr.targetRef?.kind === "Node") addNodeLabels(t, look, addr.targetRef.name);
    const pod = resolvePodRef(addr.targetRef, look);
    if (pod !== undefined)
      addPodTargetLabels(t, pod, { number: port.port, protocol: port.protocol ?? "" }, seen, true);
    targets.push(t);
  };
  for (const ss of eps.subsets ?? []) {
    for (const port of ss.ports ?? []) {
      for (const addr of ss.addresses ?? []) add(addr, port, "true");
      for (const addr of ss.notReadyAddresses ?? []) add(addr, port, "false");
    }
  }
  targets.push(...uncoveredPodTargets(seen));
  return { source: endpointsSource(ns, name), targets, labels };
}
