/**
 * `vigil server`: upstream's `cmd/prometheus` composition. Storage opens
 * first (WAL replay), then the engine, discovery, scraping and the web
 * handler; the config is applied through one ordered list of reloaders
 * (reload.ts); the server reports ready once the first config is in. Stopping
 * reverses it: the web stops taking requests, scraping stops (writing staleness
 * markers), then storage closes.
 */
import { resolve } from "node:path";
import { Registry } from "prom-client";
import { configToYAML, loadConfigFile } from "../config/config.ts";
import type { Config } from "../config/types.ts";
import { formatDuration } from "../config/units.ts";
import "../discovery/all.ts";
import type { SDConfig } from "../discovery/discovery.ts";
import { DiscoveryManager } from "../discovery/manager.ts";
import type { Logger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { NotifierManager } from "../notifier/manager.ts";
import { sendAlerts } from "../notifier/send_alerts.ts";
import { Engine } from "../promql/engine.ts";
import { registerEngineMetrics } from "../promql/metrics.ts";
import { remoteReadHandler } from "../remote/readhandler.ts";
import { remoteWriteHandler } from "../remote/receiver.ts";
import { RemoteStorage } from "../remote/storage.ts";
import { expandRuleFiles } from "../rules/glob.ts";
import { Manager as RuleManager } from "../rules/manager.ts";
import { ScrapeManager } from "../scrape/manager.ts";
import type { Queryable } from "../storage/interface.ts";
import { DB } from "../tsdb/db.ts";
import { registerDBMetrics } from "../tsdb/metrics.ts";
import { buildInfo } from "../version/info.ts";
import { buildInfoFamily } from "../version/metric.ts";
import type { ApiDeps, RuntimeInfo } from "../web/api/v1/deps.ts";
import { collectSelfMetrics } from "../web/selfmetrics.ts";
import { listenAndServe, type RunningServer } from "../web/toolkit/serve.ts";
import { createWebHandler } from "../web/web.ts";
import type { ServerOptions } from "./flags.ts";
import { ConfigReloader, type Reloader } from "./reload.ts";
import { targetsSource } from "./targets.ts";

/** How often storage compacts the head and applies retention, as upstream's DB loop. */
const COMPACTION_INTERVAL_MS = 60_000;
/** How long a graceful shutdown waits for in-flight requests. */
const SHUTDOWN_GRACE_MS = 5_000;

/** A running `vigil server`. */
export class Server {
  readonly registry = new Registry();
  readonly db: DB;
  readonly engine: Engine;
  readonly scrape: ScrapeManager;
  readonly discovery: DiscoveryManager;
  readonly notifier: NotifierManager;
  readonly rules: RuleManager;
  readonly reloader: ConfigReloader;
  readonly remote: RemoteStorage;
  /** Local storage plus the `remote_read` endpoints: what queries and rules read. */
  readonly queryable: Queryable;
  private readonly opts: ServerOptions;
  private readonly log: Logger;
  private readonly startTime = new Date();
  private http: RunningServer | null = null;
  private compaction: NodeJS.Timeout | null = null;
  private ready = false;
  private stopping = false;
  private config: Config | null = null;
  private configYAML = "";
  private readonly quitRequested: Promise<void>;
  private requestQuit: () => void = () => {};
  /** Where the web server listens, `host:port`, once started. */
  address = "";

  private constructor(opts: ServerOptions, logger: Logger, db: DB) {
    this.opts = opts;
    this.log = logger;
    this.db = db;
    this.quitRequested = new Promise((resolve) => {
      this.requestQuit = resolve;
    });
    registerDBMetrics(db, this.registry);
    this.remote = new RemoteStorage({
      tsdbPath: opts.tsdbPath,
      registry: this.registry,
      logger: logger.with({ component: "remote" }),
      localStartTime: () => db.startTime(),
      metadata: () => this.scrapedMetadata(),
      flushDeadlineMs: opts.remoteFlushDeadlineMs,
    });
    this.queryable = this.remote.queryable(db);
    this.engine = new Engine({
      timeoutMs: opts.queryTimeoutMs,
      maxSamples: opts.queryMaxSamples,
      lookbackDelta: opts.lookbackDeltaMs,
      maxConcurrent: opts.queryMaxConcurrency,
      experimentalFunctions: opts.features.has("promql-experimental-functions"),
      enableDelayedNameRemoval: opts.features.has("promql-delayed-name-removal"),
    });
    registerEngineMetrics(this.engine, this.registry);
    this.discovery = new DiscoveryManager({
      logger: logger.with({ component: "discovery manager scrape" }),
      registry: this.registry,
      name: "scrape",
      updateIntervalMs: opts.discoveryReloadIntervalMs,
    });
    this.scrape = new ScrapeManager({
      appendable: db,
      registry: this.registry,
      logger,
      offsetSeed: 0,
    });
    this.discovery.onUpdate((sets) => this.scrape.sync(sets));
    this.notifier = new NotifierManager({
      registry: this.registry,
      logger: logger.with({ component: "notifier" }),
      queueCapacity: opts.notificationQueueCapacity,
      maxBatchSize: opts.notificationBatchSize,
      drainOnShutdown: opts.drainNotificationQueue,
    });
    const externalURL = new URL(opts.externalUrl);
    this.rules = new RuleManager({
      engine: this.engine,
      queryable: this.queryable,
      appendable: db,
      notify: sendAlerts(this.notifier, opts.externalUrl.replace(/\/+$/, "")),
      externalURL,
      resendDelayMs: opts.resendDelayMs,
      outageToleranceMs: opts.outageToleranceMs,
      forGracePeriodMs: opts.forGracePeriodMs,
      defaultRuleQueryOffsetMs: () => this.config?.global.rule_query_offset ?? 0,
      registry: this.registry,
      logger: logger.with({ component: "rule manager" }),
      experimentalFunctions: opts.features.has("promql-experimental-functions"),
    });
    const configFile = resolve(opts.configFile);
    this.reloader = new ConfigReloader({
      file: opts.configFile,
      load: () => loadConfigFile(configFile),
      reloaders: this.reloaders(),
      logger,
      registry: this.registry,
    });
  }

  /** Upstream's reloader order: remote storage, web, notifier, scrape, scrape discovery, rules. */
  private reloaders(): Reloader[] {
    return [
      { name: "remote_storage", apply: (config) => this.remote.applyConfig(config) },
      {
        name: "web handler",
        apply: (config) => {
          this.config = config;
          this.configYAML = configToYAML(config);
        },
      },
      { name: "notify", apply: (config) => this.notifier.applyConfig(config) },
      {
        name: "scrape",
        apply: (config) => this.scrape.applyConfig(config),
      },
      { name: "scrape sd", apply: (config) => this.discovery.applyConfig(scrapeDiscoverySets(config)) },
      {
        name: "rules",
        apply: async (config) =>
          this.rules.update(
            config.global.evaluation_interval,
            await expandRuleFiles(config.rule_files),
            config.global.external_labels ?? {},
            this.opts.externalUrl,
          ),
      },
    ];
  }

  /**
   * Opens storage, applies the config file and starts serving. Rejects (and
   * releases what it opened) when storage cannot open, the config is invalid
   * or the address cannot be bound.
   */
  static async start(
    opts: ServerOptions,
    logger: Logger,
    hooks: { onListening?(address: string): void } = {},
  ): Promise<Server> {
    const db = DB.open(opts.tsdbPath, {
      retentionMs: opts.retentionMs,
      retentionBytes: opts.retentionBytes,
      minBlockDuration: opts.minBlockDurationMs,
      maxBlockDuration: opts.maxBlockDurationMs,
      logger: logger.with({ component: "tsdb" }),
    });
    const server = new Server(opts, logger, db);
    try {
      await server.listen();
      hooks.onListening?.(server.address);
      void server.discovery.run();
      await server.reloader.reload();
      void server.notifier.run();
      server.rules.run();
      server.compaction = setInterval(() => server.compact(), COMPACTION_INTERVAL_MS);
      server.compaction.unref();
      server.ready = true;
      logger.info("Server is ready to receive web requests.");
    } catch (err) {
      await server.close();
      throw err;
    }
    return server;
  }

  private async listen(): Promise<void> {
    const web = createWebHandler({
      api: this.apiDeps(),
      registry: this.registry,
      logger: this.log.with({ component: "web" }),
      externalUrl: this.opts.externalUrl,
      routePrefix: this.opts.routePrefix,
      enableLifecycle: this.opts.enableLifecycle,
      corsOrigin: this.opts.corsOrigin,
      lookbackDelta: this.opts.lookbackDeltaMs,
      externalLabels: () => Labels.fromObject(this.config?.global.external_labels ?? {}),
      reload: () => this.reloader.reload(),
      quit: () => this.requestQuit(),
      stopping: () => this.stopping,
      selfMetrics: () => [buildInfoFamily("prometheus"), ...collectSelfMetrics()],
    });
    this.http = await listenAndServe(
      web.handle,
      this.opts.listenAddress,
      this.log.with({ component: "web" }),
      this.opts.webConfigFile,
      {
        readTimeoutMs: this.opts.readTimeoutMs,
        maxConnections: this.opts.maxConnections,
      },
    );
    this.address = this.http.address;
  }

  private apiDeps(): ApiDeps {
    const external = new URL(this.opts.externalUrl);
    const global = {
      listenAddress: this.opts.listenAddress,
      host: external.host,
      scheme: external.protocol.slice(0, -1),
    };
    const log = this.log.with({ component: "web" });
    return {
      queryable: this.queryable,
      engine: this.engine,
      targets: targetsSource(this.scrape, global),
      rules: this.rules,
      alertmanagers: this.notifier.source(),
      tsdb: this.db,
      config: () => this.configYAML,
      flags: () => this.opts.flagValues,
      runtimeInfo: () => this.runtimeInfo(),
      buildInfo: buildInfo(),
      ready: () => this.ready,
      enableAdminApi: this.opts.enableAdminApi,
      remoteWriteHandler: this.opts.enableRemoteWriteReceiver
        ? remoteWriteHandler({ appendable: this.db, logger: log })
        : undefined,
      remoteReadHandler: remoteReadHandler({
        queryable: this.db,
        logger: log,
        registry: this.registry,
        sampleLimit: this.opts.remoteReadSampleLimit,
        concurrentLimit: this.opts.remoteReadConcurrentLimit,
        maxBytesInFrame: this.opts.remoteReadMaxBytesInFrame,
        externalLabels: () => Labels.fromObject(this.config?.global.external_labels ?? {}),
      }),
    };
  }

  /** Metadata of every active target's families, for remote write's `metadata_config`. */
  private *scrapedMetadata(): Generator<{ metric: string; type: string; help: string; unit: string }> {
    const seen = new Set<string>();
    for (const targets of this.scrape.targetsActive().values()) {
      for (const t of targets) {
        for (const m of t.metadata()) {
          const key = `${m.metric}\xff${m.type}\xff${m.help}\xff${m.unit}`;
          if (seen.has(key)) continue;
          seen.add(key);
          yield m;
        }
      }
    }
  }

  private runtimeInfo(): RuntimeInfo {
    const state = this.reloader.current;
    return {
      startTime: this.startTime,
      CWD: process.cwd(),
      reloadConfigSuccess: state?.lastSuccess ?? false,
      lastConfigTime: new Date(state?.lastSuccessTime ?? 0),
      corruptionCount: this.db.metrics.walCorruptionsTotal,
      goroutineCount: process.getActiveResourcesInfo().length,
      GOMAXPROCS: 1,
      GOMEMLIMIT: 0,
      GOGC: "",
      GODEBUG: "",
      storageRetention: retentionText(this.opts),
    };
  }

  private compact(): void {
    try {
      this.db.compact();
    } catch (err) {
      this.log.error("compaction failed", { component: "tsdb", err });
    }
  }

  /** Resolves when `/-/quit` asks the server to stop. */
  quitSignal(): Promise<void> {
    return this.quitRequested;
  }

  /** Reloads the config file (SIGHUP, `/-/reload`); rejects with the reason and keeps the old config. */
  reload(): Promise<void> {
    return this.reloader.reload();
  }

  /** Stops everything, in reverse order of start. */
  async close(): Promise<void> {
    this.stopping = true;
    this.ready = false;
    if (this.compaction !== null) clearInterval(this.compaction);
    const closed = this.http === null ? Promise.resolve() : this.http.close(SHUTDOWN_GRACE_MS);
    await this.rules.stop();
    await this.notifier.stop();
    await this.discovery.stop();
    await this.scrape.stop();
    await this.remote.close();
    await closed;
    await this.db.close();
  }
}

/** `job_name → SD configs` of every scrape config, for the scrape discovery manager. */
export function scrapeDiscoverySets(config: Config): Map<string, readonly SDConfig[]> {
  return new Map(config.scrape_configs.map((sc) => [sc.job_name, sc.service_discovery_configs]));
}

function retentionText(opts: ServerOptions): string {
  const parts: string[] = [];
  if (opts.retentionMs > 0) parts.push(formatDuration(opts.retentionMs));
  if (opts.retentionBytes > 0) parts.push(`${opts.retentionBytes}B`);
  return parts.join(" or ");
}
