/**
 * Upstream's `provider/mem` + `store`: the in-memory alert store. `put`
 * merges an update into the stored alert of the same fingerprint when their
 * activity ranges overlap, then tells every subscriber; a subscriber first
 * receives every stored alert. Resolved alerts are garbage-collected every
 * `gcInterval` (30 min by default), the marker forgetting them.
 */
import { Gauge, type Registry } from "prom-client";
import { type Logger, nopLogger } from "../../log/log.ts";
import { type Alert, type AlertMarker, type AlertState, fingerprint, resolvedAt } from "../types/types.ts";
import { mergeAlerts, overlaps } from "./alert.ts";

/** Receives each new or updated alert. */
export type AlertListener = (alert: Alert) => void;

/** Construction options of {@link AlertStore}. */
export interface AlertStoreOptions {
  readonly marker: AlertMarker;
  /** Milliseconds between garbage collections (`--alerts.gc-interval`, 30m). 0 disables the timer. */
  readonly gcInterval?: number;
  /** Registers `alertmanager_alerts{state}` when given. */
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  /** Called for each alert removed by garbage collection, after the marker forgot it. */
  readonly onDelete?: (alert: Alert) => void;
}

/** The Alertmanager's alert store (upstream `provider.Alerts`). */
export class AlertStore {
  readonly #alerts = new Map<bigint, Alert>();
  readonly #listeners = new Set<AlertListener>();
  readonly #marker: AlertMarker;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #onDelete: ((alert: Alert) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: AlertStoreOptions) {
    this.#marker = opts.marker;
    this.#logger = opts.logger ?? nopLogger;
    this.#now = opts.now ?? Date.now;
    this.#onDelete = opts.onDelete;
    const interval = opts.gcInterval ?? 30 * 60_000;
    if (interval > 0) {
      this.#timer = setInterval(() => this.gc(), interval);
      this.#timer.unref();
    }
    if (opts.registry !== undefined) this.#register(opts.registry);
  }

  #register(registry: Registry): void {
    const store = this;
    new Gauge({
      name: "alertmanager_alerts",
      help: "How many alerts by state.",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        for (const s of ["active", "suppressed", "unprocessed"] as const)
          this.set({ state: s }, store.countByState(s));
      },
    });
  }

  /** Unresolved alerts whose marker state is `state` (what `alertmanager_alerts` reports). */
  countByState(state: AlertState): number {
    const now = this.#now();
    let n = 0;
    for (const [fp, a] of this.#alerts) {
      if (!resolvedAt(a, now) && this.#marker.status(fp).state === state) n++;
    }
    return n;
  }

  /** Stores each alert (merged with the stored one when their ranges overlap) and notifies subscribers. */
  put(...alerts: Alert[]): void {
    const now = this.#now();
    for (let alert of alerts) {
      const fp = fingerprint(alert.labels);
      const old = this.#alerts.get(fp);
      if (old !== undefined && overlaps(old, alert)) alert = mergeAlerts(old, alert, now);
      this.#alerts.set(fp, alert);
      for (const l of [...this.#listeners]) this.#deliver(l, alert);
    }
  }

  #deliver(l: AlertListener, alert: Alert): void {
    try {
      l(alert);
    } catch (err) {
      this.#logger.error("alert listener failed", { err: String(err) });
    }
  }

  /** The alert with fingerprint `fp`, or undefined. */
  get(fp: bigint): Alert | undefined {
    return this.#alerts.get(fp);
  }

  /** A snapshot of every stored alert (upstream `GetPending`), resolved ones included. */
  list(): Alert[] {
    return [...this.#alerts.values()];
  }

  /** Calls `listener` with every stored alert now, then with each alert put later; returns the unsubscribe function. */
  subscribe(listener: AlertListener): () => void {
    for (const a of this.list()) this.#deliver(listener, a);
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Removes resolved alerts (marker entries included); returns them. */
  gc(): Alert[] {
    const now = this.#now();
    const removed: Alert[] = [];
    for (const [fp, a] of this.#alerts) {
      if (!resolvedAt(a, now)) continue;
      this.#alerts.delete(fp);
      this.#marker.delete(fp);
      removed.push(a);
    }
    for (const a of removed) this.#onDelete?.(a);
    return removed;
  }

  /** Stops the garbage-collection timer and drops every subscriber. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }
}
