/**
 * Chat integrations posting to a webhook or bot API: `msteams_configs`,
 * `msteamsv2_configs`, `discord_configs` and `telegram_configs`.
 */
import { bool, filePath, integer, secret, str } from "../../../config/decode.ts";
import { amURL, atMostOne, exactlyOne, isSet, secretURL } from "../common.ts";
import type { DiscordConfig, MSTeamsConfig, MSTeamsV2Config, TelegramConfig } from "../types.ts";
import { type Draft, integration, notifierFields, tmpl } from "./notifier.ts";

const webhookURLFields = {
  webhook_url: { schema: secretURL },
  webhook_url_file: { schema: filePath },
} as const;

function checkWebhookURL(d: Draft, site: Parameters<typeof exactlyOne>[0]): void {
  exactlyOne(site, "webhook_url", "webhook_url_file", d.webhook_url, d.webhook_url_file);
}

/** One `msteams_configs` entry (Office 365 connectors). */
export const msteamsConfigSchema = integration<MSTeamsConfig>(
  "msteams.plain",
  {
    ...notifierFields(true),
    ...webhookURLFields,
    title: { schema: str, default: tmpl("msteams.default.title") },
    summary: { schema: str, default: tmpl("msteams.default.summary") },
    text: { schema: str, default: tmpl("msteams.default.text") },
  },
  checkWebhookURL,
);

/** One `msteamsv2_configs` entry (Workflows / adaptive cards). */
export const msteamsv2ConfigSchema = integration<MSTeamsV2Config>(
  "config.plain",
  {
    ...notifierFields(true),
    ...webhookURLFields,
    title: { schema: str, default: tmpl("msteamsv2.default.title") },
    text: { schema: str, default: tmpl("msteamsv2.default.text") },
  },
  checkWebhookURL,
);

/** One `discord_configs` entry. */
export const discordConfigSchema = integration<DiscordConfig>(
  "discord.plain",
  {
    ...notifierFields(true),
    ...webhookURLFields,
    content: { schema: str },
    title: { schema: str, default: tmpl("discord.default.title") },
    message: { schema: str, default: tmpl("discord.default.message") },
    username: { schema: str },
    avatar_url: { schema: str },
  },
  checkWebhookURL,
);

const PARSE_MODES = ["", "Markdown", "MarkdownV2", "HTML"];

/** One `telegram_configs` entry (`bot_token` may come from `global.telegram_bot_token`). */
export const telegramConfigSchema = integration<TelegramConfig>(
  "config.plain",
  {
    ...notifierFields(true),
    api_url: { schema: amURL },
    bot_token: { schema: secret },
    bot_token_file: { schema: filePath },
    chat_id: { schema: integer("int64") },
    chat_id_file: { schema: filePath },
    message_thread_id: { schema: integer("int") },
    message: { schema: str, default: tmpl("telegram.default.message") },
    disable_notifications: { schema: bool },
    parse_mode: { schema: str, default: "HTML" },
  },
  (d, site) => {
    atMostOne(site, "bot_token", "bot_token_file", d.bot_token, d.bot_token_file);
    if (d.chat_id === 0 && !isSet(d.chat_id_file)) {
      throw site.error("missing chat_id or chat_id_file on telegram_config", "chat_id");
    }
    if (d.chat_id !== 0) atMostOne(site, "chat_id", "chat_id_file", d.chat_id, d.chat_id_file);
    if (!PARSE_MODES.includes(d.parse_mode as string)) {
      throw site.error(
        "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string",
        "parse_mode",
      );
    }
  },
);
