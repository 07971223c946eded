/**
 * Upstream's `config.Coordinator` with main's subscriber folded in: each
 * `reload()` reads and checks `alertmanager.yml`, builds a new
 * {@link Runtime}, and only then stops the old dispatcher and inhibitor and
 * starts the new ones. A refused config changes nothing but
 * `alertmanager_config_last_reload_successful` (0). Reloads run one at a time.
 */
import type { Logger } from "../../log/log.ts";
import type { AlertGroupsResult, APIv2Config } from "../api/deps.ts";
import { type LoadedAlertmanagerConfig, loadAlertmanagerConfigFile } from "../config/config.ts";
import type { Route } from "../route/route.ts";
import type { Alert } from "../types/types.ts";
import { configHashValue, type ServerMetrics } from "./metrics.ts";
import { buildRuntime, type Runtime, type RuntimeDeps } from "./runtime.ts";

/** Loads, applies and swaps configs. */
export class ConfigCoordinator {
  readonly #file: string;
  readonly #metrics: ServerMetrics;
  readonly #logger: Logger;
  readonly #deps: RuntimeDeps;
  #current: Runtime | undefined;
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(file: string, metrics: ServerMetrics, logger: Logger, deps: RuntimeDeps) {
    this.#file = file;
    this.#metrics = metrics;
    this.#logger = logger.with({ component: "configuration" });
    this.#deps = deps;
  }

  /** The running config's API view; throws before the first successful load. */
  apiConfig(): APIv2Config {
    if (this.#current === undefined) throw new Error("no configuration loaded");
    return this.#current.api;
  }

  /** The running dispatcher's groups (empty before the first load). */
  groups(
    routeFilter: (r: Route) => boolean,
    alertFilter: (a: Alert, now: number) => boolean,
  ): AlertGroupsResult {
    if (this.#current === undefined) return { groups: [], receivers: new Map() };
    return this.#current.dispatcher.groups(routeFilter, alertFilter);
  }

  /** Reloads the file; rejects with the reason when it is refused (the old config keeps running). */
  reload(): Promise<void> {
    const next = this.#queue.then(() => this.#reload());
    this.#queue = next.catch(() => {});
    return next;
  }

  async #reload(): Promise<void> {
    if (this.#stopped) throw new Error("alertmanager is shutting down");
    const file = this.#file;
    const fail = (msg: string, err: unknown): never => {
      this.#logger.error(msg, { file, err: (err as Error).message });
      this.#metrics.configSuccess.set(0);
      throw err;
    };
    this.#logger.info("Loading configuration file", { file });
    let loaded: LoadedAlertmanagerConfig;
    try {
      loaded = await loadAlertmanagerConfigFile(file);
    } catch (err) {
      return fail("Loading configuration file failed", err);
    }
    for (const w of loaded.warnings) this.#logger.warn(w, { file });
    this.#logger.info("Completed loading of configuration file", { file });
    let runtime: Runtime;
    try {
      runtime = await buildRuntime(loaded, this.#deps);
    } catch (err) {
      return fail("one or more config change subscribers failed to apply new config", err);
    }
    const original = loaded.original;
    await this.#current?.stop();
    this.#current = runtime;
    this.#metrics.receivers.set(runtime.receivers);
    this.#metrics.integrations.set(runtime.integrations);
    this.#metrics.inhibitionRules.set(runtime.inhibitionRules);
    runtime.start();
    this.#metrics.configSuccess.set(1);
    this.#metrics.configSuccessTime.set(Date.now() / 1000);
    this.#metrics.configHash.set(configHashValue(original));
  }

  /** Stops the running dispatcher and inhibitor; later reloads are refused. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
    const current = this.#current;
    this.#current = undefined;
    await current?.stop();
  }
}
