/**
 * The schema of one `kubernetes_sd_configs` entry, upstream's
 * `kubernetes.SDConfig`: `api_server`, `role`, `kubeconfig_file`, the inline
 * HTTP client settings, `namespaces`, `selectors` and `attach_metadata`, with
 * upstream's validation in its order and wording.
 */
import {
  bool,
  enumOf,
  type Fields,
  filePath,
  list,
  object,
  type Schema,
  type Site,
  str,
  url,
} from "../../config/decode.ts";
import { finishHTTPClient, httpClientFields } from "../../config/httpclient.ts";
import type { HTTPClientConfig } from "../../config/types.ts";
import { parseFieldSelector, parseLabelSelector } from "../../kubernetes/selectors.ts";
import { goQuote } from "../../model/labels/strings.ts";

/** The roles, upstream's `Role` values. */
export const ROLES = ["node", "pod", "service", "endpoints", "endpointslice", "ingress"] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** One `selectors` entry: server-side label/field selectors for the objects of `role`. */
export interface SelectorConfig {
  readonly role: Role;
  readonly label: string;
  readonly field: string;
}

/** One entry of `kubernetes_sd_configs`. */
export interface KubernetesSDConfig extends HTTPClientConfig {
  readonly kind: "kubernetes";
  /** Empty: in-cluster or `kubeconfig_file`. */
  readonly api_server?: string;
  readonly role: Role;
  readonly kubeconfig_file: string;
  readonly namespaces: { readonly own_namespace: boolean; readonly names: readonly string[] };
  readonly selectors: readonly SelectorConfig[];
  /** `namespace` is newer upstream's (3.6+), not known to Prometheus 3.5. */
  readonly attach_metadata: { readonly node: boolean; readonly namespace: boolean };
}

const role = enumOf<Role>("kubernetes.Role", ROLES, (t) => `unknown Kubernetes SD role ${goQuote(t)}`);

/** Which selector roles each role accepts, upstream's `allowedSelectors`. */
const ALLOWED_SELECTORS: Record<Role, readonly Role[]> = {
  pod: ["pod"],
  service: ["service"],
  endpointslice: ["pod", "service", "endpointslice"],
  endpoints: ["pod", "service", "endpoints"],
  node: ["node"],
  ingress: ["ingress"],
};

const selectorSchema = object<SelectorConfig>("kubernetes.SelectorConfig", {
  role: { schema: role },
  label: { schema: str },
  field: { schema: str },
});

const namespacesSchema = object<KubernetesSDConfig["namespaces"]>("kubernetes.NamespaceDiscovery", {
  own_namespace: { schema: bool, omit: "never" },
  names: { schema: list(str), omit: "never" },
});

const attachSchema = object<KubernetesSDConfig["attach_metadata"]>("kubernetes.AttachMetadataConfig", {
  node: { schema: bool, omit: "never" },
  namespace: { schema: bool },
});

/** Go's zero value test: undefined, false, "", or an empty list or map. */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.values(v as object).every(isZero);
}

/** True when the HTTP client part equals upstream's `DefaultHTTPClientConfig` (redirects and HTTP/2 on, the rest zero). */
function isDefaultHTTPClient(d: Record<string, unknown>): boolean {
  const keys = Object.keys(httpClientFields).filter((k) => k !== "follow_redirects" && k !== "enable_http2");
  return keys.every((k) => isZero(d[k])) && d.follow_redirects === true && d.enable_http2 === true;
}

function finish(d: Record<string, unknown>, site: Site): KubernetesSDConfig {
  const c = d as unknown as KubernetesSDConfig;
  if ((c.role as string) === "") {
    throw site.error("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
  }
  finishHTTPClient(d, site);
  const apiServer = c.api_server ?? "";
  const defaultClient = isDefaultHTTPClient(d);
  if (apiServer !== "" && c.kubeconfig_file !== "") {
    throw site.error("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  }
  if (c.kubeconfig_file !== "" && !defaultClient) {
    throw site.error("cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
  }
  if (apiServer === "" && !defaultClient) {
    throw site.error(
      "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
    );
  }
  if (apiServer !== "" && c.namespaces.own_namespace) {
    throw site.error("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
  }
  if (c.kubeconfig_file !== "" && c.namespaces.own_namespace) {
    throw site.error("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
  }
  validateSelectors(c, site);
  return { kind: "kubernetes", ...d } as unknown as KubernetesSDConfig;
}

function validateSelectors(c: KubernetesSDConfig, site: Site): void {
  const found = new Set<string>();
  for (const s of c.selectors) {
    if (found.has(s.role)) throw site.error(`duplicated selector role: ${s.role}`, "selectors");
    found.add(s.role);
    const allowed = ALLOWED_SELECTORS[c.role];
    if (!allowed.includes(s.role)) {
      throw site.error(`${c.role} role supports only ${allowed.join(", ")} selectors`, "selectors");
    }
    try {
      parseFieldSelector(s.field);
      parseLabelSelector(s.label);
    } catch (err) {
      throw site.error((err as Error).message, "selectors");
    }
  }
}

/** Decodes and validates an entry; marshals in upstream's field order. */
export const kubernetesSDSchema: Schema<KubernetesSDConfig> = object<KubernetesSDConfig>(
  "kubernetes.plain",
  {
    api_server: { schema: url },
    role: { schema: role, omit: "never" },
    kubeconfig_file: { schema: filePath, omit: "never" },
    ...httpClientFields,
    namespaces: { schema: namespacesSchema },
    selectors: { schema: list(selectorSchema) },
    attach_metadata: { schema: attachSchema },
  } as Fields<KubernetesSDConfig>,
  { finish },
);
