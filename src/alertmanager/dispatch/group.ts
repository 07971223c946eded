/**
 * Upstream's `aggrGroup`: the alerts of one route sharing the values of its
 * `group_by` labels. The first flush comes `group_wait` after creation (at
 * once when the alert that created it is older than that), the next ones
 * every `group_interval`; each flush gets a deadline of `timeout(group_interval)`.
 * Resolved alerts leave the group after a flush that notified them.
 */
import type { Logger } from "../../log/log.ts";
import type { Clock, Timer } from "../notify/clock.ts";
import type { Route } from "../route/route.ts";
import { type Alert, fingerprint, type LabelSet, resolvedAt } from "../types/types.ts";
import { groupKey } from "./key.ts";
import { compareAlerts } from "./sort.ts";

/** What a flush hands to the pipeline; resolves true when notifying succeeded. */
export type FlushFunc = (flush: Flush, alerts: readonly Alert[]) => Promise<boolean>;

/** One flush of a group: when it started and what aborts it. */
export interface Flush {
  readonly group: AggrGroup;
  /** The flush time, ms since the epoch. */
  readonly now: number;
  readonly signal: AbortSignal;
}

/** How a group runs. */
export interface AggrGroupOptions {
  readonly clock: Clock;
  /** The flush deadline for a group_interval, ms. */
  readonly timeout: (groupIntervalMs: number) => number;
  readonly flush: FlushFunc;
  readonly logger: Logger;
}

/** An aggregation group. */
export class AggrGroup {
  readonly labels: LabelSet;
  readonly route: Route;
  readonly routeID: string;
  readonly groupKey: string;
  readonly #alerts = new Map<bigint, Alert>();
  readonly #opts: AggrGroupOptions;
  readonly #stop = new AbortController();
  #timer: Timer | undefined;
  #hasFlushed = false;
  #flushing: Promise<void> | undefined;
  #tickPending = false;

  constructor(labels: LabelSet, route: Route, opts: AggrGroupOptions) {
    this.labels = labels;
    this.route = route;
    this.routeID = route.id();
    this.groupKey = groupKey(route, labels);
    this.#opts = opts;
    this.#schedule(route.opts.groupWait);
  }

  /** Adds or replaces (by fingerprint) an alert; flushes soon if the first flush is overdue for it. */
  insert(alert: Alert): void {
    this.#alerts.set(fingerprint(alert.labels), alert);
    if (!this.#hasFlushed && alert.startsAt + this.route.opts.groupWait < this.#opts.clock.now())
      this.#schedule(0);
  }

  /** True when the group holds no alerts. */
  empty(): boolean {
    return this.#alerts.size === 0;
  }

  /** The alerts the group holds, unordered. */
  alerts(): Alert[] {
    return [...this.#alerts.values()];
  }

  /** Stops the timer and aborts an in-flight flush (`reason` as the abort reason); resolves when it is over. */
  async stop(reason: unknown): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#stop.abort(reason);
    await this.#flushing;
  }

  #schedule(ms: number): void {
    if (this.#stop.signal.aborted) return;
    this.#timer?.cancel();
    this.#timer = this.#opts.clock.timer(ms, () => this.#tick());
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#flushing !== undefined) {
      // As Go's timer channel: the tick waits until the running flush ends.
      this.#tickPending = true;
      return;
    }
    const now = this.#opts.clock.now();
    this.#schedule(this.route.opts.groupInterval);
    this.#hasFlushed = true;
    this.#flushing = this.#flush(now).finally(() => {
      this.#flushing = undefined;
      if (this.#tickPending) {
        this.#tickPending = false;
        this.#tick();
      }
    });
  }

  async #flush(now: number): Promise<void> {
    if (this.empty()) return;
    const deadline = new AbortController();
    const t = this.#opts.clock.timer(this.#opts.timeout(this.route.opts.groupInterval), () =>
      deadline.abort(new DOMException("context deadline exceeded", "TimeoutError")),
    );
    const signal = AbortSignal.any([this.#stop.signal, deadline.signal]);
    const { alerts, resolved } = this.#snapshot(this.#opts.clock.now());
    try {
      if (await this.#opts.flush({ group: this, now, signal }, alerts)) this.#deleteIfNotModified(resolved);
    } catch (e) {
      this.#opts.logger.error("flush failed", { aggrGroup: this.groupKey, err: String(e) });
    } finally {
      t.cancel();
    }
  }

  /** Copies of the alerts, firing ones with `endsAt` cleared so they cannot resolve mid-pipeline; sorted as upstream. */
  #snapshot(now: number): { alerts: Alert[]; resolved: Alert[] } {
    const alerts: Alert[] = [];
    const resolved: Alert[] = [];
    for (const a of this.#alerts.values()) {
      if (resolvedAt(a, now)) {
        resolved.push(a);
        alerts.push(a);
      } else {
        alerts.push({ ...a, endsAt: 0 });
      }
    }
    alerts.sort(compareAlerts);
    return { alerts, resolved };
  }

  #deleteIfNotModified(resolved: readonly Alert[]): void {
    for (const a of resolved) {
      const fp = fingerprint(a.labels);
      const cur = this.#alerts.get(fp);
      if (cur !== undefined && cur.updatedAt === a.updatedAt) this.#alerts.delete(fp);
    }
  }
}
