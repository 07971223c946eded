/**
 * The bridge from the rules to the notifier, upstream's `rules.SendAlerts`
 * (`cmd/prometheus` wires it as the rule manager's notify function).
 */
import { queryEscape } from "../scrape/target.ts";
import type { Alert, NotifyFunc, RuleAlert } from "./alert.ts";

/** What {@link sendAlerts} needs of the notifier: `NotifierManager` satisfies it. */
export interface AlertSender {
  send(...alerts: Alert[]): void;
}

/**
 * Upstream's `strutil.TableLinkForExpression`, the path of the generator URL:
 * `/graph?g0.expr=<expr, query-escaped>&g0.tab=1` (Prometheus 3.5's form).
 */
export function tableLinkForExpression(expr: string): string {
  return `/graph?g0.expr=${queryEscape(expr)}&g0.tab=1`;
}

/** One rule alert as the notifier sends it: endsAt is `resolvedAt` once resolved, else `validUntil`. */
export function toNotifierAlert(alert: RuleAlert, generatorURL: string): Alert {
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.firedAt,
    endsAt: alert.resolvedAt ?? alert.validUntil,
    generatorURL,
  };
}

/**
 * The rules' notify function sending through `sender`: each alert's
 * `generatorURL` is `externalURL` (no trailing slash, as `--web.external-url`
 * is normalised) followed by {@link tableLinkForExpression}. Nothing is sent
 * for an empty list.
 */
export function sendAlerts(sender: AlertSender, externalURL: string): NotifyFunc {
  return (expr, alerts) => {
    if (alerts.length === 0) return;
    const url = externalURL + tableLinkForExpression(expr);
    sender.send(...alerts.map((a) => toNotifierAlert(a, url)));
  };
}
