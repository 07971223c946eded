import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../config/config.ts";
import { WriteClient } from "./writeclient.ts";

// The undici rows go through EnvHttpProxyAgent (proxy_from_environment) with no proxy in the environment.
for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"])
  delete process.env[k];

/** What the server saw of the last request. */
interface Seen {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Answers by path: /ok, /v2 (samples written), /500, /429, /400-long, /slow (never answers), /slow-body. */
async function endpoint(): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
      switch (req.url) {
        case "/ok":
          res.writeHead(204).end();
          break;
        case "/v2":
          res.writeHead(200, { "X-Prometheus-Remote-Write-Samples-Written": "7" }).end("ignored");
          break;
        case "/500":
          res.writeHead(500, { "Retry-After": "2" }).end("  boom\n");
          break;
        case "/429":
          res.writeHead(429, { "Retry-After": "5" }).end();
          break;
        case "/400-long":
          res.writeHead(400).end("x".repeat(5000));
          break;
        case "/slow-body":
          res.writeHead(500, { "Content-Length": "10" });
          res.write("part");
          break;
        default: // /slow: no answer
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port, seen };
}

function client(port: number, path: string, undici: boolean, extra = ""): WriteClient {
  const yaml = `
remote_write:
  - url: http://127.0.0.1:${port}${path}
    remote_timeout: 300ms
    headers: {X-Scope-OrgID: tenant-1}
    basic_auth: {username: u, password: p}
${undici ? "    proxy_from_environment: true\n" : ""}${extra}`;
  return new WriteClient(loadConfig(yaml, "t.yml", ".").config.remote_write[0]!);
}

const body = Buffer.from("\x00\x01snappy\r\n\r\nbytes\xff", "latin1");

for (const transport of ["h1", "undici"] as const) {
  describe(`WriteClient over ${transport}`, () => {
    let srv: Awaited<ReturnType<typeof endpoint>>;
    const clients: WriteClient[] = [];
    const open = (path: string, extra = ""): WriteClient => {
      const c = client(srv.port, path, transport === "undici", extra);
      clients.push(c);
      assert.equal(c.transport, transport);
      return c;
    };

    before(async () => {
      srv = await endpoint();
    });
    after(async () => {
      for (const c of clients) await c.close();
      srv.server.closeAllConnections();
      await new Promise((r) => srv.server.close(r));
    });

    it("sends upstream's headers, the endpoint's headers and auth, and the body intact", async () => {
      const c = open("/ok");
      assert.deepEqual(await c.store(body, 0), { ok: true, samplesWritten: undefined });
      assert.deepEqual(await c.store(body, 2), { ok: true, samplesWritten: undefined });
      const [first, second] = srv.seen.slice(-2);
      for (const s of [first!, second!]) {
        assert.deepEqual(s.body, body);
        assert.equal(s.headers["content-encoding"], "snappy");
        assert.equal(s.headers["content-type"], "application/x-protobuf");
        assert.match(s.headers["user-agent"] ?? "", /^Prometheus\/\S+$/);
        assert.equal(s.headers["x-prometheus-remote-write-version"], "0.1.0");
        assert.equal(s.headers.authorization, `Basic ${Buffer.from("u:p").toString("base64")}`);
        assert.equal(s.headers["x-scope-orgid"], "tenant-1");
        assert.equal(s.headers["content-length"], String(body.length));
      }
      assert.equal(first!.headers["retry-attempt"], undefined);
      assert.equal(second!.headers["retry-attempt"], "2");
    });

    it("sends protocol 2.0's headers and reads the samples written", async () => {
      const c = open("/v2", "    protobuf_message: io.prometheus.write.v2.Request\n");
      assert.deepEqual(await c.store(body, 0), { ok: true, samplesWritten: 7 });
      const s = srv.seen.at(-1)!;
      assert.equal(s.headers["content-type"], "application/x-protobuf;proto=io.prometheus.write.v2.Request");
      assert.equal(s.headers["x-prometheus-remote-write-version"], "2.0.0");
    });

    const failures: {
      path: string;
      abortMs?: number;
      want: { recoverable: boolean; error: string; retryAfterMs?: number };
    }[] = [
      {
        path: "/500",
        want: {
          recoverable: true,
          error: "server returned HTTP status 500 Internal Server Error: boom",
          retryAfterMs: 2000,
        },
      },
      {
        path: "/429",
        want: {
          recoverable: true,
          error: "server returned HTTP status 429 Too Many Requests: ",
          retryAfterMs: 5000,
        },
      },
      {
        path: "/400-long",
        want: {
          recoverable: false,
          error: `server returned HTTP status 400 Bad Request: ${"x".repeat(1024)}`,
        },
      },
      { path: "/slow", want: { recoverable: true, error: "Headers Timeout Error" } },
      // As upstream: the status decides, the body is what arrived before the timeout.
      {
        path: "/slow-body",
        want: { recoverable: true, error: "server returned HTTP status 500 Internal Server Error: part" },
      },
      { path: "/slow", abortMs: 50, want: { recoverable: true, error: "This operation was aborted" } },
    ];
    for (const f of failures) {
      it(`reports ${f.path}${f.abortMs === undefined ? "" : " aborted"} as ${String(f.want.error).slice(0, 50)}`, async () => {
        const c = open(f.path);
        const ac = new AbortController();
        if (f.abortMs !== undefined) setTimeout(() => ac.abort(), f.abortMs);
        const t0 = Date.now();
        const r = await c.store(body, 0, ac.signal);
        assert.equal(r.ok, false);
        if (r.ok) return;
        assert.equal(r.error, f.want.error);
        assert.equal(r.recoverable, f.want.recoverable);
        assert.equal(r.retryAfterMs, f.want.retryAfterMs);
        assert.ok(Date.now() - t0 < 2000, "bounded by remote_timeout");
      });
    }

    it("reuses its connection after an error answer", async () => {
      const c = open("/500");
      const before = srv.seen.length;
      const sockets = new Set<unknown>();
      const onConn = (s: unknown): void => {
        sockets.add(s);
      };
      srv.server.on("connection", onConn);
      for (let i = 0; i < 3; i++) assert.equal((await c.store(body, i)).ok, false);
      srv.server.off("connection", onConn);
      assert.equal(srv.seen.length - before, 3);
      if (transport === "h1") assert.equal(sockets.size, 1, "one connection");
    });

    it("reports a refused connection as recoverable", async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
      const port = (closed.address() as { port: number }).port;
      await new Promise((r) => closed.close(r));
      const c = client(port, "/ok", transport === "undici");
      clients.push(c);
      const r = await c.store(body, 0);
      assert.deepEqual(r, { ok: false, recoverable: true, error: `connect ECONNREFUSED 127.0.0.1:${port}` });
    });
  });
}
