/**
 * What the `endpoints` and `endpointslice` roles share for pod-backed
 * addresses (upstream's `resolvePodRef` and the `seenPods` loop): the pod
 * labels and matching container-port labels on each endpoint target, then one
 * extra target per container port of a seen pod that no endpoint port covered.
 */
import type { V1ObjectReference, V1Pod } from "@kubernetes/client-node";
import { allContainers, joinHostPort, type Lookups, META, type MutableLabels, podLabels } from "./labels.ts";

/** Pods seen while building one group, with the endpoint ports that produced targets for them. */
export type SeenPods = Map<string, { readonly pod: V1Pod; readonly ports: number[] }>;

/** The pod a target reference names, when it is a known Pod (upstream's `resolvePodRef`). */
export function resolvePodRef(ref: V1ObjectReference | undefined, look: Lookups): V1Pod | undefined {
  if (ref === undefined || ref.kind !== "Pod") return undefined;
  return look.pod(ref.namespace ?? "", ref.name ?? "");
}

/**
 * Adds `pod`'s labels and the labels of the first container port equal to
 * `port` to `target`, and records the port as covered. `protocolFromPort`
 * selects upstream's per-role quirk: the endpoints role labels the protocol of
 * the endpoint port, the endpointslice role that of the container port.
 */
export function addPodTargetLabels(
  target: MutableLabels,
  pod: V1Pod,
  port: { readonly number: number | undefined; readonly protocol: string },
  seen: SeenPods,
  protocolFromPort: boolean,
): void {
  const key = `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;
  let entry = seen.get(key);
  if (entry === undefined) {
    entry = { pod, ports: [] };
    seen.set(key, entry);
  }
  Object.assign(target, podLabels(pod));
  if (port.number !== undefined) {
    outer: for (const { c, init } of allContainers(pod)) {
      for (const cp of c.ports ?? []) {
        if (cp.containerPort !== port.number) continue;
        target[`${META}pod_container_name`] = c.name;
        target[`${META}pod_container_image`] = c.image ?? "";
        target[`${META}pod_container_port_name`] = cp.name ?? "";
        target[`${META}pod_container_port_number`] = String(port.number);
        target[`${META}pod_container_port_protocol`] = protocolFromPort ? port.protocol : (cp.protocol ?? "");
        target[`${META}pod_container_init`] = String(init);
        break outer;
      }
    }
    entry.ports.push(port.number);
  }
}

/** Targets for every container port of the seen pods (with an IP) that no endpoint port covered. */
export function uncoveredPodTargets(seen: SeenPods): MutableLabels[] {
  const out: MutableLabels[] = [];
  for (const { pod, ports } of seen.values()) {
    const ip = pod.status?.podIP ?? "";
    if (ip === "") continue;
    for (const { c, init } of allContainers(pod)) {
      for (const cp of c.ports ?? []) {
        if (ports.includes(cp.containerPort)) continue;
        const port = String(cp.containerPort);
        out.push({
          __address__: joinHostPort(ip, port),
          [`${META}pod_container_name`]: c.name,
          [`${META}pod_container_image`]: c.image ?? "",
          [`${META}pod_container_port_name`]: cp.name ?? "",
          [`${META}pod_container_port_number`]: port,
          [`${META}pod_container_port_protocol`]: cp.protocol ?? "",
          [`${META}pod_container_init`]: String(init),
          ...podLabels(pod),
        });
      }
    }
  }
  return out;
}
