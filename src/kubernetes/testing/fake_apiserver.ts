/**
 * A fake Kubernetes API server for tests: a real HTTP server on 127.0.0.1
 * speaking the wire protocol. It serves list answers built from the fixture
 * lists (`../shared/fixtures/kubernetes/api/*.json`, plus `testdata/` here:
 * ingresses; callers may add directories), filtered by namespace,
 * `labelSelector` and `fieldSelector`, paged by `limit`/`continue`; watch
 * streams (chunked, one JSON event per line) replaying changes after the
 * requested resourceVersion and then live ones; BOOKMARK events on request;
 * 410 Gone for a resourceVersion older than the last {@link FakeAPIServer.compact}
 * (as an ERROR event, or as the HTTP status); and scripted failures with the
 * fixtures' 403/404 Status bodies. Every request is recorded.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTLSServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { KubeObject, Status } from "../objects.ts";
import { objectKey } from "../objects.ts";
import { apiVersion, type ResourceKind } from "../resources.ts";
import {
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Selector,
} from "../selectors.ts";
import {
  type Change,
  type Collection,
  EXTRA_FIXTURES_DIR,
  FIXTURES_DIR,
  loadCollections,
  route,
  STATUS_FILES,
  status,
  type Watcher,
} from "./fixtures.ts";

export { EXTRA_FIXTURES_DIR, FIXTURES_DIR } from "./fixtures.ts";

/** Options of {@link startFakeAPIServer}. */
export interface FakeAPIServerOptions {
  /** Directories of `<plural>.json` lists; later ones add items (default: the shared fixtures and `testdata/`). */
  readonly dirs?: readonly string[];
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401). */
  readonly token?: string;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** One recorded request. */
export interface RecordedRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage["headers"];
}

/** A scripted failure: the next `count` requests whose path starts with `pathPrefix` (and that `when` accepts) get `status`. */
export interface Failure {
  readonly pathPrefix: string;
  readonly status: number;
  count: number;
  readonly when?: (query: Readonly<Record<string, string>>) => boolean;
}

/** A running fake API server. */
export interface FakeAPIServer {
  /** `http://127.0.0.1:<port>` (`https` with `tls`). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly failures: Failure[];
  /** Where 410 Gone for a too-old watch resourceVersion goes: an ERROR event (default, as a real server) or the HTTP status. */
  goneAs: "event" | "status";
  /** The current resourceVersion. */
  resourceVersion(): number;
  /** The current objects of a resource (`pods`). */
  objects(plural: string): KubeObject[];
  /** Adds or replaces an object (ADDED or MODIFIED); returns its new resourceVersion. */
  upsert(plural: string, obj: KubeObject): string;
  /** Deletes `namespace/name` (DELETED); returns the resourceVersion, or "" when absent. */
  remove(plural: string, namespace: string, name: string): string;
  /** Sends a BOOKMARK at a new resourceVersion to every watcher of `plural` that asked for bookmarks. */
  bookmark(plural: string): string;
  /** Forgets history: watches from resourceVersions older than the current one get 410 Gone. */
  compact(): void;
  /** Ends every open watch stream (clients resume from their last resourceVersion). */
  closeWatches(): void;
  /** Number of open watch streams. */
  watchers(): number;
  close(): Promise<void>;
}

/** Starts the fake server on 127.0.0.1 with an OS-chosen port. */
export async function startFakeAPIServer(opts: FakeAPIServerOptions = {}): Promise<FakeAPIServer> {
  const dirs = opts.dirs ?? [FIXTURES_DIR, EXTRA_FIXTURES_DIR];
  const { collections, rv: startRV } = loadCollections(dirs);
  let rv = startRV;
  let compactedRV = 0;
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const watchers = new Set<Watcher>();

  const visible = (w: { namespace: string; labels: Selector; fields: Selector }, o: KubeObject | undefined) =>
    o !== undefined &&
    (w.namespace === "" || o.metadata.namespace === w.namespace) &&
    matchLabels(w.labels, o.metadata.labels) &&
    matchFields(w.fields, o);

  const withKind = (res: ResourceKind, o: KubeObject) => ({
    kind: res.kind,
    apiVersion: apiVersion(res),
    ...o,
  });

  function send(w: Watcher, type: string, object: unknown): void {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  /** The event a watcher sees for a change, translating selector moves into ADDED/DELETED. */
  function deliver(w: Watcher, c: Collection, ch: Change): void {
    const now = visible(w, ch.object);
    const before = ch.old !== undefined && visible(w, ch.old);
    let type: string = ch.type;
    if (ch.type === "MODIFIED" && now && !before) type = "ADDED";
    else if (ch.type === "MODIFIED" && !now && before) type = "DELETED";
    else if (!now && !(ch.type === "DELETED" && before)) return;
    send(w, type, withKind(c.res, ch.object));
  }

  function record(c: Collection, type: Change["type"], object: KubeObject, old?: KubeObject): void {
    const ch: Change = { rv, type, object, old };
    c.history.push(ch);
    for (const w of watchers) if (w.plural === c.res.plural) deliver(w, c, ch);
  }

  function fail(res: ServerResponse, code: number, body?: Status): void {
    const file = STATUS_FILES[code];
    const text =
      body !== undefined
        ? JSON.stringify(body)
        : file !== undefined
          ? readFileSync(join(FIXTURES_DIR, file), "utf8")
          : JSON.stringify(status(code, "InternalError", "an error on the server has prevented the request"));
    res.writeHead(code, { "content-type": "application/json" }).end(text);
  }

  function list(c: Collection, ns: string, q: Record<string, string>, res: ServerResponse): void {
    const w = {
      namespace: ns,
      labels: parseLabelSelector(q.labelSelector ?? ""),
      fields: parseFieldSelector(q.fieldSelector ?? ""),
    };
    const all = [...c.objects.values()].filter((o) => visible(w, o));
    let start = 0;
    if (q.continue !== undefined && q.continue !== "") {
      const [offset, tokenRV] = Buffer.from(q.continue, "base64").toString().split(":").map(Number);
      if (tokenRV < compactedRV) {
        fail(res, 410);
        return;
      }
      start = offset;
    }
    const limit = Number(q.limit ?? 0);
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (end < all.length) {
      metadata.continue = Buffer.from(`${end}:${rv}`).toString("base64");
      metadata.remainingItemCount = all.length - end;
    }
    const body = {
      kind: `${c.res.kind}List`,
      apiVersion: apiVersion(c.res),
      metadata,
      items: all.slice(start, end),
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  function watch(
    c: Collection,
    ns: string,
    q: Record<string, string>,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const from = q.resourceVersion ?? "";
    const fromRV = Number(from);
    const gone = from !== "" && from !== "0" && fromRV < compactedRV;
    if (gone && server.goneAs === "status") {
      fail(res, 410, status(410, "Expired", `too old resource version: ${from} (${compactedRV})`));
      return;
    }
    const w: Watcher = {
      plural: c.res.plural,
      namespace: ns,
      labels: parseLabelSelector(q.labelSelector ?? ""),
      fields: parseFieldSelector(q.fieldSelector ?? ""),
      res,
      bookmarks: q.allowWatchBookmarks === "true",
    };
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    if (gone) {
      send(w, "ERROR", status(410, "Expired", `too old resource version: ${from} (${compactedRV})`));
      return void res.end();
    }
    if (from === "" || from === "0" || q.sendInitialEvents === "true") {
      for (const o of c.objects.values()) if (visible(w, o)) send(w, "ADDED", withKind(c.res, o));
      if (q.sendInitialEvents === "true") {
        const meta = { resourceVersion: String(rv), annotations: { "k8s.io/initial-events-end": "true" } };
        send(w, "BOOKMARK", { kind: c.res.kind, apiVersion: apiVersion(c.res), metadata: meta });
      }
    } else {
      for (const ch of c.history) if (ch.rv > fromRV) deliver(w, c, ch);
    }
    watchers.add(w);
    const timeout = Number(q.timeoutSeconds ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const done = () => {
      watchers.delete(w);
      if (timer !== undefined) clearTimeout(timer);
    };
    res.on("close", done);
    req.on("close", done);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? "/", "http://x");
    const q = Object.fromEntries(u.searchParams);
    requests.push({ path: u.pathname, query: q, headers: req.headers });
    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
      fail(res, 401, status(401, "Unauthorized", "Unauthorized"));
      return;
    }
    const f = failures.find(
      (x) => x.count > 0 && u.pathname.startsWith(x.pathPrefix) && (x.when?.(q) ?? true),
    );
    if (f !== undefined) {
      f.count--;
      fail(res, f.status);
      return;
    }
    if (u.pathname === "/version") {
      const v = { major: "1", minor: "35", gitVersion: "v1.35.0", platform: "linux/arm64" };
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(v));
    }
    const r = route(u.pathname);
    const c = r === undefined ? undefined : collections.get(r.plural);
    if (r === undefined || c === undefined || c.res.group !== r.group || c.res.version !== r.version) {
      fail(res, 404, status(404, "NotFound", "the server could not find the requested resource"));
      return;
    }
    try {
      if (q.watch === "true" || q.watch === "1") watch(c, r.namespace, q, req, res);
      else list(c, r.namespace, q, res);
    } catch (err) {
      fail(res, 400, status(400, "BadRequest", String((err as Error).message)));
    }
  }

  const http = opts.tls === undefined ? createServer(handle) : createTLSServer(opts.tls, handle);
  await new Promise<void>((ok) => http.listen(0, "127.0.0.1", ok));
  const port = (http.address() as AddressInfo).port;

  const collection = (plural: string): Collection => {
    const c = collections.get(plural);
    if (c === undefined) throw new Error(`fake API server: unknown resource ${plural}`);
    return c;
  };

  const server: FakeAPIServer = {
    url: `${opts.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    requests,
    failures,
    goneAs: "event",
    resourceVersion: () => rv,
    objects: (plural) => [...collection(plural).objects.values()],
    upsert(plural, obj) {
      const c = collection(plural);
      rv++;
      const { kind: _k, apiVersion: _a, ...rest } = obj as KubeObject & Record<string, unknown>;
      const stored = { ...rest, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as KubeObject;
      const key = objectKey(stored);
      const old = c.objects.get(key);
      c.objects.set(key, stored);
      record(c, old === undefined ? "ADDED" : "MODIFIED", stored, old);
      return String(rv);
    },
    remove(plural, namespace, name) {
      const c = collection(plural);
      const key = namespace === "" ? name : `${namespace}/${name}`;
      const old = c.objects.get(key);
      if (old === undefined) return "";
      rv++;
      c.objects.delete(key);
      record(c, "DELETED", { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } }, old);
      return String(rv);
    },
    bookmark(plural) {
      const c = collection(plural);
      rv++;
      for (const w of watchers) {
        if (w.plural === plural && w.bookmarks) {
          send(w, "BOOKMARK", {
            kind: c.res.kind,
            apiVersion: apiVersion(c.res),
            metadata: { resourceVersion: String(rv) },
          });
        }
      }
      return String(rv);
    },
    compact() {
      compactedRV = rv;
      for (const c of collections.values()) c.history.length = 0;
    },
    closeWatches() {
      for (const w of watchers) w.res.end();
      watchers.clear();
    },
    watchers: () => watchers.size,
    async close() {
      server.closeWatches();
      http.closeAllConnections();
      await new Promise<void>((ok) => http.close(() => ok()));
    },
  };
  return server;
}
