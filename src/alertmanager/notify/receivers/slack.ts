/**
 * `slack_configs`: one attachment message posted to an incoming webhook
 * (`api_url[_file]`) or, with a bot token (`app_token[_file]`), to `app_url`
 * (default `chat.postMessage`) with `Authorization: Bearer`. The title is cut
 * to 1024 runes; Slack's `ok` text or `{"ok":true}` JSON means success.
 */
import type { SlackConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import { type Notifier, type NotifyContext, NotifyError, type NotifyResult } from "../notifier.ts";
import { checkStatus, HTTPClient, inlineOrFile, transportFailure } from "./http.ts";
import { encodeGoJSON, omitEmpty, omitEmptyList, truncateRunes } from "./json.ts";
import { Renderer } from "./render.ts";

const MAX_TITLE_RUNES = 1024;
const DEFAULT_APP_URL = "https://slack.com/api/chat.postMessage";

/** The request body, in upstream's field order. */
async function message(conf: SlackConfig, r: Renderer): Promise<Record<string, unknown>> {
  const channel = await r.text(conf.channel);
  const fields = [];
  for (const f of conf.fields) {
    fields.push({
      title: omitEmpty(await r.text(f.title)),
      value: omitEmpty(await r.text(f.value)),
      short: f.short ?? conf.short_fields,
    });
  }
  const actions = [];
  for (const a of conf.actions) {
    const confirm =
      a.confirm === undefined
        ? undefined
        : {
            text: omitEmpty(await r.text(a.confirm.text)),
            title: omitEmpty(await r.text(a.confirm.title)),
            ok_text: omitEmpty(await r.text(a.confirm.ok_text)),
            dismiss_text: omitEmpty(await r.text(a.confirm.dismiss_text)),
          };
    actions.push({
      type: omitEmpty(await r.text(a.type)),
      text: omitEmpty(await r.text(a.text)),
      url: omitEmpty(await r.text(a.url)),
      style: omitEmpty(await r.text(a.style)),
      name: omitEmpty(await r.text(a.name)),
      value: omitEmpty(await r.text(a.value)),
      confirm,
    });
  }
  const attachment = {
    title: omitEmpty(truncateRunes(await r.text(conf.title), MAX_TITLE_RUNES).text),
    title_link: omitEmpty(await r.text(conf.title_link)),
    pretext: omitEmpty(await r.text(conf.pretext)),
    text: await r.text(conf.text),
    fallback: await r.text(conf.fallback),
    callback_id: await r.text(conf.callback_id),
    fields: omitEmptyList(fields),
    actions: omitEmptyList(actions),
    image_url: omitEmpty(await r.text(conf.image_url)),
    thumb_url: omitEmpty(await r.text(conf.thumb_url)),
    footer: await r.text(conf.footer),
    color: omitEmpty(await r.text(conf.color)),
    mrkdwn_in: conf.mrkdwn_in.length === 0 ? ["fallback", "pretext", "text"] : conf.mrkdwn_in,
  };
  return {
    channel: omitEmpty(channel),
    username: omitEmpty(await r.text(conf.username)),
    icon_emoji: omitEmpty(await r.text(conf.icon_emoji)),
    icon_url: omitEmpty(await r.text(conf.icon_url)),
    link_names: conf.link_names ? true : undefined,
    attachments: [attachment],
  };
}

/** Slack's verdict on a 2xx body: JSON `{"ok":false}` or a text other than `ok` is a permanent error. */
function checkBody(contentType: string, body: string): Error | undefined {
  if (contentType.startsWith("application/json")) {
    let parsed: { ok?: boolean; error?: string };
    try {
      parsed = JSON.parse(body) as { ok?: boolean; error?: string };
    } catch (e) {
      return new Error(`could not unmarshal JSON response ${JSON.stringify(body)}: ${(e as Error).message}`);
    }
    return parsed.ok === true ? undefined : new Error(`error response from Slack: ${parsed.error ?? ""}`);
  }
  return body === "ok" ? undefined : new Error(`received an error response from Slack: ${body}`);
}

/** Upstream's Slack notifier. */
export class SlackNotifier implements Notifier {
  readonly #conf: SlackConfig;
  readonly #client: HTTPClient;

  constructor(conf: SlackConfig) {
    this.#conf = conf;
    this.#client = new HTTPClient(conf.http_config);
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const r = new Renderer(ctx, alerts);
    const body = await message(this.#conf, r);
    if (r.error !== undefined) return { retry: false, error: r.error };
    const c = this.#conf;
    const useToken = c.app_token !== "" || c.app_token_file !== "";
    let url: string;
    const headers: Record<string, string> = {};
    try {
      if (useToken) {
        url = c.app_url || DEFAULT_APP_URL;
        headers.Authorization = `Bearer ${await inlineOrFile(c.app_token, c.app_token_file)}`;
      } else {
        url = await inlineOrFile(c.api_url, c.api_url_file);
      }
    } catch (e) {
      return { retry: false, error: e as Error };
    }
    const channel = `channel ${JSON.stringify(body.channel ?? "")}: `;
    const signal = c.timeout > 0 ? AbortSignal.any([ctx.signal, AbortSignal.timeout(c.timeout)]) : ctx.signal;
    let res: Awaited<ReturnType<HTTPClient["send"]>>;
    try {
      res = await this.#client.send({ url, body: encodeGoJSON(body), headers, signal });
    } catch (e) {
      return transportFailure(e);
    }
    const status = checkStatus(res, {}, channel);
    if (status.error !== undefined) return status;
    const err = checkBody(String(res.headers["content-type"] ?? ""), res.body);
    if (err !== undefined)
      return { retry: false, error: new NotifyError("clientError", `${channel}${err.message}`) };
    return { retry: false };
  }
}
