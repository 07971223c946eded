import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { prefersProtobuf } from "./exposition.ts";
import { computeRoutePrefix } from "./handler.ts";
import { decodeDelimited } from "./protobuf.ts";
import { isProtobuf } from "./push.ts";
import { type RunningPushgateway, startPushgateway } from "./pushgateway.ts";
import { send } from "./testing/http.ts";

describe("computeRoutePrefix (upstream's rules)", () => {
  const cases: [string, string, string][] = [
    ["", "", ""],
    ["/", "", ""],
    ["", "http://example.com/", ""],
    ["", "http://example.com/pg/", "/pg"],
    ["pg", "", "/pg"],
    ["/pg/", "http://example.com/other", "/pg"],
  ];
  for (const [prefix, url, want] of cases) {
    it(`${JSON.stringify(prefix)} + ${JSON.stringify(url)} → ${JSON.stringify(want)}`, () => {
      assert.equal(computeRoutePrefix(prefix, url), want);
    });
  }
});

describe("content types", () => {
  const push: [string | undefined, boolean][] = [
    [undefined, false],
    ["text/plain; version=0.0.4", false],
    ["application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", true],
    ['Application/Vnd.Google.Protobuf;encoding="delimited";proto=io.prometheus.client.MetricFamily', true],
    ["application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=text", false],
  ];
  for (const [ct, want] of push)
    it(`push body ${ct} is protobuf: ${want}`, () => assert.equal(isProtobuf(ct), want));

  const scrape: [string | undefined, boolean][] = [
    [undefined, false],
    ["text/plain", false],
    ["application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", true],
    [
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3",
      true,
    ],
    [
      "text/plain;q=0.9,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5",
      false,
    ],
  ];
  for (const [accept, want] of scrape)
    it(`scrape Accept ${accept} → protobuf: ${want}`, () => assert.equal(prefersProtobuf(accept), want));
});

const UI_ENTRY = '<!doctype html><html><head><base href="/" /><title>Vigil Pushgateway</title></head></html>';

/** A fake `ui/dist` with the pushgateway's entry and one asset. */
function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-pg-ui-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "pushgateway.html"), UI_ENTRY);
  writeFileSync(join(dir, "assets", "pg-1.js"), "console.log(1);\n");
  return dir;
}

describe("HTTP handler", () => {
  let pg: RunningPushgateway;
  let quit = false;
  let port: number;
  const uiDir = fakeDist();

  before(async () => {
    pg = await startPushgateway({
      listenAddresses: ["127.0.0.1:0"],
      uiDir,
      routePrefix: "/pg",
      telemetryPath: "/m",
      enableAdminApi: true,
      enableLifecycle: true,
    });
    port = pg.ports[0]!;
    void pg.quit.then(() => {
      quit = true;
    });
  });
  after(async () => {
    await pg.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it("serves under the route prefix only", async () => {
    assert.equal((await send(port, { method: "PUT", path: "/pg/metrics/job/a", body: "x 1\n" })).status, 200);
    assert.equal((await send(port, { method: "PUT", path: "/metrics/job/a", body: "x 1\n" })).status, 404);
    assert.equal((await send(port, { method: "GET", path: "/pg/-/healthy" })).status, 200);
    assert.equal((await send(port, { method: "GET", path: "/pg/api/v1/status" })).status, 200);
  });

  it("serves the telemetry path in text, gzip and protobuf", async () => {
    const text = await send(port, { method: "GET", path: "/pg/m" });
    assert.equal(
      text.headers["content-type"],
      "text/plain; version=0.0.4; charset=utf-8; escaping=underscores",
    );
    assert.match(text.body.toString(), /^x\{instance="",job="a"\} 1$/m);
    assert.match(
      text.body.toString(),
      /^pushgateway_http_requests_total\{code="200",handler="push",method="put"\} 1$/m,
    );
    assert.match(text.body.toString(), /^pushgateway_http_push_size_bytes_count\{method="put"\} 1$/m);
    assert.match(text.body.toString(), /^pushgateway_build_info\{/m);
    assert.match(text.body.toString(), /^process_cpu_seconds_total /m);

    const gz = await send(port, { method: "GET", path: "/pg/m", headers: { "Accept-Encoding": "gzip" } });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.match(gunzipSync(gz.body).toString(), /^x\{instance="",job="a"\} 1$/m);

    const pb = await send(port, {
      method: "GET",
      path: "/pg/m",
      headers: {
        Accept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
      },
    });
    assert.match(
      String(pb.headers["content-type"]),
      /^application\/vnd\.google\.protobuf; proto=io\.prometheus\.client\.MetricFamily; encoding=delimited/,
    );
    const families = decodeDelimited(new Uint8Array(pb.body));
    assert.equal(families.get("x")?.metrics.length, 1);
  });

  it("serves the web UI at / and /status based at the prefix, and its assets", async () => {
    for (const path of ["/pg/", "/pg/status"]) {
      const res = await send(port, { method: "GET", path });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.equal(res.body.toString(), UI_ENTRY.replace('<base href="/" />', '<base href="/pg/" />'));
    }
    const asset = await send(port, { method: "GET", path: "/pg/assets/pg-1.js" });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal((await send(port, { method: "GET", path: "/pg/assets/none.js" })).status, 404);
    assert.equal((await send(port, { method: "GET", path: "/pg/silences" })).status, 404);
  });

  it("refuses a body that is not gzip although it says so", async () => {
    const res = await send(port, {
      method: "POST",
      path: "/pg/metrics/job/a",
      body: "x 1\n",
      headers: { "Content-Encoding": "gzip" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.toString(), "gzip: invalid header\n");
  });

  it("wipes with the admin API", async () => {
    const res = await send(port, { method: "PUT", path: "/pg/api/v1/admin/wipe" });
    assert.equal(res.status, 202);
    assert.deepEqual(pg.store.groupList(), []);
  });

  it("quits with the lifecycle API after answering", async () => {
    const res = await send(port, { method: "PUT", path: "/pg/-/quit" });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "Requesting termination... Goodbye!");
    const deadline = Date.now() + 2000;
    while (!quit && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(quit, true);
  });
});

describe("web UI not built", () => {
  let pg: RunningPushgateway;
  before(async () => {
    pg = await startPushgateway({
      listenAddresses: ["127.0.0.1:0"],
      uiDir: join(tmpdir(), "vigil-no-such-ui"),
    });
  });
  after(() => pg.close());

  it("serves the plain HTML overview of the groups at / and /status", async () => {
    const port = pg.ports[0]!;
    assert.equal((await send(port, { method: "PUT", path: "/metrics/job/a", body: "x 1\n" })).status, 200);
    for (const path of ["/", "/status"]) {
      const res = await send(port, { method: "GET", path });
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.match(res.body.toString(), /<td>job="a"<\/td>/);
      assert.match(res.body.toString(), /x \(untyped, 1\)/);
    }
  });
});
