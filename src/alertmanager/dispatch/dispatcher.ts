/**
 * Upstream's `Dispatcher`: takes every alert the store publishes, routes it
 * through the tree, puts it into the aggregation group of each route it
 * reaches (created on demand), and hands each group's flushes to the
 * notification pipeline. Empty groups are dropped by a periodic maintenance.
 */
import type { Logger } from "../../log/log.ts";
import type { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { type Clock, SYSTEM_CLOCK, type Timer } from "../notify/clock.ts";
import type { NotifyContext } from "../notify/notifier.ts";
import { canceled } from "../notify/retry.ts";
import type { Stage } from "../notify/stage.ts";
import type { Route } from "../route/route.ts";
import { type Alert, fingerprint, type GroupMarker, type LabelSet } from "../types/types.ts";
import { AggrGroup, type Flush } from "./group.ts";
import { groupLabels } from "./key.ts";
import type { DispatcherMetrics } from "./metrics.ts";
import { compareAlerts, compareGroups } from "./sort.ts";

/**
 * Upstream's `provider.Alerts.Subscribe`, reduced to what the dispatcher
 * needs: `listener` is called with every alert currently held (pending
 * resolution included), then with each alert as it is added or updated.
 * Returns the unsubscribe function.
 */
export interface AlertSource {
  subscribe(listener: (alert: Alert) => void): () => void;
}

/** Upstream's `MinTimeout`: a flush gets at least this long, ms. */
export const MIN_TIMEOUT_MS = 10_000;

/** Construction options of a {@link Dispatcher}. */
export interface DispatcherOptions {
  readonly route: Route;
  readonly alerts: AlertSource;
  readonly stage: Stage;
  readonly marker: GroupMarker;
  readonly templates: AlertmanagerTemplates;
  readonly metrics: DispatcherMetrics;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** A flush's deadline for a group_interval, ms; default max(group_interval, 10 s). */
  readonly timeout?: (groupIntervalMs: number) => number;
  /** Most aggregation groups at once; 0 (default) for no limit. */
  readonly maxGroups?: number;
  /** How often empty groups are removed, ms; default 30 s. */
  readonly maintenanceIntervalMs?: number;
}

/** One group as `/api/v2/alerts/groups` shows it. */
export interface AlertGroup {
  readonly labels: LabelSet;
  readonly receiver: string;
  readonly groupKey: string;
  readonly routeID: string;
  readonly alerts: readonly Alert[];
}

/** The dispatcher. `run()` once, `stop()` once. */
export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #clock: Clock;
  readonly #groups = new Map<Route, Map<bigint, AggrGroup>>();
  #count = 0;
  #unsubscribe: (() => void) | undefined;
  #maintenance: Timer | undefined;
  #stopped = false;

  constructor(opts: DispatcherOptions) {
    this.#o = opts;
    this.#clock = opts.clock ?? SYSTEM_CLOCK;
  }

  /** Subscribes to the alerts and starts the maintenance timer. */
  run(): void {
    this.#o.metrics.aggrGroups.set(0);
    this.#scheduleMaintenance();
    this.#unsubscribe = this.#o.alerts.subscribe((a) => this.#receive(a));
  }

  /** Unsubscribes, stops every group and aborts in-flight notifications; resolves when they are over. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#maintenance?.cancel();
    const all = [...this.#groups.values()].flatMap((m) => [...m.values()]);
    this.#groups.clear();
    await Promise.all(all.map((g) => g.stop(canceled())));
  }

  /**
   * Upstream's `Groups`: the groups of the routes `routeFilter` accepts with
   * their alerts `alertFilter` accepts (groups left empty omitted), sorted by
   * labels then receiver, alerts sorted as in notifications; plus, per alert
   * fingerprint, the sorted receivers it is grouped for.
   */
  groups(
    routeFilter: (r: Route) => boolean = () => true,
    alertFilter: (a: Alert, now: number) => boolean = () => true,
  ): { groups: AlertGroup[]; receivers: Map<bigint, string[]> } {
    const now = this.#clock.now();
    const groups: AlertGroup[] = [];
    const receivers = new Map<bigint, string[]>();
    for (const [route, byFp] of this.#groups) {
      if (!routeFilter(route)) continue;
      for (const ag of byFp.values()) {
        const receiver = route.opts.receiver;
        const alerts = ag.alerts().filter((a) => alertFilter(a, now));
        if (alerts.length === 0) continue;
        for (const a of alerts) {
          const fp = fingerprint(a.labels);
          receivers.set(fp, [...(receivers.get(fp) ?? []), receiver]);
        }
        alerts.sort(compareAlerts);
        groups.push({ labels: ag.labels, receiver, groupKey: ag.groupKey, routeID: ag.routeID, alerts });
      }
    }
    groups.sort(compareGroups);
    for (const list of receivers.values()) list.sort();
    return { groups, receivers };
  }

  #receive(alert: Alert): void {
    if (this.#stopped) return;
    const start = performance.now();
    for (const route of this.#o.route.match(alert.labels)) this.#process(alert, route);
    this.#o.metrics.processingDuration.observe((performance.now() - start) / 1000);
  }

  #process(alert: Alert, route: Route): void {
    const labels = groupLabels(alert.labels, route);
    const fp = fingerprint(labels);
    let byFp = this.#groups.get(route);
    if (byFp === undefined) {
      byFp = new Map();
      this.#groups.set(route, byFp);
    }
    const existing = byFp.get(fp);
    if (existing !== undefined) {
      existing.insert(alert);
      return;
    }
    const limit = this.#o.maxGroups ?? 0;
    if (limit > 0 && this.#count >= limit) {
      this.#o.metrics.aggrGroupLimitReached.inc();
      this.#o.logger.error("Too many aggregation groups, cannot create new group for alert", {
        groups: this.#count,
        limit,
      });
      return;
    }
    const group = new AggrGroup(labels, route, {
      clock: this.#clock,
      timeout: this.#o.timeout ?? ((d) => Math.max(d, MIN_TIMEOUT_MS)),
      flush: (f, alerts) => this.#flush(f, alerts),
      logger: this.#o.logger,
    });
    byFp.set(fp, group);
    this.#count++;
    this.#o.metrics.aggrGroups.inc();
    group.insert(alert);
  }

  async #flush(f: Flush, alerts: readonly Alert[]): Promise<boolean> {
    const g = f.group;
    const opts = g.route.opts;
    const ctx: NotifyContext = {
      groupKey: g.groupKey,
      receiverName: opts.receiver,
      groupLabels: g.labels,
      repeatInterval: opts.repeatInterval,
      now: f.now,
      routeID: g.routeID,
      signal: f.signal,
      templates: this.#o.templates,
      firingAlerts: [],
      resolvedAlerts: [],
      muteTimeIntervals: opts.muteTimeIntervals,
      activeTimeIntervals: opts.activeTimeIntervals,
      notificationReason: "",
    };
    try {
      await this.#o.stage.exec(ctx, this.#o.logger, alerts);
      return true;
    } catch (e) {
      const attrs = {
        aggrGroup: g.groupKey,
        num_alerts: alerts.length,
        err: e instanceof Error ? e.message : String(e),
      };
      // Expected on reload and shutdown.
      if (f.signal.aborted && this.#stopped) this.#o.logger.debug("Notify for alerts failed", attrs);
      else this.#o.logger.error("Notify for alerts failed", attrs);
      return false;
    }
  }

  #scheduleMaintenance(): void {
    if (this.#stopped) return;
    this.#maintenance = this.#clock.timer(this.#o.maintenanceIntervalMs ?? 30_000, () => {
      this.#doMaintenance();
      this.#scheduleMaintenance();
    });
  }

  #doMaintenance(): void {
    for (const [route, byFp] of this.#groups) {
      for (const [fp, ag] of byFp) {
        if (!ag.empty()) continue;
        void ag.stop(canceled());
        this.#o.marker.deleteByGroupKey(ag.routeID, ag.groupKey);
        byFp.delete(fp);
        this.#count--;
        this.#o.metrics.aggrGroups.dec();
      }
      if (byFp.size === 0) this.#groups.delete(route);
    }
  }
}
