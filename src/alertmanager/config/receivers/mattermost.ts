/**
 * `mattermost_configs`: an incoming webhook (inline, in a file, or from
 * `global.mattermost_webhook_url[_file]`) with a message and attachments.
 */
import { bool, filePath, list, object, type Schema, str } from "../../../config/decode.ts";
import { atMostOne, secretURL } from "../common.ts";
import type { GenericNotifierConfig } from "../types.ts";
import { integration, notifierFields, tmpl } from "./notifier.ts";

const fieldSchema: Schema<Readonly<Record<string, unknown>>> = object(
  "mattermost.plain",
  {
    title: { schema: str },
    value: { schema: str },
    short: { schema: bool, omit: "nil", default: undefined },
  },
  {
    finish: (d, site) => {
      if (d.title === "") throw site.error("missing title in Mattermost field configuration", "title");
      if (d.value === "") throw site.error("missing value in Mattermost field configuration", "value");
      return d;
    },
  },
);

const attachmentFields = {
  fallback: { schema: str },
  color: { schema: str },
  pretext: { schema: str },
  text: { schema: str },
  author_name: { schema: str },
  author_link: { schema: str },
  author_icon: { schema: str },
  title: { schema: str },
  title_link: { schema: str },
  fields: { schema: list(fieldSchema) },
  thumb_url: { schema: str },
  footer: { schema: str },
  footer_icon: { schema: str },
  image_url: { schema: str },
} as const;

const attachmentSchema = object("mattermost.MattermostAttachment", attachmentFields);

const propsSchema = object("mattermost.MattermostProps", { card: { schema: str } });

const prioritySchema = object("mattermost.MattermostPriority", {
  priority: { schema: str },
  requested_ack: { schema: bool },
  persistent_notifications: { schema: bool },
});

/** One `mattermost_configs` entry. */
export const mattermostConfigSchema = integration<GenericNotifierConfig>(
  "mattermost.plain",
  {
    ...notifierFields(true),
    webhook_url: { schema: secretURL },
    webhook_url_file: { schema: filePath },
    channel: { schema: str },
    username: { schema: str, default: tmpl("mattermost.default.username") },
    text: { schema: str, default: tmpl("mattermost.default.text") },
    fallback: { schema: str, default: tmpl("mattermost.default.fallback") },
    color: { schema: str, default: tmpl("mattermost.default.color") },
    pretext: { schema: str },
    author_name: { schema: str },
    author_link: { schema: str },
    author_icon: { schema: str },
    title: { schema: str, default: tmpl("mattermost.default.title") },
    title_link: { schema: str, default: tmpl("mattermost.default.titlelink") },
    fields: { schema: list(fieldSchema) },
    thumb_url: { schema: str },
    footer: { schema: str },
    footer_icon: { schema: str },
    image_url: { schema: str },
    icon_url: { schema: str },
    icon_emoji: { schema: str },
    attachments: { schema: list(attachmentSchema) },
    type: { schema: str },
    props: { schema: propsSchema, omit: "nil", default: undefined },
    priority: { schema: prioritySchema, omit: "nil", default: undefined },
  },
  (d, site) => atMostOne(site, "webhook_url", "webhook_url_file", d.webhook_url, d.webhook_url_file),
);
