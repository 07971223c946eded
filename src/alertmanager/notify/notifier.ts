/**
 * The contract between the notification pipeline and the integrations
 * (`receivers/`, `webhook/`): upstream's `notify.Notifier`, `notify.Integration`
 * and the values upstream carries in the `context.Context` of a flush.
 */
import type { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import type { Alert, LabelSet } from "../types/types.ts";

/** What a stage or integration knows about the flush it serves (upstream's context values). */
export interface NotifyContext {
  /** The aggregation group's key, e.g. `{}/{team="a"}:{alertname="X"}`. */
  readonly groupKey: string;
  /** The receiver's name from `alertmanager.yml`. */
  readonly receiverName: string;
  /** The labels the group is keyed by (the route's `group_by` values). */
  readonly groupLabels: LabelSet;
  /** The route's `repeat_interval`, ms. */
  readonly repeatInterval: number;
  /** The flush time, ms since the epoch: alerts resolve relative to it. */
  readonly now: number;
  /** The route's ID (`Route.id()`), used by the time-interval stages and markers. */
  readonly routeID: string;
  /** Aborted when the flush's deadline (the group_interval) passes or the dispatcher stops. */
  readonly signal: AbortSignal;
  /** The configuration's notification templates (`templates:` plus the defaults). */
  readonly templates: AlertmanagerTemplates;
  /** Fingerprints of the firing alerts of this notification (set by the dedup stage; empty before it). */
  readonly firingAlerts: readonly bigint[];
  /** Fingerprints of the resolved alerts of this notification (set by the dedup stage; empty before it). */
  readonly resolvedAlerts: readonly bigint[];
  /** Names of the `mute_time_intervals` of the route. */
  readonly muteTimeIntervals: readonly string[];
  /** Names of the `active_time_intervals` of the route. */
  readonly activeTimeIntervals: readonly string[];
  /**
   * Why the dedup stage lets this notification through, upstream's wire
   * strings: "first notification", "new alerts added", "some alerts resolved",
   * "all alerts resolved", "repeat interval elapsed" ("" before the dedup stage).
   * Webhooks send it as `notification_reason`; templates see `.NotificationReason`.
   */
  readonly notificationReason: string;
}

/**
 * The outcome of one delivery attempt: `retry` true when the failure is
 * transient (e.g. an HTTP 5xx, a network error), false for a permanent one
 * (HTTP 4xx) or for success. `error` unset means delivered.
 */
export interface NotifyResult {
  readonly retry: boolean;
  readonly error?: Error;
}

/**
 * Upstream's `notify.Notifier`: delivers one notification for `alerts` (all
 * of one group, firing and resolved, in the group's order). Must not throw:
 * failures are returned. Must honour `ctx.signal` (abort in-flight requests).
 */
export interface Notifier {
  notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult>;
}

/** Upstream's `notify.Integration`: one `<type>_configs` entry of a receiver. */
export interface Integration {
  /** The config family without `_configs`: "webhook", "email", "slack", … (the `integration` metric label). */
  readonly name: string;
  /** Position of the entry within its family's list in the receiver. */
  readonly index: number;
  readonly notifier: Notifier;
  /** The entry's `send_resolved`. */
  readonly sendResolved: boolean;
}

/**
 * Upstream's `ErrorWithReason`: an integration may return it so
 * `alertmanager_notifications_failed_total{reason}` names the cause. Other
 * errors count as reason "other".
 */
export class NotifyError extends Error {
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NotifyError";
    this.reason = reason;
  }
}

/** Upstream's `Reason` values, as metric label values. */
export type FailureReason =
  | "other"
  | "clientError"
  | "serverError"
  | "contextCanceled"
  | "contextDeadlineExceeded";

/** The reason of an HTTP status: 4xx clientError, 5xx serverError, else other (upstream's `GetFailureReasonFromStatusCode`). */
export function reasonFromStatus(status: number): FailureReason {
  if (status >= 400 && status < 500) return "clientError";
  if (status >= 500 && status < 600) return "serverError";
  return "other";
}
