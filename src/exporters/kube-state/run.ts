/**
 * Starts kube-state-metrics: one reflector per enabled resource and watched
 * namespace feeding the exporter's stores, and the two HTTP servers.
 */

import type { RequestOptions } from "node:https";
import { newKubeConfig } from "../../kubernetes/config.ts";
import type { Logger } from "../../log/log.ts";
import { listenAndServe, type RunningServer } from "../../web/toolkit/serve.ts";
import { KubeStateExporter } from "./exporter.ts";
import { denylistSelector } from "./flags.ts";
import type { AllowList } from "./labels.ts";
import type { ResourceDef } from "./resource.ts";
import { metricsHandler, telemetryHandler } from "./server.ts";
import { type ApiClient, apiClient, runReflector } from "./source.ts";
import { Telemetry } from "./telemetry.ts";

/** Everything `vigil kube-state-metrics` runs with. */
export interface KubeStateOptions {
  readonly resources: readonly ResourceDef[];
  /** Namespaces to watch; empty for all. */
  readonly namespaces: readonly string[];
  readonly namespacesDenylist: readonly string[];
  readonly labelsAllowList: AllowList;
  readonly annotationsAllowList: AllowList;
  readonly client: ApiClient;
  /** `host:port` of the metrics server and of the telemetry server. */
  readonly listen: string;
  readonly telemetryListen: string;
  readonly gzip: boolean;
  readonly logger: Logger;
  readonly retryMs?: number;
}

/** A running exporter; `close` stops watches and servers. */
export interface RunningKubeState {
  readonly exporter: KubeStateExporter;
  readonly telemetry: Telemetry;
  readonly metricsServer: RunningServer;
  readonly telemetryServer: RunningServer;
  /** Resolves once every reflector listed once (or when closed). */
  readonly synced: Promise<void>;
  close(): Promise<void>;
}

/**
 * An API client from `--apiserver` / `--kubeconfig` the way upstream picks
 * one: a kubeconfig file when given, else in-cluster config when running in
 * a pod, else `$KUBECONFIG`/`~/.kube/config`; `--apiserver` overrides the
 * server URL (alone, it is used without credentials).
 */
export async function clientFromFlags(apiserver: string, kubeconfig: string): Promise<ApiClient> {
  const kc = newKubeConfig();
  if (kubeconfig !== "") kc.loadFromFile(kubeconfig);
  else if (apiserver !== "") return apiClient(apiserver);
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  const cluster = kc.getCurrentCluster();
  const server = apiserver !== "" ? apiserver : cluster?.server;
  if (server === undefined || server === "")
    throw new Error("no API server: set --apiserver or --kubeconfig");
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return apiClient(server, opts);
}

/** Starts the exporter; rejects when a server cannot listen. */
export async function startKubeStateMetrics(o: KubeStateOptions): Promise<RunningKubeState> {
  const exporter = new KubeStateExporter(o);
  const telemetry = new Telemetry();
  const abort = new AbortController();
  const scopes = o.namespaces.length === 0 ? [""] : o.namespaces;
  let pending = 0;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  const reflectors: Promise<void>[] = [];
  for (const def of o.resources) {
    for (const namespace of def.namespaced ? scopes : [""]) {
      pending++;
      let first = true;
      reflectors.push(
        runReflector(
          {
            def,
            client: o.client,
            sink: exporter.store(def.name),
            namespace,
            fieldSelector: def.namespaced ? denylistSelector(o.namespacesDenylist) : "",
            telemetry,
            logger: o.logger,
            retryMs: o.retryMs,
            onSynced: () => {
              if (!first) return;
              first = false;
              if (--pending === 0) markSynced();
            },
          },
          abort.signal,
        ),
      );
    }
  }
  if (pending === 0) markSynced();
  let ready = false;
  void synced.then(() => (ready = true));
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
    await Promise.all(servers.map((s) => s.close(0)));
    throw err;
  }
  return {
    exporter,
    telemetry,
    metricsServer: servers[0]!,
    telemetryServer: servers[1]!,
    synced: Promise.race([
      synced,
      new Promise<void>((r) => abort.signal.addEventListener("abort", () => r())),
    ]),
    async close() {
      abort.abort();
      await Promise.all([...servers.map((s) => s.close()), ...reflectors]);
    },
  };
}
