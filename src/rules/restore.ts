/**
 * Restoring the `for` state of alerts after a restart (upstream's
 * `Group.RestoreForState`): the last `ALERTS_FOR_STATE` sample of each active
 * alert, if written within the outage tolerance, gives back its `activeAt`,
 * shifted by the downtime so the alert still waits its full `for`, and never
 * firing sooner than the grace period after the restart.
 */
import type { Logger } from "../log/log.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { isStaleNaN } from "../model/value/value.ts";
import type { Querier, Queryable, Series } from "../storage/interface.ts";
import { ValueType } from "../storage/interface.ts";
import { ALERT_FOR_STATE_METRIC_NAME, type AlertingRule } from "./alerting.ts";

/** The durations restoring depends on, ms. */
export interface RestoreOptions {
  /** `--rules.alert.for-outage-tolerance`: restore only if Vigil was down less than this. */
  readonly outageToleranceMs: number;
  /** `--rules.alert.for-grace-period`: least time between restart and firing. */
  readonly forGracePeriodMs: number;
}

/** Upstream's `QueryForStateSeries`: the rule's `ALERTS_FOR_STATE` series. */
function forStateSeries(rule: AlertingRule, q: Querier): Map<string, Series> {
  const matchers = [
    Matcher.create("=", "__name__", ALERT_FOR_STATE_METRIC_NAME),
    Matcher.create("=", "alertname", rule.name),
    ...rule.labels.map(([n, v]) => Matcher.create("=", n, v)),
  ];
  const set = q.select(false, undefined, ...matchers);
  const out = new Map<string, Series>();
  while (set.next()) {
    const s = set.at();
    out.set(s.labels.withoutName().toString(), s);
  }
  const err = set.err();
  if (err !== null) throw err;
  return out;
}

/** The last sample of a series, or null when it has none or it is a staleness marker. */
function lastSample(s: Series): { t: number; v: number } | null {
  const it = s.iterator();
  let last: { t: number; v: number } | null = null;
  // Staleness is checked here: a NaN payload may not survive being stored in an object.
  while (it.next() === ValueType.Float) last = isStaleNaN(it.atV()) ? null : { t: it.atT(), v: it.atV() };
  const err = it.err();
  if (err !== null) throw err;
  return last;
}

/** The restored `activeAt` of an alert last seen active at `activeAt`, Vigil down since `downAt`. */
export function restoredActiveAt(
  activeAtMs: number,
  downAtMs: number,
  nowMs: number,
  holdMs: number,
  gracePeriodMs: number,
): number {
  const remaining = holdMs - (downAtMs - activeAtMs);
  // Already firing when Vigil went down: the next evaluation makes it fire again.
  if (remaining <= 0) return activeAtMs;
  // Would fire within the grace period: fire exactly when it ends.
  if (remaining < gracePeriodMs) return nowMs + gracePeriodMs - holdMs;
  // Otherwise the downtime does not count as time spent pending.
  return activeAtMs + (nowMs - downAtMs);
}

/** Restores the `for` state of every alerting rule of `rules` at `nowMs`, then marks them restored. */
export function restoreForState(
  rules: readonly AlertingRule[],
  queryable: Queryable,
  nowMs: number,
  opts: RestoreOptions,
  logger: Logger,
): void {
  const q = queryable.querier(nowMs - opts.outageToleranceMs, nowMs);
  try {
    for (const rule of rules) restoreRule(rule, q, nowMs, opts, logger);
  } finally {
    q.close();
  }
}

function restoreRule(
  rule: AlertingRule,
  q: Querier,
  nowMs: number,
  opts: RestoreOptions,
  logger: Logger,
): void {
  try {
    // A `for` shorter than the grace period is waited out in full instead.
    if (rule.holdDurationMs < opts.forGracePeriodMs) return;
    let series: Map<string, Series>;
    try {
      series = forStateSeries(rule, q);
    } catch (err) {
      logger.error("Failed to restore 'for' state", {
        alertname: rule.name,
        stage: "Select",
        err: String(err),
      });
      return;
    }
    if (series.size === 0) return;
    for (const a of rule.active.values()) {
      const s = series.get(a.labels.toString());
      if (s === undefined) continue;
      let last: { t: number; v: number } | null;
      try {
        last = lastSample(s);
      } catch (err) {
        logger.error("Failed to restore 'for' state", {
          alertname: rule.name,
          stage: "Iterator",
          err: String(err),
        });
        continue;
      }
      // No sample, or the alert was not active when Vigil stopped.
      if (last === null) continue;
      // Upstream works in whole seconds here.
      const downAt = Math.trunc(last.t / 1000) * 1000;
      const activeAt = Math.trunc(last.v) * 1000;
      a.activeAt = restoredActiveAt(activeAt, downAt, nowMs, rule.holdDurationMs, opts.forGracePeriodMs);
      logger.debug("'for' state restored", {
        alertname: rule.name,
        restored_time: new Date(a.activeAt).toISOString(),
        labels: a.labels.toString(),
      });
    }
  } finally {
    rule.restored = true;
  }
}
