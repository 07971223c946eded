/**
 * The dashboards server's Grafana-shaped API from the browser: the session
 * cookie authenticates, writes carry the session's `X-CSRF-Token` (read
 * from `/api/user`), a 401 sends the user to the login page. URLs resolve
 * against `<base href>`.
 */
import type { JsonObject } from "../../../src/dashboards/model/json.ts";
import { navigate } from "../shell/router.tsx";

/** A failed call: the server's `message` and the HTTP status. */
export class GrafanaApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = "GrafanaApiError";
    this.status = status;
  }
}

let csrfToken = "";

/** The logged-in user (`GET /api/user`). */
export interface CurrentUser {
  readonly login: string;
  readonly name?: string;
  readonly role?: string;
  readonly orgRole?: string;
  readonly csrfToken?: string;
}

function url(path: string): string {
  return new URL(path.replace(/^\//, ""), document.baseURI).toString();
}

/** Calls `path` (e.g. `api/search`); JSON in and out; rejects with {@link GrafanaApiError}. */
export async function gapi<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const method = init.method ?? "GET";
  if (method !== "GET" && csrfToken === "" && !path.startsWith("login"))
    await currentUser().catch(() => undefined);
  const headers: Record<string, string> = { Accept: "application/json" };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken !== "") headers["X-CSRF-Token"] = csrfToken;
  const res = await fetch(url(path), {
    method,
    headers,
    credentials: "same-origin",
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new GrafanaApiError(`${res.status} ${res.statusText}`, res.status);
  }
  if (!res.ok) {
    const b = body as { message?: string; error?: string };
    if (res.status === 401 && !path.startsWith("login") && location.pathname.indexOf("/login") < 0)
      navigate(
        `/login?redirect=${encodeURIComponent(location.pathname.slice(basePrefix().length) + location.search)}`,
      );
    throw new GrafanaApiError(b.message ?? b.error ?? `${res.status} ${res.statusText}`, res.status);
  }
  return body as T;
}

function basePrefix(): string {
  return new URL(document.baseURI).pathname.replace(/\/+$/, "");
}

/** Logs in; remembers the CSRF token. */
export async function login(user: string, password: string): Promise<void> {
  const r = await gapi<{ csrfToken?: string }>("login", { method: "POST", body: { user, password } });
  csrfToken = r.csrfToken ?? "";
}

/** Logs out. */
export async function logout(): Promise<void> {
  await gapi("logout", { method: "POST" });
  csrfToken = "";
}

/** The current user; also refreshes the CSRF token after a reload. */
export async function currentUser(): Promise<CurrentUser> {
  const u = await gapi<CurrentUser>("api/user");
  if (u.csrfToken !== undefined) csrfToken = u.csrfToken;
  return u;
}

/** One hit of `GET /api/search`. */
export interface SearchHit {
  readonly uid: string;
  readonly title: string;
  readonly url: string;
  readonly type: "dash-db" | "dash-folder";
  readonly tags: readonly string[];
  readonly folderUid?: string;
  readonly folderTitle?: string;
}

/** `GET /api/search?query=`. */
export function search(query: string): Promise<SearchHit[]> {
  return gapi<SearchHit[]>(`api/search?query=${encodeURIComponent(query)}`);
}

/** `GET /api/dashboards/uid/:uid`. */
export interface DashboardResponse {
  readonly dashboard: JsonObject;
  readonly meta: {
    readonly version: number;
    readonly canSave: boolean;
    readonly folderUid: string;
    readonly folderTitle: string;
    readonly provisioned: boolean;
  };
}

/** Loads a dashboard. */
export function getDashboard(uid: string): Promise<DashboardResponse> {
  return gapi<DashboardResponse>(`api/dashboards/uid/${encodeURIComponent(uid)}`);
}

/** Saves a dashboard (`POST /api/dashboards/db`); the answer carries the new version. */
export function saveDashboard(
  dashboard: JsonObject,
  opts: { folderUid?: string; message?: string; overwrite?: boolean } = {},
): Promise<{ uid: string; url: string; version: number }> {
  return gapi("api/dashboards/db", { method: "POST", body: { dashboard, ...opts } });
}

/** An `__inputs` value for import. */
export interface ImportInputValue {
  readonly name: string;
  readonly type: string;
  readonly pluginId?: string;
  readonly value: string;
}

/** Imports a dashboard (`POST /api/dashboards/import`). */
export function importDashboard(
  dashboard: JsonObject,
  inputs: readonly ImportInputValue[],
  overwrite: boolean,
  folderUid?: string,
): Promise<{ uid: string; importedUrl: string; title: string }> {
  return gapi("api/dashboards/import", {
    method: "POST",
    body: { dashboard, inputs, overwrite, ...(folderUid ? { folderUid } : {}) },
  });
}

/** A data source as `GET /api/datasources` lists it. */
export interface DataSource {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly isDefault: boolean;
  readonly jsonData?: { readonly timeInterval?: string };
}

let dsCache: Promise<DataSource[]> | undefined;

/** The data sources (cached for the page's life). */
export function dataSources(): Promise<DataSource[]> {
  dsCache ??= gapi<DataSource[]>("api/datasources").catch((err) => {
    dsCache = undefined;
    throw err;
  });
  return dsCache;
}

/** A Prometheus API answer through the data source proxy. */
export interface PromAnswer<T> {
  readonly status: "success" | "error";
  readonly data?: T;
  readonly error?: string;
  readonly errorType?: string;
}

/**
 * GETs `api/v1/<path>` of data source `uid` through the proxy; rejects with
 * the Prometheus error text (`bad_data: 1:5: parse error: …`).
 */
export async function promGet<T>(
  uid: string,
  path: string,
  params: Readonly<Record<string, string | readonly string[]>>,
  signal?: AbortSignal,
): Promise<T> {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    for (const one of typeof v === "string" ? [v] : v) sp.append(k, one);
  const q = sp.toString();
  const res = await fetch(url(`api/datasources/proxy/uid/${encodeURIComponent(uid)}/api/v1/${path}?${q}`), {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let body: PromAnswer<T> & { message?: string };
  try {
    body = JSON.parse(text) as PromAnswer<T> & { message?: string };
  } catch {
    throw new GrafanaApiError(`${res.status} ${res.statusText}: ${text.slice(0, 200)}`, res.status);
  }
  if (body.status === "error" || !res.ok)
    throw new GrafanaApiError(body.error ?? body.message ?? `${res.status} ${res.statusText}`, res.status);
  return body.data as T;
}
