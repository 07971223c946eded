/**
 * `email_configs`: one mail per notification through the `smarthost`, with
 * nodemailer as the SMTP client. Headers (`Subject`, `To`, `From` and any
 * other) are text templates; the body is `multipart/alternative` with the
 * `text` part (when set) then the `html` part (when set, rendered as HTML).
 * As upstream: port 465 (or `force_implicit_tls`) is TLS from the start,
 * `require_tls` demands STARTTLS (and without it none is attempted), `hello`
 * names the client, and auth uses CRAM-MD5 when `auth_secret` is set, else
 * PLAIN or LOGIN with `auth_password`. SMTP errors are retried when
 * transient (4xx replies, network errors), not when permanent (5xx replies).
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { hostname } from "node:os";
import { createTransport } from "nodemailer";
import { tlsOptions } from "../../../config/client.ts";
import type { EmailConfig } from "../../config/types.ts";
import type { Alert } from "../../types/types.ts";
import { type Notifier, type NotifyContext, NotifyError, type NotifyResult } from "../notifier.ts";
import { Renderer } from "./render.ts";

/** Headers set from their own fields rather than passed through. */
const OWN_HEADERS = new Set(["From", "To", "Subject"]);

function secret(value: string, file: string): string {
  if (value !== "") return value;
  return file === "" ? "" : readFileSync(file, "utf8").trim();
}

/** The nodemailer SMTP transport options for `c`. */
export function transportOptions(c: EmailConfig): Record<string, unknown> {
  const i = c.smarthost.lastIndexOf(":");
  const host = c.smarthost.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  const port = Number(c.smarthost.slice(i + 1));
  const implicitTLS = c.force_implicit_tls ?? port === 465;
  const requireTLS = c.require_tls ?? true;
  const opts: Record<string, unknown> = {
    host,
    port,
    secure: implicitTLS,
    requireTLS: !implicitTLS && requireTLS,
    ignoreTLS: !implicitTLS && !requireTLS,
    name: c.hello || "localhost",
    // Go verifies the certificate against the smarthost's host; an IP is not a TLS server name.
    tls: {
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(c.tls_config !== undefined ? tlsOptions(c.tls_config) : {}),
    },
  };
  if (c.auth_username !== "") {
    const cram = secret(c.auth_secret, c.auth_secret_file);
    const pass = cram !== "" ? cram : secret(c.auth_password, c.auth_password_file);
    opts.auth = { user: c.auth_username, pass };
    if (cram !== "") opts.authMethod = "CRAM-MD5";
  }
  return opts;
}

/** A transient SMTP failure (4xx reply, connection trouble) is worth retrying; a 5xx reply is not. */
function smtpFailure(err: unknown): NotifyResult {
  const e = err as Error & { responseCode?: number; code?: string };
  const code = e.responseCode ?? 0;
  const permanent = code >= 500 && code < 600;
  const reason = code >= 500 ? "serverError" : code >= 400 ? "clientError" : "other";
  return { retry: !permanent, error: new NotifyError(reason, `send email: ${e.message}`, { cause: err }) };
}

/** Upstream's email notifier. */
export class EmailNotifier implements Notifier {
  readonly #conf: EmailConfig;

  constructor(conf: EmailConfig) {
    this.#conf = conf;
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    const c = this.#conf;
    const r = new Renderer(ctx, alerts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers)) headers[k] = await r.text(v);
    const text = c.text === "" ? "" : await r.text(c.text);
    const html = c.html === "" ? "" : await r.html(c.html);
    if (r.error !== undefined)
      return { retry: false, error: new Error(`execute template: ${r.error.message}`) };
    const from = headers.From ?? (await r.text(c.from));
    const to = headers.To ?? (await r.text(c.to));
    let transport: ReturnType<typeof createTransport>;
    try {
      transport = createTransport(transportOptions(c) as never);
    } catch (e) {
      return { retry: false, error: e as Error };
    }
    const extra = Object.fromEntries(Object.entries(headers).filter(([k]) => !OWN_HEADERS.has(k)));
    const abort = (): void => transport.close();
    ctx.signal.addEventListener("abort", abort, { once: true });
    try {
      await transport.sendMail({
        from,
        to,
        subject: headers.Subject ?? "",
        headers: extra,
        messageId: `<${Date.now()}${process.hrtime.bigint() % 1_000_000n}.${Math.floor(Math.random() * 2 ** 31)}@${hostname()}>`,
        date: new Date(ctx.now),
        ...(text !== "" ? { text } : {}),
        ...(html !== "" ? { html } : {}),
      });
      return { retry: false };
    } catch (e) {
      return smtpFailure(e);
    } finally {
      ctx.signal.removeEventListener("abort", abort);
      transport.close();
    }
  }
}
