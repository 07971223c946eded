/**
 * One batch to every Alertmanager of every set at once, upstream's
 * `sendAll`: each set applies its own `alert_relabel_configs` first (the
 * payload is shared between sets without any), every endpoint is posted to
 * concurrently, and every attempt is counted in `sent_total`, observed in
 * `latency_seconds` (since the batch began) and, when it failed, logged and
 * counted in `errors_total`.
 */
import type { Logger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { type Alert, relabelAlerts } from "./alert.ts";
import type { NotifierMetrics } from "./metrics.ts";
import { encodePostableAlerts } from "./openapi.ts";
import { postAlerts } from "./send.ts";
import type { AlertmanagerSet } from "./set.ts";

/** What {@link sendAll} reports to. */
export interface SendContext {
  readonly userAgent: string;
  readonly logger: Logger;
  readonly metrics: NotifierMetrics;
}

/**
 * Sends `alerts` to every set of `sets`. Resolves true when each set that had
 * something to send (endpoints, and alerts left after its relabeling) reached
 * at least one of its Alertmanagers; the caller then counts the batch dropped.
 */
export async function sendAll(
  sets: ReadonlyMap<string, AlertmanagerSet>,
  alerts: readonly Alert[],
  ctx: SendContext,
): Promise<boolean> {
  if (alerts.length === 0) return true;
  const begin = performance.now();
  let shared: string | undefined;
  const covered = new Map<string, boolean>();
  const posts: Promise<void>[] = [];
  for (const [name, set] of sets) {
    if (set.active.length === 0) continue;
    let amAlerts = alerts;
    let payload: string;
    if (set.cfg.alert_relabel_configs.length > 0) {
      amAlerts = relabelAlerts(set.cfg.alert_relabel_configs, Labels.EMPTY, alerts);
      if (amAlerts.length === 0) continue;
      payload = encodePostableAlerts(amAlerts);
    } else {
      shared ??= encodePostableAlerts(alerts);
      payload = shared;
    }
    covered.set(name, false);
    for (const am of set.active) {
      const post = postOne(set, am.url, payload, amAlerts.length, begin, ctx);
      posts.push(post.then((ok) => void (ok && covered.set(name, true))));
    }
  }
  await Promise.all(posts);
  for (const ok of covered.values()) if (!ok) return false;
  return true;
}

async function postOne(
  set: AlertmanagerSet,
  url: string,
  body: string,
  count: number,
  begin: number,
  ctx: SendContext,
): Promise<boolean> {
  let ok = true;
  try {
    await postAlerts({
      url,
      body,
      timeoutMs: set.cfg.timeout,
      userAgent: ctx.userAgent,
      config: set.cfg,
      dispatcher: set.dispatcher,
    });
  } catch (err) {
    ok = false;
    ctx.logger.error("Error sending alerts", { alertmanager: url, count, err: (err as Error).message });
    ctx.metrics.errors.inc({ alertmanager: url }, count);
  }
  ctx.metrics.latency.observe({ alertmanager: url }, (performance.now() - begin) / 1000);
  ctx.metrics.sent.inc({ alertmanager: url }, count);
  return ok;
}
