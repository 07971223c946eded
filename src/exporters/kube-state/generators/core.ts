/**
 * Namespace, Service, Endpoints and ResourceQuota metrics (upstream
 * `internal/store/{namespace,service,endpoint,resourcequota}.go`).
 */
import { type Condition, conditionMetrics, type KubeObject } from "../common.ts";
import { b, type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import { quantityMilliValue } from "../quantity.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { metaFamilies } from "./meta.ts";

interface Namespace extends KubeObject {
  readonly status?: { readonly phase?: string; readonly conditions?: readonly Condition[] };
}

interface Service extends KubeObject {
  readonly spec?: {
    readonly type?: string;
    readonly clusterIP?: string;
    readonly externalName?: string;
    readonly loadBalancerIP?: string;
    readonly externalTrafficPolicy?: string;
    readonly externalIPs?: readonly string[];
  };
  readonly status?: {
    readonly loadBalancer?: {
      readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[];
    };
  };
}

interface EndpointAddress {
  readonly ip: string;
}
interface Endpoints extends KubeObject {
  readonly subsets?: readonly {
    readonly addresses?: readonly EndpointAddress[];
    readonly notReadyAddresses?: readonly EndpointAddress[];
    readonly ports?: readonly {
      readonly name?: string;
      readonly port?: number;
      readonly protocol?: string;
    }[];
  }[];
}

interface ResourceQuota extends KubeObject {
  readonly status?: {
    readonly hard?: Readonly<Record<string, string>>;
    readonly used?: Readonly<Record<string, string>>;
  };
}

const S = { stable: true };

function namespaceFamilies(o: GeneratorOptions): FamilyGenerator<Namespace>[] {
  return [
    ...metaFamilies<Namespace>("namespace", o),
    family<Namespace>(
      "kube_namespace_status_phase",
      "kubernetes namespace status phase.",
      (n) => ["Active", "Terminating"].map((p) => m(b(n.status?.phase === p), { phase: p })),
      S,
    ),
    family<Namespace>("kube_namespace_status_condition", "The condition of a namespace.", (n) =>
      (n.status?.conditions ?? []).flatMap((c) =>
        conditionMetrics(c.status, "status").map((x) => ({
          keys: ["condition", ...x.keys],
          values: [c.type ?? "", ...x.values],
          value: x.value,
        })),
      ),
    ),
  ];
}

function serviceFamilies(o: GeneratorOptions): FamilyGenerator<Service>[] {
  return [
    ...metaFamilies<Service>("service", o),
    family<Service>(
      "kube_service_info",
      "Information about service.",
      (s) => [
        m(1, {
          cluster_ip: s.spec?.clusterIP ?? "",
          external_name: s.spec?.externalName ?? "",
          load_balancer_ip: s.spec?.loadBalancerIP ?? "",
          external_traffic_policy: s.spec?.externalTrafficPolicy ?? "",
        }),
      ],
      S,
    ),
    family<Service>(
      "kube_service_spec_type",
      "Type about service.",
      (s) => [m(1, { type: s.spec?.type ?? "" })],
      S,
    ),
    family<Service>(
      "kube_service_spec_external_ip",
      "Service external ips. One series for each ip",
      (s) => (s.spec?.externalIPs ?? []).map((ip) => m(1, { external_ip: ip })),
      S,
    ),
    family<Service>(
      "kube_service_status_load_balancer_ingress",
      "Service load balancer ingress status",
      (s) =>
        (s.status?.loadBalancer?.ingress ?? []).map((i) =>
          m(1, { ip: i.ip ?? "", hostname: i.hostname ?? "" }),
        ),
      S,
    ),
  ];
}

function endpointAddresses(e: Endpoints): Metric[] {
  const out: Metric[] = [];
  for (const subset of e.subsets ?? []) {
    const groups: [readonly EndpointAddress[], string][] = [
      [subset.addresses ?? [], "true"],
      [subset.notReadyAddresses ?? [], "false"],
    ];
    for (const [addresses, ready] of groups) {
      for (const a of addresses) {
        for (const p of subset.ports ?? []) {
          out.push(
            m(1, {
              port_protocol: p.protocol ?? "",
              port_number: String(p.port ?? 0),
              port_name: p.name ?? "",
              ip: a.ip,
              ready,
            }),
          );
        }
      }
    }
  }
  return out;
}

function endpointFamilies(o: GeneratorOptions): FamilyGenerator<Endpoints>[] {
  return [
    ...metaFamilies<Endpoints>("endpoint", o),
    family<Endpoints>("kube_endpoint_info", "Information about endpoint.", () => [m(1)], S),
    family<Endpoints>(
      "kube_endpoint_ports",
      "(Deprecated since v2.14.0) Information about the Endpoint ports.",
      (e) =>
        (e.subsets ?? []).flatMap((s) =>
          (s.ports ?? []).map((p) =>
            m(1, {
              port_name: p.name ?? "",
              port_protocol: p.protocol ?? "",
              port_number: String(p.port ?? 0),
            }),
          ),
        ),
      S,
    ),
    family<Endpoints>(
      "kube_endpoint_address",
      "Information about Endpoint available and non available addresses.",
      endpointAddresses,
      S,
    ),
  ];
}

function quotaFamilies(o: GeneratorOptions): FamilyGenerator<ResourceQuota>[] {
  const amounts = (q: ResourceQuota): Metric[] => {
    const out: Metric[] = [];
    for (const type of ["hard", "used"] as const) {
      for (const [resource, qty] of Object.entries(q.status?.[type] ?? {}).sort(([a], [c]) =>
        a < c ? -1 : a > c ? 1 : 0,
      )) {
        out.push(m(quantityMilliValue(qty) / 1000, { resource, type }));
      }
    }
    return out;
  };
  return [
    ...metaFamilies<ResourceQuota>("resourcequota", o),
    family<ResourceQuota>("kube_resourcequota", "Information about resource quota.", amounts, S),
  ];
}

/** `namespaces`: `kube_namespace_*`, labelled `namespace`. */
export const NAMESPACES: ResourceDef = defineResource(
  { name: "namespaces", kind: "Namespace", group: "", version: "v1", namespaced: false },
  "namespace",
  namespaceFamilies,
);

/** `services`: `kube_service_*`, labelled `namespace`, `service`, `uid`. */
export const SERVICES: ResourceDef = defineResource(
  { name: "services", kind: "Service", group: "", version: "v1", namespaced: true },
  "service",
  serviceFamilies,
  true,
);

/** `endpoints`: `kube_endpoint_*`, labelled `namespace`, `endpoint`. */
export const ENDPOINTS: ResourceDef = defineResource(
  { name: "endpoints", kind: "Endpoints", group: "", version: "v1", namespaced: true },
  "endpoint",
  endpointFamilies,
);

/** `resourcequotas`: `kube_resourcequota*`, labelled `namespace`, `resourcequota`. */
export const RESOURCEQUOTAS: ResourceDef = defineResource(
  { name: "resourcequotas", kind: "ResourceQuota", group: "", version: "v1", namespaced: true },
  "resourcequota",
  quotaFamilies,
);
