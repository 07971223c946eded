/**
 * Keeps a store current from the Kubernetes API with upstream's reflector
 * protocol: list (remembering `metadata.resourceVersion`), then watch from
 * that version with bookmarks; ADDED/MODIFIED/DELETED update single objects,
 * BOOKMARK only moves the version, and `410 Gone` (an expired version, as an
 * HTTP status or an ERROR event) or a broken connection triggers a re-list.
 *
 * Vigil's shared informer (`src/kubernetes`) was not available when this was
 * written; this module speaks the same wire protocol against any API server
 * (a real one through a `KubeConfig`, or the tests' fake one).
 */
import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { Logger } from "../../log/log.ts";
import type { KubeObject } from "./common.ts";
import { type ResourceDef, resourcePath } from "./resource.ts";
import type { ObjectSink } from "./store.ts";
import type { Telemetry } from "./telemetry.ts";

/** Performs GET requests against the API server. */
export interface ApiClient {
  /** GETs `pathAndQuery`; resolves with the response once headers arrive. */
  get(pathAndQuery: string, signal: AbortSignal): Promise<IncomingMessage>;
}

/** A client for `server` (`http(s)://host:port`) with TLS and auth options as `KubeConfig.applyToHTTPSOptions` fills them. */
export function apiClient(server: string, options: RequestOptions = {}): ApiClient {
  const base = new URL(server);
  const send = base.protocol === "https:" ? httpsRequest : httpRequest;
  return {
    get: (pathAndQuery, signal) =>
      new Promise((resolve, reject) => {
        const url = new URL(base.pathname.replace(/\/$/, "") + pathAndQuery, base);
        const req = send(url, {
          ...options,
          method: "GET",
          signal,
          headers: { ...options.headers, Accept: "application/json" },
        });
        req.on("response", resolve);
        req.on("error", reject);
        req.end();
      }),
  };
}

/** Thrown for a non-2xx answer; `status` 410 means the resourceVersion expired. */
export class ApiStatusError extends Error {
  override readonly name = "ApiStatusError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  let body = "";
  res.setEncoding("utf8");
  for await (const chunk of res) body += chunk;
  return body;
}

/** What one reflector watches and where it reports. */
export interface ReflectorOptions {
  readonly def: ResourceDef;
  readonly client: ApiClient;
  readonly sink: ObjectSink;
  /** A namespace, or "" for all. */
  readonly namespace: string;
  /** `fieldSelector` for list and watch (the namespace denylist), "" for none. */
  readonly fieldSelector: string;
  readonly telemetry: Telemetry;
  readonly logger: Logger;
  /** Wait after a failed list or watch, ms (default 1000). */
  readonly retryMs?: number;
  /** Called after each successful (re-)list, e.g. for readiness. */
  readonly onSynced?: () => void;
}

function query(o: ReflectorOptions, extra: Record<string, string>): string {
  const q = new URLSearchParams(extra);
  if (o.fieldSelector !== "") q.set("fieldSelector", o.fieldSelector);
  return `${resourcePath(o.def, o.namespace)}?${q}`;
}

/** Lists everything, replaces the sink's scope, returns the list's resourceVersion. */
async function list(o: ReflectorOptions, signal: AbortSignal): Promise<string> {
  const res = await o.client.get(query(o, {}), signal);
  const body = await readAll(res);
  if ((res.statusCode ?? 0) >= 300)
    throw new ApiStatusError(res.statusCode ?? 0, `list ${o.def.name}: ${body.trim()}`);
  const parsed = JSON.parse(body) as { metadata?: { resourceVersion?: string }; items?: KubeObject[] };
  o.sink.replace(parsed.items ?? [], o.namespace);
  return parsed.metadata?.resourceVersion ?? "";
}

interface WatchEvent {
  readonly type: string;
  readonly object: KubeObject & { code?: number; message?: string };
}

/** Watches from `rv` until the stream ends; returns the last version seen. Throws ApiStatusError(410) when expired. */
async function watch(o: ReflectorOptions, rv: string, signal: AbortSignal): Promise<string> {
  const res = await o.client.get(
    query(o, { watch: "1", resourceVersion: rv, allowWatchBookmarks: "true" }),
    signal,
  );
  if ((res.statusCode ?? 0) >= 300) {
    const body = await readAll(res);
    throw new ApiStatusError(res.statusCode ?? 0, `watch ${o.def.name}: ${body.trim()}`);
  }
  o.telemetry.watch(o.def, "success");
  res.setEncoding("utf8");
  let pending = "";
  for await (const chunk of res) {
    pending += chunk;
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line !== "") rv = apply(o, JSON.parse(line) as WatchEvent, rv);
      nl = pending.indexOf("\n");
    }
  }
  return rv;
}

function apply(o: ReflectorOptions, ev: WatchEvent, rv: string): string {
  const version = ev.object.metadata?.resourceVersion ?? rv;
  switch (ev.type) {
    case "ADDED":
    case "MODIFIED":
      o.sink.upsert(ev.object, o.namespace);
      return version;
    case "DELETED":
      o.sink.delete(ev.object);
      return version;
    case "BOOKMARK":
      return version;
    case "ERROR":
      throw new ApiStatusError(
        ev.object.code ?? 500,
        `watch ${o.def.name}: ${ev.object.message ?? "error event"}`,
      );
    default:
      return rv;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Runs list + watch for one resource and scope until `signal` aborts. Never rejects. */
export async function runReflector(o: ReflectorOptions, signal: AbortSignal): Promise<void> {
  let rv = "";
  while (!signal.aborted) {
    try {
      if (rv === "") {
        try {
          rv = await list(o, signal);
          o.telemetry.list(o.def, "success");
          o.onSynced?.();
        } catch (err) {
          o.telemetry.list(o.def, "error");
          throw err;
        }
      }
      rv = await watch(o, rv, signal);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiStatusError && err.status === 410) {
        o.logger.debug("resourceVersion expired, re-listing", { resource: o.def.name });
        rv = "";
        continue;
      }
      o.telemetry.watch(o.def, "error");
      o.logger.error("list/watch failed", { resource: o.def.name, err: (err as Error).message });
      rv = "";
      await sleep(o.retryMs ?? 1000, signal);
    }
  }
}
