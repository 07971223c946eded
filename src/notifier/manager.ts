/**
 * Upstream's notifier `Manager`: a bounded queue of alerts (oldest dropped
 * when full), a send loop posting batches of at most 256 alerts to every
 * discovered Alertmanager of every set concurrently, and its own discovery
 * manager ("notify") feeding each set's endpoints. `applyConfig` swaps sets
 * on a running manager; queued alerts stay queued.
 */
import type { Registry } from "prom-client";
import type { Dispatcher } from "undici";
import { newDispatcher } from "../config/client.ts";
import type { AlertmanagerConfig, Config, HTTPClientConfig } from "../config/types.ts";
import type { TargetGroup } from "../discovery/discovery.ts";
import { DiscoveryManager } from "../discovery/manager.ts";
import { type Logger, nopLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import type { RelabelConfig } from "../relabel/relabel.ts";
import { buildInfo } from "../version/info.ts";
import { type Alert, relabelAlerts } from "./alert.ts";
import { type NotifierMetrics, newNotifierMetrics } from "./metrics.ts";
import { sendAll } from "./send_all.ts";
import { AlertmanagerSet } from "./set.ts";

/** Upstream's `DefaultMaxBatchSize`. */
export const DEFAULT_MAX_BATCH_SIZE = 256;
/** Upstream's `--alertmanager.notification-queue-capacity` default. */
export const DEFAULT_QUEUE_CAPACITY = 10_000;

/** Options of a {@link NotifierManager}. */
export interface NotifierOptions {
  readonly registry: Registry;
  readonly logger?: Logger;
  /** Alerts the queue holds before dropping the oldest; default 10000. */
  readonly queueCapacity?: number;
  /** Send what is queued before `stop` resolves (upstream's flag, default true); else count it dropped. */
  readonly drainOnShutdown?: boolean;
  /** Alerts per request; default 256 (`--alertmanager.notification-batch-size`). */
  readonly maxBatchSize?: number;
  /** External labels until the first `applyConfig` (which takes them from `global`). */
  readonly externalLabels?: Labels;
  /** Makes a set's connection pool; default `newDispatcher` of `src/config/client.ts`. */
  readonly newDispatcher?: (cfg: HTTPClientConfig) => Dispatcher;
  /** Default `Vigil/<version>`. */
  readonly userAgent?: string;
  /** Minimum time between two discovery deliveries, ms; default 5000 as upstream. */
  readonly discoveryUpdateIntervalMs?: number;
}

/** Sends alerts to the configured Alertmanagers; see the module comment. */
export class NotifierManager {
  readonly #logger: Logger;
  readonly #metrics: NotifierMetrics;
  readonly #capacity: number;
  readonly #batchSize: number;
  readonly #drain: boolean;
  readonly #newDispatcher: (cfg: AlertmanagerConfig) => Dispatcher;
  readonly #userAgent: string;
  readonly #discovery: DiscoveryManager;
  #queue: Alert[] = [];
  #externalLabels: Labels;
  #relabel: readonly RelabelConfig[] = [];
  #sets = new Map<string, AlertmanagerSet>();
  #wake: (() => void) | undefined;
  #stopRequested = false;
  #running: Promise<void> | undefined;
  /** The batch being sent (settled when none). */
  #batch: Promise<unknown> = Promise.resolve();
  /** Pools of replaced sets being closed. */
  #closing: Promise<unknown> = Promise.resolve();

  constructor(opts: NotifierOptions) {
    this.#logger = opts.logger ?? nopLogger;
    this.#capacity = opts.queueCapacity ?? DEFAULT_QUEUE_CAPACITY;
    this.#batchSize = opts.maxBatchSize && opts.maxBatchSize > 0 ? opts.maxBatchSize : DEFAULT_MAX_BATCH_SIZE;
    this.#drain = opts.drainOnShutdown ?? true;
    this.#externalLabels = opts.externalLabels ?? Labels.EMPTY;
    this.#userAgent = opts.userAgent ?? `Vigil/${buildInfo().version}`;
    const make = opts.newDispatcher ?? ((cfg: HTTPClientConfig) => newDispatcher(cfg));
    this.#newDispatcher = (cfg) => {
      if (cfg.sigv4 !== undefined) throw new Error("sigv4 is not supported");
      return make(cfg);
    };
    this.#metrics = newNotifierMetrics(opts.registry, {
      queueCapacity: this.#capacity,
      queueLength: () => this.#queue.length,
      alertmanagersDiscovered: () => this.alertmanagers().length,
    });
    this.#discovery = new DiscoveryManager({
      logger: this.#logger.with({ component: "discovery manager notify" }),
      registry: opts.registry,
      name: "notify",
      updateIntervalMs: opts.discoveryUpdateIntervalMs,
    });
    this.#discovery.onUpdate((all) => this.#sync(all));
  }

  /**
   * Takes external labels and `alert_relabel_configs` from `config`, makes one
   * set per `alertmanagers` entry (`config-0`, `config-1`, …; a set whose
   * config is unchanged keeps its endpoints until discovery reports again) and
   * hands their SD configs to the notify discovery manager. Throws, changing
   * nothing, when a set's HTTP client cannot be made (unreadable TLS file,
   * `oauth2`, `sigv4`).
   */
  async applyConfig(config: Config): Promise<void> {
    const sets = new Map<string, AlertmanagerSet>();
    const byKey = new Map<string, AlertmanagerSet>();
    for (const s of this.#sets.values()) byKey.set(s.key, s);
    try {
      config.alerting.alertmanagers.forEach((cfg, i) => {
        const set = new AlertmanagerSet(cfg, this.#newDispatcher(cfg), this.#logger, this.#metrics);
        sets.set(`config-${i}`, set);
        const old = byKey.get(set.key);
        if (old !== undefined) set.adopt(old);
      });
    } catch (err) {
      this.#close([...sets.values()]);
      throw err;
    }
    this.#externalLabels = Labels.fromObject(config.global.external_labels);
    this.#relabel = config.alerting.alert_relabel_configs;
    const old = [...this.#sets.values()];
    this.#sets = sets;
    this.#close(old);
    const sd = new Map<string, AlertmanagerConfig["service_discovery_configs"]>();
    for (const [name, set] of sets) sd.set(name, set.cfg.service_discovery_configs);
    await this.#discovery.applyConfig(sd);
  }

  /**
   * Queues alerts for sending: external labels the alert lacks are added, the
   * global `alert_relabel_configs` applied (dropped alerts are not counted).
   * When the queue overflows, the oldest alerts are dropped and counted in
   * `prometheus_notifications_dropped_total`.
   */
  send(...alerts: Alert[]): void {
    let list = relabelAlerts(this.#relabel, this.#externalLabels, alerts);
    if (list.length === 0) return;
    const over = list.length - this.#capacity;
    if (over > 0) {
      list = list.slice(over);
      this.#logger.warn("Alert batch larger than queue capacity, dropping alerts", { num_dropped: over });
      this.#metrics.dropped.inc(over);
    }
    const full = this.#queue.length + list.length - this.#capacity;
    if (full > 0) {
      this.#queue.splice(0, full);
      this.#logger.warn("Alert notification queue full, dropping alerts", { num_dropped: full });
      this.#metrics.dropped.inc(full);
    }
    for (const a of list) this.#queue.push(a);
    this.#signal();
  }

  /** Number of queued alerts. */
  queueLength(): number {
    return this.#queue.length;
  }

  /** URLs (`…/api/v2/alerts`) of the Alertmanagers in use, sets in config order. */
  alertmanagers(): string[] {
    const out: string[] = [];
    for (const s of this.#sets.values()) for (const am of s.active) out.push(am.url);
    return out;
  }

  /** URLs of the discovered Alertmanagers that relabeling dropped. */
  droppedAlertmanagers(): string[] {
    const out: string[] = [];
    for (const s of this.#sets.values()) for (const am of s.dropped) out.push(am.url);
    return out;
  }

  /** The manager as the web API's `AlertmanagersSource`. */
  source(): { active(): readonly string[]; dropped(): readonly string[] } {
    return { active: () => this.alertmanagers(), dropped: () => this.droppedAlertmanagers() };
  }

  /**
   * Starts discovery and the send loop; resolves once {@link stop} was called
   * and the queue drained (or its rest counted dropped). Calling it again
   * returns the same promise.
   */
  run(): Promise<void> {
    if (this.#running === undefined) {
      void this.#discovery.run();
      this.#running = this.#loop();
    }
    return this.#running;
  }

  /**
   * Stops discovery and the send loop after the batch in flight; with
   * `drainOnShutdown` the queue is sent first. Resolves when everything has
   * stopped and the connection pools are closed. Safe to call more than once.
   */
  async stop(): Promise<void> {
    if (!this.#stopRequested) {
      this.#logger.info("Stopping notification manager...");
      this.#stopRequested = true;
      this.#signal();
    }
    await this.#discovery.stop();
    await this.#running;
    this.#close([...this.#sets.values()]);
    await this.#closing;
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #loop(): Promise<void> {
    while (!this.#stopRequested) {
      if (this.#queue.length === 0) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      await this.#sendOneBatch();
    }
    await this.#drainQueue();
    this.#logger.info("Notification manager stopped");
  }

  async #drainQueue(): Promise<void> {
    if (!this.#drain) {
      const n = this.#queue.length;
      if (n > 0) {
        this.#logger.warn(
          "Draining remaining notifications on shutdown is disabled, and some notifications have been dropped",
          { count: n },
        );
        this.#metrics.dropped.inc(n);
        this.#queue = [];
      }
      return;
    }
    this.#logger.info("Draining any remaining notifications...");
    while (this.#queue.length > 0) await this.#sendOneBatch();
    this.#logger.info("Remaining notifications drained");
  }

  async #sendOneBatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.#batchSize);
    const done = sendAll(this.#sets, batch, {
      userAgent: this.#userAgent,
      logger: this.#logger,
      metrics: this.#metrics,
    });
    this.#batch = done;
    if (!(await done)) this.#metrics.dropped.inc(batch.length);
  }

  #sync(all: Map<string, TargetGroup[]>): void {
    for (const [id, groups] of all) {
      const set = this.#sets.get(id);
      if (set !== undefined) set.sync(groups);
      else if (groups.length > 0) {
        this.#logger.error("couldn't sync alert manager set", { err: `invalid id:${id}` });
      }
    }
  }

  /** Closes the sets' pools once the batch in flight (which may use them) has settled. */
  #close(sets: readonly AlertmanagerSet[]): void {
    if (sets.length === 0) return;
    const closed = this.#batch.then(() => Promise.all(sets.map((s) => s.dispatcher.close().catch(() => {}))));
    this.#closing = Promise.all([this.#closing, closed]);
  }
}
