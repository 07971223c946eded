/**
 * `slack_configs`: an incoming webhook (`api_url[_file]`) or a bot token
 * (`app_token[_file]`, posting to `app_url`), the attachment's templates,
 * fields and actions with upstream's checks.
 */
import { bool, filePath, list, object, type Schema, type Site, secret, str } from "../../../config/decode.ts";
import { amURL, atMostOne, isSet, secretURL, timeDuration } from "../common.ts";
import type { SlackAction, SlackConfig, SlackField } from "../types.ts";
import { integration, notifierFields, tmpl } from "./notifier.ts";

/** Slack's `chat.postMessage`, the only endpoint `update_message` works with. */
export const SLACK_POST_MESSAGE_URL = "https://slack.com/api/chat.postMessage";

function required(site: Site, d: Record<string, unknown>, key: string, what: string): void {
  if (d[key] === "") throw site.error(`missing ${key} in Slack ${what} configuration`, key);
}

const fieldSchema: Schema<SlackField> = object<SlackField>(
  "config.plain",
  {
    title: { schema: str },
    value: { schema: str },
    short: { schema: bool, omit: "nil", default: undefined },
  },
  {
    finish: (d, site) => {
      required(site, d, "title", "field");
      required(site, d, "value", "field");
      return d as unknown as SlackField;
    },
  },
);

type Confirm = NonNullable<SlackAction["confirm"]>;

const confirmSchema: Schema<Confirm> = object<Confirm>(
  "config.plain",
  {
    text: { schema: str },
    title: { schema: str },
    ok_text: { schema: str },
    dismiss_text: { schema: str },
  },
  {
    finish: (d, site) => {
      required(site, d, "text", "confirmation");
      return d as unknown as Confirm;
    },
  },
);

const actionSchema: Schema<SlackAction> = object<SlackAction>(
  "config.plain",
  {
    type: { schema: str },
    text: { schema: str },
    url: { schema: str },
    style: { schema: str },
    name: { schema: str },
    value: { schema: str },
    confirm: { schema: confirmSchema, omit: "nil", default: undefined },
  },
  {
    finish: (d, site) => {
      required(site, d, "text", "action");
      required(site, d, "type", "action");
      if (d.url === "" && d.name === "")
        throw site.error("missing name or url in Slack action configuration");
      // A link button has no name, value or confirmation; upstream drops them.
      if (d.url !== "") Object.assign(d, { name: "", value: "", confirm: undefined });
      return d as unknown as SlackAction;
    },
  },
);

function check(d: Record<string, unknown>, site: Site): void {
  atMostOne(site, "api_url", "api_url_file", d.api_url, d.api_url_file);
  atMostOne(site, "app_token", "app_token_file", d.app_token, d.app_token_file);
  const hasURL = isSet(d.api_url) || isSet(d.api_url_file);
  const hasToken = isSet(d.app_token) || isSet(d.app_token_file);
  if (hasURL && hasToken) {
    throw site.error("at most one of api_url/api_url_file & app_token/app_token_file must be configured");
  }
  if (d.update_message === true && isSet(d.api_url) && d.api_url !== SLACK_POST_MESSAGE_URL) {
    throw site.error(
      `update_message can only be used with bot tokens. api_url must be set to ${SLACK_POST_MESSAGE_URL}`,
      "update_message",
    );
  }
}

/** One `slack_configs` entry (`send_resolved` defaults to false). */
export const slackConfigSchema = integration<SlackConfig>(
  "config.plain",
  {
    ...notifierFields(false),
    api_url: { schema: secretURL },
    api_url_file: { schema: filePath },
    app_token: { schema: secret },
    app_token_file: { schema: filePath },
    app_url: { schema: amURL },
    channel: { schema: str },
    username: { schema: str, default: tmpl("slack.default.username") },
    color: { schema: str, default: tmpl("slack.default.color") },
    title: { schema: str, default: tmpl("slack.default.title") },
    title_link: { schema: str, default: tmpl("slack.default.titlelink") },
    pretext: { schema: str, default: tmpl("slack.default.pretext") },
    text: { schema: str, default: tmpl("slack.default.text") },
    message_text: { schema: str },
    fields: { schema: list(fieldSchema) },
    short_fields: { schema: bool, omit: "never" },
    footer: { schema: str, default: tmpl("slack.default.footer") },
    fallback: { schema: str, default: tmpl("slack.default.fallback") },
    callback_id: { schema: str, default: tmpl("slack.default.callbackid") },
    icon_emoji: { schema: str, default: tmpl("slack.default.iconemoji") },
    icon_url: { schema: str, default: tmpl("slack.default.iconurl") },
    image_url: { schema: str },
    thumb_url: { schema: str },
    link_names: { schema: bool, omit: "never" },
    mrkdwn_in: { schema: list(str) },
    actions: { schema: list(actionSchema) },
    update_message: { schema: bool, omit: "never" },
    timeout: { schema: timeDuration, omit: "never" },
  },
  check,
);
