/**
 * `webhook_configs` and `incidentio_configs`: an HTTP endpoint (inline or in
 * a file) receiving the alert group as JSON, with `max_alerts` and a timeout.
 */
import { filePath, integer, secret } from "../../../config/decode.ts";
import { amURL, anyValue, atMostOne, exactlyOne, timeDuration, webhookURL } from "../common.ts";
import type { GenericNotifierConfig, WebhookConfig } from "../types.ts";
import { integration, notifierFields } from "./notifier.ts";

const uint64 = integer("uint64");

/** One `webhook_configs` entry (`send_resolved` defaults to true). */
export const webhookConfigSchema = integration<WebhookConfig>(
  "webhook.plain",
  {
    ...notifierFields(true),
    url: { schema: webhookURL },
    url_file: { schema: filePath, omit: "never" },
    max_alerts: { schema: uint64, omit: "never" },
    timeout: { schema: timeDuration, omit: "never" },
    payload: { schema: anyValue, omit: "zero", default: undefined },
  },
  (d, site) => exactlyOne(site, "url", "url_file", d.url, d.url_file),
);

/** One `incidentio_configs` entry. */
export const incidentioConfigSchema = integration<GenericNotifierConfig>(
  "incidentio.plain",
  {
    ...notifierFields(true),
    url: { schema: amURL, omit: "never" },
    url_file: { schema: filePath, omit: "never" },
    alert_source_token: { schema: secret },
    alert_source_token_file: { schema: filePath },
    max_alerts: { schema: uint64, omit: "never" },
    timeout: { schema: timeDuration, omit: "never" },
  },
  (d, site) => {
    exactlyOne(site, "url", "url_file", d.url, d.url_file);
    atMostOne(
      site,
      "alert_source_token",
      "alert_source_token_file",
      d.alert_source_token,
      d.alert_source_token_file,
    );
  },
);
