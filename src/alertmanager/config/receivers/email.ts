/**
 * `email_configs`: SMTP delivery. `to` is required; headers are
 * case-insensitive (duplicates refused, names canonicalised); SMTP settings
 * left out are filled from `global.smtp_*` when the config loads.
 */
import { bool, filePath, map, object, type Schema, secret, str } from "../../../config/decode.ts";
import { canonicalHeaderKey, tlsConfigSchema } from "../../../config/httpclient.ts";
import { goQuote } from "../../../model/labels/strings.ts";
import { hostPort } from "../common.ts";
import type { EmailConfig } from "../types.ts";
import { integration, notifierFields, tmpl } from "./notifier.ts";

/** The default `Subject` header. */
export const DEFAULT_EMAIL_SUBJECT = tmpl("email.default.subject");

type Threading = NonNullable<EmailConfig["threading"]>;

const threadingSchema: Schema<Threading> = object<Threading>(
  "config.ThreadingConfig",
  {
    enabled: { schema: bool },
    thread_by_date: { schema: str },
  },
  {
    finish: (d, site) => {
      const t = d as unknown as Threading;
      if (
        t.enabled &&
        t.thread_by_date !== "" &&
        t.thread_by_date !== "none" &&
        t.thread_by_date !== "daily"
      ) {
        throw site.error("threading.thread_by_date must be either 'none' or 'daily'", "thread_by_date");
      }
      return t;
    },
  },
);

/** One `email_configs` entry (`send_resolved` defaults to false). */
export const emailConfigSchema = integration<EmailConfig>(
  "config.plain",
  {
    ...notifierFields(false, false),
    to: { schema: str },
    from: { schema: str },
    hello: { schema: str },
    smarthost: { schema: hostPort },
    auth_username: { schema: str },
    auth_password: { schema: secret },
    auth_password_file: { schema: filePath },
    auth_secret: { schema: secret },
    auth_secret_file: { schema: filePath },
    auth_identity: { schema: str },
    headers: { schema: map(str) },
    html: { schema: str, default: tmpl("email.default.html") },
    text: { schema: str },
    require_tls: { schema: bool, omit: "nil", default: undefined },
    tls_config: { schema: tlsConfigSchema, omit: "nil", default: undefined },
    force_implicit_tls: { schema: bool, omit: "nil", default: undefined },
    threading: { schema: threadingSchema, omit: "nil", default: undefined },
  },
  (d, site) => {
    if (d.to === "") throw site.error("missing to address in email config", "to");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.headers as Record<string, string>)) {
      const name = canonicalHeaderKey(k);
      if (Object.hasOwn(headers, name))
        throw site.error(`duplicate header ${goQuote(name)} in email config`, "headers");
      headers[name] = v;
    }
    d.headers = headers;
  },
);
