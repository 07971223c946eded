/**
 * client-go's reflector + informer: list a collection (paged with
 * `limit`/`continue`), then watch from the list's `resourceVersion` with
 * `allowWatchBookmarks=true`, keeping a {@link Store} current and calling
 * handlers on every add, update and delete. A watch that ends is resumed from
 * the last resourceVersion (events and bookmarks move it); 410 Gone — as the
 * HTTP status or as an `ERROR` event with code 410 — and an expired `continue`
 * token cause a re-list, whose differences reach the handlers as adds,
 * updates and deletes. Failures back off exponentially (0.8 s doubling to 30 s,
 * client-go's defaults). Optional periodic resync re-delivers every object as
 * an update (upstream's SD disables it).
 */
import type { Logger } from "../log/log.ts";
import { nopLogger } from "../log/log.ts";
import { KubeAPIError, type KubeClient } from "./client.ts";
import { type KubeList, type KubeObject, objectKey, type WatchEvent } from "./objects.ts";
import { collectionPath, type ResourceKind } from "./resources.ts";
import { type MutableStore, newStore, type Store } from "./store.ts";

/** What to list and watch, and how. */
export interface InformerOptions {
  readonly client: KubeClient;
  readonly resource: ResourceKind;
  /** "" or undefined: all namespaces (always for cluster-scoped resources). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** `limit` of each list page; 0 lists in one request. Default 500, as client-go. */
  readonly pageSize?: number;
  /** Milliseconds between resyncs; 0 (default) disables them. */
  readonly resyncMs?: number;
  /** First back-off after a failure, in ms (default 800), doubling up to {@link maxBackoffMs}. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Server-side watch timeout in seconds; default a random 300–600, as client-go. */
  readonly watchTimeoutSeconds?: number;
  readonly logger?: Logger;
  /** Called on each failed list or watch (not on 410 Gone, which re-lists), e.g. to count it. */
  readonly onFailure?: (err: unknown) => void;
  /**
   * Called after every list (once per complete, possibly paged, list) and
   * every watch request, with the error when it failed (a watch counts as
   * successful once the server answered 200; a 410 status is an error) —
   * kube-state-metrics' `kube_state_metrics_{list,watch}_total`.
   */
  readonly onCall?: (call: "list" | "watch", err?: unknown) => void;
}

/** Change callbacks; each runs synchronously after the store changed. */
export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  /** `old` and `obj` are the same object on a resync. */
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
  /** After each completed (re-)list, once its adds/updates/deletes were delivered. */
  onSync?(): void;
}

/** Counters for tests and metrics. */
export interface InformerStats {
  lists: number;
  watches: number;
  /** Re-lists caused by 410 Gone. */
  gone: number;
  bookmarks: number;
  failures: number;
}

/** A running list+watch of one collection. */
export interface Informer<T extends KubeObject> {
  readonly store: Store<T>;
  readonly stats: Readonly<InformerStats>;
  addHandlers(h: InformerHandlers<T>): void;
  /** True once the first list completed. */
  hasSynced(): boolean;
  /** Resolves true at the first completed list, false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean>;
  /** The resourceVersion the next watch resumes from. */
  resourceVersion(): string;
  /** Lists and watches until `signal` aborts; never rejects. */
  run(signal: AbortSignal): Promise<void>;
}

class Gone extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Creates an informer; nothing happens until `run`. */
export function newInformer<T extends KubeObject>(opts: InformerOptions): Informer<T> {
  const store: MutableStore<T> = newStore<T>();
  const handlers: InformerHandlers<T>[] = [];
  const stats: InformerStats = { lists: 0, watches: 0, gone: 0, bookmarks: 0, failures: 0 };
  const log = (opts.logger ?? nopLogger).with({ resource: opts.resource.plural });
  const path = collectionPath(opts.resource, opts.namespace ?? "");
  const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  const pageSize = opts.pageSize ?? 500;
  let synced = false;
  let rv = "";
  const syncWaiters: Array<() => void> = [];

  const fire = (f: (h: InformerHandlers<T>) => void) => {
    for (const h of handlers) {
      try {
        f(h);
      } catch (err) {
        log.error("informer handler failed", { err: String(err) });
      }
    }
  };

  async function listAll(signal: AbortSignal): Promise<KubeList<T>> {
    const items: T[] = [];
    let cont = "";
    let limit = pageSize;
    for (;;) {
      let page: KubeList<T>;
      try {
        page = await opts.client.list<T>(
          path,
          { ...selectors, limit: limit || undefined, continue: cont },
          signal,
        );
      } catch (err) {
        // An expired continue token: start over in one request, as client-go's pager does.
        if (err instanceof KubeAPIError && err.gone && cont !== "") {
          items.length = 0;
          cont = "";
          limit = 0;
          continue;
        }
        throw err;
      }
      items.push(...page.items);
      cont = page.metadata.continue ?? "";
      if (cont === "") return { ...page, items };
    }
  }

  function replace(list: KubeList<T>): void {
    const seen = new Set<string>();
    for (const obj of list.items) {
      const old = store.set(obj);
      seen.add(objectKey(obj));
      if (old === undefined) fire((h) => h.onAdd?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
        fire((h) => h.onUpdate?.(old, obj));
    }
    for (const obj of store.list()) {
      if (!seen.has(objectKey(obj))) {
        store.delete(obj);
        fire((h) => h.onDelete?.(obj));
      }
    }
    rv = list.metadata.resourceVersion ?? "";
    synced = true;
    for (const w of syncWaiters.splice(0)) w();
    fire((h) => h.onSync?.());
  }

  function apply(ev: WatchEvent<T>): void {
    switch (ev.type) {
      case "ADDED":
      case "MODIFIED": {
        const old = store.set(ev.object);
        if (old === undefined) fire((h) => h.onAdd?.(ev.object));
        else fire((h) => h.onUpdate?.(old, ev.object));
        break;
      }
      case "DELETED": {
        const old = store.delete(ev.object);
        fire((h) => h.onDelete?.(old ?? ev.object));
        break;
      }
      case "BOOKMARK":
        stats.bookmarks++;
        break;
      case "ERROR":
        if (ev.object.code === 410) throw new Gone(ev.object.message ?? "too old resource version");
        throw new KubeAPIError(ev.object.code ?? 500, ev.object, path);
    }
    const next = ev.object.metadata?.resourceVersion;
    if (next !== undefined && next !== "") rv = next;
  }

  async function watchOnce(signal: AbortSignal): Promise<void> {
    stats.watches++;
    const timeout = opts.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300);
    const query = { ...selectors, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout };
    let opened = false;
    const onOpen = () => {
      opened = true;
      opts.onCall?.("watch");
    };
    try {
      for await (const ev of opts.client.watch<T>(path, query, signal, onOpen)) {
        if (signal.aborted) return;
        apply(ev);
      }
    } catch (err) {
      if (!opened && !signal.aborted) opts.onCall?.("watch", err);
      throw err;
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    const initial = opts.initialBackoffMs ?? 800;
    const max = opts.maxBackoffMs ?? 30_000;
    let backoff = initial;
    let needList = true;
    let resync: ReturnType<typeof setInterval> | undefined;
    if ((opts.resyncMs ?? 0) > 0) {
      resync = setInterval(() => {
        for (const obj of store.list()) fire((h) => h.onUpdate?.(obj, obj));
      }, opts.resyncMs);
    }
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            stats.lists++;
            let list: KubeList<T>;
            try {
              list = await listAll(signal);
            } catch (err) {
              if (!signal.aborted) opts.onCall?.("list", err);
              throw err;
            }
            opts.onCall?.("list");
            replace(list);
            needList = false;
          }
          await watchOnce(signal);
          backoff = initial;
          continue; // The server closed the stream (timeout): resume from rv.
        } catch (err) {
          if (signal.aborted) break;
          if (err instanceof Gone || (err instanceof KubeAPIError && err.gone)) {
            stats.gone++;
            log.info("watch resourceVersion expired, re-listing", { resource_version: rv });
            needList = true;
            continue;
          }
          stats.failures++;
          opts.onFailure?.(err);
          log.warn(needList ? "failed to list" : "watch failed", { err: String(err) });
        }
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, max);
      }
    } finally {
      if (resync !== undefined) clearInterval(resync);
      for (const w of syncWaiters.splice(0)) w();
    }
  }

  return {
    store,
    stats,
    addHandlers: (h) => void handlers.push(h),
    hasSynced: () => synced,
    waitForSync(signal) {
      if (synced) return Promise.resolve(true);
      if (signal.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          resolve(synced);
        };
        syncWaiters.push(done);
        signal.addEventListener("abort", done, { once: true });
      });
    },
    resourceVersion: () => rv,
    run,
  };
}
