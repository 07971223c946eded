/**
 * Vigil's built-in notification templates, rendering what Alertmanager 0.33's
 * `default.tmpl` renders: the same template names (`__subject`,
 * `slack.default.title`, `opsgenie.default.description`, …) producing the same
 * text for the same data (checked against the reference `amtool template
 * render` by `default.test.ts`). The text is assembled from small builders
 * here rather than kept as one file, so the shared shapes (aliases, the
 * "Alerts Firing / Alerts Resolved" sections) are written once.
 */

/** `{{ define name }}body{{ end }}`. */
function define(name: string, body: string): string {
  return `{{ define "${name}" }}${body}{{ end }}`;
}

/** A template that renders another one with the same data. */
function alias(name: string, target: string): string {
  return define(name, `{{ template "${target}" . }}`);
}

/** Templates that render nothing (hooks a user may redefine). */
function blanks(...names: string[]): string[] {
  return names.map((n) => define(n, ""));
}

const ANNOTATIONS = `{{ join " " .CommonAnnotations.Values }}`;
const STATUS_COLOR = `{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}`;

type Kind = "Firing" | "Resolved";

/**
 * One alert-list section in the "tight" layout: `Alerts Firing:` and the list,
 * nothing when there are no such alerts.
 */
function tightSection(kind: Kind): string {
  return `{{ with .Alerts.${kind} }}Alerts ${kind}:\n{{ template "__text_alert_list" . }}{{ end }}`;
}

/** The tight layout: annotations, then the firing and the resolved section, one newline apart. */
const TIGHT = `${ANNOTATIONS}\n${tightSection("Firing")}\n${tightSection("Resolved")}`;

/**
 * One alert-list section in the "loose" layout: a blank line, the heading,
 * the list and a newline; `list` names the list template, `mark` prefixes the heading.
 */
function looseSection(kind: Kind, list: string, mark = ""): string {
  return `{{ with .Alerts.${kind} }}\n${mark}Alerts ${kind}:\n{{ template "${list}" . }}\n{{ end }}`;
}

/** The loose layout: `head`, both sections, each followed by a newline. */
function loose(head: string, list = "__text_alert_list", mark = ""): string {
  return `${head}\n${looseSection("Firing", list, mark)}\n${looseSection("Resolved", list, mark)}\n`;
}

const MARKDOWN = loose("", "__text_alert_list_markdown", "# ");

const SUBJECT =
  `[{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}] ` +
  `{{ join " " .GroupLabels.Values }} ` +
  `{{ if lt (len .GroupLabels) (len .CommonLabels) }}({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }}){{ end }}`;

const PAIRS = (field: string, indent: string): string =>
  `{{ range .${field}.SortedPairs }}{{ printf "${indent}- %s = %s\\n" .Name .Value }}{{ end }}`;

const TEXT_ALERT_LIST = `{{ range . }}Labels:\n${PAIRS("Labels", " ")}Annotations:\n${PAIRS("Annotations", " ")}Source: {{ .GeneratorURL }}\n{{ end }}`;

const MARKDOWN_ALERT_LIST = `{{ range . }}\nLabels:\n${PAIRS("Labels", "  ")}\nAnnotations:\n${PAIRS("Annotations", "  ")}\nSource: {{ .GeneratorURL }}\n{{ end }}\n`;

/** Jira's priority: the highest of the firing alerts' severities, else of the resolved ones. */
const JIRA_PRIORITY =
  `{{- $p := "" -}}` +
  `{{- range .Alerts.Firing }}{{ $p = __jiraPriority $p (index .Labels "severity") }}{{ end -}}` +
  `{{- if eq $p "" }}{{ range .Alerts.Resolved }}{{ $p = __jiraPriority $p (index .Labels "severity") }}{{ end }}{{ end -}}` +
  `{{- $p -}}`;

/**
 * Upstream's severity-to-priority step of `jira.default.priority`: critical
 * always wins, warning unless High was seen, info only as the first finding.
 */
export function jiraPriorityStep(current: string, severity: string): string {
  if (severity === "critical") return "High";
  if (severity === "warning" && current !== "High") return "Medium";
  if (severity === "info" && current === "") return "Low";
  return current;
}

const DEFINITIONS: readonly string[] = [
  define("__alertmanager", "Alertmanager"),
  define("__alertmanagerURL", `{{ .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}`),
  define("__subject", SUBJECT),
  define("__description", ""),
  define("__text_alert_list", TEXT_ALERT_LIST),
  define("__text_alert_list_markdown", MARKDOWN_ALERT_LIST),

  alias("slack.default.title", "__subject"),
  alias("slack.default.username", "__alertmanager"),
  define(
    "slack.default.fallback",
    `{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}`,
  ),
  ...blanks("slack.default.callbackid", "slack.default.pretext"),
  alias("slack.default.titlelink", "__alertmanagerURL"),
  ...blanks("slack.default.iconemoji", "slack.default.iconurl", "slack.default.text", "slack.default.footer"),
  define("slack.default.color", STATUS_COLOR),

  alias("pagerduty.default.description", "__subject"),
  alias("pagerduty.default.client", "__alertmanager"),
  alias("pagerduty.default.clientURL", "__alertmanagerURL"),
  alias("pagerduty.default.instances", "__text_alert_list"),

  alias("opsgenie.default.message", "__subject"),
  define("opsgenie.default.description", TIGHT),
  alias("opsgenie.default.source", "__alertmanagerURL"),

  define(
    "wechat.default.message",
    `{{ template "__subject" . }}\n${TIGHT}\nAlertmanagerUrl:\n{{ template "__alertmanagerURL" . }}`,
  ),
  ...blanks(
    "wechat.default.to_user",
    "wechat.default.to_party",
    "wechat.default.to_tag",
    "wechat.default.agent_id",
  ),

  define("victorops.default.state_message", TIGHT),
  alias("victorops.default.entity_display_name", "__subject"),
  alias("victorops.default.monitoring_tool", "__alertmanager"),

  alias("pushover.default.title", "__subject"),
  define("pushover.default.message", loose(ANNOTATIONS)),
  alias("pushover.default.url", "__alertmanagerURL"),

  alias("sns.default.subject", "__subject"),
  define("sns.default.message", loose(ANNOTATIONS)),

  define("telegram.default.message", loose("")),

  ...blanks("discord.default.content"),
  alias("discord.default.title", "__subject"),
  define("discord.default.message", loose("")),

  define("webex.default.message", loose(ANNOTATIONS)),

  alias("msteams.default.summary", "__subject"),
  alias("msteams.default.title", "__subject"),
  define("msteams.default.text", MARKDOWN),

  alias("msteamsv2.default.title", "__subject"),
  define("msteamsv2.default.text", MARKDOWN),

  alias("jira.default.summary", "__subject"),
  define("jira.default.description", MARKDOWN),
  define("jira.default.priority", JIRA_PRIORITY),

  alias("rocketchat.default.title", "__subject"),
  alias("rocketchat.default.alias", "__alertmanager"),
  alias("rocketchat.default.titlelink", "__alertmanagerURL"),
  ...blanks("rocketchat.default.emoji", "rocketchat.default.iconurl", "rocketchat.default.text"),

  define("mattermost.default.color", STATUS_COLOR),
  alias("mattermost.default.username", "__alertmanager"),
  alias("mattermost.default.title", "__subject"),
  alias("mattermost.default.titlelink", "__alertmanagerURL"),
  define(
    "mattermost.default.fallback",
    `{{ template "mattermost.default.title" . }} | {{ template "mattermost.default.titlelink" . }}`,
  ),
  define("mattermost.default.text", MARKDOWN),
];

/** The text templates of upstream's `default.tmpl` (needs the function {@link jiraPriorityStep} as `__jiraPriority`). */
export const DEFAULT_TMPL = `${DEFINITIONS.join("\n")}\n`;
