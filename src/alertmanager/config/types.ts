/**
 * The decoded `alertmanager.yml` (Alertmanager 0.33): keys are the YAML
 * names, durations are milliseconds, unset optional strings are `""`,
 * unset optional objects `undefined`. After loading, receivers carry the
 * values they inherit from `global` (SMTP settings, API URLs and keys,
 * `http_config`), as upstream's `Config.UnmarshalYAML` leaves them.
 */
import type { HTTPClientConfig, TLSConfig } from "../../config/types.ts";
import type { Matcher } from "../matcher/matcher.ts";
import type { TimeInterval } from "../timeinterval/timeinterval.ts";

export type { HTTPClientConfig, TLSConfig } from "../../config/types.ts";

/** The `global` section. */
export interface GlobalConfig {
  readonly resolve_timeout: number;
  readonly http_config?: HTTPClientConfig;
  readonly jira_api_url: string;
  readonly smtp_from: string;
  readonly smtp_hello: string;
  readonly smtp_smarthost: string;
  readonly smtp_auth_username: string;
  readonly smtp_auth_password: string;
  readonly smtp_auth_password_file: string;
  readonly smtp_auth_secret: string;
  readonly smtp_auth_secret_file: string;
  readonly smtp_auth_identity: string;
  readonly smtp_require_tls: boolean;
  readonly smtp_tls_config?: TLSConfig;
  readonly smtp_force_implicit_tls?: boolean;
  readonly slack_api_url: string;
  readonly slack_api_url_file: string;
  readonly slack_app_token: string;
  readonly slack_app_token_file: string;
  readonly slack_app_url: string;
  readonly pagerduty_url: string;
  readonly opsgenie_api_url: string;
  readonly opsgenie_api_key: string;
  readonly opsgenie_api_key_file: string;
  readonly wechat_api_url: string;
  readonly wechat_api_secret: string;
  readonly wechat_api_secret_file: string;
  readonly wechat_api_corp_id: string;
  readonly victorops_api_url: string;
  readonly victorops_api_key: string;
  readonly victorops_api_key_file: string;
  readonly telegram_api_url: string;
  readonly telegram_bot_token: string;
  readonly telegram_bot_token_file: string;
  readonly webex_api_url: string;
  readonly rocketchat_api_url: string;
  readonly rocketchat_token: string;
  readonly rocketchat_token_file: string;
  readonly rocketchat_token_id: string;
  readonly rocketchat_token_id_file: string;
  readonly mattermost_webhook_url: string;
  readonly mattermost_webhook_url_file: string;
}

/** A node of the routing tree as written (see `route/route.ts` for the built tree). */
export interface RouteConfig {
  readonly receiver: string;
  /** As written, `...` included. */
  readonly group_by: readonly string[] | undefined;
  /** True when `group_by` is `['...']`. */
  readonly group_by_all: boolean;
  /** Deprecated equality matchers. */
  readonly match: Readonly<Record<string, string>>;
  /** Deprecated regex matchers (the pattern as written). */
  readonly match_re: Readonly<Record<string, string>>;
  /** Sorted, as upstream sorts them. */
  readonly matchers: readonly Matcher[];
  readonly mute_time_intervals: readonly string[];
  readonly active_time_intervals: readonly string[];
  readonly continue: boolean;
  readonly routes: readonly RouteConfig[];
  readonly group_wait?: number;
  readonly group_interval?: number;
  readonly repeat_interval?: number;
}

/** An inhibition rule. */
export interface InhibitRuleConfig {
  readonly name: string;
  readonly source_match: Readonly<Record<string, string>>;
  readonly source_match_re: Readonly<Record<string, string>>;
  readonly source_matchers: readonly Matcher[];
  readonly target_match: Readonly<Record<string, string>>;
  readonly target_match_re: Readonly<Record<string, string>>;
  readonly target_matchers: readonly Matcher[];
  readonly equal: readonly string[];
}

/** A named list of time intervals (`time_intervals` and the deprecated `mute_time_intervals`). */
export interface NamedTimeIntervals {
  readonly name: string;
  readonly time_intervals: readonly TimeInterval[];
}

/** What every integration has. */
export interface NotifierConfig {
  readonly send_resolved: boolean;
  /** Own or inherited from `global.http_config` (HTTP-based integrations). */
  readonly http_config?: HTTPClientConfig;
}

/** `webhook_configs` entry. */
export interface WebhookConfig extends NotifierConfig {
  readonly url: string;
  readonly url_file: string;
  readonly max_alerts: number;
  /** Milliseconds; 0 = no timeout. */
  readonly timeout: number;
  /** A custom payload template tree (upstream's `payload`), kept as data. */
  readonly payload?: unknown;
}

/** `email_configs` entry, with `global.smtp_*` filled in. */
export interface EmailConfig extends NotifierConfig {
  readonly to: string;
  readonly from: string;
  readonly hello: string;
  readonly smarthost: string;
  readonly auth_username: string;
  readonly auth_password: string;
  readonly auth_password_file: string;
  readonly auth_secret: string;
  readonly auth_secret_file: string;
  readonly auth_identity: string;
  /** Canonical header names; `From`, `To` and `Subject` always present after loading. */
  readonly headers: Readonly<Record<string, string>>;
  readonly html: string;
  readonly text: string;
  readonly require_tls?: boolean;
  readonly tls_config?: TLSConfig;
  readonly force_implicit_tls?: boolean;
  readonly threading?: { readonly enabled: boolean; readonly thread_by_date: string };
}

/** A Slack attachment field. */
export interface SlackField {
  readonly title: string;
  readonly value: string;
  readonly short?: boolean;
}

/** A Slack action button. */
export interface SlackAction {
  readonly type: string;
  readonly text: string;
  readonly url: string;
  readonly style: string;
  readonly name: string;
  readonly value: string;
  readonly confirm?: {
    readonly text: string;
    readonly title: string;
    readonly ok_text: string;
    readonly dismiss_text: string;
  };
}

/** `slack_configs` entry. */
export interface SlackConfig extends NotifierConfig {
  readonly api_url: string;
  readonly api_url_file: string;
  readonly app_token: string;
  readonly app_token_file: string;
  readonly app_url: string;
  readonly channel: string;
  readonly username: string;
  readonly color: string;
  readonly title: string;
  readonly title_link: string;
  readonly pretext: string;
  readonly text: string;
  readonly message_text: string;
  readonly fields: readonly SlackField[];
  readonly short_fields: boolean;
  readonly footer: string;
  readonly fallback: string;
  readonly callback_id: string;
  readonly icon_emoji: string;
  readonly icon_url: string;
  readonly image_url: string;
  readonly thumb_url: string;
  readonly link_names: boolean;
  readonly mrkdwn_in: readonly string[];
  readonly actions: readonly SlackAction[];
  readonly update_message: boolean;
  readonly timeout: number;
}

/** `msteams_configs` entry. */
export interface MSTeamsConfig extends NotifierConfig {
  readonly webhook_url: string;
  readonly webhook_url_file: string;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

/** `msteamsv2_configs` entry. */
export interface MSTeamsV2Config extends NotifierConfig {
  readonly webhook_url: string;
  readonly webhook_url_file: string;
  readonly title: string;
  readonly text: string;
}

/** `discord_configs` entry. */
export interface DiscordConfig extends NotifierConfig {
  readonly webhook_url: string;
  readonly webhook_url_file: string;
  readonly content: string;
  readonly title: string;
  readonly message: string;
  readonly username: string;
  readonly avatar_url: string;
}

/** `telegram_configs` entry. */
export interface TelegramConfig extends NotifierConfig {
  readonly api_url: string;
  readonly bot_token: string;
  readonly bot_token_file: string;
  readonly chat_id: number;
  readonly chat_id_file: string;
  readonly message_thread_id: number;
  readonly message: string;
  readonly disable_notifications: boolean;
  readonly parse_mode: string;
}

/** `pagerduty_configs` entry. */
export interface PagerdutyConfig extends NotifierConfig {
  readonly service_key: string;
  readonly service_key_file: string;
  readonly routing_key: string;
  readonly routing_key_file: string;
  readonly url: string;
  readonly client: string;
  readonly client_url: string;
  readonly description: string;
  /**
   * Upstream's default details merged in (`firing`, `resolved`, `num_firing`,
   * `num_resolved`); values are template strings or any YAML data (maps as `GoMap`).
   */
  readonly details: Readonly<Record<string, unknown>>;
  readonly images: ReadonlyArray<{ readonly src: string; readonly alt: string; readonly href: string }>;
  readonly links: ReadonlyArray<{ readonly href: string; readonly text: string }>;
  readonly source: string;
  readonly severity: string;
  readonly class: string;
  readonly component: string;
  readonly group: string;
  readonly timeout: number;
}

/** An OpsGenie responder. */
export interface OpsGenieResponder {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly type: string;
}

/** `opsgenie_configs` entry. */
export interface OpsGenieConfig extends NotifierConfig {
  readonly api_key: string;
  readonly api_key_file: string;
  readonly api_url: string;
  readonly message: string;
  readonly description: string;
  readonly source: string;
  readonly details: Readonly<Record<string, string>>;
  readonly entity: string;
  readonly responders: readonly OpsGenieResponder[];
  readonly actions: string;
  readonly tags: string;
  readonly note: string;
  readonly priority: string;
  readonly update_alerts: boolean;
}

/** An integration decoded with its fields but not (yet) typed in detail (pushover, sns, …). */
export type GenericNotifierConfig = NotifierConfig & Readonly<Record<string, unknown>>;

/** A receiver: a name and its integrations, each list keyed by `<type>_configs`. */
export interface ReceiverConfig {
  readonly name: string;
  /** User labels plus `name` (upstream fills it in). */
  readonly labels: Readonly<Record<string, string>>;
  readonly discord_configs: readonly DiscordConfig[];
  readonly email_configs: readonly EmailConfig[];
  readonly incidentio_configs: readonly GenericNotifierConfig[];
  readonly pagerduty_configs: readonly PagerdutyConfig[];
  readonly slack_configs: readonly SlackConfig[];
  readonly webhook_configs: readonly WebhookConfig[];
  readonly opsgenie_configs: readonly OpsGenieConfig[];
  readonly wechat_configs: readonly GenericNotifierConfig[];
  readonly pushover_configs: readonly GenericNotifierConfig[];
  readonly victorops_configs: readonly GenericNotifierConfig[];
  readonly sns_configs: readonly GenericNotifierConfig[];
  readonly telegram_configs: readonly TelegramConfig[];
  readonly webex_configs: readonly GenericNotifierConfig[];
  readonly msteams_configs: readonly MSTeamsConfig[];
  readonly msteamsv2_configs: readonly MSTeamsV2Config[];
  readonly jira_configs: readonly GenericNotifierConfig[];
  readonly rocketchat_configs: readonly GenericNotifierConfig[];
  readonly mattermost_configs: readonly GenericNotifierConfig[];
}

/** The whole `alertmanager.yml`. */
export interface AlertmanagerConfig {
  readonly global: GlobalConfig;
  readonly route: RouteConfig;
  readonly inhibit_rules: readonly InhibitRuleConfig[];
  readonly receivers: readonly ReceiverConfig[];
  /** Globs, joined with the config file's directory. */
  readonly templates: readonly string[];
  /** Deprecated spelling of `time_intervals`. */
  readonly mute_time_intervals: readonly NamedTimeIntervals[];
  readonly time_intervals: readonly NamedTimeIntervals[];
  /** Accepted and printed, not acted on. */
  readonly tracing?: Readonly<Record<string, unknown>>;
  /** Accepted and printed, not acted on. */
  readonly event_recorder?: Readonly<Record<string, unknown>>;
}
