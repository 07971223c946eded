/**
 * Upstream's `BuildReceiverIntegrations`: one {@link Integration} per
 * `<type>_configs` entry of a receiver, for the types Vigil implements
 * (webhook, email, slack, msteams, msteamsv2, discord, telegram, pagerduty,
 * opsgenie), in upstream's order. Other types are reported, not built.
 */
import type { ReceiverConfig } from "../../config/types.ts";
import type { Integration, Notifier } from "../notifier.ts";
import { WebhookNotifier } from "../webhook/webhook.ts";
import { DiscordNotifier } from "./discord.ts";
import { EmailNotifier } from "./email.ts";
import { MSTeamsNotifier, MSTeamsV2Notifier } from "./msteams.ts";
import { OpsGenieNotifier } from "./opsgenie.ts";
import { PagerDutyNotifier } from "./pagerduty.ts";
import { SlackNotifier } from "./slack.ts";
import { TelegramNotifier } from "./telegram.ts";

type Builder = (conf: never) => Notifier;

/** The implemented integrations, keyed by config list name, in upstream's build order. */
const BUILDERS: ReadonlyArray<readonly [keyof ReceiverConfig, string, Builder]> = [
  ["webhook_configs", "webhook", (c) => new WebhookNotifier(c)],
  ["email_configs", "email", (c) => new EmailNotifier(c)],
  ["pagerduty_configs", "pagerduty", (c) => new PagerDutyNotifier(c)],
  ["opsgenie_configs", "opsgenie", (c) => new OpsGenieNotifier(c)],
  ["slack_configs", "slack", (c) => new SlackNotifier(c)],
  ["telegram_configs", "telegram", (c) => new TelegramNotifier(c)],
  ["discord_configs", "discord", (c) => new DiscordNotifier(c)],
  ["msteams_configs", "msteams", (c) => new MSTeamsNotifier(c)],
  ["msteamsv2_configs", "msteamsv2", (c) => new MSTeamsV2Notifier(c)],
];

const IMPLEMENTED = new Set(BUILDERS.map(([key]) => key));

/** The result of {@link buildIntegrations}. */
export interface BuiltReceiver {
  readonly integrations: readonly Integration[];
  /** `<type>_configs` keys present in the receiver that Vigil cannot send to (e.g. `pushover_configs`). */
  readonly unsupported: readonly string[];
}

/**
 * The integrations of `receiver`. Throws when one cannot be built (an
 * unreadable TLS file in `http_config`, oauth2), as upstream fails the
 * config load.
 */
export function buildIntegrations(receiver: ReceiverConfig): BuiltReceiver {
  const integrations: Integration[] = [];
  for (const [key, name, build] of BUILDERS) {
    const confs = receiver[key] as readonly { readonly send_resolved: boolean }[];
    confs.forEach((conf, index) => {
      integrations.push({ name, index, notifier: build(conf as never), sendResolved: conf.send_resolved });
    });
  }
  const unsupported = Object.entries(receiver)
    .filter(
      ([k, v]) =>
        k.endsWith("_configs") &&
        !IMPLEMENTED.has(k as keyof ReceiverConfig) &&
        Array.isArray(v) &&
        v.length > 0,
    )
    .map(([k]) => k);
  return { integrations, unsupported };
}
