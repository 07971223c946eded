/**
 * Incident management integrations: `pagerduty_configs` (Events API v1
 * service keys or v2 routing keys, default details) and `opsgenie_configs`
 * (responders checked as upstream does).
 */
import { bool, filePath, list, map, object, type Schema, secret, str } from "../../../config/decode.ts";
import { amURL, anyValue, atMostOne, timeDuration } from "../common.ts";
import type { OpsGenieConfig, OpsGenieResponder, PagerdutyConfig } from "../types.ts";
import { integration, notifierFields, tmpl } from "./notifier.ts";

/** Upstream's default PagerDuty details, merged under the configured ones. */
export const DEFAULT_PAGERDUTY_DETAILS: Readonly<Record<string, string>> = {
  firing: "{{ .Alerts.Firing | toJson }}",
  resolved: "{{ .Alerts.Resolved | toJson }}",
  num_firing: "{{ .Alerts.Firing | len }}",
  num_resolved: "{{ .Alerts.Resolved | len }}",
};

type Image = PagerdutyConfig["images"][number];
type Link = PagerdutyConfig["links"][number];

const imageSchema: Schema<Image> = object<Image>("config.PagerdutyImage", {
  src: { schema: str },
  alt: { schema: str },
  href: { schema: str },
});

const linkSchema: Schema<Link> = object<Link>("config.PagerdutyLink", {
  href: { schema: str },
  text: { schema: str },
});

/** One `pagerduty_configs` entry; `url` comes from `global.pagerduty_url` when absent. */
export const pagerdutyConfigSchema = integration<PagerdutyConfig>(
  "config.plain",
  {
    ...notifierFields(true),
    service_key: { schema: secret },
    service_key_file: { schema: filePath },
    routing_key: { schema: secret },
    routing_key_file: { schema: filePath },
    url: { schema: amURL },
    client: { schema: str, default: tmpl("pagerduty.default.client") },
    client_url: { schema: str, default: tmpl("pagerduty.default.clientURL") },
    description: { schema: str, default: '{{ template "pagerduty.default.description" .}}' },
    details: { schema: map(anyValue) },
    images: { schema: list(imageSchema) },
    links: { schema: list(linkSchema) },
    source: { schema: str },
    severity: { schema: str },
    class: { schema: str },
    component: { schema: str },
    group: { schema: str },
    timeout: { schema: timeDuration, omit: "never" },
  },
  (d, site) => {
    if (
      d.routing_key === "" &&
      d.service_key === "" &&
      d.routing_key_file === "" &&
      d.service_key_file === ""
    ) {
      throw site.error("missing service or routing key in PagerDuty config");
    }
    atMostOne(site, "routing_key", "routing_key_file", d.routing_key, d.routing_key_file);
    atMostOne(site, "service_key", "service_key_file", d.service_key, d.service_key_file);
    d.details = { ...DEFAULT_PAGERDUTY_DETAILS, ...(d.details as Record<string, unknown>) };
    if (d.source === "") d.source = d.client;
  },
);

const RESPONDER_TYPES = /^(team|teams|user|escalation|schedule)$/;

function goStruct(r: OpsGenieResponder): string {
  return `{${r.id} ${r.name} ${r.username} ${r.type}}`;
}

const responderSchema: Schema<OpsGenieResponder> = object<OpsGenieResponder>(
  "config.OpsGenieConfigResponder",
  {
    id: { schema: str },
    name: { schema: str },
    username: { schema: str },
    type: { schema: str },
  },
);

/** One `opsgenie_configs` entry; `api_url` and the key come from `global` when absent. */
export const opsgenieConfigSchema = integration<OpsGenieConfig>(
  "config.plain",
  {
    ...notifierFields(true),
    api_key: { schema: secret },
    api_key_file: { schema: filePath },
    api_url: { schema: amURL },
    message: { schema: str, default: tmpl("opsgenie.default.message") },
    description: { schema: str, default: tmpl("opsgenie.default.description") },
    source: { schema: str, default: tmpl("opsgenie.default.source") },
    details: { schema: map(str) },
    entity: { schema: str },
    responders: { schema: list(responderSchema) },
    actions: { schema: str },
    tags: { schema: str },
    note: { schema: str },
    priority: { schema: str },
    update_alerts: { schema: bool },
  },
  (d, site) => {
    atMostOne(site, "api_key", "api_key_file", d.api_key, d.api_key_file);
    for (const r of d.responders as OpsGenieResponder[]) {
      if (r.id === "" && r.username === "" && r.name === "") {
        throw site.error(
          `opsGenieConfig responder ${goStruct(r)} has to have at least one of id, username or name specified`,
          "responders",
        );
      }
      if (r.type.includes("{{")) continue;
      if (!RESPONDER_TYPES.test(r.type.toLowerCase())) {
        throw site.error(
          `opsGenieConfig responder ${goStruct(r)} type does not match valid options ${RESPONDER_TYPES.source}`,
          "responders",
        );
      }
    }
  },
);
