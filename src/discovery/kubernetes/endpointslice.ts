/**
 * The `endpointslice` role, upstream's `endpointslice.go` (discovery.k8s.io/v1):
 * one group per EndpointSlice (source `endpointslice/<namespace>/<name>`) with
 * its address type and the labels of the service named by its
 * `kubernetes.io/service-name` label; one target per endpoint address and
 * port with the port's name, protocol, number and app protocol, the
 * endpoint's conditions (ready, serving, terminating — only those set),
 * hostname, node name, zone and deprecated topology, pod and container labels
 * for pod-backed endpoints, plus one target per uncovered container port.
 */
import type {
  V1Endpoint,
  V1EndpointSlice,
  DiscoveryV1EndpointPort as V1SlicePort,
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
  PRESENT,
  sanitizeLabelName,
  serviceLabels,
} from "./labels.ts";
import { addPodTargetLabels, resolvePodRef, type SeenPods, uncoveredPodTargets } from "./pod_ports.ts";

/** The label naming an EndpointSlice's service. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The source of an EndpointSlice's group. */
export function endpointSliceSource(namespace: string, name: string): string {
  return `endpointslice/${namespace}/${name}`;
}

const P = `${META}endpointslice_`;

function endpointLabels(t: MutableLabels, ep: V1Endpoint): void {
  const c = ep.conditions;
  if (c?.ready !== undefined && c.ready !== null) t[`${P}endpoint_conditions_ready`] = String(c.ready);
  if (c?.serving !== undefined && c.serving !== null)
    t[`${P}endpoint_conditions_serving`] = String(c.serving);
  if (c?.terminating !== undefined && c.terminating !== null) {
    t[`${P}endpoint_conditions_terminating`] = String(c.terminating);
  }
  if (ep.hostname !== undefined) t[`${P}endpoint_hostname`] = ep.hostname;
  if (ep.targetRef !== undefined) {
    t[`${P}address_target_kind`] = ep.targetRef.kind ?? "";
    t[`${P}address_target_name`] = ep.targetRef.name ?? "";
  }
  if (ep.nodeName !== undefined) t[`${P}endpoint_node_name`] = ep.nodeName;
  if (ep.zone !== undefined) t[`${P}endpoint_zone`] = ep.zone;
  for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
    const n = sanitizeLabelName(k);
    t[`${P}endpoint_topology_${n}`] = v;
    t[`${P}endpoint_topology_present_${n}`] = PRESENT;
  }
}

/** Builds the group of one EndpointSlice. */
export function buildEndpointSlice(eps: V1EndpointSlice, look: Lookups): TargetGroup {
  const ns = eps.metadata?.namespace ?? "";
  const labels: MutableLabels = { [NAMESPACE_LABEL]: ns, [`${P}address_type`]: eps.addressType };
  addObjectMetaLabels(labels, eps.metadata as ObjectMeta, "endpointslice");
  const svcName = eps.metadata?.labels?.[SERVICE_NAME_LABEL];
  const svc = svcName === undefined ? undefined : look.service(ns, svcName);
  if (svc !== undefined) Object.assign(labels, serviceLabels(svc));
  addNamespaceLabels(labels, look, ns);
  const targets: MutableLabels[] = [];
  const seen: SeenPods = new Map();
  const add = (addr: string, ep: V1Endpoint, port: V1SlicePort) => {
    const t: MutableLabels = { __address__: port.port === undefined ? addr : joinHostPort(addr, port.port) };
    if (port.name !== undefined) t[`${P}port_name`] = port.name;
    if (port.protocol !== undefined) t[`${P}port_protocol`] = port.protocol;
    if (port.port !== undefined) t[`${P}port`] = String(port.port);
    if (port.appProtocol !== undefined) t[`${P}port_app_protocol`] = port.appProtocol;
    endpointLabels(t, ep);
    if (ep.targetRef?.kind === "Node") addNodeLabels(t, look, ep.targetRef.name);
    else addNodeLabels(t, look, ep.nodeName);
    const pod = resolvePodRef(ep.targetRef, look);
    if (pod !== undefined)
      addPodTargetLabels(t, pod, { number: port.port, protocol: port.protocol ?? "" }, seen, false);
    targets.push(t);
  };
  for (const ep of eps.endpoints ?? []) {
    for (const port of eps.ports ?? []) for (const addr of ep.addresses ?? []) add(addr, ep, port);
  }
  targets.push(...uncoveredPodTargets(seen));
  return { source: endpointSliceSource(ns, eps.metadata?.name ?? ""), targets, labels };
}
