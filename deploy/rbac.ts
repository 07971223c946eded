/**
 * What the Kubernetes API clients of Vigil read, as data: the table the
 * deployment tests derive the expected RBAC rules from. Keep it in step
 * with `src/discovery/kubernetes` (the informers each role starts) and
 * `src/exporters/kube-state` (the resource each `--resources` name lists
 * and watches).
 */

/** One API resource: its group ("" for the core group) and plural name. */
export interface ApiResource {
  readonly group: string;
  readonly resource: string;
}

const core = (resource: string): ApiResource => ({ group: "", resource });

/**
 * The resources each `kubernetes_sd_configs` role watches, as upstream
 * Prometheus' discovery does: endpoints and endpointslice targets carry
 * their Service's and Pod's metadata, so those roles watch services and
 * pods too. (`attach_metadata.node` adds nodes; the node role has them.)
 */
export const SD_ROLE_RESOURCES: Readonly<Record<string, readonly ApiResource[]>> = {
  node: [core("nodes")],
  pod: [core("pods")],
  service: [core("services")],
  endpoints: [core("endpoints"), core("services"), core("pods")],
  endpointslice: [{ group: "discovery.k8s.io", resource: "endpointslices" }, core("services"), core("pods")],
  ingress: [{ group: "networking.k8s.io", resource: "ingresses" }],
};

/** Verbs the server is granted on discovery resources (upstream's example RBAC: get, list, watch). */
export const SD_VERBS = ["get", "list", "watch"] as const;

/** The kubelet's `/metrics`, `/metrics/cadvisor` and `/metrics/probes` are authorized as `get nodes/metrics`. */
export const KUBELET_METRICS: ApiResource = core("nodes/metrics");

/** The API server's own `/metrics` is a non-resource URL. */
export const APISERVER_METRICS_URL = "/metrics";

/** kube-state-metrics `--resources` names (its plural resource names) and their API group. */
export const KSM_RESOURCE_GROUPS: Readonly<Record<string, string>> = {
  certificatesigningrequests: "certificates.k8s.io",
  configmaps: "",
  cronjobs: "batch",
  daemonsets: "apps",
  deployments: "apps",
  endpoints: "",
  endpointslices: "discovery.k8s.io",
  horizontalpodautoscalers: "autoscaling",
  ingresses: "networking.k8s.io",
  jobs: "batch",
  leases: "coordination.k8s.io",
  limitranges: "",
  namespaces: "",
  networkpolicies: "networking.k8s.io",
  nodes: "",
  persistentvolumeclaims: "",
  persistentvolumes: "",
  poddisruptionbudgets: "policy",
  pods: "",
  replicasets: "apps",
  replicationcontrollers: "",
  resourcequotas: "",
  secrets: "",
  services: "",
  statefulsets: "apps",
  storageclasses: "storage.k8s.io",
  volumeattachments: "storage.k8s.io",
};

/** Verbs kube-state-metrics needs: its reflectors list, then watch. */
export const KSM_VERBS = ["list", "watch"] as const;

/**
 * One granted permission as a comparable string: `group/resource:verb`
 * (`/pods:list` for the core group) or `url:/metrics:get`.
 */
export function permission(r: ApiResource, verb: string): string {
  return `${r.group}/${r.resource}:${verb}`;
}
