/**
 * Calls the server's own HTTP API. URLs resolve against `<base href>`, so
 * they stay under the route prefix; errors carry the API's `errorType`.
 */
import type { ApiResponse } from "./types.ts";

/** A failed API call: the API's error (with its type) or a transport/HTTP failure. */
export class ApiError extends Error {
  readonly errorType: string;
  readonly status: number;
  constructor(message: string, errorType: string, status: number) {
    super(message);
    this.name = "ApiError";
    this.errorType = errorType;
    this.status = status;
  }
}

/** Query parameters; arrays repeat the key (`match[]`). */
export type Params = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The absolute URL of `api/v1/<path>` with `params`. */
export function apiUrl(path: string, params: Params = {}): string {
  const url = new URL(`api/v1/${path}`, document.baseURI);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of typeof v === "string" ? [v] : v) url.searchParams.append(k, one);
  }
  return url.toString();
}

/** A successful answer: the data and the API's warnings. */
export interface ApiResult<T> {
  readonly data: T;
  readonly warnings: readonly string[];
}

/** GETs `api/v1/<path>`; rejects with {@link ApiError} on any failure. */
export async function apiGet<T>(path: string, params?: Params, signal?: AbortSignal): Promise<ApiResult<T>> {
  const res = await fetch(apiUrl(path, params), { signal, headers: { Accept: "application/json" } });
  let body: ApiResponse<T>;
  try {
    body = (await res.json()) as ApiResponse<T>;
  } catch {
    throw new ApiError(`${res.status} ${res.statusText}`, "http", res.status);
  }
  if (body.status === "error") throw new ApiError(body.error, body.errorType, res.status);
  return { data: body.data, warnings: body.warnings ?? [] };
}
