/**
 * What each role watches and how it builds groups: the primary resource (one
 * group per object) and the secondary resources whose changes can alter
 * those groups (services and pods for endpoints, nodes with
 * `attach_metadata.node`, namespaces with `attach_metadata.namespace`).
 */
import type {
  V1EndpointSlice,
  V1Endpoints,
  V1Ingress,
  V1Node,
  V1Pod,
  V1Service,
} from "@kubernetes/client-node";
import type { KubeObject } from "../../kubernetes/objects.ts";
import { RESOURCES, type ResourceKind } from "../../kubernetes/resources.ts";
import type { TargetGroup } from "../discovery.ts";
import { buildEndpoints, endpointsSource } from "./endpoints.ts";
import { buildEndpointSlice, endpointSliceSource } from "./endpointslice.ts";
import { buildIngress, ingressSource } from "./ingress.ts";
import type { Lookups } from "./labels.ts";
import { buildNode, nodeSource } from "./node.ts";
import { buildPod, podSource } from "./pod.ts";
import type { Role } from "./schema.ts";
import { buildService, serviceSource } from "./service.ts";

/** How one role turns objects into groups. */
export interface RoleSpec {
  /** The resource with one group per object. */
  readonly primary: ResourceKind;
  /** Other namespaced resources read through {@link Lookups} (listed in the same namespaces). */
  readonly secondary: readonly ResourceKind[];
  /** The group of `obj`; undefined when upstream sends none (a node without addresses). */
  build(obj: KubeObject, look: Lookups): TargetGroup | undefined;
  /** The source of `obj`'s group (also for a deleted object). */
  source(obj: KubeObject): string;
}

const ns = (o: KubeObject) => o.metadata.namespace ?? "";
const name = (o: KubeObject) => o.metadata.name ?? "";

/** The spec of every role. */
export const ROLE_SPECS: Readonly<Record<Role, RoleSpec>> = {
  node: {
    primary: RESOURCES.nodes,
    secondary: [],
    build: (o) => buildNode(o as unknown as V1Node),
    source: (o) => nodeSource(name(o)),
  },
  pod: {
    primary: RESOURCES.pods,
    secondary: [],
    build: (o, look) => buildPod(o as unknown as V1Pod, look),
    source: (o) => podSource(ns(o), name(o)),
  },
  service: {
    primary: RESOURCES.services,
    secondary: [],
    build: (o, look) => buildService(o as unknown as V1Service, look),
    source: (o) => serviceSource(ns(o), name(o)),
  },
  endpoints: {
    primary: RESOURCES.endpoints,
    secondary: [RESOURCES.services, RESOURCES.pods],
    build: (o, look) => buildEndpoints(o as unknown as V1Endpoints, look),
    source: (o) => endpointsSource(ns(o), name(o)),
  },
  endpointslice: {
    primary: RESOURCES.endpointslices,
    secondary: [RESOURCES.services, RESOURCES.pods],
    build: (o, look) => buildEndpointSlice(o as unknown as V1EndpointSlice, look),
    source: (o) => endpointSliceSource(ns(o), name(o)),
  },
  ingress: {
    primary: RESOURCES.ingresses,
    secondary: [],
    build: (o, look) => buildIngress(o as unknown as V1Ingress, look),
    source: (o) => ingressSource(ns(o), name(o)),
  },
};

/** The selector role that filters a resource (upstream's `mapSelector`). */
export function selectorRoleOf(res: ResourceKind): Role | undefined {
  switch (res.plural) {
    case "pods":
      return "pod";
    case "services":
      return "service";
    case "endpoints":
      return "endpoints";
    case "endpointslices":
      return "endpointslice";
    case "nodes":
      return "node";
    case "ingresses":
      return "ingress";
    default:
      return undefined;
  }
}
