/**
 * The webhook integration (upstream's `notify/webhook`): POSTs the
 * notification's template data as JSON, plus `version` "4", `groupKey` and
 * `truncatedAlerts`, to `url` (or the trimmed contents of `url_file`, read
 * per notification). `max_alerts` keeps the first N alerts; `timeout` bounds
 * one request. 2xx succeeds, 5xx and network errors are retried, any other
 * status fails for good.
 */
import { readFile } from "node:fs/promises";
import { goJSON, jsonString } from "../../../template/gojson.ts";
import { formatGoDuration } from "../../config/common.ts";
import type { WebhookConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import { templateData } from "../data.ts";
import type { Notifier, NotifyContext, NotifyResult } from "../notifier.ts";
import { checkStatus, HTTPClient, transportFailure } from "../receivers/http.ts";

/** Upstream's `truncateAlerts`: the first `max` alerts (all for 0) and how many were cut. */
export function truncateAlerts(
  max: number,
  alerts: readonly Alert[],
): { alerts: readonly Alert[]; truncated: number } {
  if (max !== 0 && alerts.length > max)
    return { alerts: alerts.slice(0, max), truncated: alerts.length - max };
  return { alerts, truncated: 0 };
}

/**
 * The request body, byte for byte as Go's `json.Encoder` writes upstream's
 * `Message` (the `Data` fields, then version, groupKey, truncatedAlerts; a
 * trailing newline).
 */
export function webhookBody(ctx: NotifyContext, alerts: readonly Alert[], truncated: number): string {
  const data = goJSON(templateData(ctx, alerts));
  const extra = `"version":"4","groupKey":${jsonString(ctx.groupKey)},"truncatedAlerts":${truncated}`;
  return `${data.slice(0, -1)},${extra}}\n`;
}

/** A webhook notifier for one `webhook_configs` entry. */
export class WebhookNotifier implements Notifier {
  readonly #conf: WebhookConfig;
  readonly #client: HTTPClient;

  /** Throws when `http_config` cannot be honoured (an unreadable TLS file, oauth2). */
  constructor(conf: WebhookConfig) {
    this.#conf = conf;
    this.#client = new HTTPClient(conf.http_config);
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const t = truncateAlerts(this.#conf.max_alerts, alerts);
    const body = webhookBody(ctx, t.alerts, t.truncated);
    let url = this.#conf.url;
    if (url === "") {
      try {
        url = (await readFile(this.#conf.url_file, "utf8")).trim();
      } catch (e) {
        return { retry: false, error: new Error(`read url_file: ${(e as Error).message}`, { cause: e }) };
      }
    }
    const timeout = this.#conf.timeout > 0 ? AbortSignal.timeout(this.#conf.timeout) : undefined;
    const signal = timeout === undefined ? ctx.signal : AbortSignal.any([ctx.signal, timeout]);
    try {
      return checkStatus(await this.#client.send({ url, body, signal }));
    } catch (e) {
      if (timeout?.aborted === true && !ctx.signal.aborted) {
        const msg = `${(e as Error).message}: configured webhook timeout reached (${formatGoDuration(this.#conf.timeout)})`;
        return transportFailure(new Error(msg, { cause: e }));
      }
      return transportFailure(e);
    }
  }
}
