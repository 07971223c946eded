/**
 * Cross-object checks of rendered manifests, each returning the problems
 * found as readable lines (empty = wired correctly): Services select pods
 * and name their ports, pod specs reference objects that exist, probes use
 * declared ports, RBAC grants exactly what the API clients use.
 */
import type { IContainer, IPodSpec, IProbe } from "kubernetes-models/v1";
import { parse as parseYaml } from "yaml";
import type { K8sObject } from "./kustomize.ts";
import {
  APISERVER_METRICS_URL,
  KSM_RESOURCE_GROUPS,
  KSM_VERBS,
  KUBELET_METRICS,
  permission,
  SD_ROLE_RESOURCES,
  SD_VERBS,
} from "./rbac.ts";

/** A workload's pod template, with where it came from. */
export interface PodTemplate {
  readonly owner: K8sObject;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: IPodSpec;
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

const id = (o: K8sObject): string => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Every pod template of the workloads among `objects`. */
export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  return objects
    .filter((o) => WORKLOADS.has(o.kind))
    .map((o) => {
      const template = (
        o.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: IPodSpec } }
      ).template;
      return {
        owner: o,
        namespace: o.metadata.namespace ?? "",
        labels: template.metadata?.labels ?? {},
        spec: template.spec,
      };
    });
}

function find(objects: readonly K8sObject[], kind: string, namespace: string | undefined, name: string) {
  return objects.find(
    (o) =>
      o.kind === kind &&
      o.metadata.name === name &&
      (namespace === undefined || o.metadata.namespace === namespace),
  );
}

function portOf(containers: readonly IContainer[], port: string | number): boolean {
  return containers.some((c) =>
    (c.ports ?? []).some((p) => (typeof port === "number" ? p.containerPort === port : p.name === port)),
  );
}

/** Each Service with a selector selects the pods of a workload, and its target ports exist on them. */
export function checkServices(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const pods = podTemplates(objects);
  for (const svc of objects.filter((o) => o.kind === "Service")) {
    const spec = svc.spec as {
      selector?: Record<string, string>;
      ports?: { port: number; targetPort?: string | number }[];
    };
    if (spec.selector === undefined) continue;
    const selected = pods.filter(
      (p) =>
        p.namespace === svc.metadata.namespace &&
        Object.entries(spec.selector!).every(([k, v]) => p.labels[k] === v),
    );
    if (selected.length === 0) problems.push(`${id(svc)} selects no pods`);
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const p of selected) {
        if (!portOf(p.spec.containers, target))
          problems.push(`${id(svc)}: ${id(p.owner)} has no port ${target}`);
      }
    }
  }
  return problems;
}

/** ConfigMaps, Secrets, PVCs, ServiceAccounts and volumes a pod spec names exist (optional ones aside). */
export function checkReferences(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const p of podTemplates(objects)) {
    const need = (kind: string, name: string | undefined, optional?: boolean): void => {
      if (name !== undefined && optional !== true && find(objects, kind, p.namespace, name) === undefined) {
        problems.push(`${id(p.owner)}: ${kind} ${p.namespace}/${name} does not exist`);
      }
    };
    need("ServiceAccount", p.spec.serviceAccountName ?? "default");
    const claims = (
      (p.owner.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? []
    ).map((c) => c.metadata.name);
    const volumes = new Set([...(p.spec.volumes ?? []).map((v) => v.name), ...claims]);
    if (volumes.size !== (p.spec.volumes ?? []).length + claims.length)
      problems.push(`${id(p.owner)}: duplicate volume names`);
    for (const v of p.spec.volumes ?? []) {
      need("ConfigMap", v.configMap?.name, v.configMap?.optional);
      need("Secret", v.secret?.secretName, v.secret?.optional);
      need("PersistentVolumeClaim", v.persistentVolumeClaim?.claimName);
    }
    for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers]) {
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name))
          problems.push(`${id(p.owner)}: container ${c.name} mounts undeclared volume ${m.name}`);
      }
      for (const e of c.env ?? []) {
        need("ConfigMap", e.valueFrom?.configMapKeyRef?.name, e.valueFrom?.configMapKeyRef?.optional);
        need("Secret", e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.optional);
      }
      for (const e of c.envFrom ?? []) {
        need("ConfigMap", e.configMapRef?.name, e.configMapRef?.optional);
        need("Secret", e.secretRef?.name, e.secretRef?.optional);
      }
    }
  }
  return problems;
}

/** Probes of each container use a port the container declares. */
export function checkProbes(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const p of podTemplates(objects)) {
    for (const c of p.spec.containers) {
      const probes: [string, IProbe | undefined][] = [
        ["liveness", c.livenessProbe],
        ["readiness", c.readinessProbe],
        ["startup", c.startupProbe],
      ];
      for (const [what, probe] of probes) {
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
        if (port !== undefined && !portOf([c], port)) {
          problems.push(`${id(p.owner)}: ${what} probe of ${c.name} uses undeclared port ${port}`);
        }
      }
    }
  }
  return problems;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** Every permission the ClusterRoles bound to a ServiceAccount grant, as {@link permission} strings. */
export function grantedTo(objects: readonly K8sObject[], namespace: string, sa: string): Set<string> {
  const out = new Set<string>();
  for (const b of objects.filter((o) => o.kind === "ClusterRoleBinding")) {
    const subjects = (b.subjects ?? []) as { kind: string; name: string; namespace?: string }[];
    if (!subjects.some((s) => s.kind === "ServiceAccount" && s.name === sa && s.namespace === namespace))
      continue;
    const role = find(objects, "ClusterRole", undefined, (b.roleRef as { name: string }).name);
    for (const r of (role?.rules ?? []) as PolicyRule[]) {
      for (const verb of r.verbs) {
        for (const url of r.nonResourceURLs ?? []) out.add(`url:${url}:${verb}`);
        for (const g of r.apiGroups ?? [])
          for (const res of r.resources ?? []) out.add(`${g}/${res}:${verb}`);
      }
    }
  }
  return out;
}

interface ScrapeLike {
  kubernetes_sd_configs?: { role: string }[];
  authorization?: { credentials_file?: string };
  relabel_configs?: { regex?: string; action?: string }[];
}

/** The kubernetes_sd_configs roles a prometheus.yml uses, and whether it scrapes kubelets and the API server. */
export function configNeeds(prometheusYml: string): {
  roles: Set<string>;
  kubelet: boolean;
  apiserver: boolean;
} {
  const cfg = parseYaml(prometheusYml) as {
    scrape_configs?: ScrapeLike[];
    alerting?: { alertmanagers?: ScrapeLike[] };
  };
  const jobs = [...(cfg.scrape_configs ?? []), ...(cfg.alerting?.alertmanagers ?? [])];
  const roles = new Set(jobs.flatMap((j) => (j.kubernetes_sd_configs ?? []).map((s) => s.role)));
  const withToken = jobs.filter((j) => j.authorization?.credentials_file !== undefined);
  return {
    roles,
    kubelet: withToken.some((j) => j.kubernetes_sd_configs?.some((s) => s.role === "node")),
    apiserver: withToken.some((j) =>
      j.relabel_configs?.some((r) => r.action === "keep" && r.regex === "default;kubernetes;https"),
    ),
  };
}

/**
 * The permissions the server needs: every discovery role's resources
 * (so any role works without RBAC edits), nodes/metrics and /metrics when
 * its config scrapes kubelets and the API server. `problems` lists
 * config roles missing from the table.
 */
export function expectedServerRbac(prometheusYml: string): { want: Set<string>; problems: string[] } {
  const needs = configNeeds(prometheusYml);
  const problems = [...needs.roles].filter((r) => !(r in SD_ROLE_RESOURCES)).map((r) => `unknown role ${r}`);
  const want = new Set<string>();
  for (const resources of Object.values(SD_ROLE_RESOURCES)) {
    for (const r of resources) for (const v of SD_VERBS) want.add(permission(r, v));
  }
  if (needs.kubelet) want.add(permission(KUBELET_METRICS, "get"));
  if (needs.apiserver) want.add(`url:${APISERVER_METRICS_URL}:get`);
  return { want, problems };
}

/** The permissions kube-state-metrics needs for a `--resources` flag value. */
export function expectedKsmRbac(resourcesFlag: string): { want: Set<string>; problems: string[] } {
  const want = new Set<string>();
  const problems: string[] = [];
  for (const name of resourcesFlag.split(",").filter((s) => s !== "")) {
    const group = KSM_RESOURCE_GROUPS[name];
    if (group === undefined) problems.push(`unknown kube-state-metrics resource ${name}`);
    else for (const v of KSM_VERBS) want.add(permission({ group, resource: name }, v));
  }
  return { want, problems };
}

/** Lines naming what `got` grants beyond `want` and what it lacks. */
export function diffPermissions(who: string, want: ReadonlySet<string>, got: ReadonlySet<string>): string[] {
  return [
    ...[...want].filter((p) => !got.has(p)).map((p) => `${who}: missing ${p}`),
    ...[...got].filter((p) => !want.has(p)).map((p) => `${who}: grants unused ${p}`),
  ].sort();
}
