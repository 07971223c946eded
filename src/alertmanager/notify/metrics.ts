/**
 * The notification pipeline's metrics (upstream's `notify.Metrics`, without
 * the `receiver-names-in-metrics` feature flag): names, help texts, labels
 * and buckets as Alertmanager 0.33 exposes them.
 */
import { Counter, Histogram, type Registry } from "prom-client";
import type { FailureReason } from "./notifier.ts";

/** Every integration name upstream initialises the series of (so they read 0 before use). */
export const INTEGRATION_NAMES = [
  "email",
  "pagerduty",
  "wechat",
  "pushover",
  "slack",
  "opsgenie",
  "webhook",
  "victorops",
  "sns",
  "telegram",
  "discord",
  "webex",
  "msteams",
  "msteamsv2",
  "incidentio",
  "jira",
  "rocketchat",
  "mattermost",
] as const;

const FAILURE_REASONS: readonly FailureReason[] = [
  "other",
  "clientError",
  "serverError",
  "contextCanceled",
  "contextDeadlineExceeded",
];

/** Upstream's `SuppressedReason*` label values. */
export type SuppressedReason = "silence" | "inhibition" | "mute_time_interval" | "active_time_interval" | "";

/** The counters and histogram the stages update. */
export interface NotifyMetrics {
  readonly notifications: Counter<"integration">;
  readonly failedNotifications: Counter<"integration" | "reason">;
  readonly requests: Counter<"integration">;
  readonly failedRequests: Counter<"integration">;
  readonly suppressed: Counter<"reason">;
  readonly latency: Histogram<"integration">;
}

/** Registers the pipeline's metrics on `registry` (once per registry) and initialises every integration's series. */
export function newNotifyMetrics(registry: Registry): NotifyMetrics {
  const registers = [registry];
  const integration = ["integration"] as const;
  const m: NotifyMetrics = {
    notifications: new Counter({
      name: "alertmanager_notifications_total",
      help: "The total number of attempted notifications.",
      labelNames: integration,
      registers,
    }),
    failedNotifications: new Counter({
      name: "alertmanager_notifications_failed_total",
      help: "The total number of failed notifications.",
      labelNames: ["integration", "reason"] as const,
      registers,
    }),
    requests: new Counter({
      name: "alertmanager_notification_requests_total",
      help: "The total number of attempted notification requests.",
      labelNames: integration,
      registers,
    }),
    failedRequests: new Counter({
      name: "alertmanager_notification_requests_failed_total",
      help: "The total number of failed notification requests.",
      labelNames: integration,
      registers,
    }),
    suppressed: new Counter({
      name: "alertmanager_notifications_suppressed_total",
      help: "The total number of notifications suppressed for being silenced, inhibited, outside of active time intervals or within muted time intervals.",
      labelNames: ["reason"] as const,
      registers,
    }),
    latency: new Histogram({
      name: "alertmanager_notification_latency_seconds",
      help: "The latency of notifications in seconds.",
      labelNames: integration,
      buckets: [1, 5, 10, 15, 20],
      registers,
    }),
  };
  for (const name of INTEGRATION_NAMES) {
    m.notifications.inc({ integration: name }, 0);
    m.requests.inc({ integration: name }, 0);
    m.failedRequests.inc({ integration: name }, 0);
    m.latency.zero({ integration: name });
    for (const reason of FAILURE_REASONS) m.failedNotifications.inc({ integration: name, reason }, 0);
  }
  return m;
}
