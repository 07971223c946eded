/**
 * A `receivers` entry: a name, optional labels, and one list per
 * integration type, keyed `<type>_configs` — the registry
 * {@link INTEGRATION_SCHEMAS}, in upstream's marshal order.
 */
import { type Fields, labelSet, list, object, type Schema, type Site, str } from "../../../config/decode.ts";
import { goQuote } from "../../../model/labels/strings.ts";
import type { ReceiverConfig } from "../types.ts";
import {
  discordConfigSchema,
  msteamsConfigSchema,
  msteamsv2ConfigSchema,
  telegramConfigSchema,
} from "./chat.ts";
import { emailConfigSchema } from "./email.ts";
import { opsgenieConfigSchema, pagerdutyConfigSchema } from "./incident.ts";
import { mattermostConfigSchema } from "./mattermost.ts";
import {
  jiraConfigSchema,
  pushoverConfigSchema,
  rocketchatConfigSchema,
  snsConfigSchema,
  victoropsConfigSchema,
  webexConfigSchema,
  wechatConfigSchema,
} from "./others.ts";
import { slackConfigSchema } from "./slack.ts";
import { incidentioConfigSchema, webhookConfigSchema } from "./webhook.ts";

/** The `<type>_configs` keys of a receiver. */
export type IntegrationKey = Exclude<keyof ReceiverConfig, "name" | "labels">;

/** Every integration type upstream 0.33 knows, keyed by its config list name, in marshal order. */
export const INTEGRATION_SCHEMAS: Readonly<Record<IntegrationKey, Schema<unknown>>> = {
  discord_configs: discordConfigSchema as Schema<unknown>,
  email_configs: emailConfigSchema as Schema<unknown>,
  incidentio_configs: incidentioConfigSchema as Schema<unknown>,
  pagerduty_configs: pagerdutyConfigSchema as Schema<unknown>,
  slack_configs: slackConfigSchema as Schema<unknown>,
  webhook_configs: webhookConfigSchema as Schema<unknown>,
  opsgenie_configs: opsgenieConfigSchema as Schema<unknown>,
  wechat_configs: wechatConfigSchema as Schema<unknown>,
  pushover_configs: pushoverConfigSchema as Schema<unknown>,
  victorops_configs: victoropsConfigSchema as Schema<unknown>,
  sns_configs: snsConfigSchema as Schema<unknown>,
  telegram_configs: telegramConfigSchema as Schema<unknown>,
  webex_configs: webexConfigSchema as Schema<unknown>,
  msteams_configs: msteamsConfigSchema as Schema<unknown>,
  msteamsv2_configs: msteamsv2ConfigSchema as Schema<unknown>,
  jira_configs: jiraConfigSchema as Schema<unknown>,
  rocketchat_configs: rocketchatConfigSchema as Schema<unknown>,
  mattermost_configs: mattermostConfigSchema as Schema<unknown>,
};

/** The integration keys in marshal order. */
export const INTEGRATION_KEYS = Object.keys(INTEGRATION_SCHEMAS) as IntegrationKey[];

const fields: Fields<Record<string, unknown>> = {
  name: { schema: str, omit: "never" },
  labels: { schema: labelSet },
  ...Object.fromEntries(INTEGRATION_KEYS.map((key) => [key, { schema: list(INTEGRATION_SCHEMAS[key]) }])),
};

function finish(draft: Record<string, unknown>, site: Site): ReceiverConfig {
  const name = draft.name as string;
  if (name === "") throw site.error("missing name in receiver", "name");
  const labels = draft.labels as Record<string, string>;
  if (Object.hasOwn(labels, "name") && labels.name !== name) {
    throw site.error(
      `receiver label "name" must match receiver name ${goQuote(name)}, got ${goQuote(labels.name)}`,
      "labels",
    );
  }
  draft.labels = { ...labels, name };
  return draft as unknown as ReceiverConfig;
}

/** One receiver. */
export const receiverSchema: Schema<ReceiverConfig> = object<ReceiverConfig>(
  "config.plain",
  fields as never,
  {
    finish,
  },
);

/** The number of integrations a receiver has (0 for a "blackhole" receiver). */
export function integrationCount(r: ReceiverConfig): number {
  return INTEGRATION_KEYS.reduce((n, k) => n + r[k].length, 0);
}
