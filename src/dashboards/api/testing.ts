/** Test helpers: a dashboards API on a loopback port over an in-memory store, and a fake Prometheus. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ensureAdmin } from "../auth/admin.ts";
import { Authenticator } from "../auth/auth.ts";
import { hashPassword } from "../auth/password.ts";
import { LoginLimiter, type LoginLimits } from "../auth/ratelimit.ts";
import { Store } from "../store/store.ts";
import type { ProxyLimits } from "./proxy.ts";
import { createDashboardsHandler } from "./server.ts";

/** A running test server. */
export interface TestServer {
  readonly url: string;
  readonly store: Store;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts the API with users admin/admin-pw (Admin), ed/ed-pw (Editor), vi/vi-pw (Viewer). */
export async function startTestServer(
  opts: { limits?: LoginLimits; proxyLimits?: ProxyLimits } = {},
): Promise<TestServer> {
  const store = Store.open(":memory:");
  await ensureAdmin(store, { user: "admin", password: "admin-pw" }, 4);
  store.users.create({ login: "ed", passwordHash: await hashPassword("ed-pw", 4), role: "Editor" });
  store.users.create({ login: "vi", passwordHash: await hashPassword("vi-pw", 4), role: "Viewer" });
  const auth = new Authenticator(store, new LoginLimiter(opts.limits));
  const handler = createDashboardsHandler({
    store,
    auth,
    bcryptCost: 4,
    ...(opts.proxyLimits ? { proxyLimits: opts.proxyLimits } : {}),
  });
  const server = createServer(handler);
  const url = await listen(server);
  return {
    url,
    store,
    async close() {
      await closeServer(server);
      store.close();
    },
  };
}

/** A request the fake upstream saw. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** A fake Prometheus API recording its requests; `/big` paths answer with `bigBytes` bytes. */
export async function startFakePrometheus(
  bigBytes = 0,
): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.setHeader("Content-Type", "application/json");
      if (req.url?.includes("/slow/")) return; // never answers: the proxy must time out
      if (bigBytes > 0 && req.url?.includes("query_range")) {
        res.end(Buffer.alloc(bigBytes, 32));
        return;
      }
      if (
        req.url?.startsWith("/prom/api/v1/status/buildinfo") ||
        req.url?.startsWith("/api/v1/status/buildinfo")
      ) {
        res.end('{"status":"success","data":{"version":"3.5.3"}}');
        return;
      }
      const path = (req.url ?? "").replace(/^\/prom/, "").split("?")[0];
      if (path === "/api/v1/labels")
        return void res.end('{"status":"success","data":["__name__","instance","job"]}');
      if (path === "/api/v1/label/job/values")
        return void res.end('{"status":"success","data":["node","vigil"]}');
      if (path?.startsWith("/api/v1/label/")) {
        res.statusCode = 400;
        return void res.end('{"status":"error","errorType":"bad_data","error":"unknown label"}');
      }
      if (path === "/api/v1/series")
        return void res.end('{"status":"success","data":[{"__name__":"up","job":"node"}]}');
      if (path === "/api/v1/query" && req.url?.includes("scalar"))
        return void res.end('{"status":"success","data":{"resultType":"scalar","result":[1700000000,"4"]}}');
      res.end(
        '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"node"},"value":[1700000000,"1"]}]}}',
      );
    });
  });
  const url = await listen(server);
  return { url, seen, close: () => closeServer(server) };
}

/** A small HTTP client keeping the session cookie and CSRF token of a login. */
export class Client {
  readonly base: string;
  cookie = "";
  csrf = "";
  constructor(base: string) {
    this.base = base;
  }

  async login(user: string, password: string): Promise<Response> {
    const res = await fetch(`${this.base}/login`, {
      method: "POST",
      body: JSON.stringify({ user, password }),
      headers: { "content-type": "application/json" },
    });
    const set = res.headers.get("set-cookie");
    if (res.status === 200 && set) {
      this.cookie = set.split(";")[0]!;
      this.csrf = ((await res.clone().json()) as { csrfToken: string }).csrfToken;
    }
    return res;
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any; res: Response }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie !== "") h.cookie = this.cookie;
    if (this.csrf !== "" && method !== "GET" && h["x-csrf-token"] === undefined)
      h["x-csrf-token"] = this.csrf;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json, res };
  }
}
