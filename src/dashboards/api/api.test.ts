import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Client, startFakePrometheus, startTestServer, type TestServer } from "./testing.ts";

const FIXTURES = "/work/shared/fixtures/grafana/dashboards";

describe("auth", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ limits: { maxAttempts: 3, windowMs: 60_000 } });
  });
  after(() => srv.close());

  it("refuses a wrong password and unauthenticated API calls", async () => {
    const c = new Client(srv.url);
    const bad = await c.login("admin", "wrong");
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), { message: "Invalid username or password" });
    assert.equal((await c.call("GET", "/api/search")).status, 401);
  });

  it("sets an HttpOnly SameSite=Lax session cookie and logs out", async () => {
    const c = new Client(srv.url);
    const res = await c.login("admin", "admin-pw");
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get("set-cookie")!,
      /^grafana_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/,
    );
    const me = await c.call("GET", "/api/user");
    assert.deepEqual([me.json.login, me.json.role, me.json.csrfToken], ["admin", "Admin", c.csrf]);
    const out = await c.call("GET", "/logout");
    assert.equal(out.status, 200); // fetch followed the redirect to the placeholder /login page
    assert.equal((await c.call("GET", "/api/user")).status, 401);
  });

  it("requires the CSRF token for cookie writes and refuses foreign origins", async () => {
    const c = new Client(srv.url);
    await c.login("admin", "admin-pw");
    const noToken = await c.call("POST", "/api/folders", { title: "F" }, { "x-csrf-token": "" });
    assert.equal(noToken.status, 403);
    assert.match(noToken.json.message, /CSRF token missing or invalid/);
    const wrong = await c.call("POST", "/api/folders", { title: "F" }, { "x-csrf-token": "x".repeat(32) });
    assert.equal(wrong.status, 403);
    const foreign = await c.call("POST", "/api/folders", { title: "F" }, { origin: "http://evil.example" });
    assert.deepEqual([foreign.status, foreign.json.message], [403, "origin not allowed"]);
    const ok = await c.call("POST", "/api/folders", { title: "F", uid: "f" }, { origin: srv.url });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
  });

  it("accepts basic auth without a CSRF token", async () => {
    const c = new Client(srv.url);
    const r = await c.call(
      "POST",
      "/api/folders",
      { title: "Basic" },
      { authorization: `Basic ${Buffer.from("ed:ed-pw").toString("base64")}` },
    );
    assert.equal(r.status, 200);
  });

  it("enforces roles on every route", async () => {
    const vi = new Client(srv.url);
    await vi.login("vi", "vi-pw");
    const ed = new Client(srv.url);
    await ed.login("ed", "ed-pw");
    const table: [Client, string, string, unknown, number][] = [
      [vi, "GET", "/api/search", undefined, 200],
      [vi, "GET", "/api/datasources", undefined, 200],
      [vi, "POST", "/api/dashboards/db", { dashboard: { title: "v" } }, 403],
      [vi, "POST", "/api/datasources", { name: "x", type: "prometheus" }, 403],
      [vi, "GET", "/api/users", undefined, 403],
      [ed, "POST", "/api/dashboards/db", { dashboard: { title: "e" } }, 200],
      [ed, "POST", "/api/datasources", { name: "x", type: "prometheus" }, 403],
      [ed, "POST", "/api/admin/users", { login: "z", password: "z" }, 403],
    ];
    for (const [client, method, path, body, want] of table) {
      const r = await client.call(method, path, body);
      assert.equal(r.status, want, `${method} ${path}: ${JSON.stringify(r.json)}`);
      if (want === 403) assert.equal(r.json.message, "Permission denied");
    }
  });

  it("blocks logins after repeated failures, even with the right password", async () => {
    const c = new Client(srv.url);
    for (let i = 0; i < 3; i++) assert.equal((await c.login("ed", "nope")).status, 401);
    const blocked = await c.login("ed", "ed-pw");
    assert.equal(blocked.status, 429);
    assert.match(
      ((await blocked.json()) as { message: string }).message,
      /login for user temporarily blocked/,
    );
  });
});

describe("data sources and the proxy", () => {
  let srv: TestServer;
  let prom: Awaited<ReturnType<typeof startFakePrometheus>>;
  const admin = () => {
    const c = new Client(srv.url);
    return c.login("admin", "admin-pw").then(() => c);
  };
  before(async () => {
    srv = await startTestServer({
      proxyLimits: { timeoutMs: 300, maxResponseBytes: 1000, maxRequestBytes: 1000 },
    });
    prom = await startFakePrometheus(5000);
  });
  after(async () => {
    await srv.close();
    await prom.close();
  });

  it("creates, reads, updates and deletes as Grafana's API, hiding secure values", async () => {
    const c = await admin();
    const add = await c.call("POST", "/api/datasources", {
      name: "Prom",
      uid: "prom",
      type: "prometheus",
      url: `${prom.url}/prom`,
      access: "proxy",
      isDefault: true,
      basicAuth: true,
      basicAuthUser: "u",
      jsonData: { httpHeaderName1: "X-Scope-OrgID", customQueryParameters: "nocache=1" },
      secureJsonData: { basicAuthPassword: "p", httpHeaderValue1: "tenant-a" },
    });
    assert.equal(add.status, 200, JSON.stringify(add.json));
    assert.equal(add.json.message, "Datasource added");
    assert.deepEqual(add.json.datasource.secureJsonFields, {
      basicAuthPassword: true,
      httpHeaderValue1: true,
    });
    assert.ok(!JSON.stringify(add.json).includes("tenant-a"));
    const byName = await c.call("GET", "/api/datasources/name/Prom");
    assert.equal(byName.json.uid, "prom");
    const dup = await c.call("POST", "/api/datasources", { name: "Prom", type: "prometheus" });
    assert.deepEqual([dup.status, dup.json.message], [409, "data source with the same name already exists"]);
    const bad = await c.call("POST", "/api/datasources", { name: "Bad", type: "prometheus", url: "ftp://x" });
    assert.deepEqual(
      [bad.status, bad.json.message],
      [400, "Failed to add datasource: the URL must be http or https"],
    );
    const extra = await c.call("POST", "/api/datasources", {
      name: "Tmp",
      type: "prometheus",
      url: "http://127.0.0.1:1",
    });
    const upd = await c.call("PUT", `/api/datasources/uid/${extra.json.datasource.uid}`, {
      name: "Tmp2",
      type: "prometheus",
      url: "http://127.0.0.1:1",
    });
    assert.deepEqual([upd.status, upd.json.name], [200, "Tmp2"]);
    const del = await c.call("DELETE", `/api/datasources/uid/${extra.json.datasource.uid}`);
    assert.deepEqual([del.status, del.json.message], [200, "Data source deleted"]);
    assert.equal((await c.call("GET", `/api/datasources/uid/${extra.json.datasource.uid}`)).status, 404);
  });

  it("proxies query API calls, adding basic auth, headers and custom parameters", async () => {
    const c = await admin();
    prom.seen.length = 0;
    const r = await c.call("GET", "/api/datasources/proxy/uid/prom/api/v1/query?query=up&time=1");
    assert.equal(r.status, 200);
    assert.equal(r.json.status, "success");
    const seen = prom.seen[0]!;
    assert.equal(seen.url, "/prom/api/v1/query?query=up&time=1&nocache=1");
    assert.equal(seen.headers.authorization, `Basic ${Buffer.from("u:p").toString("base64")}`);
    assert.equal(seen.headers["x-scope-orgid"], "tenant-a");
    assert.equal(seen.headers.cookie, undefined);
    const post = await c.call(
      "POST",
      "/api/datasources/proxy/uid/prom/api/v1/query_range",
      "query=up&start=0&end=10&step=5",
      { "content-type": "application/x-www-form-urlencoded" },
    );
    assert.equal(post.status, 502); // the fake answers query_range with 5000 bytes, over the 1000-byte limit
    assert.match(post.json.message, /larger than 1000 bytes/);
    assert.equal(prom.seen[1]!.body, "query=up&start=0&end=10&step=5");
    const labels = await c.call("GET", "/api/datasources/proxy/uid/prom/api/v1/label/job/values");
    assert.equal(labels.status, 200);
  });

  it("refuses paths outside the Prometheus query API and escapes", async () => {
    const c = await admin();
    prom.seen.length = 0;
    for (const path of [
      "api/v1/admin/tsdb/delete_series",
      "api/v1/../../etc/passwd",
      "api/v1/%2e%2e/%2e%2e/secret",
      "api/v1/query%2f..%2f..%2fx",
      "api/v1/label/..%5c../values",
      "api/v2/alerts",
      "/api/v1/query",
      "metrics",
    ]) {
      const r = await c.call("GET", `/api/datasources/proxy/uid/prom/${path}`);
      assert.ok(r.status === 403 || r.status === 404, `${path}: ${r.status}`);
    }
    const del = await c.call("DELETE", "/api/datasources/proxy/uid/prom/api/v1/query");
    assert.equal(del.status, 405);
    assert.equal((await c.call("GET", "/api/datasources/proxy/uid/nope/api/v1/query")).status, 404);
    assert.equal(prom.seen.length, 0, JSON.stringify(prom.seen.map((s) => s.url)));
  });

  it("times out a slow data source and reports its health", async () => {
    const c = await admin();
    await c.call("POST", "/api/datasources", {
      name: "Slow",
      uid: "slow",
      type: "prometheus",
      url: `${prom.url}/slow`,
    });
    const slow = await c.call("GET", "/api/datasources/proxy/uid/slow/api/v1/query?query=1");
    assert.deepEqual([slow.status, slow.json.message], [504, "data source request timed out after 300ms"]);
    const ok = await c.call("GET", "/api/datasources/uid/prom/health");
    assert.deepEqual(
      [ok.status, ok.json],
      [200, { status: "OK", message: "Successfully queried the Prometheus API." }],
    );
    await c.call("POST", "/api/datasources", {
      name: "Down",
      uid: "down",
      type: "prometheus",
      url: "http://127.0.0.1:1",
    });
    const down = await c.call("GET", "/api/datasources/uid/down/health");
    assert.equal(down.status, 400);
    assert.equal(down.json.status, "ERROR");
    assert.match(down.json.message, /data source unreachable/);
  });
});

describe("dashboards API", () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
    srv.store.datasources.add({
      name: "Vigil",
      uid: "vigil",
      type: "prometheus",
      url: "http://127.0.0.1:9090",
      isDefault: true,
    });
  });
  after(() => srv.close());

  it("imports a legacy fixture with its __inputs and serves it migrated", async () => {
    const c = new Client(srv.url);
    await c.login("ed", "ed-pw");
    const dashboard = JSON.parse(readFileSync(`${FIXTURES}/node-exporter-full.legacy-2021.json`, "utf8"));
    const missing = await c.call("POST", "/api/dashboards/import", {
      dashboard,
      overwrite: true,
      inputs: [],
    });
    assert.deepEqual([missing.status, missing.json.message], [400, "dashboard input missing: DS_PROMETHEUS"]);
    const r = await c.call("POST", "/api/dashboards/import", {
      dashboard,
      overwrite: true,
      inputs: [{ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus", value: "vigil" }],
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.imported, true);
    const got = await c.call("GET", `/api/dashboards/uid/${r.json.uid}`);
    assert.equal(got.json.dashboard.schemaVersion, 41);
    assert.equal(got.json.meta.canSave, true);
    const types = new Set<string>();
    const walk = (ps: { type: string; panels?: unknown[] }[]): void => {
      for (const p of ps) {
        types.add(p.type);
        walk((p.panels ?? []) as never);
      }
    };
    walk(got.json.dashboard.panels);
    assert.deepEqual([...types].sort(), ["gauge", "row", "stat", "timeseries"]);
    const exp = await c.call("GET", `/api/dashboards/uid/${r.json.uid}/export`);
    assert.deepEqual(
      exp.json.__inputs.map((i: { name: string }) => i.name),
      ["DS_VIGIL"],
    );
    const search = await c.call("GET", "/api/search?query=node%20exporter");
    assert.deepEqual(
      search.json.map((s: { uid: string }) => s.uid),
      [r.json.uid],
    );
  });

  it("saves with version semantics and keeps the history", async () => {
    const c = new Client(srv.url);
    await c.login("ed", "ed-pw");
    const first = await c.call("POST", "/api/dashboards/db", {
      dashboard: { title: "Mine", uid: "mine", panels: [] },
    });
    assert.deepEqual(
      [first.status, first.json.version, first.json.url, first.json.status],
      [200, 1, "/d/mine/mine", "success"],
    );
    const stale = await c.call("POST", "/api/dashboards/db", {
      dashboard: { title: "Mine", uid: "mine", version: 0 },
    });
    assert.deepEqual([stale.status, stale.json.status], [412, "version-mismatch"]);
    const next = await c.call("POST", "/api/dashboards/db", {
      dashboard: { title: "Mine", uid: "mine", version: 1, tags: ["t"] },
      message: "tagged",
    });
    assert.equal(next.json.version, 2);
    const same = await c.call("POST", "/api/dashboards/db", { dashboard: { title: "Mine", uid: "other" } });
    assert.deepEqual([same.status, same.json.status], [412, "name-exists"]);
    const versions = await c.call("GET", "/api/dashboards/uid/mine/versions");
    assert.deepEqual(
      versions.json.versions.map((v: { version: number; message: string; createdBy: string }) => [
        v.version,
        v.message,
        v.createdBy,
      ]),
      [
        [2, "tagged", "ed"],
        [1, "", "ed"],
      ],
    );
    const restored = await c.call("POST", "/api/dashboards/uid/mine/restore", { version: 1 });
    assert.equal(restored.json.version, 3);
    assert.deepEqual((await c.call("GET", "/api/search?tag=t")).json, []);
    assert.equal((await c.call("DELETE", "/api/dashboards/uid/mine")).status, 200);
    assert.equal((await c.call("GET", "/api/dashboards/uid/mine")).status, 404);
  });

  it("refuses invalid dashboard JSON with the reason", async () => {
    const c = new Client(srv.url);
    await c.login("ed", "ed-pw");
    const cases: [unknown, number, RegExp][] = [
      ['{"dashboard": {"title": "x",}', 400, /^bad request data: invalid JSON: /],
      [{ dashboard: { panels: [] } }, 400, /^dashboard\.title: Dashboard title cannot be empty$/],
      [
        { dashboard: { title: "x", panels: [{ type: "stat", gridPos: { w: -1 } }] } },
        400,
        /^dashboard\.panels\[0\]\.gridPos\.w: must be a non-negative number$/,
      ],
      [{ dashboard: "nope" }, 400, /dashboard must be a JSON object/],
      [{ dashboard: { title: "x", uid: "bad uid!" } }, 400, /^dashboard\.uid: invalid uid$/],
    ];
    for (const [body, status, message] of cases) {
      const r = await c.call("POST", "/api/dashboards/db", body);
      assert.equal(r.status, status, JSON.stringify(r.json));
      assert.match(r.json.message, message);
    }
    assert.equal(
      (await c.call("GET", "/api/search?query=x")).json.filter((d: { title: string }) => d.title === "x")
        .length,
      0,
    );
  });

  it("serves health, metrics, and the UI hook for other paths", async () => {
    const health = await fetch(`${srv.url}/api/health`);
    assert.deepEqual(await health.json(), { commit: "", database: "ok", version: "" });
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /^grafana_stat_totals_dashboard \d+$/m);
    assert.match(metrics, /^process_start_time_seconds /m);
    const ui = await fetch(`${srv.url}/d/abc/x`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /Vigil dashboards/);
    assert.equal((await fetch(`${srv.url}/api/nope`)).status, 404);
    const c = new Client(srv.url);
    await c.login("vi", "vi-pw");
    assert.equal(
      (await c.call("GET", "/api/dashboards/uid/%E0%A4%A")).status,
      404,
      "malformed escapes do not crash the server",
    );
  });
});
