/**
 * The receiver half of upstream's `Config.UnmarshalYAML`: unique receiver
 * names, and each integration completed from `global` — the HTTP client,
 * SMTP settings, API URLs, keys and tokens — failing with upstream's
 * `no global … set` messages where neither side provides a value.
 */
import { siteOf } from "../../config/decode.ts";
import type { HTTPClientConfig } from "../../config/types.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { isSet, withTrailingSlash } from "./common.ts";
import { DEFAULT_EMAIL_SUBJECT } from "./receivers/email.ts";
import type { GlobalConfig, ReceiverConfig } from "./types.ts";

type Draft = Record<string, unknown>;

function fail(cfg: object, reason: string, key?: string): Error {
  return siteOf(cfg)?.error(reason, key) ?? new Error(reason);
}

function drafts(r: ReceiverConfig, key: keyof ReceiverConfig): Draft[] {
  return r[key] as unknown as Draft[];
}

/** Copies `global[gKey]` into an unset `d[key]`; throws `missing` when both are unset. */
function inheritRequired(
  d: Draft,
  key: string,
  g: GlobalConfig,
  gKey: keyof GlobalConfig,
  missing: string,
): void {
  if (isSet(d[key])) return;
  if (!isSet(g[gKey])) throw fail(d, missing, key);
  d[key] = g[gKey];
}

/** A secret given inline or as a file: taken from global (both halves) when neither is set. */
function inheritPair(
  d: Draft,
  keys: readonly [string, string],
  g: GlobalConfig,
  gKeys: readonly [keyof GlobalConfig, keyof GlobalConfig],
): void {
  if (isSet(d[keys[0]]) || isSet(d[keys[1]])) return;
  d[keys[0]] = g[gKeys[0]];
  d[keys[1]] = g[gKeys[1]];
}

/** Each half taken from global on its own (upstream's VictorOps and Rocket.Chat behaviour). */
function inheritEach(
  d: Draft,
  keys: readonly [string, string],
  g: GlobalConfig,
  gKeys: readonly [keyof GlobalConfig, keyof GlobalConfig],
): void {
  if (!isSet(d[keys[0]])) d[keys[0]] = g[gKeys[0]];
  if (!isSet(d[keys[1]])) d[keys[1]] = g[gKeys[1]];
}

function requirePair(d: Draft, keys: readonly [string, string], missing: string): void {
  if (!isSet(d[keys[0]]) && !isSet(d[keys[1]])) throw fail(d, missing, keys[0]);
}

function inheritEmail(d: Draft, g: GlobalConfig): void {
  d.tls_config ??= g.smtp_tls_config;
  inheritRequired(d, "smarthost", g, "smtp_smarthost", "no global SMTP smarthost set");
  inheritRequired(d, "from", g, "smtp_from", "no global SMTP from set");
  if (d.hello === "") d.hello = g.smtp_hello;
  if (d.auth_username === "") d.auth_username = g.smtp_auth_username;
  inheritPair(d, ["auth_password", "auth_password_file"], g, [
    "smtp_auth_password",
    "smtp_auth_password_file",
  ]);
  inheritPair(d, ["auth_secret", "auth_secret_file"], g, ["smtp_auth_secret", "smtp_auth_secret_file"]);
  if (d.auth_identity === "") d.auth_identity = g.smtp_auth_identity;
  d.require_tls ??= g.smtp_require_tls;
  d.force_implicit_tls ??= g.smtp_force_implicit_tls;
  const headers = { ...(d.headers as Record<string, string>) };
  headers.From ??= d.from as string;
  headers.To ??= d.to as string;
  headers.Subject ??= DEFAULT_EMAIL_SUBJECT;
  d.headers = headers;
}

function inheritSlack(d: Draft, g: GlobalConfig): void {
  const ownURL = isSet(d.api_url) || isSet(d.api_url_file);
  if (!ownURL) {
    d.api_url = g.slack_api_url;
    d.api_url_file = g.slack_api_url_file;
    if (!isSet(d.app_token) && !isSet(d.app_token_file)) {
      d.app_token = g.slack_app_token;
      d.app_token_file = g.slack_app_token_file;
    }
  }
  if (![d.api_url, d.api_url_file, d.app_token, d.app_token_file].some(isSet)) {
    throw fail(d, "no Slack API URL nor App token set either inline or in a file");
  }
  if (!isSet(d.app_url)) d.app_url = g.slack_app_url;
  if (isSet(d.app_token) || isSet(d.app_token_file)) {
    if (!isSet(d.api_url)) d.api_url = d.app_url;
    const base = (d.http_config ?? g.http_config ?? {}) as HTTPClientConfig;
    const authorization = isSet(d.app_token)
      ? { type: "Bearer", credentials: d.app_token as string }
      : { type: "Bearer", credentials_file: d.app_token_file as string };
    d.http_config = { ...base, authorization };
  }
}

function inheritOne(kind: string, d: Draft, g: GlobalConfig): void {
  switch (kind) {
    case "email_configs":
      inheritEmail(d, g);
      return;
    case "slack_configs":
      inheritSlack(d, g);
      return;
    case "pagerduty_configs":
      inheritRequired(d, "url", g, "pagerduty_url", "no global PagerDuty URL set");
      return;
    case "opsgenie_configs":
      inheritRequired(d, "api_url", g, "opsgenie_api_url", "no global OpsGenie URL set");
      d.api_url = withTrailingSlash(d.api_url as string);
      inheritPair(d, ["api_key", "api_key_file"], g, ["opsgenie_api_key", "opsgenie_api_key_file"]);
      requirePair(
        d,
        ["api_key", "api_key_file"],
        "no global OpsGenie API Key set either inline or in a file",
      );
      return;
    case "wechat_configs":
      inheritRequired(d, "api_url", g, "wechat_api_url", "no global Wechat URL set");
      inheritPair(d, ["api_secret", "api_secret_file"], g, ["wechat_api_secret", "wechat_api_secret_file"]);
      requirePair(
        d,
        ["api_secret", "api_secret_file"],
        "no global Wechat Api Secret set either inline or in a file",
      );
      inheritRequired(d, "corp_id", g, "wechat_api_corp_id", "no global Wechat CorpID set");
      d.api_url = withTrailingSlash(d.api_url as string);
      return;
    case "victorops_configs":
      inheritRequired(d, "api_url", g, "victorops_api_url", "no global VictorOps URL set");
      d.api_url = withTrailingSlash(d.api_url as string);
      inheritEach(d, ["api_key", "api_key_file"], g, ["victorops_api_key", "victorops_api_key_file"]);
      requirePair(d, ["api_key", "api_key_file"], "no global VictorOps API Key set");
      return;
    case "telegram_configs":
      if (!isSet(d.api_url)) d.api_url = g.telegram_api_url;
      inheritPair(d, ["bot_token", "bot_token_file"], g, ["telegram_bot_token", "telegram_bot_token_file"]);
      requirePair(
        d,
        ["bot_token", "bot_token_file"],
        "missing bot_token or bot_token_file on telegram_config",
      );
      return;
    case "webex_configs":
      inheritRequired(d, "api_url", g, "webex_api_url", "no global Webex URL set");
      return;
    case "jira_configs":
      inheritRequired(d, "api_url", g, "jira_api_url", "no global Jira Cloud URL set");
      return;
    case "rocketchat_configs":
      if (!isSet(d.api_url)) d.api_url = g.rocketchat_api_url;
      inheritEach(d, ["token_id", "token_id_file"], g, ["rocketchat_token_id", "rocketchat_token_id_file"]);
      requirePair(
        d,
        ["token_id", "token_id_file"],
        "no global Rocketchat TokenID set either inline or in a file",
      );
      inheritEach(d, ["token", "token_file"], g, ["rocketchat_token", "rocketchat_token_file"]);
      requirePair(d, ["token", "token_file"], "no global Rocketchat Token set either inline or in a file");
      return;
    case "mattermost_configs":
      inheritPair(d, ["webhook_url", "webhook_url_file"], g, [
        "mattermost_webhook_url",
        "mattermost_webhook_url_file",
      ]);
      requirePair(
        d,
        ["webhook_url", "webhook_url_file"],
        "missing webhook_url or webhook_url_file on mattermost_config",
      );
  }
}

/** Upstream's processing order of integration types. */
const ORDER = [
  "webhook_configs",
  "email_configs",
  "slack_configs",
  "pushover_configs",
  "pagerduty_configs",
  "incidentio_configs",
  "opsgenie_configs",
  "wechat_configs",
  "victorops_configs",
  "sns_configs",
  "telegram_configs",
  "discord_configs",
  "webex_configs",
  "msteams_configs",
  "msteamsv2_configs",
  "jira_configs",
  "rocketchat_configs",
  "mattermost_configs",
] as const;

/**
 * Checks receiver names are unique and completes every integration from
 * `global`, in place (the configs are fresh drafts). Throws a positioned
 * `ConfigError` with upstream's reason.
 */
export function inheritGlobals(receivers: readonly ReceiverConfig[], g: GlobalConfig): void {
  const names = new Set<string>();
  for (const r of receivers) {
    if (names.has(r.name)) throw fail(r, `notification config name ${goQuote(r.name)} is not unique`, "name");
    for (const kind of ORDER) {
      for (const d of drafts(r, kind)) {
        if (kind !== "email_configs") d.http_config ??= g.http_config;
        inheritOne(kind, d, g);
      }
    }
    names.add(r.name);
  }
}
