/**
 * Differential test against `amtool check-config` 0.33: a table of configs,
 * most of them broken in one way; Vigil must refuse exactly those amtool
 * refuses, and — where amtool's message is not a yaml.v2 unmarshal report —
 * with the same reason.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ConfigError } from "../../config/decode.ts";
import { parseAlertmanagerConfig } from "./config.ts";
import { amtoolSkip, runAmtool, tempDir } from "./testing.ts";

const R = "route:\n  receiver: r\nreceivers:\n- name: r\n";
const recv = (lines: string) => `route:\n  receiver: r\nreceivers:\n- name: r\n${lines}\n`;
const glob = (lines: string, receiver = "") => `global:\n${lines}\n${R}${receiver}`;
const route = (lines: string) => `route:\n  receiver: r\n${lines}\nreceivers:\n- name: r\n- name: s\n`;
const ti = (spec: string) => `${R}time_intervals:\n- name: a\n  time_intervals:\n  - ${spec}\n`;

const CASES: readonly string[] = [
  R,
  "",
  "receivers:\n- name: r\n",
  "route:\n  receiver: x\nreceivers:\n- name: r\n",
  "route:\n  receiver: r\n  foo: 1\nreceivers:\n- name: r\n",
  "route:\n  receiver: r\n  continue: true\nreceivers:\n- name: r\n",
  "route:\n  receiver: r\n  matchers: ['a=b']\nreceivers:\n- name: r\n",
  "route:\n  receiver: r\n  match: {a: b}\nreceivers:\n- name: r\n",
  "route:\n  group_by: [a]\nreceivers:\n- name: r\n",
  `${R}- name: r\n`,
  "route:\n  receiver: r\nreceivers:\n- {}\n",
  "route:\n  receiver: r\nreceivers:\n- name: r\n  labels: {name: x}\n",
  "route:\n  receiver: r\nreceivers:\n- name: r\n  labels: {team: x}\n",
  route("  routes:\n  - receiver: nope"),
  route("  group_by: ['...']"),
  route("  group_by: ['...', a]"),
  route("  group_by: [a, a]"),
  route("  group_by: ['']"),
  route("  group_by: ['a.b']"),
  route("  group_interval: 0s"),
  route("  repeat_interval: 0s"),
  route("  group_wait: 0s"),
  route("  group_wait: 1x"),
  route("  routes:\n  - matchers: ['foo=bar', 'baz=~\"x.*\"']\n    receiver: s"),
  route("  routes:\n  - matchers: ['foo=~\"(\"']"),
  route("  routes:\n  - matchers: ['foo']"),
  route("  routes:\n  - matchers: ['{foo=bar']"),
  route("  routes:\n  - match_re: {foo: '('}"),
  route("  routes:\n  - match_re: {foo: null}"),
  route("  routes:\n  - match: {'foo.bar': x}"),
  route("  routes:\n  - match_re: {'1x': a}"),
  route("  routes:\n  - mute_time_intervals: [nope]"),
  route("  routes:\n  - active_time_intervals: [nope]"),
  route("  mute_time_intervals: [nope]"),
  route("  routes:\n  - continue: true\n    routes:\n    - receiver: s"),
  route("  routes: [{matchers: ['a=b'], receiver: s, group_by: [x]}]"),
  `${R}inhibit_rules:\n- source_matchers: ['a=b']\n  target_matchers: ['c=~"d"']\n  equal: [e]\n`,
  `${R}inhibit_rules:\n- equal: ['']\n`,
  `${R}inhibit_rules:\n- source_match: {'a-b': c}\n`,
  `${R}inhibit_rules:\n- target_match_re: {a: '['}\n`,
  `${R}inhibit_rules:\n- source_matchers: ['a=']\n  name: x\n`,
  `${R}inhibit_rules:\n- foo: 1\n`,
  `${R}time_intervals:\n- name: a\n  time_intervals: []\n- name: a\n  time_intervals: []\n`,
  `${R}mute_time_intervals:\n- name: a\n  time_intervals: []\ntime_intervals:\n- name: a\n  time_intervals: []\n`,
  `${R}time_intervals:\n- time_intervals: []\n`,
  ti("weekdays: ['friday:monday']"),
  ti("weekdays: [funday]"),
  ti("days_of_month: ['0']"),
  ti("days_of_month: ['-3:5']"),
  ti("months: ['december:january']"),
  ti("years: ['2030:2020']"),
  ti("times: [{start_time: '10:00', end_time: '09:00'}]"),
  ti("times: [{start_time: '10:00'}]"),
  ti("location: Mars/Base"),
  ti("location: Europe/Berlin"),
  ti("weekdays: monday"),
  glob("  resolve_timeout: 1m"),
  glob("  resolve_timeout: -1m"),
  glob("  slack_api_url: ftp://x/"),
  glob("  slack_api_url: http://x/\n  slack_api_url_file: /x"),
  glob("  smtp_smarthost: nohost"),
  glob("  smtp_smarthost: 'a:'"),
  glob("  smtp_require_tls: maybe"),
  glob("  opsgenie_api_key: a\n  opsgenie_api_key_file: b"),
  glob("  http_config: {bearer_token: a, bearer_token_file: b}"),
  glob("  http_config: {authorization: {type: basic}}"),
  glob("  bogus: 1"),
  recv("  webhook_configs: [{url: 'http://x/'}]"),
  recv("  webhook_configs: [{}]"),
  recv("  webhook_configs: [{url: 'http://x/', url_file: f}]"),
  recv("  webhook_configs: [{url: 'x'}]"),
  recv("  webhook_configs: [{url: 'http://x/', max_alerts: -1}]"),
  recv("  webhook_configs: [{url: 'http://x/', timeout: 1d}]"),
  recv(
    "  webhook_configs: [{url: 'http://x/', http_config: {basic_auth: {username: u}, oauth2: {client_id: c, token_url: 'http://t/'}}}]",
  ),
  recv("  email_configs: [{to: a@b}]"),
  recv("  email_configs: [{to: a@b, from: c@d, smarthost: 'x:25'}]"),
  recv("  email_configs: [{from: c@d, smarthost: 'x:25'}]"),
  recv("  email_configs: [{to: a, from: b, smarthost: 'x:25', headers: {subject: x, Subject: y}}]"),
  recv(
    "  email_configs: [{to: a, from: b, smarthost: 'x:25', threading: {enabled: true, thread_by_date: weekly}}]",
  ),
  recv("  slack_configs: [{}]"),
  recv("  slack_configs: [{api_url: 'http://x/', channel: '#a'}]"),
  recv("  slack_configs: [{app_token: t, api_url: 'http://x/'}]"),
  recv("  slack_configs: [{api_url: 'http://x/', fields: [{title: t}]}]"),
  recv("  slack_configs: [{api_url: 'http://x/', actions: [{text: t, type: button}]}]"),
  recv("  slack_configs: [{api_url: 'http://x/', update_message: true}]"),
  recv("  msteams_configs: [{}]"),
  recv("  msteamsv2_configs: [{webhook_url: 'http://x/'}]"),
  recv("  discord_configs: [{webhook_url: 'http://x/', webhook_url_file: f}]"),
  recv("  telegram_configs: [{chat_id: 1}]"),
  recv("  telegram_configs: [{bot_token: t, chat_id: 1, parse_mode: Text}]"),
  recv("  telegram_configs: [{bot_token: t, chat_id: x}]"),
  recv("  pagerduty_configs: [{}]"),
  recv("  pagerduty_configs: [{routing_key: k, images: [{src: a}], links: [{href: b}]}]"),
  recv("  opsgenie_configs: [{api_key: k, responders: [{type: team}]}]"),
  recv("  opsgenie_configs: [{api_key: k, responders: [{id: x, type: group}]}]"),
  recv("  opsgenie_configs: [{}]"),
  recv("  pushover_configs: [{user_key: u, token: t, retry: 1d}]"),
  recv("  pushover_configs: [{user_key: u}]"),
  recv("  sns_configs: [{topic_arn: t}]"),
  recv("  sns_configs: [{}]"),
  recv("  victorops_configs: [{routing_key: r}]"),
  recv("  victorops_configs: [{routing_key: r, api_key: k, custom_fields: {entity_id: x}}]"),
  recv("  webex_configs: [{room_id: r}]"),
  recv("  wechat_configs: [{api_secret: s, corp_id: c}]"),
  recv("  wechat_configs: [{api_secret: s, corp_id: c, message_type: html}]"),
  recv("  jira_configs: [{project: p, issue_type: Bug, api_url: 'http://j/'}]"),
  recv("  jira_configs: [{project: p, issue_type: Bug}]"),
  recv("  rocketchat_configs: [{token: t, token_id: i}]"),
  recv("  rocketchat_configs: [{token: t}]"),
  recv("  mattermost_configs: [{webhook_url: 'http://x/'}]"),
  recv("  mattermost_configs: [{}]"),
  recv("  incidentio_configs: [{url: 'http://x/'}]"),
  recv("  bogus_configs: [{}]"),
  `${R}tracing:\n  endpoint: x\n  bogus: 1\n`,
  `${R}templates: ['a/*.tmpl']\n`,
  glob("  telegram_bot_token: t", "  telegram_configs: [{chat_id: 1}]\n"),
  glob("  slack_app_token: t", "  slack_configs: [{channel: c}]\n"),
  glob("  slack_app_token: t\n  slack_app_token_file: f"),
  glob("  mattermost_webhook_url: 'http://mm/'", "  mattermost_configs: [{}]\n"),
  glob("  victorops_api_key_file: k", "  victorops_configs: [{routing_key: r}]\n"),
  glob("  wechat_api_secret: s", "  wechat_configs: [{corp_id: c}]\n"),
  glob("  rocketchat_token_id: i", "  rocketchat_configs: [{token: t}]\n"),
  glob("  jira_api_url: 'http://j/'", "  jira_configs: [{project: p, issue_type: Bug}]\n"),
  glob("  webex_api_url: 'ftp://w/'"),
  glob("  smtp_tls_config: {min_version: TLS14}"),
  glob(
    "  smtp_force_implicit_tls: true\n  smtp_from: a@b\n  smtp_smarthost: 'x:465'",
    "  email_configs: [{to: c@d}]\n",
  ),
  recv("  webhook_configs: [{url: 'http://x/', http_config: {tls_config: {cert_file: c}}}]"),
  recv("  webhook_configs: [{url: '<secret>'}]"),
  recv("  webhook_configs: [{url: 'http://x/', send_resolved: maybe}]"),
  recv("  webhook_configs: {url: 'http://x/'}"),
  recv("  webhook_configs: [{url: 'http://x/', payload: {a: [1, {b: c}]}}]"),
  recv("  pagerduty_configs: [{routing_key: k, url: 'not a url'}]"),
  recv("  pagerduty_configs: [{routing_key: k, details: {a: [1]}}]"),
  recv(
    "  jira_configs: [{project: p, issue_type: Bug, api_url: 'http://j/', summary: {template: s, enable_update: true}, fields: {a: {b: 1}}}]",
  ),
  recv("  jira_configs: [{project: p, issue_type: Bug, api_url: 'http://j/', summary: {bogus: 1}}]"),
  recv("  mattermost_configs: [{webhook_url: 'http://x/', fields: [{title: t}]}]"),
  recv("  rocketchat_configs: [{token: t, token_id: i, actions: [{type: button, text: t, url: u}]}]"),
  recv("  email_configs: [{to: a, from: b, smarthost: 'x:25', tls_config: {ca: x, ca_file: y}}]"),
  recv("  sns_configs: [{phone_number: '+1', sigv4: {region: r, access_key: a, secret_key: s}}]"),
  recv("  telegram_configs: [{bot_token: t, chat_id_file: f}]"),
  recv("  telegram_configs: [{bot_token: t, chat_id: 5, message_thread_id: x}]"),
  route(
    "  routes:\n  - matchers: ['a=b']\n    group_by: ['...']\n    receiver: s\n    routes:\n    - group_by: [c]",
  ),
  route("  routes:\n  - matchers: null"),
  route("  routes:\n  - matchers: 'a=b'"),
  `${R}event_recorder:\n  file_outputs: [{path: /tmp/x}]\n`,
  `${R}event_recorder:\n  enabled: true\n`,
  `global:\n${R}`,
  `global: null\n${R}`,
  `${R}inhibit_rules: null\n`,
  `${R}templates: null\n`,
];

describe("check-config against amtool 0.33", { skip: amtoolSkip() }, () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  it("refuses exactly the configs amtool refuses, with upstream's reasons", () => {
    const diffs: string[] = [];
    let sameReason = 0;
    let comparable = 0;
    CASES.forEach((text, i) => {
      const path = tmp.write(`c${i}.yml`, text);
      const ref = runAmtool(["check-config", path]);
      const refFailure = /FAILED: ([^\n]*)/.exec(ref.stdout)?.[1];
      let ours: string | undefined;
      try {
        parseAlertmanagerConfig(text, path);
      } catch (err) {
        ours = err instanceof ConfigError ? err.reason : String(err);
      }
      if ((refFailure === undefined) !== (ours === undefined)) {
        diffs.push(`case ${i}:\n${text}\namtool: ${refFailure ?? "SUCCESS"}\nvigil: ${ours ?? "SUCCESS"}`);
        return;
      }
      if (refFailure === undefined || refFailure.startsWith("yaml:")) return;
      comparable++;
      if (refFailure === ours) sameReason++;
      else diffs.push(`case ${i} reason:\namtool: ${refFailure}\nvigil:  ${ours}`);
    });
    console.log(
      `${CASES.length - diffs.filter((d) => !d.includes(" reason:")).length} configs agree (accept/refuse); ${sameReason}/${comparable} refusals with the same reason`,
    );
    assert.deepEqual(diffs, []);
  });
});
