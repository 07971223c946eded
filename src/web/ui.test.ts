import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { serveWeb } from "./api/v1/testing.ts";
import { reply } from "./http.ts";
import { createUiHandler, NOT_BUILT_PAGE, type UiOptions, withBase } from "./ui.ts";

const INDEX = `<!doctype html><html><head><base href="/" /><script src="./assets/app-1.js"></script></head><body></body></html>`;

/** A fake `ui/dist`, removed after the test. */
function fakeDist(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-ui-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), INDEX);
  writeFileSync(join(dir, "assets", "app-1.js"), "console.log(1);\n".repeat(100));
  writeFileSync(join(dir, "assets", "app-1.css"), "body{}");
  writeFileSync(join(dir, "favicon.svg"), "<svg/>");
  writeFileSync(join(dir, "secret.txt"), "no");
  return dir;
}

async function call(base: string, path: string, init?: RequestInit) {
  const res = await fetch(`${base}${path}`, { redirect: "manual", ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("web UI serving", () => {
  it("answers every client route with the entry, based at the prefix", async (t) => {
    const uiDir = fakeDist(t);
    for (const [prefix, want] of [
      [undefined, '<base href="/" />'],
      ["/vigil", '<base href="/vigil/" />'],
    ] as const) {
      const base = await serveWeb(t, { uiDir, routePrefix: prefix });
      for (const path of [
        "/query",
        "/alerts",
        "/rules",
        "/targets",
        "/service-discovery",
        "/status",
        "/flags",
        "/config",
        "/tsdb-status",
      ]) {
        const got = await call(base, path);
        assert.equal(got.status, 200, path);
        assert.equal(got.headers.get("content-type"), "text/html; charset=utf-8");
        assert.equal(got.headers.get("cache-control"), "no-cache");
        assert.equal(got.body, INDEX.replace('<base href="/" />', want), path);
      }
    }
  });

  it("redirects / to /query and /graph to /query keeping the query string", async (t) => {
    const base = await serveWeb(t, { uiDir: fakeDist(t), externalUrl: "http://example.com/ext/" });
    const cases = [
      ["/", "/ext/query"],
      ["/graph?g0.expr=up&g0.tab=0", "/ext/query?g0.expr=up&g0.tab=0"],
    ] as const;
    for (const [path, location] of cases) {
      const got = await call(base, path);
      assert.equal(got.status, 302, path);
      assert.equal(got.headers.get("location"), location);
    }
  });

  it("serves assets with long cache headers and compression; nothing else of the build", async (t) => {
    const base = await serveWeb(t, { uiDir: fakeDist(t) });
    const js = await call(base, "/assets/app-1.js", { headers: { "accept-encoding": "gzip" } });
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(js.headers.get("content-encoding"), "gzip");
    assert.equal(js.body, "console.log(1);\n".repeat(100));
    assert.equal(
      (await call(base, "/assets/app-1.css")).headers.get("content-type"),
      "text/css; charset=utf-8",
    );
    assert.equal((await call(base, "/favicon.svg")).headers.get("content-type"), "image/svg+xml");
    for (const path of [
      "/assets/nope.js",
      "/assets/../secret.txt",
      "/assets/%2e%2e/secret.txt",
      "/secret.txt",
      "/index.html",
      "/nope",
    ]) {
      assert.equal((await call(base, path)).status, 404, path);
    }
    const post = await call(base, "/query", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD, OPTIONS");
    const head = await call(base, "/query", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
  });

  it("answers 503 with what to run while the UI is not built; the API still works", async (t) => {
    const base = await serveWeb(t, { uiDir: join(tmpdir(), "vigil-ui-does-not-exist") });
    const got = await call(base, "/query");
    assert.equal(got.status, 503);
    assert.equal(got.body, NOT_BUILT_PAGE);
    assert.match(got.body, /UI not built: run npm run build:ui/);
    assert.equal((await call(base, "/assets/app-1.js")).status, 404);
    assert.equal((await call(base, "/api/v1/query?query=1&time=1")).status, 200);
  });

  it("writes the base into entries with or without one, escaped", () => {
    assert.equal(withBase('<head><base href="/"></head>', "/a"), '<head><base href="/a/" /></head>');
    assert.equal(withBase("<head></head>", ""), '<head><base href="/" /></head>');
    assert.equal(withBase("<head></head>", '/a"b'), '<head><base href="/a&quot;b/" /></head>');
  });
});

describe("createUiHandler options for further UIs", () => {
  async function serveUi(t: { after(fn: () => void): void }, opts: Omit<UiOptions, "prefix">) {
    const ui = createUiHandler({ prefix: "", ...opts });
    const server = createServer((req, res) => {
      void ui(req, res, new URL(req.url ?? "/", "http://x").pathname).then((served) => {
        if (!served) reply(res, 404, "text/plain", "not mine");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    t.after(() => server.close());
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("matches :param segments and serves the entry at / when routes list it", async (t) => {
    const dir = fakeDist(t);
    writeFileSync(join(dir, "other.html"), '<head><base href="/" />other</head>');
    const base = await serveUi(t, {
      dir,
      entry: "other.html",
      routes: ["/", "/s", "/s/:id", "/s/:id/edit"],
      home: "/s",
    });
    const cases: [string, number][] = [
      ["/", 200],
      ["/s", 200],
      ["/s/abc", 200],
      ["/s/abc/edit", 200],
      ["/s/", 404],
      ["/s/abc/x", 404],
      ["/t/abc", 404],
    ];
    for (const [path, status] of cases) {
      const got = await call(base, path);
      assert.equal(got.status, status, path);
      if (status === 200) assert.equal(got.body, '<head><base href="/" />other</head>', path);
    }
  });

  it("answers entry requests with notBuilt while the entry is missing", async (t) => {
    const dir = fakeDist(t);
    const base = await serveUi(t, {
      dir,
      entry: "missing.html",
      routes: ["/"],
      home: "/",
      notBuilt: (_req, res) => reply(res, 200, "text/html", "plain page"),
    });
    assert.deepEqual([(await call(base, "/")).status, (await call(base, "/")).body], [200, "plain page"]);
    assert.equal((await call(base, "/favicon.svg")).status, 200);
  });
});
