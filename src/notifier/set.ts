/**
 * Upstream's `alertmanagerSet`: the Alertmanagers one `alertmanagers` entry
 * discovered, with the entry's config and its HTTP client (an undici
 * dispatcher). {@link AlertmanagerSet.sync} replaces the endpoints from the
 * set's target groups, deduplicated by URL; dropped ones are kept for the API.
 */
import type { Dispatcher } from "undici";
import { alertmanagerConfigSchema } from "../config/alerting.ts";
import type { AlertmanagerConfig } from "../config/types.ts";
import type { TargetGroup } from "../discovery/discovery.ts";
import type { Logger } from "../log/log.ts";
import type { Labels } from "../model/labels/labels.ts";
import { alertmanagersFromGroup, endpointURL } from "./alertmanager.ts";
import type { NotifierMetrics } from "./metrics.ts";

/** One discovered Alertmanager: its labels after relabeling and its endpoint URL. */
export interface Endpoint {
  readonly labels: Labels;
  readonly url: string;
}

/**
 * A stable text identifying a config (its YAML marshalling as data), so a
 * reload can keep a set whose config did not change, as upstream's `configHash`.
 */
export function configKey(cfg: AlertmanagerConfig): string {
  return JSON.stringify(alertmanagerConfigSchema.encode(cfg));
}

/** The endpoints of one `alertmanagers` entry. */
export class AlertmanagerSet {
  readonly cfg: AlertmanagerConfig;
  readonly key: string;
  readonly dispatcher: Dispatcher;
  readonly #logger: Logger;
  readonly #metrics: NotifierMetrics;
  #active: readonly Endpoint[] = [];
  #dropped: readonly Endpoint[] = [];

  constructor(cfg: AlertmanagerConfig, dispatcher: Dispatcher, logger: Logger, metrics: NotifierMetrics) {
    this.cfg = cfg;
    this.key = configKey(cfg);
    this.dispatcher = dispatcher;
    this.#logger = logger;
    this.#metrics = metrics;
  }

  /** The Alertmanagers alerts go to, deduplicated, in discovery order. */
  get active(): readonly Endpoint[] {
    return this.#active;
  }

  /** Targets the set's relabeling dropped (labels before relabeling). */
  get dropped(): readonly Endpoint[] {
    return this.#dropped;
  }

  /** Takes the endpoints another set (same config, previous reload) discovered. */
  adopt(other: AlertmanagerSet): void {
    this.#active = other.#active;
    this.#dropped = other.#dropped;
  }

  /**
   * Replaces the endpoints with those of `groups`. A group with an invalid
   * address is logged and skipped, as upstream does.
   */
  sync(groups: readonly TargetGroup[]): void {
    const active: Endpoint[] = [];
    const dropped: Endpoint[] = [];
    const seen = new Set<string>();
    for (const tg of groups) {
      let found: ReturnType<typeof alertmanagersFromGroup>;
      try {
        found = alertmanagersFromGroup(tg, this.cfg);
      } catch (err) {
        this.#logger.error("Creating discovered Alertmanagers failed", { err: (err as Error).message });
        continue;
      }
      for (const labels of found.dropped) dropped.push({ labels, url: endpointURL(labels) });
      for (const labels of found.active) {
        const url = endpointURL(labels);
        if (seen.has(url)) continue;
        seen.add(url);
        // Start the per-endpoint counters at 0, as upstream does.
        this.#metrics.sent.inc({ alertmanager: url }, 0);
        this.#metrics.errors.inc({ alertmanager: url }, 0);
        active.push({ labels, url });
      }
    }
    this.#active = active;
    this.#dropped = dropped;
  }
}
