/**
 * The Alertmanager process as upstream's `cmd/alertmanager/main.go`
 * composes it: notification log and silences (snapshots under
 * `--storage.path`, periodic maintenance), marker, alert store, the config
 * coordinator (see `coordinator.ts`) running one {@link Runtime} per loaded
 * config, API v2 and the web endpoints. Single instance: no gossip cluster.
 */
import { mkdir } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import type { Logger } from "../../log/log.ts";
import { buildInfo } from "../../version/info.ts";
import { buildInfoFamily } from "../../version/metric.ts";
import { parseListenAddress } from "../../web/listen.ts";
import { gatherFamilies } from "../../web/metrics.ts";
import { collectSelfMetrics } from "../../web/selfmetrics.ts";
import { listenAndServe, type RunningServer } from "../../web/toolkit/serve.ts";
import { createAPIv2Handler } from "../api/api.ts";
import type { VersionInfo } from "../api/deps.ts";
import { newDispatcherMetrics } from "../dispatch/metrics.ts";
import { MemMarker } from "../marker/marker.ts";
import { initMatcherParsing } from "../matcher/compat.ts";
import { NotificationLog } from "../nflog/nflog.ts";
import { newNotifyMetrics } from "../notify/metrics.ts";
import { AlertStore } from "../provider/alerts.ts";
import { Silences } from "../silence/silences.ts";
import { ConfigCoordinator } from "./coordinator.ts";
import type { AlertmanagerOptions } from "./flags.ts";
import { newServerMetrics } from "./metrics.ts";
import { createWebHandler, normalizeRoutePrefix } from "./web.ts";

/** Upstream's `extURL`: `--web.external-url`, or `http://<hostname>:<listen port>/`; the path without a trailing slash. */
export function externalURL(listen: string, external: string, hostname: string): string {
  let raw = external;
  if (raw === "") raw = `http://${hostname}:${parseListenAddress(listen).port}/`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch (err) {
    throw new Error(`parse ${JSON.stringify(raw)}: invalid URI for request`, { cause: err });
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https")
    throw new Error(`"${raw}": invalid "${scheme}" scheme, only 'http' and 'https' are supported`);
  const path = u.pathname.replace(/\/+$/, "");
  return `${u.protocol}//${u.host}${path}`;
}

function versionInfo(): VersionInfo {
  const b = buildInfo();
  return {
    version: b.version,
    revision: b.revision,
    branch: b.branch,
    buildUser: b.buildUser,
    buildDate: b.buildDate,
    goVersion: b.nodeVersion,
  };
}

/** A running Alertmanager. */
export class Alertmanager {
  readonly registry: Registry;
  readonly externalURL: string;
  readonly #server: RunningServer;
  readonly #coordinator: ConfigCoordinator;
  readonly #alerts: AlertStore;
  readonly #silences: Silences;
  readonly #nflog: NotificationLog;
  #closed: Promise<void> | undefined;

  private constructor(parts: {
    registry: Registry;
    externalURL: string;
    server: RunningServer;
    coordinator: ConfigCoordinator;
    alerts: AlertStore;
    silences: Silences;
    nflog: NotificationLog;
  }) {
    this.registry = parts.registry;
    this.externalURL = parts.externalURL;
    this.#server = parts.server;
    this.#coordinator = parts.coordinator;
    this.#alerts = parts.alerts;
    this.#silences = parts.silences;
    this.#nflog = parts.nflog;
  }

  /** The bound address, e.g. `127.0.0.1:41234`. */
  get address(): string {
    return this.#server.address;
  }

  /** The bound port. */
  get port(): number {
    return this.#server.port;
  }

  /**
   * Starts everything: loads the snapshots, applies the config (rejecting
   * when it does not load, before the port is opened), then listens.
   */
  static async start(
    opts: AlertmanagerOptions,
    logger: Logger,
    hostname = osHostname(),
  ): Promise<Alertmanager> {
    initMatcherParsing(opts.matcherMode, logger);
    await mkdir(opts.storagePath, { recursive: true }).catch((err: unknown) => {
      throw new Error(`Unable to create data directory: ${(err as Error).message}`, { cause: err });
    });
    const registry = new Registry();
    const metrics = newServerMetrics(registry);
    const nflogFile = join(opts.storagePath, "nflog");
    const nflog = new NotificationLog({
      retention: opts.retentionMs,
      registry,
      logger: logger.with({ component: "nflog" }),
    });
    await nflog.loadSnapshot(nflogFile).catch((err: unknown) => {
      throw new Error(`error creating notification log: ${(err as Error).message}`, { cause: err });
    });
    nflog.startMaintenance(opts.maintenanceIntervalMs, nflogFile);
    const marker = new MemMarker(registry);
    const silencesFile = join(opts.storagePath, "silences");
    const silences = new Silences({
      retention: opts.retentionMs,
      registry,
      logger: logger.with({ component: "silences" }),
    });
    try {
      await silences.loadSnapshot(silencesFile);
    } catch (err) {
      await nflog.stop();
      throw new Error(`error creating silence: ${(err as Error).message}`, { cause: err });
    }
    silences.startMaintenance(opts.maintenanceIntervalMs, silencesFile);
    const alerts = new AlertStore({ marker, gcInterval: opts.alertGCIntervalMs, registry, logger });
    const extURL = externalURL(opts.listenAddress, opts.externalURL, hostname);
    logger.debug("external url", { externalUrl: extURL });
    const coordinator = new ConfigCoordinator(opts.configFile, metrics, logger, {
      alerts,
      marker,
      silences,
      nflog,
      notifyMetrics: newNotifyMetrics(registry),
      dispatcherMetrics: newDispatcherMetrics(registry),
      logger,
      externalURL: extURL,
      retentionMs: opts.retentionMs,
      dispatchMaintenanceIntervalMs: opts.dispatchMaintenanceIntervalMs,
    });
    const cleanup = async (): Promise<void> => {
      await coordinator.stop();
      alerts.close();
      await Promise.all([silences.stop(), nflog.stop()]);
    };
    try {
      await coordinator.reload();
    } catch (err) {
      await cleanup();
      throw err;
    }
    const api = createAPIv2Handler({
      alerts,
      silences,
      marker,
      groupMarker: marker,
      groups: { groups: (rf, af) => coordinator.groups(rf, af) },
      current: () => coordinator.apiConfig(),
      versionInfo: versionInfo(),
      uptime: Date.now(),
      logger: logger.with({ component: "api", version: "v2" }),
      registry,
    });
    const routePrefix = normalizeRoutePrefix(
      opts.routePrefix === "" ? new URL(extURL).pathname : opts.routePrefix,
    );
    logger.debug("route prefix", { routePrefix });
    const handler = createWebHandler({
      routePrefix,
      api,
      reload: () => coordinator.reload(),
      gather: () =>
        gatherFamilies(registry, () => [
          buildInfoFamily("alertmanager"),
          ...collectSelfMetrics().filter((f) => f.name !== "vigil_build_info"),
        ]),
      metrics,
      getConcurrency: opts.getConcurrency,
      timeoutMs: opts.webTimeoutMs,
      externalURL: extURL,
      logger: logger.with({ component: "api", version: "v1" }),
    });
    let server: RunningServer;
    try {
      server = await listenAndServe(handler, opts.listenAddress, logger, opts.webConfigFile);
    } catch (err) {
      await cleanup();
      throw err;
    }
    return new Alertmanager({ registry, externalURL: extURL, server, coordinator, alerts, silences, nflog });
  }

  /** Reloads the config file (SIGHUP, `POST /-/reload`); rejects with the reason when refused, keeping the old one. */
  reload(): Promise<void> {
    return this.#coordinator.reload();
  }

  /** Stops serving, stops the dispatcher and inhibitor, writes the silences and nflog snapshots. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#server.close(1000);
      await this.#coordinator.stop();
      this.#alerts.close();
      await Promise.all([this.#silences.stop(), this.#nflog.stop()]);
    })();
    return this.#closed;
  }
}
