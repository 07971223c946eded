/**
 * The integrations Vigil decodes, validates and prints but does not (yet)
 * deliver to: `pushover_configs`, `sns_configs`, `victorops_configs`,
 * `webex_configs`, `wechat_configs`, `jira_configs`, `rocketchat_configs`.
 */
import { isScalar } from "yaml";
import {
  bool,
  duration,
  filePath,
  list,
  map,
  object,
  type Schema,
  secret,
  str,
} from "../../../config/decode.ts";
import { goQuote } from "../../../model/labels/strings.ts";
import { amURL, anyValue, atMostOne, exactlyOne, goDuration } from "../common.ts";
import type { GenericNotifierConfig } from "../types.ts";
import { integration, notifierFields, tmpl } from "./notifier.ts";

type G = GenericNotifierConfig;

/** One `pushover_configs` entry. */
export const pushoverConfigSchema = integration<G>(
  "config.plain",
  {
    ...notifierFields(true),
    user_key: { schema: secret },
    user_key_file: { schema: filePath },
    token: { schema: secret },
    token_file: { schema: filePath },
    title: { schema: str, default: tmpl("pushover.default.title") },
    message: { schema: str, default: tmpl("pushover.default.message") },
    url: { schema: str, default: tmpl("pushover.default.url") },
    url_title: { schema: str },
    device: { schema: str },
    sound: { schema: str },
    priority: { schema: str, default: '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}' },
    retry: { schema: goDuration, default: 60_000 },
    expire: { schema: goDuration, default: 3_600_000 },
    ttl: { schema: goDuration },
    html: { schema: bool },
    monospace: { schema: bool },
  },
  (d, site) => {
    exactlyOne(site, "user_key", "user_key_file", d.user_key, d.user_key_file);
    exactlyOne(site, "token", "token_file", d.token, d.token_file);
    if (d.html === true && d.monospace === true)
      throw site.error("at most one of monospace & html must be configured");
  },
);

/** AWS SigV4 settings as Alertmanager prints them (`secret_key` as `<secret>`). */
const sigv4Schema: Schema<Readonly<Record<string, unknown>>> = object("sigv4.plain", {
  region: { schema: str },
  access_key: { schema: str },
  secret_key: { schema: secret },
  profile: { schema: str },
  role_arn: { schema: str },
  external_id: { schema: str },
  use_fips_sts_endpoint: { schema: bool },
  service_name: { schema: str },
});

/** One `sns_configs` entry. */
export const snsConfigSchema = integration<G>(
  "config.plain",
  {
    ...notifierFields(true),
    api_url: { schema: str },
    sigv4: { schema: sigv4Schema, omit: "never" },
    topic_arn: { schema: str },
    phone_number: { schema: str },
    target_arn: { schema: str },
    subject: { schema: str, default: tmpl("sns.default.subject") },
    message: { schema: str, default: tmpl("sns.default.message") },
    attributes: { schema: map(str) },
    use_aws_http_client: { schema: bool },
  },
  (d, site) => {
    if (d.target_arn === "" && d.topic_arn === "" && d.phone_number === "") {
      throw site.error("must provide either a Target ARN, Topic ARN, or Phone Number for SNS config");
    }
    const s = d.sigv4 as Record<string, unknown>;
    if ((s.access_key === "") !== (s.secret_key === "")) {
      throw site.error(
        "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config",
        "sigv4",
      );
    }
  },
);

const VICTOROPS_RESERVED = [
  "routing_key",
  "message_type",
  "state_message",
  "entity_display_name",
  "monitoring_tool",
  "entity_id",
  "entity_state",
];

/** One `victorops_configs` entry. */
export const victoropsConfigSchema = integration<G>(
  "config.plain",
  {
    ...notifierFields(true),
    api_key: { schema: secret },
    api_key_file: { schema: filePath },
    api_url: { schema: amURL },
    routing_key: { schema: str },
    message_type: { schema: str, default: "CRITICAL" },
    state_message: { schema: str, default: tmpl("victorops.default.state_message") },
    entity_display_name: { schema: str, default: tmpl("victorops.default.entity_display_name") },
    monitoring_tool: { schema: str, default: tmpl("victorops.default.monitoring_tool") },
    custom_fields: { schema: map(str) },
  },
  (d, site) => {
    if (d.routing_key === "") throw site.error("missing Routing key in VictorOps config", "routing_key");
    atMostOne(site, "api_key", "api_key_file", d.api_key, d.api_key_file);
    for (const k of Object.keys(d.custom_fields as object)) {
      if (VICTOROPS_RESERVED.includes(k)) {
        throw site.error(
          `victorOps config contains custom field ${k} which cannot be used as it conflicts with the fixed/static fields`,
          "custom_fields",
        );
      }
    }
  },
);

/** One `webex_configs` entry; its own `http_config` must set `authorization`. */
export const webexConfigSchema = integration<G>(
  "config.plain",
  {
    ...notifierFields(true),
    api_url: { schema: amURL },
    message: { schema: str, default: tmpl("webex.default.message") },
    room_id: { schema: str, omit: "never" },
  },
  (d, site) => {
    if (d.room_id === "") throw site.error("missing room_id on webex_config", "room_id");
    const http = d.http_config as { authorization?: unknown } | undefined;
    if (http?.authorization === undefined)
      throw site.error("missing webex_configs.http_config.authorization");
  },
);

const WECHAT_TYPES = /^(text|markdown)$/;

/** One `wechat_configs` entry. */
export const wechatConfigSchema = integration<G>(
  "config.plain",
  {
    ...notifierFields(false),
    api_secret: { schema: secret },
    api_secret_file: { schema: filePath },
    corp_id: { schema: str },
    message: { schema: str, default: tmpl("wechat.default.message") },
    api_url: { schema: amURL },
    to_user: { schema: str, default: tmpl("wechat.default.to_user") },
    to_party: { schema: str, default: tmpl("wechat.default.to_party") },
    to_tag: { schema: str, default: tmpl("wechat.default.to_tag") },
    agent_id: { schema: str, default: tmpl("wechat.default.agent_id") },
    message_type: { schema: str, default: "text" },
  },
  (d, site) => {
    atMostOne(site, "api_secret", "api_secret_file", d.api_secret, d.api_secret_file);
    if (d.message_type === "") d.message_type = "text";
    if (!WECHAT_TYPES.test(d.message_type as string)) {
      throw site.error(
        `weChat message type ${goQuote(d.message_type as string)} does not match valid options ${WECHAT_TYPES.source}`,
        "message_type",
      );
    }
  },
);

type JiraField = { template: string; enable_update?: boolean };

const jiraFieldObject = object<JiraField>("jira.plain", {
  template: { schema: str },
  enable_update: { schema: bool, omit: "nil", default: undefined },
});

/** Jira's summary/description: a template string, or `{template, enable_update}`. */
function jiraFieldSchema(defaultTemplate: string): Schema<JiraField> {
  return {
    typeName: "jira.plain",
    decode(node, ctx, path) {
      if (node === null) return { template: defaultTemplate };
      if (isScalar(node)) return { template: str.decode(node, ctx, path) };
      return jiraFieldObject.decode(node, ctx, path);
    },
    encode: (v) => jiraFieldObject.encode(v),
  };
}

const JIRA_API_TYPES = ["auto", "cloud", "datacenter"];

/** One `jira_configs` entry; `api_url` comes from `global.jira_api_url` when absent. */
export const jiraConfigSchema = integration<G>(
  "jira.plain",
  {
    ...notifierFields(true),
    api_url: { schema: amURL },
    api_type: { schema: str, default: "auto" },
    project: { schema: str },
    summary: { schema: jiraFieldSchema(tmpl("jira.default.summary")) },
    description: { schema: jiraFieldSchema(tmpl("jira.default.description")) },
    labels: { schema: list(str) },
    priority: { schema: str, default: tmpl("jira.default.priority") },
    issue_type: { schema: str },
    reopen_transition: { schema: str },
    resolve_transition: { schema: str },
    wont_fix_resolution: { schema: str },
    reopen_duration: { schema: duration },
    fields: { schema: map(anyValue) },
  },
  (d, site) => {
    if (d.project === "") throw site.error("missing project in jira_config", "project");
    if (d.issue_type === "") throw site.error("missing issue_type in jira_config", "issue_type");
    if (d.api_type === "") d.api_type = "auto";
    if (!JIRA_API_TYPES.includes(d.api_type as string)) {
      throw site.error("unknown api_type on jira_config, must be auto, cloud or datacenter", "api_type");
    }
  },
);

const rcFieldSchema = object("config.RocketchatAttachmentField", {
  short: { schema: bool, omit: "nil", default: undefined },
  title: { schema: str },
  value: { schema: str },
});

const rcActionSchema = object("config.RocketchatAttachmentAction", {
  type: { schema: str, omit: "never" },
  text: { schema: str, omit: "never" },
  url: { schema: str, omit: "never" },
  imageurl: { schema: str, omit: "never" },
  iswebview: { schema: bool, omit: "never" },
  webviewheightratio: { schema: str, omit: "never" },
  msg: { schema: str, omit: "never" },
  msginchatwindow: { schema: bool, omit: "never" },
  msgprocessingtype: { schema: str, omit: "never" },
});

/** One `rocketchat_configs` entry; tokens come from `global` when absent. */
export const rocketchatConfigSchema = integration<G>(
  "config.plain",
  {
    ...notifierFields(false),
    api_url: { schema: amURL },
    token_id: { schema: secret },
    token_id_file: { schema: filePath },
    token: { schema: secret },
    token_file: { schema: filePath },
    channel: { schema: str },
    color: { schema: str, default: '{{ if eq .Status "firing" }}red{{ else }}green{{ end }}' },
    title: { schema: str, default: tmpl("rocketchat.default.title") },
    title_link: { schema: str, default: tmpl("rocketchat.default.titlelink") },
    text: { schema: str, default: tmpl("rocketchat.default.text") },
    fields: { schema: list(rcFieldSchema) },
    short_fields: { schema: bool, omit: "never" },
    emoji: { schema: str, default: tmpl("rocketchat.default.emoji") },
    icon_url: { schema: str, default: tmpl("rocketchat.default.iconurl") },
    image_url: { schema: str },
    thumb_url: { schema: str },
    link_names: { schema: bool, omit: "never" },
    actions: { schema: list(rcActionSchema) },
  },
  (d, site) => {
    atMostOne(site, "token", "token_file", d.token, d.token_file);
    atMostOne(site, "token_id", "token_id_file", d.token_id, d.token_id_file);
  },
);
