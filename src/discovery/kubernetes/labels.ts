/**
 * Label helpers shared by the roles, upstream's `kubernetes.go`/`pod.go`
 * helpers: object metadata as `__meta_kubernetes_<role>_{name,label_*,
 * labelpresent_*,annotation_*,annotationpresent_*}`, the pod labels every
 * pod-backed target carries, node and namespace metadata for `attach_metadata`,
 * and Go's `net.JoinHostPort`.
 */
import type { V1Container, V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";
import type { ObjectMeta } from "../../kubernetes/objects.ts";
import { controllerOf, type KubeObject } from "../../kubernetes/objects.ts";

/** Every label this mechanism sets starts with this. */
export const META = "__meta_kubernetes_";
/** `__meta_kubernetes_namespace`. */
export const NAMESPACE_LABEL = `${META}namespace`;
/** The value of `…present` labels. */
export const PRESENT = "true";

/** A label set under construction. */
export type MutableLabels = Record<string, string>;

/** upstream's `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, "_");
}

/** Go's `net.JoinHostPort`: brackets a host containing a colon (IPv6). */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Adds `<META><role>_name` and each label and annotation with its `…present` twin (upstream's `addObjectMetaLabels`). */
export function addObjectMetaLabels(ls: MutableLabels, meta: ObjectMeta | undefined, role: string): void {
  const p = `${META}${role}`;
  ls[`${p}_name`] = meta?.name ?? "";
  for (const [k, v] of Object.entries(meta?.labels ?? {})) {
    const n = sanitizeLabelName(k);
    ls[`${p}_label_${n}`] = v;
    ls[`${p}_labelpresent_${n}`] = PRESENT;
  }
  for (const [k, v] of Object.entries(meta?.annotations ?? {})) {
    const n = sanitizeLabelName(k);
    ls[`${p}_annotation_${n}`] = v;
    ls[`${p}_annotationpresent_${n}`] = PRESENT;
  }
}

/** `true`/`false`/`unknown` from the pod's `Ready` condition, lower-cased as upstream. */
export function podReady(pod: V1Pod): string {
  const c = pod.status?.conditions?.find((x) => x.type === "Ready");
  return (c?.status ?? "Unknown").toLowerCase();
}

/** The labels of a pod shared by all its targets (upstream's `podLabels`; no namespace). */
export function podLabels(pod: V1Pod): MutableLabels {
  const ls: MutableLabels = {
    [`${META}pod_ip`]: pod.status?.podIP ?? "",
    [`${META}pod_ready`]: podReady(pod),
    [`${META}pod_phase`]: pod.status?.phase ?? "",
    [`${META}pod_node_name`]: pod.spec?.nodeName ?? "",
    [`${META}pod_host_ip`]: pod.status?.hostIP ?? "",
    [`${META}pod_uid`]: pod.metadata?.uid ?? "",
  };
  addObjectMetaLabels(ls, pod.metadata as ObjectMeta, "pod");
  const owner = controllerOf(pod as unknown as KubeObject);
  if (owner !== undefined) {
    if (owner.kind !== "") ls[`${META}pod_controller_kind`] = owner.kind;
    if (owner.name !== "") ls[`${META}pod_controller_name`] = owner.name;
  }
  return ls;
}

/** A pod's containers then its init containers, each with whether it is an init container. */
export function allContainers(pod: V1Pod): Array<{ c: V1Container; init: boolean }> {
  return [
    ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
    ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true })),
  ];
}

/** Lookups the roles need beyond their own objects. */
export interface Lookups {
  pod(namespace: string, name: string): V1Pod | undefined;
  service(namespace: string, name: string): KubeObject | undefined;
  /** Only with `attach_metadata.node`. */
  node?(name: string): V1Node | undefined;
  /** Only with `attach_metadata.namespace`. */
  namespace?(name: string): V1Namespace | undefined;
}

/** Merges the node's metadata labels into `ls` when the node is known (upstream's `addNodeLabels`). */
export function addNodeLabels(ls: MutableLabels, look: Lookups, nodeName: string | undefined): void {
  if (look.node === undefined || nodeName === undefined) return;
  const node = look.node(nodeName);
  if (node !== undefined) addObjectMetaLabels(ls, node.metadata as ObjectMeta, "node");
}

/** Merges `__meta_kubernetes_namespace_{label,labelpresent,annotation,annotationpresent}_*` when enabled. */
export function addNamespaceLabels(ls: MutableLabels, look: Lookups, namespace: string): void {
  if (look.namespace === undefined) return;
  const ns = look.namespace(namespace);
  if (ns === undefined) return;
  const meta: MutableLabels = {};
  addObjectMetaLabels(meta, ns.metadata as ObjectMeta, "namespace");
  delete meta[`${META}namespace_name`];
  Object.assign(ls, meta);
}

/** The labels of a service merged into endpoint groups (upstream's `serviceLabels`). */
export function serviceLabels(svc: KubeObject): MutableLabels {
  const ls: MutableLabels = { [NAMESPACE_LABEL]: svc.metadata.namespace ?? "" };
  addObjectMetaLabels(ls, svc.metadata, "service");
  return ls;
}
