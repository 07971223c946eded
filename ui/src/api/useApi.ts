/** A React hook that loads one API endpoint and reloads it on demand or on an interval. */
import { useCallback, useEffect, useState } from "react";
import { type ApiResult, apiGet, type Params } from "./client.ts";

/** The state of a load. */
export type Loaded<T> =
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly message: string }
  | { readonly state: "ok"; readonly result: ApiResult<T> };

/** Loads `api/v1/<path>` (again when `path`/`params` change, or every `refreshMs`). */
export function useApi<T>(path: string, params?: Params, refreshMs?: number): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(params ?? {});
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `params`; `tick` forces a reload
  useEffect(() => {
    const ctl = new AbortController();
    apiGet<T>(path, JSON.parse(key) as Params, ctl.signal).then(
      (result) => setLoaded({ state: "ok", result }),
      (err: unknown) => {
        if (!ctl.signal.aborted) setLoaded({ state: "error", message: (err as Error).message });
      },
    );
    return () => ctl.abort();
  }, [path, key, tick]);
  useEffect(() => {
    if (refreshMs === undefined) return;
    const id = setInterval(reload, refreshMs);
    return () => clearInterval(id);
  }, [refreshMs, reload]);
  return [loaded, reload];
}
