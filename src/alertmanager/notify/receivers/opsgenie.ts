/**
 * `opsgenie_configs`: Alert API v2. A firing group creates (or, upstream's
 * alias de-duplication, updates) the alert `POST v2/alerts`, aliased by the
 * group key's SHA-256; with `update_alerts` the message and description are
 * also updated; a resolved group closes it. Messages are cut to 130 runes;
 * 429 is retried like 5xx. Auth is `GenieKey <api_key>`.
 */
import type { OpsGenieConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import type { Notifier, NotifyContext, NotifyResult } from "../notifier.ts";
import { HTTPClient, inlineOrFile } from "./http.ts";
import { encodeGoJSON, omitEmpty, omitEmptyList, truncateRunes } from "./json.ts";
import { groupKeyHash, groupStatus, Renderer } from "./render.ts";

const MAX_MESSAGE_RUNES = 130;

/** Splits on `sep` after trimming, dropping empty parts (upstream's `safeSplit`). */
function safeSplit(s: string, sep: string): string[] {
  return s
    .trim()
    .split(sep)
    .filter((x) => x !== "");
}

interface Req {
  readonly method: "POST" | "PUT";
  readonly url: string;
  readonly body: string;
}

/** `base` + `path` with `?identifierType=alias` when `alias` (base ends with `/`). */
function endpoint(base: string, path: string, alias: boolean): string {
  const u = new URL(base);
  u.pathname += path;
  if (alias) u.search = "identifierType=alias";
  return u.toString();
}

/** Upstream's OpsGenie notifier. */
export class OpsGenieNotifier implements Notifier {
  readonly #conf: OpsGenieConfig;
  readonly #client: HTTPClient;

  constructor(conf: OpsGenieConfig) {
    this.#conf = conf;
    this.#client = new HTTPClient(conf.http_config);
  }

  async #responders(r: Renderer): Promise<Record<string, string | undefined>[]> {
    const out: Record<string, string | undefined>[] = [];
    for (const x of this.#conf.responders) {
      const resp = {
        id: await r.text(x.id),
        name: await r.text(x.name),
        username: await r.text(x.username),
        type: await r.text(x.type),
      };
      if (resp.id === "" && resp.name === "" && resp.username === "" && resp.type === "") continue;
      if (resp.type === "teams") {
        for (const team of safeSplit(resp.name, ",")) out.push({ name: await r.text(team), type: "team" });
        continue;
      }
      out.push({
        id: omitEmpty(resp.id),
        name: omitEmpty(resp.name),
        username: omitEmpty(resp.username),
        type: resp.type,
      });
    }
    return out;
  }

  async #requests(r: Renderer, alias: string, resolved: boolean): Promise<Req[]> {
    const c = this.#conf;
    if (resolved) {
      const body = encodeGoJSON({ source: await r.text(c.source) });
      return [{ method: "POST", url: endpoint(c.api_url, `v2/alerts/${alias}/close`, true), body }];
    }
    const details: Record<string, string> = {};
    for (const [k, v] of r.data.CommonLabels) details[k] = v;
    for (const [k, v] of Object.entries(c.details)) details[k] = await r.text(v);
    const sortedDetails = Object.fromEntries(Object.entries(details).sort(([a], [b]) => (a < b ? -1 : 1)));
    const message = truncateRunes(await r.text(c.message), MAX_MESSAGE_RUNES).text;
    const description = await r.text(c.description);
    const msg = {
      alias,
      message,
      description: omitEmpty(description),
      details: sortedDetails,
      source: await r.text(c.source),
      responders: omitEmptyList(await this.#responders(r)),
      tags: omitEmptyList(safeSplit(await r.text(c.tags), ",")),
      note: omitEmpty(await r.text(c.note)),
      priority: omitEmpty(await r.text(c.priority)),
      entity: omitEmpty(await r.text(c.entity)),
      actions: omitEmptyList(safeSplit(await r.text(c.actions), ",")),
    };
    const reqs: Req[] = [
      { method: "POST", url: endpoint(c.api_url, "v2/alerts", false), body: encodeGoJSON(msg) },
    ];
    if (c.update_alerts) {
      reqs.push(
        {
          method: "PUT",
          url: endpoint(c.api_url, `v2/alerts/${alias}/message`, true),
          body: encodeGoJSON({ message: omitEmpty(message) }),
        },
        {
          method: "PUT",
          url: endpoint(c.api_url, `v2/alerts/${alias}/description`, true),
          body: encodeGoJSON({ description: omitEmpty(description) }),
        },
      );
    }
    return reqs;
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const c = this.#conf;
    const r = new Renderer(ctx, alerts);
    const reqs = await this.#requests(
      r,
      groupKeyHash(ctx.groupKey),
      groupStatus(alerts, ctx.now) === "resolved",
    );
    let apiKey: string;
    try {
      apiKey =
        c.api_key !== ""
          ? await r.text(c.api_key)
          : (await r.text(await inlineOrFile("", c.api_key_file))).trim();
    } catch (e) {
      return { retry: false, error: new Error(`read key_file error: ${(e as Error).message}`) };
    }
    if (r.error !== undefined)
      return { retry: false, error: new Error(`templating error: ${r.error.message}`) };
    const headers = { Authorization: `GenieKey ${apiKey}` };
    for (const req of reqs) {
      const verdict = await this.#client.sendChecked(
        { ...req, headers, signal: ctx.signal },
        { retryCodes: [429] },
      );
      if (verdict.error !== undefined) return verdict;
    }
    return { retry: false };
  }
}
