/**
 * `telegram_configs`: the Bot API's `sendMessage` at
 * `<api_url>/bot<token>/sendMessage`, with `parse_mode` (HTML messages are
 * rendered as HTML templates), `disable_notification`, `message_thread_id`
 * and link previews off. Plain messages are cut to 4096 runes.
 */
import { readFile } from "node:fs/promises";
import type { TelegramConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import { type Notifier, type NotifyContext, NotifyError, type NotifyResult } from "../notifier.ts";
import { HTTPClient, transportFailure } from "./http.ts";
import { encodeGoJSON, truncateRunes } from "./json.ts";
import { Renderer } from "./render.ts";

const MAX_MESSAGE_RUNES = 4096;
const TOO_LONG =
  "Alertmanager notification could not be sent: message length exceeds Telegram limits.\n\t\t\tPlease check the template used for producing the message content.";

async function botToken(c: TelegramConfig): Promise<string> {
  if (c.bot_token_file === "") return c.bot_token;
  try {
    return (await readFile(c.bot_token_file, "utf8")).trim();
  } catch (e) {
    throw new Error(`could not read ${c.bot_token_file}: ${(e as Error).message}`);
  }
}

async function chatID(c: TelegramConfig): Promise<number> {
  if (c.chat_id_file === "") return c.chat_id;
  const text = (await readFile(c.chat_id_file, "utf8")).trim();
  if (!/^[+-]?[0-9]+$/.test(text)) throw new Error(`could not parse chat_id from ${c.chat_id_file}`);
  return Number(text);
}

/** Upstream's Telegram notifier (telebot's `Send` request shape). */
export class TelegramNotifier implements Notifier {
  readonly #conf: TelegramConfig;
  readonly #client: HTTPClient;

  constructor(conf: TelegramConfig) {
    this.#conf = conf;
    this.#client = new HTTPClient(conf.http_config);
  }

  async #text(r: Renderer): Promise<string> {
    const c = this.#conf;
    if (c.parse_mode === "HTML") {
      const text = await r.html(c.message);
      return Array.from(text).length > MAX_MESSAGE_RUNES ? TOO_LONG : text;
    }
    return truncateRunes(await r.text(c.message), MAX_MESSAGE_RUNES).text;
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const c = this.#conf;
    const r = new Renderer(ctx, alerts);
    const text = await this.#text(r);
    if (r.error !== undefined) return { retry: false, error: r.error };
    let token: string;
    let chat: number;
    try {
      token = await botToken(c);
      chat = await chatID(c);
    } catch (e) {
      return { retry: true, error: e as Error };
    }
    const params: Record<string, string> = { chat_id: String(chat), text };
    if (c.disable_notifications) params.disable_notification = "true";
    params.disable_web_page_preview = "true";
    if (c.message_thread_id !== 0) params.message_thread_id = String(c.message_thread_id);
    if (c.parse_mode !== "") params.parse_mode = c.parse_mode;
    const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
    const url = `${c.api_url.replace(/\/$/, "")}/bot${token}/sendMessage`;
    try {
      const res = await this.#client.send({ url, body: encodeGoJSON(sorted), signal: ctx.signal });
      return telegramVerdict(res.status, res.body);
    } catch (e) {
      return transportFailure(e, "telegram: ");
    }
  }
}

/** The Bot API's answer: `{"ok":true,…}` succeeds; anything else is retried, as upstream retries every send error. */
function telegramVerdict(status: number, body: string): NotifyResult {
  let parsed: { ok?: boolean; description?: string; error_code?: number } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // A non-JSON answer is an error below.
  }
  if (status === 200 && parsed.ok === true) return { retry: false };
  const code = parsed.error_code ?? status;
  const reason = code >= 400 && code < 500 ? "clientError" : code >= 500 ? "serverError" : "other";
  const desc = parsed.description ?? `unexpected status code ${status}`;
  return { retry: true, error: new NotifyError(reason, `telegram: ${desc} (${code})`) };
}
