/**
 * The muting stages (upstream's `MuteStage`, `TimeMuteStage`,
 * `TimeActiveStage`): silences and inhibitions drop single alerts, time
 * intervals drop a whole group and record it in the {@link GroupMarker}.
 */
import type { Logger } from "../../log/log.ts";
import type { IntervalMatch } from "../timeinterval/intervener.ts";
import type { Alert, GroupMarker, LabelSet } from "../types/types.ts";
import type { NotifyMetrics, SuppressedReason } from "./metrics.ts";
import type { NotifyContext } from "./notifier.ts";
import type { Stage, StageResult } from "./stage.ts";

/**
 * Upstream's `Muter` (the silencer, the inhibitor): true when `labels` must
 * not be notified now. Implementations keep the alert marker up to date as
 * a side effect, as upstream's do.
 */
export interface Muter {
  mutes(labels: LabelSet): boolean;
}

/** Upstream's `TimeMuter` (the `Intervener`): which named intervals contain `now`; throws for an unknown name. */
export interface TimeMuter {
  mutes(names: readonly string[], now: number): IntervalMatch;
}

/** Drops the alerts `muter` mutes, counting them as suppressed for `reason`. */
export class MuteStage implements Stage {
  readonly #muter: Muter;
  readonly #reason: SuppressedReason;
  readonly #metrics: NotifyMetrics;

  constructor(muter: Muter, reason: SuppressedReason, metrics: NotifyMetrics) {
    this.#muter = muter;
    this.#reason = reason;
    this.#metrics = metrics;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const kept: Alert[] = [];
    let muted = 0;
    for (const a of alerts) {
      if (this.#muter.mutes(a.labels)) muted++;
      else kept.push(a);
    }
    if (muted > 0) {
      this.#metrics.suppressed.inc({ reason: this.#reason }, muted);
      logger.debug("Notifications will not be sent for muted alerts", {
        alerts: muted,
        reason: this.#reason,
      });
    }
    return { ctx, alerts: kept };
  }
}

/** Drops the whole group while `now` is inside one of the route's `mute_time_intervals`. */
export class TimeMuteStage implements Stage {
  readonly #muter: TimeMuter;
  readonly #marker: GroupMarker;
  readonly #metrics: NotifyMetrics;

  constructor(muter: TimeMuter, marker: GroupMarker, metrics: NotifyMetrics) {
    this.#muter = muter;
    this.#marker = marker;
    this.#metrics = metrics;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    if (ctx.muteTimeIntervals.length === 0) {
      this.#marker.setMuted(ctx.routeID, ctx.groupKey, []);
      return { ctx, alerts };
    }
    const m = this.#muter.mutes(ctx.muteTimeIntervals, ctx.now);
    this.#marker.setMuted(ctx.routeID, ctx.groupKey, m.matched ? m.names : []);
    if (!m.matched) return { ctx, alerts };
    this.#metrics.suppressed.inc({ reason: "mute_time_interval" }, alerts.length);
    logger.debug("Notifications not sent, route is within mute time", { alerts: alerts.length });
    return { ctx, alerts: [] };
  }
}

/** Drops the whole group while `now` is outside all of the route's `active_time_intervals` (if it has any). */
export class TimeActiveStage implements Stage {
  readonly #muter: TimeMuter;
  readonly #marker: GroupMarker;
  readonly #metrics: NotifyMetrics;

  constructor(muter: TimeMuter, marker: GroupMarker, metrics: NotifyMetrics) {
    this.#muter = muter;
    this.#marker = marker;
    this.#metrics = metrics;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    if (ctx.activeTimeIntervals.length === 0) {
      this.#marker.setMuted(ctx.routeID, ctx.groupKey, []);
      return { ctx, alerts };
    }
    const active = this.#muter.mutes(ctx.activeTimeIntervals, ctx.now).matched;
    // Outside every active interval, the group counts as muted by all of them.
    this.#marker.setMuted(ctx.routeID, ctx.groupKey, active ? [] : ctx.activeTimeIntervals);
    if (active) return { ctx, alerts };
    this.#metrics.suppressed.inc({ reason: "active_time_interval" }, alerts.length);
    logger.debug("Notifications not sent, route is not within active time", { alerts: alerts.length });
    return { ctx, alerts: [] };
  }
}
