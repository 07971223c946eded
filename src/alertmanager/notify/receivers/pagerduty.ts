/**
 * `pagerduty_configs`: an Events API v2 event (`routing_key`, posted to
 * `url`) or a v1 event (`service_key`, posted to the generic v1 endpoint).
 * The dedup/incident key is the SHA-256 of the group key, so one group is one
 * incident; a resolved group sends `resolve`. Summaries are cut to 1024
 * runes, and an event over 512 KB loses its details. 429 (v2) or 403 (v1)
 * are retried like 5xx.
 */
import { GoFloat, GoMap } from "../../../config/yaml_emit.ts";
import type { PagerdutyConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import type { Notifier, NotifyContext, NotifyResult } from "../notifier.ts";
import { HTTPClient, inlineOrFile, type Retrier } from "./http.ts";
import { encodeGoJSON, omitEmpty, omitEmptyList, truncateRunes } from "./json.ts";
import { groupKeyHash, groupStatus, Renderer } from "./render.ts";

/** The Events API v1 endpoint (not configurable upstream). */
export const PAGERDUTY_V1_URL = "https://events.pagerduty.com/generic/2010-04-15/create_event.json";
const MAX_EVENT_BYTES = 512_000;
const MAX_SUMMARY_RUNES = 1024;
const TRUNCATED_DETAILS =
  "Custom details have been removed because the original event exceeds the maximum size of 512kB";

/** PagerDuty's 400 body worded as upstream's `errDetails`. */
function errDetails(status: number, body: string): string {
  if (status !== 400) return "";
  try {
    const p = JSON.parse(body) as { message?: string; errors?: string[] };
    return `${p.message ?? ""}: ${(p.errors ?? []).join(",")}`;
  } catch {
    return "";
  }
}

/** Sorted keys, as Go encodes a map. */
function sortedObject(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Decoded JSON with object keys sorted, as Go re-encodes a decoded `any`. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object")
    return sortedObject(Object.entries(v).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

/** A rendered string: embedded as JSON when it is valid JSON (upstream 0.33), else as a string. */
function asDetail(s: string): unknown {
  try {
    return sortKeys(JSON.parse(s));
  } catch {
    return s;
  }
}

/**
 * A details value: strings are templates whose output is embedded as JSON
 * when it parses (`{{ .Alerts.Firing | toJson }}` becomes a list, `{{ len … }}`
 * a number); maps and lists are walked; other scalars pass through.
 */
async function renderDetail(v: unknown, r: Renderer): Promise<unknown> {
  if (typeof v === "string") return asDetail(await r.text(v));
  if (v instanceof GoFloat) return v.value;
  if (v instanceof GoMap) {
    const out: [string, unknown][] = [];
    for (const [k, x] of v.entries) out.push([k, await renderDetail(x, r)]);
    return sortedObject(out);
  }
  if (Array.isArray(v)) return Promise.all(v.map((x) => renderDetail(x, r)));
  return v;
}

/** Upstream's PagerDuty notifier. */
export class PagerDutyNotifier implements Notifier {
  readonly #conf: PagerdutyConfig;
  readonly #client: HTTPClient;
  readonly #v1: boolean;
  readonly #retrier: Retrier;

  constructor(conf: PagerdutyConfig) {
    this.#conf = conf;
    this.#client = new HTTPClient(conf.http_config);
    this.#v1 = conf.service_key !== "" || conf.service_key_file !== "";
    this.#retrier = { retryCodes: [this.#v1 ? 403 : 429], details: errDetails };
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const c = this.#conf;
    const r = new Renderer(ctx, alerts);
    const eventType = groupStatus(alerts, ctx.now) === "resolved" ? "resolve" : "trigger";
    const details: [string, unknown][] = [];
    for (const [k, v] of Object.entries(c.details)) details.push([k, await renderDetail(v, r)]);
    const msg = this.#v1
      ? await this.#v1Message(r, eventType, sortedObject(details), ctx.groupKey)
      : await this.#v2Message(r, eventType, sortedObject(details), ctx.groupKey);
    if (r.error !== undefined) {
      return {
        retry: false,
        error: new Error(
          `failed to template PagerDuty ${this.#v1 ? "v1 " : "v2 "}message: ${r.error.message}`,
        ),
      };
    }
    const key = this.#v1 ? msg.service_key : msg.routing_key;
    if (key === "" || key === undefined) {
      return { retry: false, error: new Error(`${this.#v1 ? "service" : "routing"} key cannot be empty`) };
    }
    let body = encodeGoJSON(msg);
    if (Buffer.byteLength(body) > MAX_EVENT_BYTES) {
      const cut = { error: TRUNCATED_DETAILS };
      if (this.#v1) msg.details = cut;
      else (msg.payload as Record<string, unknown>).custom_details = cut;
      body = encodeGoJSON(msg);
    }
    const url = this.#v1 ? PAGERDUTY_V1_URL : c.url;
    const signal = c.timeout > 0 ? AbortSignal.any([ctx.signal, AbortSignal.timeout(c.timeout)]) : ctx.signal;
    const prefix = `failed to post message to PagerDuty${this.#v1 ? " v1" : ""}: `;
    return this.#client.sendChecked({ url, body, signal }, this.#retrier, prefix);
  }

  async #v1Message(
    r: Renderer,
    eventType: string,
    details: Record<string, unknown>,
    groupKey: string,
  ): Promise<Record<string, unknown>> {
    const c = this.#conf;
    const serviceKey = await r.text(await inlineOrFile(c.service_key, c.service_key_file));
    const description = truncateRunes(await r.text(c.description), MAX_SUMMARY_RUNES).text;
    const trigger = eventType === "trigger";
    return {
      service_key: omitEmpty(serviceKey),
      incident_key: groupKeyHash(groupKey),
      event_type: eventType,
      description: omitEmpty(description),
      event_action: "",
      payload: null,
      client: trigger ? omitEmpty(await r.text(c.client)) : undefined,
      client_url: trigger ? omitEmpty(await r.text(c.client_url)) : undefined,
      details: Object.keys(details).length === 0 ? undefined : details,
    };
  }

  async #v2Message(
    r: Renderer,
    eventType: string,
    details: Record<string, unknown>,
    groupKey: string,
  ): Promise<Record<string, unknown>> {
    const c = this.#conf;
    const routingKey = await r.text(await inlineOrFile(c.routing_key, c.routing_key_file));
    const images = [];
    for (const i of c.images) {
      const img = { src: await r.text(i.src), alt: await r.text(i.alt), href: await r.text(i.href) };
      if (img.src !== "") images.push(img);
    }
    const links = [];
    for (const l of c.links) {
      const link = { href: await r.text(l.href), text: await r.text(l.text) };
      if (link.href !== "") links.push(link);
    }
    const payload = {
      summary: truncateRunes(await r.text(c.description), MAX_SUMMARY_RUNES).text,
      source: await r.text(c.source !== "" ? c.source : c.client),
      severity: await r.text(c.severity === "" ? "error" : c.severity),
      class: omitEmpty(await r.text(c.class)),
      component: omitEmpty(await r.text(c.component)),
      group: omitEmpty(await r.text(c.group)),
      custom_details: Object.keys(details).length === 0 ? undefined : details,
    };
    return {
      routing_key: omitEmpty(routingKey),
      dedup_key: groupKeyHash(groupKey),
      event_action: eventType,
      payload,
      client: omitEmpty(await r.text(c.client)),
      client_url: omitEmpty(await r.text(c.client_url)),
      images: omitEmptyList(images),
      links: omitEmptyList(links),
    };
  }
}
