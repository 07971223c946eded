import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { createServer } from "node:https";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import type { HTTPClientConfig } from "../config/types.ts";
import { PROMETHEUS_SCRAPE_ACCEPT } from "../exposition/negotiate.ts";
import { acceptHeader, ScrapeClient, type ScrapeRequest } from "./client.ts";
import { newBodyBuffer } from "./fetch.ts";
import { scrapeConfig, testServer } from "./testing.ts";

const NODE_EXPORTER = readFileSync("/work/shared/fixtures/exposition/node_exporter-1.11.1.prom");
const OM_BODY = readFileSync("/work/shared/fixtures/exposition/prom-client-15.1.3.openmetrics.txt");

function request(url: string, over: Partial<ScrapeRequest> = {}): ScrapeRequest {
  return {
    url,
    accept: PROMETHEUS_SCRAPE_ACCEPT,
    enableCompression: true,
    timeoutMs: 2000,
    bodySizeLimit: 0,
    userAgent: "Vigil/test",
    signal: new AbortController().signal,
    ...over,
  };
}

describe("acceptHeader", () => {
  it("matches what Prometheus 3.5.3 sends by default", () => {
    const sent = readFileSync("/work/shared/fixtures/api/prometheus/sent/scrape-request.txt", "utf8");
    const accept = /^Accept: (.*)$/m.exec(sent)?.[1];
    assert.equal(acceptHeader(scrapeConfig().scrape_protocols, "allow-utf-8"), accept);
  });

  it("skips protobuf, which Vigil cannot parse, and escapes per scheme", () => {
    assert.equal(
      acceptHeader(["PrometheusProto", "PrometheusText1.0.0", "PrometheusText0.0.4"], "underscores"),
      "text/plain;version=1.0.0;escaping=underscores;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.4",
    );
  });
});

describe("ScrapeClient", () => {
  let srv: Awaited<ReturnType<typeof testServer>>;
  const client = new ScrapeClient(scrapeConfig());
  before(async () => {
    srv = await testServer((req, res) => {
      const path = req.url ?? "";
      if (path === "/text") {
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
        res.end(NODE_EXPORTER);
      } else if (path === "/om") {
        res.writeHead(200, { "Content-Type": "application/openmetrics-text; version=1.0.0" });
        res.end(OM_BODY);
      } else if (path === "/gzip") {
        res.writeHead(200, { "Content-Type": "text/plain", "Content-Encoding": "gzip" });
        res.end(gzipSync(NODE_EXPORTER));
      } else if (path === "/chunked") {
        // No Content-Length, several writes: the buffer grows as chunks arrive.
        res.writeHead(200, { "Content-Type": "text/plain" });
        for (let i = 0; i < NODE_EXPORTER.length; i += 10_000)
          res.write(NODE_EXPORTER.subarray(i, i + 10_000));
        res.end();
      } else if (path === "/slow") {
        setTimeout(() => res.end("a 1\n"), 1000).unref();
      } else if (path === "/500") {
        res.writeHead(500);
        res.end("oops");
      } else if (path === "/moved") {
        res.writeHead(302, { Location: "/text" });
        res.end();
      } else if (path === "/loop") {
        res.writeHead(302, { Location: "/loop" });
        res.end();
      } else if (path === "/short") {
        res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "100" });
        res.write("a 1\n");
        setTimeout(() => res.destroy(), 20).unref();
      } else {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end("a 1\n");
      }
    });
  });
  after(async () => {
    await client.close();
    await srv.close();
  });

  it("sends upstream's request headers", async () => {
    await client.scrape(request(`http://${srv.address}/hdr`, { timeoutMs: 5000 }));
    const h = srv.requests.at(-1)!.headers;
    assert.equal(h.accept, PROMETHEUS_SCRAPE_ACCEPT);
    assert.equal(h["accept-encoding"], "gzip");
    assert.equal(h["user-agent"], "Vigil/test");
    assert.equal(h["x-prometheus-scrape-timeout-seconds"], "5");
    await client.scrape(request(`http://${srv.address}/hdr`, { enableCompression: false, timeoutMs: 500 }));
    assert.equal(srv.requests.at(-1)!.headers["accept-encoding"], "identity");
    assert.equal(srv.requests.at(-1)!.headers["x-prometheus-scrape-timeout-seconds"], "0.5");
  });

  const ok: { name: string; path: string; body: Buffer; ct: RegExp }[] = [
    { name: "text", path: "/text", body: NODE_EXPORTER, ct: /^text\/plain/ },
    { name: "OpenMetrics", path: "/om", body: OM_BODY, ct: /^application\/openmetrics-text/ },
    { name: "gzip", path: "/gzip", body: NODE_EXPORTER, ct: /^text\/plain/ },
    { name: "followed redirect", path: "/moved", body: NODE_EXPORTER, ct: /^text\/plain/ },
  ];
  for (const c of ok) {
    it(`reads a ${c.name} body`, async () => {
      const res = await client.scrape(request(`http://${srv.address}${c.path}`));
      assert.ok(res.body.equals(c.body));
      assert.match(res.contentType, c.ct);
    });
  }

  it("reuses the loop's body buffer from one scrape to the next, growing it for chunked bodies", async () => {
    const buffer = newBodyBuffer();
    const first = await client.scrape(request(`http://${srv.address}/chunked`, { buffer }));
    assert.ok(first.body.equals(NODE_EXPORTER));
    const backing = buffer.buf.buffer;
    const second = await client.scrape(request(`http://${srv.address}/text`, { buffer }));
    assert.ok(second.body.equals(NODE_EXPORTER));
    assert.equal(buffer.buf.buffer, backing, "same memory, no new allocation");
    const small = await client.scrape(request(`http://${srv.address}/plain`, { buffer }));
    assert.equal(small.body.toString(), "a 1\n");
  });

  const failing: {
    name: string;
    path: string;
    over?: Partial<ScrapeRequest>;
    err: (url: string) => string;
  }[] = [
    {
      name: "timeout",
      path: "/slow",
      over: { timeoutMs: 100 },
      err: (u) => `Get "${u}": context deadline exceeded`,
    },
    { name: "HTTP 500", path: "/500", err: () => "server returned HTTP status 500 Internal Server Error" },
    { name: "redirect loop", path: "/loop", err: (u) => `Get "${u}": stopped after 10 redirects` },
    {
      name: "body too large",
      path: "/text",
      over: { bodySizeLimit: 1000 },
      err: () => "body size limit exceeded",
    },
    {
      name: "gzipped body too large",
      path: "/gzip",
      over: { bodySizeLimit: NODE_EXPORTER.length },
      err: () => "body size limit exceeded",
    },
    { name: "body cut short", path: "/short", err: () => "unexpected EOF" },
  ];
  for (const c of failing) {
    it(`fails with upstream's text: ${c.name}`, async () => {
      const url = `http://${srv.address}${c.path}`;
      await assert.rejects(client.scrape(request(url, c.over)), { message: c.err(url) });
    });
  }

  it("reports a refused connection like Go", async () => {
    const closed = await testServer(() => {});
    const addr = closed.address;
    await closed.close();
    const url = `http://${addr}/metrics`;
    await assert.rejects(client.scrape(request(url)), {
      message: `Get "${url}": dial tcp ${addr}: connect: connection refused`,
    });
  });

  it("reports shutdown as a cancelled context", async () => {
    const stop = new AbortController();
    const url = `http://${srv.address}/slow`;
    const p = client.scrape(request(url, { signal: stop.signal }));
    setTimeout(() => stop.abort(), 50);
    await assert.rejects(p, { message: `Get "${url}": context canceled` });
  });

  it("returns 3xx responses when follow_redirects is off", async () => {
    const c = new ScrapeClient(scrapeConfig({ follow_redirects: false }));
    try {
      await assert.rejects(c.scrape(request(`http://${srv.address}/moved`)), {
        message: "server returned HTTP status 302 Found",
      });
    } finally {
      await c.close();
    }
  });

  const auth: { name: string; cfg: (dir: string) => Partial<HTTPClientConfig>; want: string }[] = [
    {
      name: "basic_auth",
      cfg: () => ({ basic_auth: { username: "user", password: "pass" } }),
      want: `Basic ${Buffer.from("user:pass").toString("base64")}`,
    },
    {
      name: "basic_auth password_file, read on each scrape",
      cfg: (dir) => ({ basic_auth: { username: "user", password_file: join(dir, "pw") } }),
      want: `Basic ${Buffer.from("user:from-file").toString("base64")}`,
    },
    {
      name: "authorization",
      cfg: () => ({ authorization: { type: "Bearer", credentials: "tok" } }),
      want: "Bearer tok",
    },
  ];
  for (const c of auth) {
    it(`sends ${c.name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "scrape-auth-"));
      writeFileSync(join(dir, "pw"), "from-file\n");
      const cl = new ScrapeClient(scrapeConfig(c.cfg(dir)));
      try {
        await cl.scrape(request(`http://${srv.address}/auth`));
        assert.equal(srv.requests.at(-1)!.headers.authorization, c.want);
      } finally {
        await cl.close();
        rmSync(dir, { recursive: true });
      }
    });
  }

  it("sends http_headers", async () => {
    const cl = new ScrapeClient(scrapeConfig({ http_headers: { "X-Tenant": { values: ["a", "b"] } } }));
    try {
      await cl.scrape(request(`http://${srv.address}/h`));
      assert.equal(srv.requests.at(-1)!.headers["x-tenant"], "a, b");
    } finally {
      await cl.close();
    }
  });

  it("goes through proxy_url", async () => {
    const seen: string[] = [];
    const proxy = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? "");
      const up = httpRequest(
        { host: target.hostname, port: target.port, path: target.pathname, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    proxy.on("connect", (req, socket, head) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? "").split(":");
      const up = connect(Number(port), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on("error", () => socket.destroy());
      socket.on("error", () => up.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const cl = new ScrapeClient(scrapeConfig({ proxy_url: proxyUrl }));
    try {
      const res = await cl.scrape(request(`http://${srv.address}/text`));
      assert.ok(res.body.equals(NODE_EXPORTER));
      assert.equal(seen.length, 1);
      assert.match(seen[0], new RegExp(`${srv.address}`));
    } finally {
      await cl.close();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("refuses oauth2, which it does not support", () => {
    assert.throws(() => new ScrapeClient(scrapeConfig({ oauth2: { client_id: "x" } })), {
      message: "oauth2 is not supported",
    });
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("ScrapeClient over TLS", { skip: !hasOpenssl() && "openssl not found" }, () => {
  let dir: string;
  let server: ReturnType<typeof createServer>;
  let port = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "scrape-tls-"));
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=vigil-test"],
        ...["-addext", "subjectAltName=DNS:vigil-test,IP:127.0.0.1"],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
      ],
      { stdio: "ignore" },
    );
    server = createServer(
      { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
      (_req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end("a 1\n");
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true });
  });

  const cases: { name: string; tls: (dir: string) => HTTPClientConfig["tls_config"]; err?: string }[] = [
    {
      name: "trusted through ca_file",
      tls: (d) => ({ ca_file: join(d, "cert.pem"), insecure_skip_verify: false }),
    },
    {
      name: "server_name checked against the certificate",
      tls: (d) => ({ ca_file: join(d, "cert.pem"), server_name: "vigil-test", insecure_skip_verify: false }),
    },
    { name: "insecure_skip_verify", tls: () => ({ insecure_skip_verify: true }) },
    {
      name: "unknown authority",
      tls: () => ({ insecure_skip_verify: false }),
      err: "tls: failed to verify certificate: x509: certificate signed by unknown authority",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const cl = new ScrapeClient(scrapeConfig({ tls_config: c.tls(dir) }));
      const url = `https://127.0.0.1:${port}/metrics`;
      try {
        if (c.err === undefined) assert.equal((await cl.scrape(request(url))).body.toString(), "a 1\n");
        else await assert.rejects(cl.scrape(request(url)), { message: `Get "${url}": ${c.err}` });
      } finally {
        await cl.close();
      }
    });
  }
});
