/**
 * The API server's wire protocol on undici: `list` fetches one page of a
 * collection as JSON, `watch` opens a chunked watch stream and yields one
 * event per line. Errors carry the HTTP status and the `Status` body's reason
 * ({@link KubeAPIError}); 410 Gone is how the server says "re-list".
 */
import type { Dispatcher } from "undici";
import { newDispatcher, readBody, requestHeaders } from "../config/client.ts";
import { undici } from "../config/undici.ts";
import { buildInfo } from "../version/info.ts";
import type { Connection } from "./config.ts";
import type { KubeList, KubeObject, Status, WatchEvent } from "./objects.ts";

/** Largest list page accepted, in bytes. */
export const LIST_BODY_LIMIT = 512 * 1024 * 1024;

/** A failed request: the HTTP status and, when the body was a `Status`, its reason and message. */
export class KubeAPIError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, body: Status | undefined, path: string, options?: ErrorOptions) {
    const text =
      body?.message ??
      `the server responded with the status code ${status} but did not return more information`;
    super(`${path}: ${text}`, options);
    this.name = "KubeAPIError";
    this.status = status;
    this.reason = body?.reason ?? "";
  }
  /** True for 410 Gone (an expired resourceVersion or continue token). */
  get gone(): boolean {
    return this.status === 410;
  }
}

/** Query parameters of list and watch calls (undefined and "" are left out). */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A client for one API server. */
export interface KubeClient {
  readonly server: string;
  /** GETs one list page at `path` (e.g. `/api/v1/pods`); rejects with {@link KubeAPIError} on a non-200 answer. */
  list<T extends KubeObject>(path: string, query: Query, signal: AbortSignal): Promise<KubeList<T>>;
  /**
   * Opens `path?watch=true&…` and yields events until the server ends the
   * stream or `signal` aborts; rejects with {@link KubeAPIError} on a non-200 answer.
   * `opened`, when given, is called once the server answered 200 (before any event).
   */
  watch<T extends KubeObject>(
    path: string,
    query: Query,
    signal: AbortSignal,
    opened?: () => void,
  ): AsyncGenerator<WatchEvent<T>>;
  /** GETs any JSON document (e.g. `/version`). */
  getJSON(path: string, signal: AbortSignal): Promise<unknown>;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

function url(server: string, path: string, query: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") qs.set(k, String(v));
  const q = qs.toString();
  return `${server}${path}${q === "" ? "" : `?${q}`}`;
}

function parseStatus(body: Buffer): Status | undefined {
  try {
    const s = JSON.parse(body.toString("utf8")) as Status;
    return s !== null && typeof s === "object" && s.kind === "Status" ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link newKubeClient}. */
export interface KubeClientOptions {
  /** Called after every request with its HTTP status code, or `<error>` when none arrived (for metrics). */
  readonly onResponse?: (statusCode: string) => void;
}

/** Creates a client for a resolved connection (see `config.ts`). */
export function newKubeClient(conn: Connection, opts: KubeClientOptions = {}): KubeClient {
  // Watches are long-lived: HTTP/1.1 with one connection per stream, as client-go without HTTP/2.
  const dispatcher = newDispatcher({ ...conn.http, enable_http2: false });
  const userAgent = `Vigil/${buildInfo().version}`;
  async function get(path: string, query: Query, signal: AbortSignal) {
    const headers = {
      "user-agent": userAgent,
      accept: "application/json",
      ...(await requestHeaders(conn.http)),
      ...(conn.authHeaders === undefined ? {} : await conn.authHeaders()),
    };
    let res: Dispatcher.ResponseData;
    try {
      res = await undici().request(url(conn.server, path, query), {
        method: "GET",
        headers,
        dispatcher,
        signal,
      });
    } catch (err) {
      if (!signal.aborted) opts.onResponse?.("<error>");
      throw err;
    }
    opts.onResponse?.(String(res.statusCode));
    if (res.statusCode !== 200) {
      const body = (await readBody(res.body, 1 << 20)) ?? Buffer.alloc(0);
      throw new KubeAPIError(res.statusCode, parseStatus(body), path);
    }
    return res;
  }
  return {
    server: conn.server,
    async list<T extends KubeObject>(path: string, query: Query, signal: AbortSignal) {
      const res = await get(path, query, signal);
      const body = await readBody(res.body, LIST_BODY_LIMIT);
      if (body === undefined) throw new Error(`${path}: list exceeds ${LIST_BODY_LIMIT} bytes`);
      return JSON.parse(body.toString("utf8")) as KubeList<T>;
    },
    async *watch<T extends KubeObject>(path: string, query: Query, signal: AbortSignal, opened?: () => void) {
      const res = await get(path, { ...query, watch: true }, signal);
      opened?.();
      let rest = "";
      try {
        for await (const chunk of res.body) {
          rest += (chunk as Buffer).toString("utf8");
          let nl = rest.indexOf("\n");
          while (nl >= 0) {
            const line = rest.slice(0, nl).trim();
            rest = rest.slice(nl + 1);
            if (line !== "") yield JSON.parse(line) as WatchEvent<T>;
            nl = rest.indexOf("\n");
          }
        }
        if (rest.trim() !== "") yield JSON.parse(rest) as WatchEvent<T>;
      } finally {
        res.body.destroy();
      }
    },
    async getJSON(path, signal) {
      const res = await get(path, {}, signal);
      const body = await readBody(res.body, 1 << 20);
      return JSON.parse((body ?? Buffer.alloc(0)).toString("utf8"));
    },
    close: () => dispatcher.close(),
  };
}
