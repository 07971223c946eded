/**
 * The API resources Vigil lists and watches, with where each lives on the API
 * server (`/api/v1/…` for the core group, `/apis/<group>/<version>/…` otherwise).
 */

/** One API resource: its group, version, plural name, kind and scope. */
export interface ResourceKind {
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  /** The URL segment, e.g. `pods`. */
  readonly plural: string;
  /** The object kind, e.g. `Pod` (lists are `<Kind>List`). */
  readonly kind: string;
  /** True when objects live in a namespace. */
  readonly namespaced: boolean;
}

function r(group: string, version: string, plural: string, kind: string, namespaced = true): ResourceKind {
  return { group, version, plural, kind, namespaced };
}

// biome-ignore format: a table
/** Every resource Vigil uses, by plural name. */
export const RESOURCES = {
  pods: r("", "v1", "pods", "Pod"),
  services: r("", "v1", "services", "Service"),
  endpoints: r("", "v1", "endpoints", "Endpoints"),
  nodes: r("", "v1", "nodes", "Node", false),
  namespaces: r("", "v1", "namespaces", "Namespace", false),
  persistentvolumeclaims: r("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim"),
  persistentvolumes: r("", "v1", "persistentvolumes", "PersistentVolume", false),
  resourcequotas: r("", "v1", "resourcequotas", "ResourceQuota"),
  configmaps: r("", "v1", "configmaps", "ConfigMap"),
  secrets: r("", "v1", "secrets", "Secret"),
  endpointslices: r("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
  ingresses: r("networking.k8s.io", "v1", "ingresses", "Ingress"),
  deployments: r("apps", "v1", "deployments", "Deployment"),
  replicasets: r("apps", "v1", "replicasets", "ReplicaSet"),
  daemonsets: r("apps", "v1", "daemonsets", "DaemonSet"),
  statefulsets: r("apps", "v1", "statefulsets", "StatefulSet"),
  jobs: r("batch", "v1", "jobs", "Job"),
  cronjobs: r("batch", "v1", "cronjobs", "CronJob"),
  horizontalpodautoscalers: r("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
} as const satisfies Record<string, ResourceKind>;

/** `apiVersion` of a resource's objects: `v1`, `apps/v1`, … */
export function apiVersion(res: ResourceKind): string {
  return res.group === "" ? res.version : `${res.group}/${res.version}`;
}

/**
 * The collection path of `res`, in `namespace` when given and the resource is
 * namespaced (cluster-wide otherwise): `/api/v1/namespaces/shop/pods`.
 */
export function collectionPath(res: ResourceKind, namespace = ""): string {
  const base = res.group === "" ? `/api/${res.version}` : `/apis/${res.group}/${res.version}`;
  const ns = res.namespaced && namespace !== "" ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${res.plural}`;
}
