/**
 * Starts kube-state-metrics: one shared informer (`src/kubernetes`) per
 * enabled resource and watched namespace feeding the exporter's stores, and
 * the two HTTP servers.
 */
import { type KubeClient, newKubeClient } from "../../kubernetes/client.ts";
import {
  type Connection,
  fromKubeConfig,
  newKubeConfig,
  resolveConnection,
} from "../../kubernetes/config.ts";
import { type Informer, newInformer } from "../../kubernetes/informer.ts";
import type { KubeObject as WireObject } from "../../kubernetes/objects.ts";
import type { ResourceKind } from "../../kubernetes/resources.ts";
import type { Logger } from "../../log/log.ts";
import { listenAndServe, type RunningServer } from "../../web/toolkit/serve.ts";
import type { KubeObject } from "./common.ts";
import { KubeStateExporter } from "./exporter.ts";
import { denylistSelector } from "./flags.ts";
import type { AllowList } from "./labels.ts";
import type { ResourceDef } from "./resource.ts";
import { metricsHandler, telemetryHandler } from "./server.ts";
import { type MetricsStore, objectKey } from "./store.ts";
import { Telemetry } from "./telemetry.ts";

/** Everything `vigil kube-state-metrics` runs with. */
export interface KubeStateOptions {
  readonly resources: readonly ResourceDef[];
  /** Namespaces to watch; empty for all. */
  readonly namespaces: readonly string[];
  readonly namespacesDenylist: readonly string[];
  readonly labelsAllowList: AllowList;
  readonly annotationsAllowList: AllowList;
  readonly client: KubeClient;
  /** `host:port` of the metrics server and of the telemetry server. */
  readonly listen: string;
  readonly telemetryListen: string;
  readonly gzip: boolean;
  readonly logger: Logger;
  /** First back-off after a failed list or watch, ms (the informer's default 800, doubling to 30 s). */
  readonly retryMs?: number;
}

/** A running exporter; `close` stops watches and servers and closes the client. */
export interface RunningKubeState {
  readonly exporter: KubeStateExporter;
  readonly telemetry: Telemetry;
  readonly metricsServer: RunningServer;
  readonly telemetryServer: RunningServer;
  /** Resolves once every informer listed once (or when closed). */
  readonly synced: Promise<void>;
  close(): Promise<void>;
}

/**
 * The API connection from `--apiserver` / `--kubeconfig` the way upstream
 * (`clientcmd.BuildConfigFromFlags`) picks one: a kubeconfig file when
 * given (`--apiserver` then overrides its server URL); `--apiserver` alone,
 * used without credentials; else in-cluster config when running in a pod,
 * else `$KUBECONFIG`/`~/.kube/config`.
 */
export function connectionFromFlags(apiserver: string, kubeconfig: string): Connection {
  if (kubeconfig !== "") {
    const conn = resolveConnection({ kubeconfigFile: kubeconfig });
    return apiserver === "" ? conn : { ...conn, server: apiserver.replace(/\/+$/, "") };
  }
  if (apiserver !== "") return resolveConnection({ apiServer: apiserver });
  if (process.env.KUBERNETES_SERVICE_HOST) return resolveConnection({});
  const kc = newKubeConfig();
  kc.loadFromDefault();
  return fromKubeConfig(kc, "kubeconfig");
}

/** A client for {@link connectionFromFlags}; throws when no API server can be determined. */
export async function clientFromFlags(apiserver: string, kubeconfig: string): Promise<KubeClient> {
  return newKubeClient(connectionFromFlags(apiserver, kubeconfig));
}

/** The shared client layer's view of a kube-state resource. */
export function resourceKind(def: ResourceDef): ResourceKind {
  return {
    group: def.group,
    version: def.version,
    plural: def.name,
    kind: def.kind,
    namespaced: def.namespaced,
  };
}

/**
 * Connects an informer's changes to a metrics store: adds and updates
 * re-render the object (an object re-created under the same name with a new
 * uid first drops the old one's lines), deletes forget it.
 */
export function feedStore(informer: Informer<WireObject>, sink: MetricsStore, scope: string): void {
  informer.addHandlers({
    onAdd: (obj) => sink.upsert(obj as KubeObject, scope),
    onUpdate: (old, obj) => {
      if (objectKey(old as KubeObject) !== objectKey(obj as KubeObject)) sink.delete(old as KubeObject);
      sink.upsert(obj as KubeObject, scope);
    },
    onDelete: (obj) => sink.delete(obj as KubeObject),
  });
}

/** Starts the exporter; rejects when a server cannot listen. */
export async function startKubeStateMetrics(o: KubeStateOptions): Promise<RunningKubeState> {
  const exporter = new KubeStateExporter(o);
  const telemetry = new Telemetry();
  const abort = new AbortController();
  const scopes = o.namespaces.length === 0 ? [""] : o.namespaces;
  const informers: Informer<WireObject>[] = [];
  for (const def of o.resources) {
    for (const namespace of def.namespaced ? scopes : [""]) {
      const informer = newInformer<WireObject>({
        client: o.client,
        resource: resourceKind(def),
        namespace,
        fieldSelector: def.namespaced ? denylistSelector(o.namespacesDenylist) : "",
        initialBackoffMs: o.retryMs,
        logger: o.logger,
        onCall: (call, err) => telemetry[call](def, err === undefined ? "success" : "error"),
      });
      feedStore(informer, exporter.store(def.name), namespace);
      informers.push(informer);
    }
  }
  const runs = informers.map((i) => i.run(abort.signal));
  let ready = false;
  const synced = Promise.all(informers.map((i) => i.waitForSync(abort.signal))).then((done) => {
    ready = done.every(Boolean);
  });
  const servers: RunningServer[] = [];
  try {
    servers.push(await listenAndServe(metricsHandler(exporter, o.gzip), o.listen, o.logger));
    servers.push(
      await listenAndServe(
        telemetryHandler(telemetry, () => ready),
        o.telemetryListen,
        o.logger,
      ),
    );
  } catch (err) {
    abort.abort();
    await Promise.all([...servers.map((s) => s.close(0)), ...runs]);
    throw err;
  }
  return {
    exporter,
    telemetry,
    metricsServer: servers[0]!,
    telemetryServer: servers[1]!,
    synced,
    async close() {
      abort.abort();
      await Promise.all([...servers.map((s) => s.close()), ...runs]);
      await o.client.close();
    },
  };
}
