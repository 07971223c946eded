/**
 * `msteams_configs` (an Office 365 connector `MessageCard`) and
 * `msteamsv2_configs` (an Adaptive Card for Power Automate workflows): one
 * post per notification, coloured by the group's status.
 */
import type { MSTeamsConfig, MSTeamsV2Config } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import type { Notifier, NotifyContext, NotifyResult } from "../notifier.ts";
import { HTTPClient, inlineOrFile } from "./http.ts";
import { encodeGoJSON } from "./json.ts";
import { groupStatus, Renderer } from "./render.ts";

/** A webhook integration rendering `body` and posting it to its URL. */
abstract class TeamsNotifier implements Notifier {
  readonly #client: HTTPClient;
  readonly #url: () => Promise<string>;

  constructor(conf: MSTeamsV2Config) {
    this.#client = new HTTPClient(conf.http_config);
    this.#url = () => inlineOrFile(conf.webhook_url, conf.webhook_url_file, "webhook_url_file");
  }

  protected abstract body(r: Renderer, status: "firing" | "resolved"): Promise<unknown>;

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const r = new Renderer(ctx, alerts);
    const body = await this.body(r, groupStatus(alerts, ctx.now));
    if (r.error !== undefined) return { retry: false, error: r.error };
    let url: string;
    try {
      url = await this.#url();
    } catch (e) {
      return { retry: false, error: e as Error };
    }
    return this.#client.sendChecked({ url, body: encodeGoJSON(body), signal: ctx.signal });
  }
}

/** Upstream's `msteams` notifier: a `MessageCard`, theme colour red (firing) or green (resolved). */
export class MSTeamsNotifier extends TeamsNotifier {
  readonly #conf: MSTeamsConfig;
  constructor(conf: MSTeamsConfig) {
    super(conf);
    this.#conf = conf;
  }
  protected async body(r: Renderer, status: "firing" | "resolved"): Promise<unknown> {
    return {
      "@context": "http://schema.org/extensions",
      type: "MessageCard",
      title: await r.text(this.#conf.title),
      summary: await r.text(this.#conf.summary),
      text: await r.text(this.#conf.text),
      themeColor: status === "firing" ? "8C1A1A" : "2DC72D",
    };
  }
}

/** Upstream's `msteamsv2` notifier: an Adaptive Card 1.2 with a heading and a text block. */
export class MSTeamsV2Notifier extends TeamsNotifier {
  readonly #conf: MSTeamsV2Config;
  constructor(conf: MSTeamsV2Config) {
    super(conf);
    this.#conf = conf;
  }
  protected async body(r: Renderer, status: "firing" | "resolved"): Promise<unknown> {
    const title = await r.text(this.#conf.title);
    const text = await r.text(this.#conf.text);
    return {
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.2",
            body: [
              {
                type: "TextBlock",
                text: title,
                weight: "Bolder",
                size: "Medium",
                wrap: true,
                style: "heading",
                color: status === "firing" ? "Attention" : "Good",
              },
              { type: "TextBlock", text, wrap: true },
            ],
            msteams: { width: "full" },
          },
        },
      ],
    };
  }
}
