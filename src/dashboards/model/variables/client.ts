/**
 * A {@link PromClient} over the dashboards server's data source proxy
 * (`/api/datasources/proxy/uid/<uid>/api/v1/…`), for the browser and tests.
 * Browser-safe: the `fetch` function is injected (pass `globalThis.fetch`
 * bound, or a wrapper adding the CSRF header for POSTs).
 */
import type { TimeRangeMs } from "./interval.ts";
import type { PromClient } from "./query.ts";

/** Minimal `fetch` signature used here. */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

/** A Prometheus API error answer, with Prometheus' `errorType` and `error`. */
export class PromApiError extends Error {
  override readonly name = "PromApiError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function params(match: readonly string[], range: TimeRangeMs): URLSearchParams {
  const p = new URLSearchParams();
  for (const m of match) p.append("match[]", m);
  p.set("start", String(Math.floor(range.from / 1000)));
  p.set("end", String(Math.ceil(range.to / 1000)));
  return p;
}

/** A client for data source `uid` behind the proxy at `base` (e.g. `""` for same-origin). */
export function proxyClient(fetchFn: FetchLike, base: string, uid: string): PromClient {
  const root = `${base}/api/datasources/proxy/uid/${encodeURIComponent(uid)}/api/v1`;
  const get = async <T>(path: string, p: URLSearchParams): Promise<T> => {
    const res = await fetchFn(`${root}/${path}?${p.toString()}`, {
      method: "GET",
      headers: { accept: "application/json" },
    });
    const body = (await res.json()) as {
      status?: string;
      data?: unknown;
      error?: string;
      errorType?: string;
      message?: string;
    };
    if (res.status !== 200 || body.status !== "success")
      throw new PromApiError(
        res.status,
        body.error !== undefined
          ? `${body.errorType ?? "error"}: ${body.error}`
          : (body.message ?? `HTTP ${res.status}`),
      );
    return body.data as T;
  };
  return {
    labelNames: (match, range) => get<string[]>("labels", params(match, range)),
    labelValues: (label, match, range) =>
      get<string[]>(`label/${encodeURIComponent(label)}/values`, params(match, range)),
    series: (match, range) => get<Record<string, string>[]>("series", params(match, range)),
    async instantQuery(expr, timeMs) {
      const p = new URLSearchParams({ query: expr, time: String(timeMs / 1000) });
      const data = await get<{ resultType: string; result: unknown }>("query", p);
      if (data.resultType === "vector")
        return data.result as { metric: Record<string, string>; value: [number, string] }[];
      if (data.resultType === "scalar") return [{ metric: {}, value: data.result as [number, string] }];
      return [];
    },
  };
}
