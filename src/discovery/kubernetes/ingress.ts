/**
 * The `ingress` role, upstream's `ingress.go`: one target per rule and path at
 * the rule's host, with the scheme (`https` when a TLS entry's host or
 * wildcard pattern covers the host), host and path (`/` when none).
 */
import type { V1Ingress } from "@kubernetes/client-node";
import type { ObjectMeta } from "../../kubernetes/objects.ts";
import type { TargetGroup } from "../discovery.ts";
import {
  addNamespaceLabels,
  addObjectMetaLabels,
  type Lookups,
  META,
  type MutableLabels,
  NAMESPACE_LABEL,
} from "./labels.ts";

/** The source of an ingress' group. */
export function ingressSource(namespace: string, name: string): string {
  return `ingress/${namespace}/${name}`;
}

/** Upstream's `matchesHostnamePattern`: equal, or a `*.` pattern matching one leading label. */
export function matchesHostnamePattern(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const p = pattern.split(".");
  const h = host.split(".");
  if (p.length === 0 || p[0] !== "*" || p.length !== h.length) return false;
  return p.slice(1).join(".") === h.slice(1).join(".");
}

/** Builds the group of one ingress. */
export function buildIngress(ing: V1Ingress, look: Lookups): TargetGroup {
  const ns = ing.metadata?.namespace ?? "";
  const labels: MutableLabels = { [NAMESPACE_LABEL]: ns };
  addObjectMetaLabels(labels, ing.metadata as ObjectMeta, "ingress");
  if (ing.spec?.ingressClassName !== undefined)
    labels[`${META}ingress_class_name`] = ing.spec.ingressClassName;
  addNamespaceLabels(labels, look, ns);
  const tlsHosts = (ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
  const targets: MutableLabels[] = [];
  for (const rule of ing.spec?.rules ?? []) {
    const host = rule.host ?? "";
    const scheme = tlsHosts.some((p) => matchesHostnamePattern(p, host)) ? "https" : "http";
    const rulePaths = rule.http?.paths;
    const paths = rulePaths === undefined ? ["/"] : rulePaths.map((p) => (p.path ?? "") || "/");
    for (const path of paths) {
      targets.push({
        __address__: host,
        [`${META}ingress_scheme`]: scheme,
        [`${META}ingress_host`]: host,
        [`${META}ingress_path`]: path,
      });
    }
  }
  return { source: ingressSource(ns, ing.metadata?.name ?? ""), targets, labels };
}
