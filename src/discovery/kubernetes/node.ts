/**
 * The `node` role, upstream's `node.go`: one target per node at
 * `<address>:<kubelet port>` where the address is the first of the node's
 * addresses in upstream's preference order (InternalIP, InternalDNS,
 * ExternalIP, ExternalDNS, LegacyHostIP, Hostname); `instance` is the node
 * name and `__meta_kubernetes_node_address_<type>` the first address of each
 * type. A node without any address yields no group.
 */
import type { V1Node } from "@kubernetes/client-node";
import type { ObjectMeta } from "../../kubernetes/objects.ts";
import type { TargetGroup } from "../discovery.ts";
import { addObjectMetaLabels, joinHostPort, META, type MutableLabels, sanitizeLabelName } from "./labels.ts";

/** Address types in upstream's order of preference. */
export const NODE_ADDRESS_PREFERENCE = [
  "InternalIP",
  "InternalDNS",
  "ExternalIP",
  "ExternalDNS",
  "LegacyHostIP",
  "Hostname",
] as const;

/** The source of a node's group. */
export function nodeSource(name: string): string {
  return `node/${name}`;
}

/** Builds the group of one node; undefined when it has no usable address (upstream logs and skips it). */
export function buildNode(node: V1Node): TargetGroup | undefined {
  const name = node.metadata?.name ?? "";
  const labels: MutableLabels = { [`${META}node_provider_id`]: node.spec?.providerID ?? "" };
  addObjectMetaLabels(labels, node.metadata as ObjectMeta, "node");
  const byType = new Map<string, string[]>();
  for (const a of node.status?.addresses ?? []) {
    const list = byType.get(a.type) ?? [];
    list.push(a.address);
    byType.set(a.type, list);
  }
  const preferred = NODE_ADDRESS_PREFERENCE.find((t) => byType.has(t));
  if (preferred === undefined) return undefined;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const target: MutableLabels = {
    __address__: joinHostPort(byType.get(preferred)?.[0] ?? "", port),
    instance: name,
  };
  for (const [type, addrs] of byType) target[sanitizeLabelName(`${META}node_address_${type}`)] = addrs[0];
  return { source: nodeSource(name), targets: [target], labels };
}
