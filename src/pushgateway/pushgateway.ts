/**
 * A running Pushgateway: the store (restored from its persistence file), the
 * own metrics, the HTTP handler served on every listen address through the
 * exporter-toolkit equivalent (TLS and basic auth from `--web.config.file`).
 * `vigil pushgateway` and `vigil start` compose it the same way.
 */

import { performance } from "node:perf_hooks";
import { Registry } from "prom-client";
import type { MetricFamily } from "../exposition/types.ts";
import { type Logger, nopLogger } from "../log/log.ts";
import { buildInfo } from "../version/info.ts";
import { buildInfoFamily } from "../version/metric.ts";
import { collectSelfMetrics } from "../web/selfmetrics.ts";
import { listenAndServe, type RunningServer } from "../web/toolkit/serve.ts";
import { computeRoutePrefix, createHandler } from "./handler.ts";
import { expositionFamilies, newPushgatewayMetrics } from "./selfmetrics.ts";
import { MetricStore } from "./store.ts";
import { ownFamilies, type PushgatewayWebOptions } from "./web.ts";

/** Everything `vigil pushgateway`'s flags configure. */
export interface PushgatewayOptions {
  /** `--web.listen-address` (repeatable); `host:port`, port 0 for a free one. */
  readonly listenAddresses: readonly string[];
  readonly webConfigFile?: string;
  readonly telemetryPath?: string;
  readonly externalUrl?: string;
  readonly routePrefix?: string;
  readonly enableLifecycle?: boolean;
  readonly enableAdminApi?: boolean;
  /** Empty keeps metrics in memory only. */
  readonly persistenceFile?: string;
  readonly persistenceIntervalMs?: number;
  readonly disableConsistencyCheck?: boolean;
  readonly utf8Names?: boolean;
  /** Flag values as `/api/v1/status` reports them. */
  readonly flags?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** Registry for the own metrics; a fresh one by default. */
  readonly registry?: Registry;
  /** The web UI's build directory; default `ui/dist`. */
  readonly uiDir?: string;
}

/** A started Pushgateway. */
export interface RunningPushgateway {
  /** Bound addresses in Go's `host:port` form, in the order given. */
  readonly addresses: readonly string[];
  /** Bound ports, in the order given. */
  readonly ports: readonly number[];
  readonly store: MetricStore;
  /** Resolves when `/-/quit` was accepted (with `--web.enable-lifecycle`). */
  readonly quit: Promise<void>;
  /** Stops serving, then writes the persistence file a last time. */
  close(): Promise<void>;
}

/** The process and Node.js families of `vigil`'s own metrics, with `pushgateway_build_info`. */
export function processFamilies(): MetricFamily[] {
  return [
    buildInfoFamily("pushgateway"),
    ...collectSelfMetrics().filter((f) => f.name !== "vigil_build_info"),
  ];
}

/** Restores the store, then listens; rejects with a listen or web config error (after closing what started). */
export async function startPushgateway(options: PushgatewayOptions): Promise<RunningPushgateway> {
  const logger = options.logger ?? nopLogger;
  const registry = options.registry ?? new Registry();
  const store = new MetricStore({
    persistenceFile: options.persistenceFile ?? "",
    persistenceIntervalMs: options.persistenceIntervalMs,
    logger,
    utf8Names: options.utf8Names,
  });
  await store.restore();
  let onQuit: () => void = () => {};
  const quit = new Promise<void>((resolve) => {
    onQuit = resolve;
  });
  const info = buildInfo();
  const web: PushgatewayWebOptions = {
    store,
    registry,
    metrics: newPushgatewayMetrics(registry),
    logger,
    telemetryPath: options.telemetryPath ?? "/metrics",
    routePrefix: computeRoutePrefix(options.routePrefix ?? "", options.externalUrl ?? ""),
    enableLifecycle: options.enableLifecycle ?? false,
    enableAdminApi: options.enableAdminApi ?? false,
    checkConsistency: !(options.disableConsistencyCheck ?? false),
    utf8Names: options.utf8Names ?? false,
    uiDir: options.uiDir,
    status: {
      flags: options.flags ?? {},
      buildInformation: {
        version: info.version,
        revision: info.revision,
        branch: info.branch,
        buildUser: info.buildUser,
        buildDate: info.buildDate,
        goVersion: info.nodeVersion,
      },
      startTimeMicros: Math.round((performance.timeOrigin + performance.now()) * 1000),
    },
    processFamilies: () => expositionFamilies(processFamilies()),
    onQuit: () => onQuit(),
  };
  store.setPredefinedHelp(await ownFamilies(web));
  const handler = createHandler(web);
  const servers: RunningServer[] = [];
  try {
    for (const address of options.listenAddresses) {
      servers.push(await listenAndServe(handler, address, logger, options.webConfigFile ?? ""));
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    await store.shutdown();
    throw err;
  }
  return {
    addresses: servers.map((s) => s.address),
    ports: servers.map((s) => s.port),
    store,
    quit,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
      await store.shutdown();
    },
  };
}
