/**
 * The data source proxy (`/api/datasources/proxy/uid/<uid>/<path>`): the
 * browser's Prometheus queries go through the server, which adds the data
 * source's basic auth and custom headers. It is not an open proxy: only
 * configured data source URLs are reached, only GET/POST, only the
 * Prometheus query API paths of {@link ALLOWED_PATHS}, and a path may not
 * climb out of the data source URL (`..`, encoded slashes or dots and
 * backslashes are refused before the URL is even built; the built URL is
 * then checked to be under the data source's). Redirects are not followed;
 * requests time out and responses are size-limited.
 */
import type { DataSource } from "../store/datasources.ts";

/** Paths below a data source URL the proxy forwards (matched on the raw path, without a leading `/`). */
export const ALLOWED_PATHS: readonly RegExp[] = [
  /^api\/v1\/(?:query|query_range|query_exemplars|series|labels|metadata|format_query|parse_query)$/,
  /^api\/v1\/label\/[A-Za-z0-9_.-]+\/values$/,
  /^api\/v1\/status\/buildinfo$/,
];

/** Limits of proxied calls. */
export interface ProxyLimits {
  /** Whole-call timeout, ms (Grafana's data proxy default: 30 s). */
  readonly timeoutMs: number;
  /** Largest response body passed back, bytes. */
  readonly maxResponseBytes: number;
  /** Largest request body forwarded, bytes. */
  readonly maxRequestBytes: number;
}

/** Default limits: 30 s, 64 MiB responses, 1 MiB request bodies. */
export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  timeoutMs: 30_000,
  maxResponseBytes: 64 << 20,
  maxRequestBytes: 1 << 20,
};

/** A refused or failed proxy call, with the HTTP status to answer. */
export class ProxyError extends Error {
  override readonly name = "ProxyError";
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/**
 * The upstream URL for `rawPath` (as received, still percent-encoded) and
 * `search` (`?…` or ""), or a ProxyError 403 when the path is not allowed.
 */
export function proxyTarget(ds: DataSource, rawPath: string, search: string): URL {
  if (ds.url === "") throw new ProxyError(400, "data source has no URL");
  const path = rawPath;
  if (/%2f|%2e|%5c|%00|\\/i.test(path) || path.split("/").some((s) => s === "" || s === "." || s === ".."))
    throw new ProxyError(403, `proxy path not allowed: ${JSON.stringify(rawPath)}`);
  if (!ALLOWED_PATHS.some((re) => re.test(path)))
    throw new ProxyError(
      403,
      `proxy path not allowed: ${JSON.stringify(rawPath)}: only the Prometheus query API is proxied`,
    );
  const base = new URL(ds.url);
  const basePath = base.pathname.replace(/\/+$/, "");
  const target = new URL(`${base.origin}${basePath}/${path}`);
  const params = new URLSearchParams(search);
  const custom =
    typeof ds.jsonData.customQueryParameters === "string" ? ds.jsonData.customQueryParameters : "";
  for (const [k, v] of new URLSearchParams(custom)) params.append(k, v);
  target.search = params.toString();
  if (target.origin !== base.origin || !target.pathname.startsWith(`${basePath}/`))
    throw new ProxyError(403, "proxy path escapes the data source URL");
  return target;
}

/** The headers a data source adds: basic auth and `httpHeaderName<N>`/`httpHeaderValue<N>` pairs. */
export function dataSourceHeaders(ds: DataSource): Record<string, string> {
  const headers: Record<string, string> = {};
  if (ds.basicAuth) {
    const password = ds.secureJsonData.basicAuthPassword ?? "";
    headers.authorization = `Basic ${Buffer.from(`${ds.basicAuthUser}:${password}`).toString("base64")}`;
  }
  for (let i = 1; ; i++) {
    const name = ds.jsonData[`httpHeaderName${i}`];
    if (typeof name !== "string" || name === "") break;
    headers[name.toLowerCase()] = ds.secureJsonData[`httpHeaderValue${i}`] ?? "";
  }
  return headers;
}

/** An upstream answer. */
export interface UpstreamResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Calls `target` for data source `ds` with its headers, within `limits`.
 * ProxyError 504 on timeout, 502 on connection errors or a too-large body.
 */
export async function callUpstream(
  ds: DataSource,
  target: URL,
  method: "GET" | "POST",
  body: Buffer | undefined,
  contentType: string | undefined,
  limits: ProxyLimits = DEFAULT_PROXY_LIMITS,
): Promise<UpstreamResponse> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "user-agent": "Vigil-Dashboards",
    ...dataSourceHeaders(ds),
  };
  if (body !== undefined && contentType !== undefined) headers["content-type"] = contentType;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let res: Response;
  try {
    res = await fetch(target, {
      method,
      headers,
      body: method === "POST" && body !== undefined ? new Uint8Array(body) : undefined,
      redirect: "manual",
      signal,
    });
  } catch (err) {
    if (signal.aborted)
      throw new ProxyError(504, `data source request timed out after ${limits.timeoutMs}ms`, { cause: err });
    throw new ProxyError(502, `data source unreachable: ${(err as Error).cause ?? (err as Error).message}`, {
      cause: err,
    });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = res.body?.getReader();
    for (;;) {
      const next = await reader?.read();
      if (next === undefined || next.done) break;
      size += next.value.length;
      if (size > limits.maxResponseBytes) {
        await reader?.cancel();
        break;
      }
      chunks.push(next.value);
    }
  } catch (err) {
    if (signal.aborted)
      throw new ProxyError(504, `data source request timed out after ${limits.timeoutMs}ms`, { cause: err });
    throw new ProxyError(502, `data source response failed: ${(err as Error).message}`, { cause: err });
  }
  if (size > limits.maxResponseBytes)
    throw new ProxyError(502, `data source response larger than ${limits.maxResponseBytes} bytes`);
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "application/json",
    body: Buffer.concat(chunks),
  };
}

/**
 * Grafana's data source "test": `GET api/v1/status/buildinfo`, else (for
 * back ends without it) an instant query `1+1`. Resolves to Grafana's health
 * answer; never rejects.
 */
export async function checkHealth(
  ds: DataSource,
  limits: ProxyLimits = DEFAULT_PROXY_LIMITS,
): Promise<{ ok: boolean; message: string }> {
  if (ds.type !== "prometheus")
    return {
      ok: false,
      message: `health check not supported for data source type ${JSON.stringify(ds.type)}`,
    };
  try {
    const build = await callUpstream(
      ds,
      proxyTarget(ds, "api/v1/status/buildinfo", ""),
      "GET",
      undefined,
      undefined,
      limits,
    );
    if (build.status === 200) return { ok: true, message: "Successfully queried the Prometheus API." };
    const q = await callUpstream(
      ds,
      proxyTarget(ds, "api/v1/query", "?query=1%2B1"),
      "GET",
      undefined,
      undefined,
      limits,
    );
    if (q.status === 200) return { ok: true, message: "Successfully queried the Prometheus API." };
    return {
      ok: false,
      message: `Prometheus API returned HTTP ${q.status}: ${q.body.toString("utf8").slice(0, 200)}`,
    };
  } catch (err) {
    return { ok: false, message: `Error reading Prometheus: ${(err as Error).message}` };
  }
}
