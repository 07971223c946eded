/**
 * Upstream's `Maintenance` loop, shared by the notification log and the
 * silences: garbage-collect, then snapshot to a file, every interval (15 min
 * upstream) and once more at shutdown.
 */
import type { Counter, Gauge, Summary } from "prom-client";
import type { Logger } from "../../log/log.ts";

/**
 * Deletes the entries of `state` whose `expiresAt` (ms) is not after `now`,
 * calling `onDelete` with each key; returns how many. Times the pass on
 * `duration` (a `*_gc_duration_seconds` summary).
 */
export function deleteExpired<K>(
  state: Map<K, { readonly expiresAt: number }>,
  now: number,
  duration: Summary,
  onDelete?: (key: K) => void,
): number {
  const end = duration.startTimer();
  let n = 0;
  for (const [k, e] of state) {
    if (e.expiresAt > now) continue;
    state.delete(k);
    onDelete?.(k);
    n++;
  }
  end();
  return n;
}

/** A state that can be garbage-collected and snapshotted. */
export interface MaintainedState {
  /** Removes expired entries; returns how many. */
  gc(): number;
  /** Writes the state to `file` atomically; returns its size in bytes. */
  snapshot(file: string): Promise<number>;
}

/** The `*_maintenance_total`, `*_maintenance_errors_total` and `*_snapshot_size_bytes` instruments. */
export interface MaintenanceMetrics {
  readonly maintenance: Counter;
  readonly maintenanceErrors: Counter;
  readonly snapshotSize: Gauge;
}

/** Runs the maintenance of one {@link MaintainedState}. */
export class Maintenance {
  readonly #state: MaintainedState;
  readonly #metrics: MaintenanceMetrics;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #file = "";

  constructor(state: MaintainedState, metrics: MaintenanceMetrics, logger: Logger) {
    this.#state = state;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** GC then a snapshot to `file` (when non-empty); returns the snapshot size. Counts failures and rethrows. */
  async runOnce(file: string): Promise<number> {
    this.#metrics.maintenance.inc();
    try {
      this.#state.gc();
      const size = file === "" ? 0 : await this.#state.snapshot(file);
      this.#metrics.snapshotSize.set(size);
      return size;
    } catch (err) {
      this.#metrics.maintenanceErrors.inc();
      throw err;
    }
  }

  /** Starts the periodic maintenance every `interval` ms, writing `file`; failures are logged. */
  start(interval: number, file: string): void {
    this.#file = file;
    this.#timer = setInterval(() => {
      this.runOnce(file).catch((err) =>
        this.#logger.info("Running maintenance failed", { err: String(err) }),
      );
    }, interval);
    this.#timer.unref();
  }

  /** Stops a started loop and writes the shutdown snapshot; a no-op when not started. */
  async stop(): Promise<void> {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#file === "") return;
    try {
      await this.runOnce(this.#file);
    } catch (err) {
      this.#logger.info("Creating shutdown snapshot failed", { err: String(err) });
    }
  }
}
