/**
 * The loader behind `useApi`, for any fetcher: loads (again when `path` or
 * `params` change, on `reload()`, or every `refreshMs`), aborting a stale load.
 * The Alertmanager UI passes its `api/v2` fetcher.
 */
import { useCallback, useEffect, useState } from "react";
import type { ApiResult, Params } from "./client.ts";
import type { Loaded } from "./useApi.ts";

/** Fetches `path` with `params`; rejects on failure. */
export type Fetcher<T> = (path: string, params: Params, signal: AbortSignal) => Promise<ApiResult<T>>;

/** Loads `path` through `fetcher`; a reload keeps showing the previous data until the new arrives. */
export function useLoad<T>(
  fetcher: Fetcher<T>,
  path: string,
  params?: Params,
  refreshMs?: number,
): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(params ?? {});
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `params`; `tick` forces a reload
  useEffect(() => {
    const ctl = new AbortController();
    fetcher(path, JSON.parse(key) as Params, ctl.signal).then(
      (result) => setLoaded({ state: "ok", result }),
      (err: unknown) => {
        if (!ctl.signal.aborted) setLoaded({ state: "error", message: (err as Error).message });
      },
    );
    return () => ctl.abort();
  }, [fetcher, path, key, tick]);
  useEffect(() => {
    if (refreshMs === undefined) return;
    const id = setInterval(reload, refreshMs);
    return () => clearInterval(id);
  }, [refreshMs, reload]);
  return [loaded, reload];
}
