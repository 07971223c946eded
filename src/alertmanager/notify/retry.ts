/**
 * Upstream's `RetryStage`: calls one integration until it succeeds, fails
 * permanently, or the flush's signal aborts (the group_interval deadline or a
 * stop), waiting with exponential backoff between attempts (cenkalti/backoff
 * defaults: 500 ms initial, ×1.5, ±50 % jitter, at most 60 s; the first
 * attempt at once).
 */
import type { Logger } from "../../log/log.ts";
import { type Alert, resolvedAt } from "../types/types.ts";
import { type Clock, sleep } from "./clock.ts";
import type { NotifyMetrics } from "./metrics.ts";
import { type FailureReason, type Integration, type NotifyContext, NotifyError } from "./notifier.ts";
import type { Stage, StageResult } from "./stage.ts";

/** The abort reason of a flush whose deadline passed (Go's `context.DeadlineExceeded`). */
export function deadlineExceeded(): Error {
  return new NotifyError("contextDeadlineExceeded", "context deadline exceeded");
}

/** The abort reason of a flush stopped by a reload or shutdown (Go's `context.Canceled`). */
export function canceled(): Error {
  return new NotifyError("contextCanceled", "context canceled");
}

function reasonOf(err: unknown): FailureReason {
  return err instanceof NotifyError ? err.reason : "other";
}

function signalError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof NotifyError) return r;
  if (r instanceof Error && r.name === "TimeoutError") return deadlineExceeded();
  return canceled();
}

/** Backoff settings; tests shorten or de-randomise them. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly multiplier: number;
  readonly randomization: number;
  readonly maxMs: number;
  readonly random: () => number;
}

/** cenkalti/backoff's `ExponentialBackOff` defaults. */
export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  multiplier: 1.5,
  randomization: 0.5,
  maxMs: 60_000,
  random: Math.random,
};

function* backoffDelays(o: BackoffOptions): Generator<number> {
  let cur = o.initialMs;
  for (;;) {
    const delta = o.randomization * cur;
    yield cur - delta + o.random() * (2 * delta + 1);
    cur = Math.min(cur * o.multiplier, o.maxMs);
  }
}

/** Upstream's `RetryStage` for one integration of receiver `receiver`. */
export class RetryStage implements Stage {
  readonly #integration: Integration;
  readonly #receiver: string;
  readonly #metrics: NotifyMetrics;
  readonly #clock: Clock;
  readonly #backoff: BackoffOptions;

  constructor(
    integration: Integration,
    receiver: string,
    metrics: NotifyMetrics,
    clock: Clock,
    backoff = DEFAULT_BACKOFF,
  ) {
    this.#integration = integration;
    this.#receiver = receiver;
    this.#metrics = metrics;
    this.#clock = clock;
    this.#backoff = backoff;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const integration = this.#integration.name;
    this.#metrics.notifications.inc({ integration });
    try {
      return await this.#retry(ctx, logger, alerts);
    } catch (e) {
      this.#metrics.failedNotifications.inc({ integration, reason: reasonOf(e) });
      throw e;
    }
  }

  async #retry(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    let sent = alerts;
    if (!this.#integration.sendResolved) {
      // Only resolved alerts: count them as notified, so the log records them.
      if (ctx.firingAlerts.length === 0) return { ctx, alerts };
      sent = alerts.filter((a) => !resolvedAt(a, ctx.now));
    }
    const name = `${this.#receiver}/${this.#integration.name}[${this.#integration.index}]`;
    const log = logger.with({
      receiver: this.#receiver,
      integration: `${this.#integration.name}[${this.#integration.index}]`,
      aggrGroup: ctx.groupKey,
    });
    const delays = backoffDelays(this.#backoff);
    let attempts = 0;
    let lastErr: Error | undefined;
    for (;;) {
      if (ctx.signal.aborted) {
        const err = lastErr ?? signalError(ctx.signal);
        throw new NotifyError(
          reasonOf(err),
          `${name}: notify retry canceled after ${attempts} attempts: ${err.message}`,
          { cause: err },
        );
      }
      if (attempts > 0) {
        try {
          await sleep(this.#clock, delays.next().value as number, ctx.signal);
        } catch {
          continue;
        }
      }
      const res = await this.#attempt(ctx, sent);
      attempts++;
      if (res.error === undefined) {
        if (attempts > 1) log.info("Notify success", { attempts });
        else log.debug("Notify success", { attempts });
        return { ctx, alerts };
      }
      if (!res.retry) {
        throw new NotifyError(
          reasonOf(res.error),
          `${name}: notify retry canceled due to unrecoverable error after ${attempts} attempts: ${res.error.message}`,
          { cause: res.error },
        );
      }
      if (!ctx.signal.aborted) {
        if (lastErr?.message !== res.error.message)
          log.warn("Notify attempt failed, will retry later", { attempts, err: res.error.message });
        lastErr = res.error;
      }
    }
  }

  async #attempt(ctx: NotifyContext, alerts: readonly Alert[]): Promise<{ retry: boolean; error?: Error }> {
    const integration = this.#integration.name;
    const start = performance.now();
    let res: { retry: boolean; error?: Error };
    try {
      res = await this.#integration.notifier.notify(ctx, alerts);
    } catch (e) {
      res = { retry: true, error: e instanceof Error ? e : new Error(String(e)) };
    }
    this.#metrics.latency.observe({ integration }, (performance.now() - start) / 1000);
    this.#metrics.requests.inc({ integration });
    if (res.error !== undefined) this.#metrics.failedRequests.inc({ integration });
    return res;
  }
}
