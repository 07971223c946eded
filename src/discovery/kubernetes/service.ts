/**
 * The `service` role, upstream's `service.go`: one target per service port at
 * `<name>.<namespace>.svc:<port>`, with the port's name, number and protocol,
 * the service type, and the cluster IP (the external name for ExternalName
 * services; the load balancer IP for LoadBalancer ones).
 */
import type { V1Service } from "@kubernetes/client-node";
import type { KubeObject } from "../../kubernetes/objects.ts";
import type { TargetGroup } from "../discovery.ts";
import {
  addNamespaceLabels,
  joinHostPort,
  type Lookups,
  META,
  type MutableLabels,
  serviceLabels,
} from "./labels.ts";

/** The source of a service's group. */
export function serviceSource(namespace: string, name: string): string {
  return `svc/${namespace}/${name}`;
}

/** Builds the group of one service. */
export function buildService(svc: V1Service, look: Lookups): TargetGroup {
  const ns = svc.metadata?.namespace ?? "";
  const name = svc.metadata?.name ?? "";
  const labels = serviceLabels(svc as unknown as KubeObject);
  addNamespaceLabels(labels, look, ns);
  const type = svc.spec?.type ?? "";
  const targets: MutableLabels[] = (svc.spec?.ports ?? []).map((p) => {
    const port = String(p.port);
    const t: MutableLabels = {
      __address__: joinHostPort(`${name}.${ns}.svc`, port),
      [`${META}service_port_name`]: p.name ?? "",
      [`${META}service_port_number`]: port,
      [`${META}service_port_protocol`]: p.protocol ?? "",
      [`${META}service_type`]: type,
    };
    if (type === "ExternalName") t[`${META}service_external_name`] = svc.spec?.externalName ?? "";
    else t[`${META}service_cluster_ip`] = svc.spec?.clusterIP ?? "";
    if (type === "LoadBalancer") t[`${META}service_loadbalancer_ip`] = svc.spec?.loadBalancerIP ?? "";
    return t;
  });
  return { source: serviceSource(ns, name), targets, labels };
}
