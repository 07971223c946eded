/**
 * The Alertmanager's API v2 as the UI calls it: URLs relative to
 * `<base href>` (so under the route prefix), bare JSON bodies (no envelope),
 * errors as {@link ApiError} with the API's message (a JSON string or go-openapi's
 * `{code, message}`).
 */
import { ApiError, type ApiResult, type Params } from "../api/client.ts";
import type { Labels } from "../api/types.ts";

/** One matcher of a silence. */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual?: boolean;
}

/** An alert as `GET /api/v2/alerts` and `/alerts/groups` return it. */
export interface AmAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly fingerprint: string;
  readonly generatorURL?: string;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: {
    readonly state: "active" | "suppressed" | "unprocessed";
    readonly silencedBy: readonly string[];
    readonly inhibitedBy: readonly string[];
    readonly mutedBy?: readonly string[];
  };
}

/** An aggregation group of the routing tree. */
export interface AlertGroup {
  readonly labels: Labels;
  readonly receiver: { readonly name: string };
  readonly alerts: readonly AmAlert[];
}

/** The states of a silence. */
export type SilenceState = "active" | "pending" | "expired";

/** A silence as `GET /api/v2/silences` returns it. */
export interface Silence {
  readonly id: string;
  readonly status: { readonly state: SilenceState };
  readonly updatedAt: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
}

/** What `POST /api/v2/silences` takes; with `id` it updates that silence. */
export interface PostableSilence {
  readonly id?: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
}

/** `GET /api/v2/status`. */
export interface AmStatus {
  readonly cluster: { readonly status: string; readonly name?: string; readonly peers?: readonly unknown[] };
  readonly config: { readonly original: string };
  readonly uptime: string;
  readonly versionInfo: Readonly<Record<string, string>>;
}

/** The absolute URL of `api/v2/<path>` with `params`. */
export function v2Url(path: string, params: Params = {}): string {
  const url = new URL(`api/v2/${path}`, document.baseURI);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of typeof v === "string" ? [v] : v) url.searchParams.append(k, one);
  }
  return url.toString();
}

function errorText(status: number, statusText: string, text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === "string") return body;
    if (typeof body === "object" && body !== null && "message" in body) return String(body.message);
  } catch {
    // Not JSON: the text itself.
  }
  return text.trim() === "" ? `${status} ${statusText}` : text.trim();
}

/** Calls `api/v2/<path>`; resolves with the parsed body, rejects with {@link ApiError}. */
export async function v2Call<T>(
  method: "GET" | "POST" | "DELETE",
  path: string,
  opts: { readonly params?: Params; readonly body?: unknown; readonly signal?: AbortSignal } = {},
): Promise<T> {
  const res = await fetch(v2Url(path, opts.params), {
    method,
    signal: opts.signal,
    headers:
      opts.body === undefined
        ? { Accept: "application/json" }
        : { Accept: "application/json", "Content-Type": "application/json" },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  if (!res.ok) throw new ApiError(errorText(res.status, res.statusText, text), "http", res.status);
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

/** `v2Call("GET", …)` in the shape `useLoad` expects. */
export async function v2Get<T>(path: string, params?: Params, signal?: AbortSignal): Promise<ApiResult<T>> {
  return { data: await v2Call<T>("GET", path, { params, signal }), warnings: [] };
}
