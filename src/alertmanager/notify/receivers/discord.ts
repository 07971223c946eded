/**
 * `discord_configs`: one webhook message with one embed (title, description,
 * colour by the group's status) per notification; texts cut to Discord's
 * limits (content 2000, title 256, description 4096 runes).
 */
import type { DiscordConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import type { Notifier, NotifyContext, NotifyResult } from "../notifier.ts";
import { HTTPClient, inlineOrFile } from "./http.ts";
import { encodeGoJSON, omitEmpty, truncateRunes } from "./json.ts";
import { groupStatus, Renderer } from "./render.ts";

const MAX_CONTENT_RUNES = 2000;
const MAX_TITLE_RUNES = 256;
const MAX_DESCRIPTION_RUNES = 4096;
const COLOR_RED = 0x992d22;
const COLOR_GREEN = 0x2ecc71;

/** Upstream's Discord notifier. */
export class DiscordNotifier implements Notifier {
  readonly #conf: DiscordConfig;
  readonly #client: HTTPClient;

  constructor(conf: DiscordConfig) {
    this.#conf = conf;
    this.#client = new HTTPClient(conf.http_config);
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const c = this.#conf;
    const r = new Renderer(ctx, alerts);
    const title = truncateRunes(await r.text(c.title), MAX_TITLE_RUNES).text;
    const description = truncateRunes(await r.text(c.message), MAX_DESCRIPTION_RUNES).text;
    const content = truncateRunes(await r.text(c.content), MAX_CONTENT_RUNES).text;
    if (r.error !== undefined) return { retry: false, error: r.error };
    const color = groupStatus(alerts, ctx.now) === "firing" ? COLOR_RED : COLOR_GREEN;
    const body = {
      content,
      embeds: [{ title, description, color }],
      username: omitEmpty(c.username),
      avatar_url: omitEmpty(c.avatar_url),
    };
    let url: string;
    try {
      url = await inlineOrFile(c.webhook_url, c.webhook_url_file, "webhook_url_file");
    } catch (e) {
      return { retry: false, error: e as Error };
    }
    return this.#client.sendChecked({ url, body: encodeGoJSON(body), signal: ctx.signal });
  }
}
