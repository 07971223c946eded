/**
 * The runtime side of prometheus/common's `HTTPClientConfig`, upstream's
 * `NewClientFromConfig` on undici: {@link newDispatcher} makes the connection
 * pool (TLS from inline PEM or files, `insecure_skip_verify`, `server_name`,
 * TLS versions, `proxy_url`/`no_proxy`/`proxy_from_environment` with
 * `proxy_connect_header`, HTTP/2, `follow_redirects`), {@link requestHeaders}
 * the per-request headers (`http_headers`, `basic_auth`, `authorization`;
 * `*_file` secrets re-read on every request, so rotated ones apply).
 * Empty strings count as unset, as in a decoded config.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Dispatcher } from "undici";
import { readSecret } from "./httpclient.ts";
import type { HTTPClientConfig, TLSConfig } from "./types.ts";
import { undici } from "./undici.ts";

/** Options of {@link newDispatcher}. */
export interface DispatcherOptions {
  /** How long an idle keep-alive connection stays open, in milliseconds; default undici's. */
  readonly keepAliveTimeoutMs?: number;
}

const TLS_VERSIONS = { TLS10: "TLSv1", TLS11: "TLSv1.1", TLS12: "TLSv1.2", TLS13: "TLSv1.3" } as const;

/** Go's redirect limit: the 11th redirect fails with `stopped after 10 redirects`. */
const MAX_REDIRECTS = 10;

function pem(inline: string | undefined, file: string | undefined): string | undefined {
  if (inline !== undefined && inline !== "") return inline;
  return file !== undefined && file !== "" ? readFileSync(file, "utf8") : undefined;
}

/**
 * TLS options for undici's connector from a `tls_config`; `*_file`s are read now
 * (throws when one is unreadable). The minimum version defaults to TLS 1.2.
 */
export function tlsOptions(tls: TLSConfig): Record<string, unknown> {
  const opts: Record<string, unknown> = { rejectUnauthorized: !tls.insecure_skip_verify };
  const ca = pem(tls.ca, tls.ca_file);
  if (ca !== undefined) opts.ca = ca;
  const cert = pem(tls.cert, tls.cert_file);
  if (cert !== undefined) opts.cert = cert;
  const key = pem(tls.key, tls.key_file);
  if (key !== undefined) opts.key = key;
  if (tls.server_name !== undefined && tls.server_name !== "") opts.servername = tls.server_name;
  opts.minVersion = TLS_VERSIONS[tls.min_version || "TLS12"];
  if (tls.max_version) opts.maxVersion = TLS_VERSIONS[tls.max_version];
  return opts;
}

/**
 * The dispatcher (connection pool) for `cfg`, to pass to undici's `request`;
 * close it when done. Throws when the config cannot be honoured: an unreadable
 * TLS file, or `oauth2` (not supported).
 */
export function newDispatcher(cfg: HTTPClientConfig, opts: DispatcherOptions = {}): Dispatcher {
  const connect = checkClientConfig(cfg);
  const { Agent, EnvHttpProxyAgent, interceptors, ProxyAgent } = undici();
  const common = { connect, allowH2: cfg.enable_http2, keepAliveTimeout: opts.keepAliveTimeoutMs };
  let d: Dispatcher;
  if (cfg.proxy_url !== undefined && cfg.proxy_url !== "") {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(cfg.proxy_connect_header ?? {})) headers[k] = v.join(", ");
    const proxy = { ...common, requestTls: connect, headers };
    d =
      cfg.no_proxy !== undefined && cfg.no_proxy !== ""
        ? new EnvHttpProxyAgent({
            ...proxy,
            httpProxy: cfg.proxy_url,
            httpsProxy: cfg.proxy_url,
            noProxy: cfg.no_proxy,
          })
        : new ProxyAgent({ ...proxy, uri: cfg.proxy_url });
  } else if (cfg.proxy_from_environment === true) {
    d = new EnvHttpProxyAgent({ ...common, requestTls: connect });
  } else {
    d = new Agent(common);
  }
  // Without follow_redirects the 3xx response itself is returned, as Go's CheckRedirect does.
  return cfg.follow_redirects
    ? d.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS, throwOnMaxRedirect: true }))
    : d;
}

/** Whether requests go through a proxy (`proxy_url` or `proxy_from_environment`): then only undici can carry them. */
export function usesProxy(cfg: HTTPClientConfig): boolean {
  return (cfg.proxy_url ?? "") !== "" || cfg.proxy_from_environment === true;
}

/**
 * Throws what {@link newDispatcher} would for `cfg` (oauth2, unreadable TLS
 * files) without making one; returns the TLS connect options.
 */
export function checkClientConfig(cfg: HTTPClientConfig): Record<string, unknown> {
  if (cfg.oauth2 !== undefined) throw new Error("oauth2 is not supported");
  return tlsOptions(cfg.tls_config);
}

async function authorization(cfg: HTTPClientConfig): Promise<string | undefined> {
  const ba = cfg.basic_auth;
  if (ba !== undefined) {
    const user = await readSecret(ba.username, ba.username_file);
    const pass = await readSecret(ba.password, ba.password_file);
    return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
  }
  const az = cfg.authorization;
  if (az === undefined) return undefined;
  return `${az.type || "Bearer"} ${await readSecret(az.credentials, az.credentials_file)}`;
}

/**
 * The headers `cfg` adds to every request: each `http_headers` entry (values,
 * secrets, then trimmed file contents; one header line per value) and
 * `Authorization` from `basic_auth` or `authorization`. Spread it after a
 * caller's own headers. Rejects when a `*_file` cannot be read.
 */
export async function requestHeaders(cfg: HTTPClientConfig): Promise<Record<string, string | string[]>> {
  const h: Record<string, string | string[]> = {};
  for (const [name, spec] of Object.entries(cfg.http_headers ?? {})) {
    const values = [...(spec.values ?? []), ...(spec.secrets ?? [])];
    for (const file of spec.files ?? []) values.push((await readFile(file, "utf8")).trim());
    if (values.length > 0) h[name] = values;
  }
  const auth = await authorization(cfg);
  if (auth !== undefined) h.Authorization = auth;
  return h;
}

/**
 * Reads a whole response body; once more than `maxBytes` arrived it drops the
 * connection and returns undefined (the caller words the error).
 */
export async function readBody(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    n += chunk.length;
    if (n > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, n);
}
