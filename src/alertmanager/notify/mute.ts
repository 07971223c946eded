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

/** What distinguishes the two time-interval stages. */
interface TimeRule {
  /** The route's intervals the stage reads. */
  readonly intervals: (ctx: NotifyContext) => readonly string[];
  /** The interval names muting the group given the match, or undefined when it is not muted. */
  readonly mutedBy: (intervals: readonly string[], m: IntervalMatch) => readonly string[] | undefined;
  readonly reason: SuppressedReason;
  readonly message: string;
}

/**
 * Upstream's `timeStage`: when the route has intervals of its kind, asks the
 * muter, records the muting names in the group marker (none when not muted),
 * and drops the whole group when muted.
 */
class TimeStage implements Stage {
  readonly #rule: TimeRule;
  readonly #muter: TimeMuter;
  readonly #marker: GroupMarker;
  readonly #metrics: NotifyMetrics;

  constructor(rule: TimeRule, muter: TimeMuter, marker: GroupMarker, metrics: NotifyMetrics) {
    this.#rule = rule;
    this.#muter = muter;
    this.#marker = marker;
    this.#metrics = metrics;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const intervals = this.#rule.intervals(ctx);
    if (intervals.length === 0) {
      this.#marker.setMuted(ctx.routeID, ctx.groupKey, []);
      return { ctx, alerts };
    }
    const mutedBy = this.#rule.mutedBy(intervals, this.#muter.mutes(intervals, ctx.now));
    this.#marker.setMuted(ctx.routeID, ctx.groupKey, mutedBy ?? []);
    if (mutedBy === undefined) return { ctx, alerts };
    this.#metrics.suppressed.inc({ reason: this.#rule.reason }, alerts.length);
    logger.debug(this.#rule.message, { alerts: alerts.length });
    return { ctx, alerts: [] };
  }
}

const MUTE_RULE: TimeRule = {
  intervals: (ctx) => ctx.muteTimeIntervals,
  mutedBy: (_, m) => (m.matched ? m.names : undefined),
  reason: "mute_time_interval",
  message: "Notifications not sent, route is within mute time",
};

const ACTIVE_RULE: TimeRule = {
  intervals: (ctx) => ctx.activeTimeIntervals,
  // Outside every active interval, the group counts as muted by all of them.
  mutedBy: (intervals, m) => (m.matched ? undefined : intervals),
  reason: "active_time_interval",
  message: "Notifications not sent, route is not within active time",
};

/** Drops the whole group while `now` is inside one of the route's `mute_time_intervals`. */
export class TimeMuteStage extends TimeStage {
  constructor(muter: TimeMuter, marker: GroupMarker, metrics: NotifyMetrics) {
    super(MUTE_RULE, muter, marker, metrics);
  }
}

/** Drops the whole group while `now` is outside all of the route's `active_time_intervals` (if it has any). */
export class TimeActiveStage extends TimeStage {
  constructor(muter: TimeMuter, marker: GroupMarker, metrics: NotifyMetrics) {
    super(ACTIVE_RULE, muter, marker, metrics);
  }
}
