/**
 * `kubernetes_sd_configs`, upstream's `discovery/kubernetes`: list+watch
 * informers (`src/kubernetes/informer.ts`) per role and namespace turn
 * Kubernetes objects into target groups with upstream's `__meta_kubernetes_*`
 * labels. Once every informer has listed, the first emit carries every group;
 * afterwards each change re-builds the affected groups (for a change to a
 * secondary object — a service, pod, node or namespace — every group of the
 * same namespace) and only groups whose content changed are emitted; a
 * deleted object's source gets an empty group. Metrics: upstream's
 * `prometheus_sd_kubernetes_{events_total,failures_total,http_request_total}`.
 */
import { readFileSync } from "node:fs";
import type { V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";
import type { Counter } from "prom-client";
import { newKubeClient } from "../../kubernetes/client.ts";
import { type Connection, resolveConnection, SERVICE_ACCOUNT_DIR } from "../../kubernetes/config.ts";
import { type Informer, newInformer } from "../../kubernetes/informer.ts";
import type { KubeObject } from "../../kubernetes/objects.ts";
import { RESOURCES, type ResourceKind } from "../../kubernetes/resources.ts";
import type { Logger } from "../../log/log.ts";
import { type Discoverer, type DiscovererOptions, registerSD, type TargetGroup } from "../discovery.ts";
import { sdCounter } from "../metrics.ts";
import type { Lookups } from "./labels.ts";
import { ROLE_SPECS, type RoleSpec, selectorRoleOf } from "./roles.ts";
import { type KubernetesSDConfig, kubernetesSDSchema } from "./schema.ts";

/** Test seams. */
export interface KubernetesDiscovererDeps {
  /** The service account directory for in-cluster config and `own_namespace`. */
  readonly serviceAccountDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Informer back-off start in ms (default 800). */
  readonly initialBackoffMs?: number;
}

const EVENT_ROLES = ["endpointslice", "endpoints", "node", "pod", "service", "ingress"] as const;

/** The namespaces to watch ("" = all), upstream's `getNamespaces`. */
export function namespacesToWatch(config: KubernetesSDConfig, ownNamespace: string): string[] {
  const names = [...config.namespaces.names];
  if (names.length === 0 && !config.namespaces.own_namespace) return [""];
  if (config.namespaces.own_namespace && ownNamespace !== "") names.push(ownNamespace);
  return names;
}

function ownNamespace(config: KubernetesSDConfig, dir: string): string {
  if (!config.namespaces.own_namespace) return "";
  let text: string;
  try {
    text = readFileSync(`${dir}/namespace`, "utf8");
  } catch (err) {
    throw new Error(`could not determine the pod's namespace: ${(err as Error).message}`, { cause: err });
  }
  if (text === "") throw new Error("could not read own namespace name (empty file)");
  return text;
}

/** Creates the discoverer; throws when the connection cannot be resolved (as upstream's `New`). */
export function newKubernetesDiscoverer(
  config: KubernetesSDConfig,
  options: DiscovererOptions,
  deps: KubernetesDiscovererDeps = {},
): Discoverer {
  const dir = deps.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const conn: Connection = resolveConnection({
    apiServer: config.api_server,
    kubeconfigFile: config.kubeconfig_file,
    http: config,
    serviceAccountDir: dir,
    env: deps.env,
  });
  const namespaces = namespacesToWatch(config, conn.via === "in-cluster" ? ownNamespace(config, dir) : "");
  const logger = options.logger.with({ role: config.role });
  if (conn.via === "in-cluster") logger.info("Using pod service account via in-cluster config");
  const events = sdCounter(
    options.registry,
    "prometheus_sd_kubernetes_events_total",
    "The number of Kubernetes events handled.",
    ["role", "event"],
  );
  for (const r of EVENT_ROLES)
    for (const e of ["add", "delete", "update"]) events.inc({ role: r, event: e }, 0);
  const failures = sdCounter(
    options.registry,
    "prometheus_sd_kubernetes_failures_total",
    "The number of failed WATCH/LIST requests.",
  );
  const requests = sdCounter(
    options.registry,
    "prometheus_sd_kubernetes_http_request_total",
    "Total number of HTTP requests to the Kubernetes API by status code.",
    ["status_code"],
  );
  const env: RunEnv = { logger, events, failures, requests, deps };
  return { run: (signal, emit) => runDiscovery(config, conn, namespaces, env, signal, emit) };
}

interface RunEnv {
  readonly logger: Logger;
  readonly events: Counter<"role" | "event">;
  readonly failures: Counter;
  readonly requests: Counter<"status_code">;
  readonly deps: KubernetesDiscovererDeps;
}

async function runDiscovery(
  config: KubernetesSDConfig,
  conn: Connection,
  namespaces: readonly string[],
  env: RunEnv,
  signal: AbortSignal,
  emit: (groups: TargetGroup[]) => void,
): Promise<void> {
  if (signal.aborted) return;
  const spec = ROLE_SPECS[config.role];
  const client = newKubeClient(conn, { onResponse: (code) => env.requests.inc({ status_code: code }) });
  const informerFor = (res: ResourceKind, namespace: string): Informer<KubeObject> => {
    const sel = config.selectors.find((s) => s.role === selectorRoleOf(res));
    return newInformer<KubeObject>({
      client,
      resource: res,
      namespace,
      labelSelector: sel?.label,
      fieldSelector: sel?.field,
      logger: env.logger,
      initialBackoffMs: env.deps.initialBackoffMs,
      onFailure: () => env.failures.inc(),
    });
  };
  const primary = namespaces.map((ns) => informerFor(spec.primary, ns));
  const secondary = new Map<string, Informer<KubeObject>[]>();
  for (const res of spec.secondary)
    secondary.set(
      res.plural,
      namespaces.map((ns) => informerFor(res, ns)),
    );
  const withNode = config.attach_metadata.node && ["pod", "endpoints", "endpointslice"].includes(config.role);
  const withNamespace = config.attach_metadata.namespace && config.role !== "node";
  if (withNode) secondary.set("nodes", [informerFor(RESOURCES.nodes, "")]);
  if (withNamespace) secondary.set("namespaces", [informerFor(RESOURCES.namespaces, "")]);
  const find = (plural: string, namespace: string, name: string) => {
    for (const inf of secondary.get(plural) ?? []) {
      const o = inf.store.get(namespace, name);
      if (o !== undefined) return o;
    }
    return undefined;
  };
  const look: Lookups = {
    pod: (ns, name) => find("pods", ns, name) as V1Pod | undefined,
    service: (ns, name) => find("services", ns, name),
    node: withNode ? (name) => find("nodes", "", name) as V1Node | undefined : undefined,
    namespace: withNamespace ? (name) => find("namespaces", "", name) as V1Namespace | undefined : undefined,
  };
  const sync = newGroupSync(spec, primary, look, signal, emit);
  const eventRole = (res: ResourceKind) => selectorRoleOf(res) ?? res.plural;
  const primaryRole = eventRole(spec.primary);
  const count = (event: string) => env.events.inc({ role: primaryRole, event });
  for (const inf of primary) {
    inf.addHandlers({
      onAdd: (o) => {
        count("add");
        sync.touch(o);
      },
      onUpdate: (_, o) => {
        count("update");
        sync.touch(o);
      },
      onDelete: (o) => {
        count("delete");
        sync.remove(o);
      },
    });
  }
  for (const [plural, infs] of secondary) {
    const res = Object.values(RESOURCES).find((r) => r.plural === plural) as ResourceKind;
    for (const inf of infs) {
      const on = (event: string) => (o: KubeObject) => {
        env.events.inc({ role: eventRole(res), event });
        sync.touchNamespace(res.namespaced ? (o.metadata.namespace ?? "") : undefined);
      };
      inf.addHandlers({ onAdd: on("add"), onUpdate: (_, o) => on("update")(o), onDelete: on("delete") });
    }
  }
  const all = [...primary, ...[...secondary.values()].flat()];
  const runs = all.map((inf) => inf.run(signal));
  const synced = await Promise.all(all.map((inf) => inf.waitForSync(signal)));
  if (!signal.aborted && synced.every(Boolean)) sync.start();
  await Promise.all(runs);
  sync.stop();
  await client.close();
}

interface GroupSync {
  /** Emits every group at once and starts emitting changes. */
  start(): void;
  stop(): void;
  touch(o: KubeObject): void;
  remove(o: KubeObject): void;
  /** Re-builds every group in `namespace` (all groups when undefined). */
  touchNamespace(namespace: string | undefined): void;
}

/** Keeps the last emitted content per source and emits only what changed, batched per macrotask. */
function newGroupSync(
  spec: RoleSpec,
  primary: readonly Informer<KubeObject>[],
  look: Lookups,
  signal: AbortSignal,
  emit: (groups: TargetGroup[]) => void,
): GroupSync {
  const last = new Map<string, string>();
  const dirty = new Map<string, KubeObject | undefined>();
  let started = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (started && timer === undefined) timer = setTimeout(flush, 0);
  };
  function flush(): void {
    timer = undefined;
    if (signal.aborted) return;
    const out: TargetGroup[] = [];
    for (const [source, obj] of dirty) {
      const g = (obj === undefined ? undefined : spec.build(obj, look)) ?? {
        source,
        targets: [],
        labels: {},
      };
      const text = JSON.stringify(g);
      if (last.get(source) === text) continue;
      if (g.targets.length === 0 && obj === undefined) last.delete(source);
      else last.set(source, text);
      out.push(g);
    }
    dirty.clear();
    if (out.length > 0) emit(out);
  }
  const objects = () => primary.flatMap((inf) => inf.store.list());
  return {
    start() {
      started = true;
      for (const o of objects()) dirty.set(spec.source(o), o);
      flush();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      started = false;
    },
    touch(o) {
      dirty.set(spec.source(o), o);
      schedule();
    },
    remove(o) {
      dirty.set(spec.source(o), undefined);
      schedule();
    },
    touchNamespace(namespace) {
      for (const o of objects()) {
        if (namespace === undefined || o.metadata.namespace === namespace) dirty.set(spec.source(o), o);
      }
      schedule();
    },
  };
}

registerSD<KubernetesSDConfig>({
  kind: "kubernetes",
  configKey: "kubernetes_sd_configs",
  schema: kubernetesSDSchema,
  newDiscoverer: (config, options) => newKubernetesDiscoverer(config, options),
});
