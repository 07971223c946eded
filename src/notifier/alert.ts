/**
 * What the notifier sends and what the rules hand it, upstream's
 * `notifier.Alert` and the fields of `rules.Alert` that `sendAlerts` reads,
 * plus `relabelAlerts` (external labels, then relabeling).
 */
import { type Labels, LabelsBuilder } from "../model/labels/labels.ts";
import { processBuilder } from "../relabel/process.ts";
import type { RelabelConfig } from "../relabel/relabel.ts";

/**
 * One alert as sent to Alertmanagers, upstream's `notifier.Alert`. `labels`
 * must hold at least `alertname`. Both ends of the time range are optional
 * (null: Go's zero time, which Alertmanager reads as unset).
 */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  /** "" when there is none (the field is then left out of the payload). */
  readonly generatorURL: string;
}

/** The state of an alert of an alerting rule, as upstream names it. */
export type RuleAlertState = "pending" | "firing" | "inactive";

/**
 * An alert of an alerting rule as the rules manager hands it to the notify
 * function (upstream's `rules.Alert`). `firedAt` is set once the alert fired;
 * `resolvedAt` once it stopped firing; `validUntil` is how long Alertmanager
 * may consider it active without hearing from us again.
 */
export interface RuleAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: RuleAlertState;
  readonly activeAt: Date;
  readonly firedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly validUntil: Date;
  readonly lastSentAt?: Date;
}

/**
 * The rules' notify function: called after each evaluation of an alerting
 * rule with its expression (as printed) and the alerts due for sending.
 */
export type NotifyFunc = (expr: string, alerts: readonly RuleAlert[]) => void;

/**
 * Upstream's `relabelAlerts`: adds each external label the alert lacks (an
 * alert's own label wins), then applies `configs`. Alerts a config drops are
 * left out; the others are copies with the new labels (inputs are not changed).
 */
export function relabelAlerts(
  configs: readonly RelabelConfig[],
  externalLabels: Labels,
  alerts: readonly Alert[],
): Alert[] {
  if (configs.length === 0 && externalLabels.size === 0) return [...alerts];
  const lb = new LabelsBuilder();
  const out: Alert[] = [];
  for (const a of alerts) {
    lb.reset(a.labels);
    externalLabels.forEach((name, value) => {
      if (a.labels.get(name) === "") lb.set(name, value);
    });
    if (!processBuilder(lb, configs)) continue;
    out.push({ ...a, labels: lb.labels() });
  }
  return out;
}
