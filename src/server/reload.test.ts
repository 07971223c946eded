/**
 * `vigil server`'s lifecycle, in process on 127.0.0.1:0: config reloads over
 * HTTP, SIGHUP and `Server.reload()` (a broken file keeps the running config
 * and says why, with file:line), startup with a broken config, `/-/quit`, and
 * the admin API behind `--web.enable-admin-api`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseFlags } from "../cli/flags.ts";
import { main } from "../cli/main.ts";
import { capture } from "../cli/testing.ts";
import { nopLogger } from "../log/log.ts";
import { SERVER_FLAGS, serverOptions } from "./flags.ts";
import { Server } from "./server.ts";
import { runServer, waitFor } from "./testing.ts";

/** A scrape target serving one gauge on 127.0.0.1. */
async function startTarget(): Promise<{ address: string; server: HttpServer }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    res.end("# TYPE test_metric gauge\ntest_metric 1\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { address: `127.0.0.1:${port}`, server };
}

function configYAML(target: string, jobs: readonly string[]): string {
  const scrape = jobs.map(
    (job) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  return `global:\n  scrape_interval: 200ms\nscrape_configs:\n${scrape.join("")}`;
}

/** Line 6 of this file is an unknown key: the error must name file:6. */
const BROKEN =
  "global:\n  scrape_interval: 200ms\nscrape_configs:\n  - job_name: one\n    static_configs: []\n    bogus_key: 1\n";

async function metric(url: string, name: string): Promise<string | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1];
}

async function activePools(url: string): Promise<string[]> {
  const r = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
    data: { activeTargets: { scrapePool: string; health: string }[] };
  };
  return r.data.activeTargets.filter((t) => t.health === "up").map((t) => t.scrapePool);
}

async function configText(url: string): Promise<string> {
  return ((await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } }).data
    .yaml;
}

/** How many `up` samples of `job` the server holds. */
async function upSamples(url: string, job: string): Promise<number> {
  const q = new URLSearchParams({ query: `count_over_time(up{job="${job}"}[1h])` });
  const r = (await (await fetch(`${url}/api/v1/query?${q}`)).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return Number(r.data.result[0]?.value[1] ?? 0);
}

describe("vigil server lifecycle", () => {
  let dir: string;
  let target: { address: string; server: HttpServer };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-reload-"));
    target = await startTarget();
  });
  after(() => {
    target.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reloads on POST /-/reload and SIGHUP; a broken file keeps the running config", {
    timeout: 30_000,
  }, async (t) => {
    const sub = mkdtempSync(join(dir, "http-"));
    const config = join(sub, "prometheus.yml");
    writeFileSync(config, configYAML(target.address, ["one"]));
    const run = await runServer(sub, config, "--web.enable-lifecycle");
    t.after(() => run.stop());
    await waitFor("job one up", async () =>
      (await activePools(run.url)).includes("one") ? true : undefined,
    );
    assert.equal(await metric(run.url, "prometheus_config_last_reload_successful"), "1");
    const before = await configText(run.url);

    writeFileSync(config, BROKEN);
    const bad = await fetch(`${run.url}/-/reload`, { method: "POST" });
    assert.equal(bad.status, 500);
    const reason = await bad.text();
    assert.match(reason, /^failed to reload config: couldn't load configuration \(--config\.file=".*"\): /);
    assert.match(reason, new RegExp(`${config.replaceAll(".", "\\.")}:6:\\d+: .*bogus_key`));
    assert.equal(await metric(run.url, "prometheus_config_last_reload_successful"), "0");
    assert.equal(await configText(run.url), before);
    const n = await upSamples(run.url, "one");
    await waitFor("scraping to continue", async () =>
      (await upSamples(run.url, "one")) > n + 2 ? true : undefined,
    );

    writeFileSync(config, configYAML(target.address, ["one", "two"]));
    const good = await fetch(`${run.url}/-/reload`, { method: "POST" });
    assert.equal(good.status, 200);
    assert.equal(await metric(run.url, "prometheus_config_last_reload_successful"), "1");
    assert.match(await configText(run.url), /job_name: two/);
    await waitFor("job two up", async () =>
      (await activePools(run.url)).includes("two") ? true : undefined,
    );

    // SIGHUP: the CLI's handler reloads (emitted, not sent: no real signal reaches the test runner).
    writeFileSync(config, configYAML(target.address, ["three"]));
    process.emit("SIGHUP", "SIGHUP");
    await waitFor("job three after SIGHUP", async () =>
      (await activePools(run.url)).join() === "three" ? true : undefined,
    );
    writeFileSync(config, BROKEN);
    process.emit("SIGHUP", "SIGHUP");
    await waitFor("reload error logged", () =>
      /level=ERROR .*msg="Error reloading config" err=.*:6:\d+: /.test(run.stderr.text()) ? true : undefined,
    );
    assert.equal(await metric(run.url, "prometheus_config_last_reload_successful"), "0");
    assert.match(await configText(run.url), /job_name: three/);

    const quit = await fetch(`${run.url}/-/quit`, { method: "POST" });
    assert.equal(quit.status, 200);
    assert.equal(await quit.text(), "Requesting termination... Goodbye!");
    assert.equal(await run.done, 0);
    assert.match(
      run.stderr.text(),
      /msg="Received termination request via web service, exiting gracefully\.\.\."/,
    );
    await assert.rejects(fetch(`${run.url}/-/healthy`));
  });

  it("answers 403 on /-/reload and /-/quit without --web.enable-lifecycle", {
    timeout: 15_000,
  }, async (t) => {
    const sub = mkdtempSync(join(dir, "nolifecycle-"));
    const config = join(sub, "prometheus.yml");
    writeFileSync(config, configYAML(target.address, ["one"]));
    const run = await runServer(sub, config);
    t.after(() => run.stop());
    for (const path of ["/-/reload", "/-/quit"]) {
      const r = await fetch(`${run.url}${path}`, { method: "POST" });
      assert.equal(r.status, 403, path);
      assert.equal(await r.text(), "Lifecycle API is not enabled.");
    }
    run.stop();
    assert.equal(await run.done, 0);
  });

  it("exits 2 at startup on a broken config, naming file:line, before touching storage", {
    timeout: 15_000,
  }, async () => {
    const sub = mkdtempSync(join(dir, "broken-"));
    const config = join(sub, "prometheus.yml");
    writeFileSync(config, BROKEN);
    const stderr = capture();
    const code = await main(
      [
        "server",
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(sub, "data")}`,
        "--web.listen-address=127.0.0.1:0",
      ],
      { stdout: capture(), stderr, signal: new AbortController().signal },
    );
    assert.equal(code, 2);
    assert.match(stderr.text(), /msg="Error loading config \(--config\.file=/);
    assert.match(
      stderr.text(),
      new RegExp(`level=ERROR .*${config.replaceAll(".", "\\.")}:6:\\d+: .*bogus_key`),
    );
    assert.equal(existsSync(join(sub, "data")), false, "storage untouched");
  });

  it("Server.reload() rejects with the reason and keeps the config; then applies a good one", {
    timeout: 15_000,
  }, async (t) => {
    const sub = mkdtempSync(join(dir, "api-"));
    const config = join(sub, "prometheus.yml");
    writeFileSync(config, configYAML(target.address, ["one"]));
    const args = [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(sub, "data")}`,
      "--web.listen-address=127.0.0.1:0",
    ];
    const server = await Server.start(serverOptions(parseFlags(SERVER_FLAGS, args), hostname()), nopLogger);
    t.after(() => server.close());
    const applied = server.reloader.current?.current.config;
    writeFileSync(config, BROKEN);
    await assert.rejects(server.reload(), /prometheus\.yml:6:\d+: .*bogus_key/);
    assert.equal(server.reloader.current?.current.config, applied);
    assert.equal(server.reloader.current?.lastSuccess, false);
    writeFileSync(config, configYAML(target.address, ["two"]));
    await server.reload();
    assert.deepEqual(
      server.reloader.current?.current.config.scrape_configs.map((c) => c.job_name),
      ["two"],
    );
    assert.equal(server.reloader.current?.lastSuccess, true);
  });

  describe("admin API", () => {
    it("answers 'admin APIs disabled' without --web.enable-admin-api", { timeout: 15_000 }, async (t) => {
      const sub = mkdtempSync(join(dir, "noadmin-"));
      const config = join(sub, "prometheus.yml");
      writeFileSync(config, configYAML(target.address, ["one"]));
      const run = await runServer(sub, config);
      t.after(() => run.stop());
      for (const path of ["delete_series?match[]=up", "clean_tombstones", "snapshot"]) {
        const r = await fetch(`${run.url}/api/v1/admin/tsdb/${path}`, { method: "POST" });
        assert.equal(r.status, 500, path);
        assert.deepEqual(await r.json(), {
          status: "error",
          errorType: "unavailable",
          error: "admin APIs disabled",
        });
      }
    });

    it("deletes series and takes snapshots with --web.enable-admin-api", { timeout: 20_000 }, async (t) => {
      const sub = mkdtempSync(join(dir, "admin-"));
      const config = join(sub, "prometheus.yml");
      writeFileSync(config, configYAML(target.address, ["one"]));
      const run = await runServer(sub, config, "--web.enable-admin-api");
      t.after(() => run.stop());
      await waitFor("samples", async () => ((await upSamples(run.url, "one")) >= 3 ? true : undefined));
      const at = (Date.now() / 1000).toFixed(3);
      const selected = async () => {
        const q = new URLSearchParams({ query: 'test_metric{job="one"}[1h]', time: at });
        const r = (await (await fetch(`${run.url}/api/v1/query?${q}`)).json()) as {
          data: { result: unknown[] };
        };
        return r.data.result.length;
      };
      assert.equal(await selected(), 1);
      const del = new URLSearchParams({ "match[]": 'test_metric{job="one"}', end: at });
      const r = await fetch(`${run.url}/api/v1/admin/tsdb/delete_series?${del}`, { method: "POST" });
      assert.equal(r.status, 204);
      assert.equal(await selected(), 0);
      assert.equal(
        (await fetch(`${run.url}/api/v1/admin/tsdb/clean_tombstones`, { method: "POST" })).status,
        204,
      );
      assert.equal(await selected(), 0);

      const snap = await fetch(`${run.url}/api/v1/admin/tsdb/snapshot`, { method: "POST" });
      assert.equal(snap.status, 200);
      const { data } = (await snap.json()) as { data: { name: string } };
      assert.match(data.name, /^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
      assert.ok(existsSync(join(sub, "data", "snapshots", data.name)));
    });
  });
});
