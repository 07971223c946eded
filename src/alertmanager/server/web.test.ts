import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { nopLogger } from "../../log/log.ts";
import { newServerMetrics } from "./metrics.ts";
import { createWebHandler, type WebDeps } from "./web.ts";

async function serve(over: Partial<WebDeps>): Promise<{ url: string; server: Server; registry: Registry }> {
  const registry = new Registry();
  const handler = createWebHandler({
    routePrefix: "/",
    api: async () => false,
    reload: async () => {},
    gather: async () => [],
    metrics: newServerMetrics(registry),
    getConcurrency: 0,
    timeoutMs: 0,
    externalURL: "http://am.example",
    logger: nopLogger,
    ...over,
  });
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, registry };
}

describe("alertmanager web handler", () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  it("POST /-/reload answers 500 with upstream's text when the reload is refused", async () => {
    const { url, server } = await serve({
      reload: async () => {
        throw new Error('undefined receiver "x" used in route');
      },
    });
    servers.push(server);
    const r = await fetch(`${url}/-/reload`, { method: "POST" });
    assert.equal(r.status, 500);
    assert.equal(await r.text(), 'failed to reload config: undefined receiver "x" used in route\n');
    const get = await fetch(`${url}/-/reload`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "OPTIONS, POST");
  });

  it("limits concurrent GETs with a 503 and counts them", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { url, server, registry } = await serve({
      getConcurrency: 1,
      api: async (_req: IncomingMessage, res: ServerResponse) => {
        await gate;
        res.end("[]");
        return true;
      },
    });
    servers.push(server);
    const first = fetch(`${url}/api/v2/alerts`);
    await new Promise((r) => setTimeout(r, 100));
    const second = await fetch(`${url}/api/v2/alerts`);
    assert.equal(second.status, 503);
    assert.equal(await second.text(), "Limit of concurrent GET requests reached (1), try again later.\n\n");
    release();
    assert.equal((await first).status, 200);
    const metrics = await registry.metrics();
    assert.match(metrics, /^alertmanager_http_concurrency_limit_exceeded_total\{method="get"\} 1$/m);
    // POSTs are not limited.
    assert.notEqual((await fetch(`${url}/-/reload`, { method: "POST" })).status, 503);
  });

  it("answers 503 when --web.timeout passes first", async () => {
    const { url, server } = await serve({
      timeoutMs: 100,
      api: async (_req, res) => {
        await new Promise((r) => setTimeout(r, 400));
        if (!res.headersSent) res.end("late");
        return true;
      },
    });
    servers.push(server);
    const r = await fetch(`${url}/api/v2/status`);
    assert.equal(r.status, 503);
    assert.equal(await r.text(), "Exceeded configured timeout of 100ms.\n\n");
  });

  it("instruments requests by handler", async () => {
    const { url, server, registry } = await serve({});
    servers.push(server);
    await fetch(`${url}/-/healthy`);
    const metrics = await registry.metrics();
    assert.match(
      metrics,
      /^alertmanager_http_request_duration_seconds_count\{handler="\/-\/healthy",method="get"\} 1$/m,
    );
  });

  it("serves the web UI at / and its client routes, based at the route prefix", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-am-ui-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "assets"));
    const entry = '<html><head><base href="/" /><title>Vigil Alertmanager</title></head></html>';
    writeFileSync(join(dir, "alertmanager.html"), entry);
    writeFileSync(join(dir, "assets", "am-1.js"), "1;");
    const { url, server, registry } = await serve({ uiDir: dir, routePrefix: "/am" });
    servers.push(server);
    const want = entry.replace('<base href="/" />', '<base href="/am/" />');
    for (const path of [
      "/",
      "/alerts",
      "/silences",
      "/silences/new",
      "/silences/abc",
      "/silences/abc/edit",
      "/status",
    ]) {
      const r = await fetch(`${url}/am${path}`, { redirect: "manual" });
      assert.equal(r.status, 200, path);
      assert.equal(await r.text(), want, path);
    }
    assert.equal((await fetch(`${url}/am/assets/am-1.js`)).status, 200);
    for (const path of ["/silences/abc/x", "/assets/none.js", "/nothing"]) {
      assert.equal((await fetch(`${url}/am${path}`)).status, 404, path);
    }
    assert.equal((await fetch(`${url}/am/`, { method: "POST" })).status, 405);
    const metrics = await registry.metrics();
    assert.match(metrics, /handler="\/",method="get"\} 9$/m);
    assert.match(metrics, /handler="\/assets\/\*path",method="get"\} 2$/m);
  });

  it("serves a plain start page while the UI is not built", async () => {
    const { url, server } = await serve({ uiDir: join(tmpdir(), "vigil-no-such-ui") });
    servers.push(server);
    const r = await fetch(`${url}/`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /<h1>Vigil Alertmanager<\/h1>[\s\S]*api\/v2\/silences/);
  });
});
