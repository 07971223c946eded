/**
 * Upstream's `notify.GetTemplateData`: the template data of one notification
 * (receiver, status, alerts, notification reason, group/common labels,
 * common annotations, external URL) from the flush's context.
 */
import type { Data, PlainAlert } from "../../template/amdata.ts";
import type { Alert } from "../types/types.ts";
import type { NotifyContext } from "./notifier.ts";

/** The alerts as the template package takes them. */
export function plainAlerts(alerts: readonly Alert[]): PlainAlert[] {
  return alerts.map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAtMs: a.startsAt,
    endsAtMs: a.endsAt,
    generatorURL: a.generatorURL,
  }));
}

/** The `Data` templates and the webhook payload are built from; alerts resolve relative to `ctx.now`. */
export function templateData(ctx: NotifyContext, alerts: readonly Alert[]): Data {
  return ctx.templates.data({
    receiver: ctx.receiverName,
    groupLabels: ctx.groupLabels,
    alerts: plainAlerts(alerts),
    notificationReason: ctx.notificationReason,
    nowMs: ctx.now,
  });
}
