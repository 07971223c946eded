/**
 * The `global` section of `alertmanager.yml`: defaults for every receiver
 * (SMTP, API URLs and keys, the HTTP client) and `resolve_timeout`, with
 * upstream's defaults and its "at most one of x & x_file" rules.
 */
import {
  bool,
  duration,
  filePath,
  object,
  type Schema,
  type Site,
  secret,
  str,
} from "../../config/decode.ts";
import { DEFAULT_HTTP_CLIENT_CONFIG, httpClientSchema, tlsConfigSchema } from "../../config/httpclient.ts";
import { amURL, atMostOne, hostPort, secretURL } from "./common.ts";
import type { GlobalConfig } from "./types.ts";

const MINUTE = 60_000;

/** Upstream's `DefaultGlobalConfig()` (a fresh object). */
export function defaultGlobalConfig(): GlobalConfig {
  return {
    resolve_timeout: 5 * MINUTE,
    http_config: { ...DEFAULT_HTTP_CLIENT_CONFIG, tls_config: { insecure_skip_verify: false } },
    jira_api_url: "",
    smtp_from: "",
    smtp_hello: "localhost",
    smtp_smarthost: "",
    smtp_auth_username: "",
    smtp_auth_password: "",
    smtp_auth_password_file: "",
    smtp_auth_secret: "",
    smtp_auth_secret_file: "",
    smtp_auth_identity: "",
    smtp_require_tls: true,
    smtp_tls_config: { insecure_skip_verify: false },
    smtp_force_implicit_tls: undefined,
    slack_api_url: "",
    slack_api_url_file: "",
    slack_app_token: "",
    slack_app_token_file: "",
    slack_app_url: "https://slack.com/api/chat.postMessage",
    pagerduty_url: "https://events.pagerduty.com/v2/enqueue",
    opsgenie_api_url: "https://api.opsgenie.com/",
    opsgenie_api_key: "",
    opsgenie_api_key_file: "",
    wechat_api_url: "https://qyapi.weixin.qq.com/cgi-bin/",
    wechat_api_secret: "",
    wechat_api_secret_file: "",
    wechat_api_corp_id: "",
    victorops_api_url: "https://alert.victorops.com/integrations/generic/20131114/alert/",
    victorops_api_key: "",
    victorops_api_key_file: "",
    telegram_api_url: "https://api.telegram.org",
    telegram_bot_token: "",
    telegram_bot_token_file: "",
    webex_api_url: "https://webexapis.com/v1/messages",
    rocketchat_api_url: "https://open.rocket.chat/",
    rocketchat_token: "",
    rocketchat_token_file: "",
    rocketchat_token_id: "",
    rocketchat_token_id_file: "",
    mattermost_webhook_url: "",
    mattermost_webhook_url_file: "",
  };
}

const D = defaultGlobalConfig();

const fields = {
  resolve_timeout: { schema: duration, omit: "never", default: D.resolve_timeout },
  http_config: { schema: httpClientSchema, omit: "nil", default: () => defaultGlobalConfig().http_config },
  jira_api_url: { schema: amURL },
  smtp_from: { schema: str },
  smtp_hello: { schema: str, default: D.smtp_hello },
  smtp_smarthost: { schema: hostPort },
  smtp_auth_username: { schema: str },
  smtp_auth_password: { schema: secret },
  smtp_auth_password_file: { schema: filePath },
  smtp_auth_secret: { schema: secret },
  smtp_auth_secret_file: { schema: filePath },
  smtp_auth_identity: { schema: str },
  smtp_require_tls: { schema: bool, omit: "never", default: true },
  smtp_tls_config: { schema: tlsConfigSchema, omit: "nil", default: () => ({ insecure_skip_verify: false }) },
  smtp_force_implicit_tls: { schema: bool, omit: "nil", default: undefined },
  slack_api_url: { schema: secretURL },
  slack_api_url_file: { schema: filePath },
  slack_app_token: { schema: secret },
  slack_app_token_file: { schema: filePath },
  slack_app_url: { schema: amURL, default: D.slack_app_url },
  pagerduty_url: { schema: amURL, default: D.pagerduty_url },
  opsgenie_api_url: { schema: amURL, default: D.opsgenie_api_url },
  opsgenie_api_key: { schema: secret },
  opsgenie_api_key_file: { schema: filePath },
  wechat_api_url: { schema: amURL, default: D.wechat_api_url },
  wechat_api_secret: { schema: secret },
  wechat_api_secret_file: { schema: filePath },
  wechat_api_corp_id: { schema: str },
  victorops_api_url: { schema: amURL, default: D.victorops_api_url },
  victorops_api_key: { schema: secret },
  victorops_api_key_file: { schema: filePath },
  telegram_api_url: { schema: amURL, default: D.telegram_api_url },
  telegram_bot_token: { schema: secret },
  telegram_bot_token_file: { schema: filePath },
  webex_api_url: { schema: amURL, default: D.webex_api_url },
  rocketchat_api_url: { schema: amURL, default: D.rocketchat_api_url },
  rocketchat_token: { schema: secret },
  rocketchat_token_file: { schema: filePath },
  rocketchat_token_id: { schema: secret },
  rocketchat_token_id_file: { schema: filePath },
  mattermost_webhook_url: { schema: secretURL },
  mattermost_webhook_url_file: { schema: filePath },
} as const;

/** The pairs upstream's `Config.UnmarshalYAML` checks, in its order. */
const EXCLUSIVE: ReadonlyArray<readonly [keyof GlobalConfig, keyof GlobalConfig]> = [
  ["slack_api_url", "slack_api_url_file"],
  ["slack_app_token", "slack_app_token_file"],
  ["opsgenie_api_key", "opsgenie_api_key_file"],
  ["victorops_api_key", "victorops_api_key_file"],
  ["smtp_auth_password", "smtp_auth_password_file"],
  ["rocketchat_token", "rocketchat_token_file"],
  ["rocketchat_token_id", "rocketchat_token_id_file"],
  ["smtp_auth_secret", "smtp_auth_secret_file"],
  ["telegram_bot_token", "telegram_bot_token_file"],
  ["wechat_api_secret", "wechat_api_secret_file"],
  ["mattermost_webhook_url", "mattermost_webhook_url_file"],
];

function finish(draft: Record<string, unknown>, site: Site): GlobalConfig {
  const g = draft as unknown as GlobalConfig;
  for (const [a, b] of EXCLUSIVE) atMostOne(site, a, b, g[a], g[b], b);
  return g;
}

/** The `global` section; absent or empty gives {@link defaultGlobalConfig}. */
export const globalConfigSchema: Schema<GlobalConfig> = object<GlobalConfig>(
  "config.plain",
  fields as never,
  { finish, isZero: () => false },
);
