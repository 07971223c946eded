import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort } from "../../testing/net.ts";
import { main } from "../main.ts";
import { type Captured, capture } from "../testing.ts";

const BIN = fileURLToPath(new URL("../../../bin/vigil.mjs", import.meta.url));
const LISTENING = /msg="Listening on" component=web address=(127\.0\.0\.1:\d+)/;

/** Polls `probe` every 10 ms until it returns a value; fails after `ms`. */
async function waitFor<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Flags every test run gets: a throw-away data directory and a free node exporter port. */
async function isolation(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-start-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return [
    `--storage.tsdb.path=${dir}`,
    `--node-exporter.listen-address=127.0.0.1:${await freePort()}`,
    `--pushgateway.listen-address=127.0.0.1:${await freePort()}`,
    `--alertmanager.listen-address=127.0.0.1:${await freePort()}`,
    `--dashboards.listen-address=127.0.0.1:${await freePort()}`,
  ];
}

async function startInProcess(...args: string[]) {
  const stdout = capture();
  const stderr = capture();
  const controller = new AbortController();
  const done = main(["start", ...(await isolation()), ...args], {
    stdout,
    stderr,
    signal: controller.signal,
  });
  return { stdout, stderr, done, stop: () => controller.abort("SIGTERM") };
}

function listeningAddress(stderr: Captured): Promise<string> {
  return waitFor(() => LISTENING.exec(stderr.text())?.[1]);
}

describe("vigil start", () => {
  it("runs the server scraping itself and the node exporter on 127.0.0.1, then shuts down", {
    timeout: 20_000,
  }, async (t) => {
    const run = await startInProcess("--web.listen-address=127.0.0.1:0");
    t.after(() => run.stop());
    const address = await listeningAddress(run.stderr);
    await waitFor(() =>
      run.stderr.text().includes("Server is ready to receive web requests.") ? true : undefined,
    );

    const metrics = await fetch(`http://${address}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4; charset=utf-8/);
    const body = await metrics.text();
    assert.match(body, /^# TYPE process_start_time_seconds gauge$/m);
    assert.match(body, /^process_start_time_seconds \S+$/m);
    assert.match(body, /^prometheus_build_info\{.*version="\d+\.\d+\.\d+".*\} 1$/m);
    assert.match(body, /^prometheus_config_last_reload_successful 1$/m);

    const healthy = await fetch(`http://${address}/-/healthy`);
    assert.equal(healthy.status, 200);
    assert.equal(await healthy.text(), "Vigil is Healthy.\n");
    const ready = await fetch(`http://${address}/-/ready`);
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), "Vigil is Ready.\n");

    await waitFor(() => (run.stdout.text().includes("Not run by vigil start") ? true : undefined));
    assert.match(
      run.stdout.text(),
      new RegExp(`^ {2}server +http://${address.replaceAll(".", "\\.")} `, "m"),
    );
    assert.match(run.stdout.text(), /vigil kube-state-metrics +:8080 +\(upstream: kube-state-metrics\)/);
    const dash = /^ {2}dashboards +(http:\/\/127\.0\.0\.1:\d+) \(log in: admin \/ password in (\S+)\)$/m.exec(
      run.stdout.text(),
    );
    assert.ok(dash !== null, run.stdout.text());
    assert.equal((await fetch(`${dash[1]}/api/health`)).status, 200);
    const password = readFileSync(dash[2]!, "utf8").trim();
    assert.ok(password.length >= 20 && password !== "admin", "a generated admin password, not admin/admin");
    const login = await fetch(`${dash[1]}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "admin", password }),
    });
    assert.equal(login.status, 200);
    assert.doesNotMatch(run.stdout.text(), /vigil server +:9090/);
    assert.doesNotMatch(run.stdout.text(), /vigil alertmanager +:9093/);
    const am = /^ {2}alertmanager +(http:\/\/127\.0\.0\.1:\d+) /m.exec(run.stdout.text())?.[1];
    assert.ok(am !== undefined, run.stdout.text());
    assert.equal(await (await fetch(`${am}/-/ready`)).text(), "OK");
    assert.match(run.stdout.text(), /^ {2}alertmanager config +\S+vigil-start\/alertmanager\.yml$/m);
    const ams = (await (await fetch(`http://${address}/api/v1/alertmanagers`)).json()) as {
      data: { activeAlertmanagers: { url: string }[] };
    };
    assert.deepEqual(ams.data.activeAlertmanagers, [{ url: `${am}/api/v2/alerts` }]);
    const rules = (await (await fetch(`http://${address}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string }[] }[] };
    };
    assert.deepEqual(
      rules.data.groups.flatMap((g) => g.rules.map((r) => r.name)),
      ["InstanceDown", "TargetScrapeFailures", "ScrapeLimitsExceeded", "DiskAlmostFull", "HighMemoryUsage"],
    );

    const targets = (await (await fetch(`http://${address}/api/v1/targets`)).json()) as {
      data: { activeTargets: { labels: { job: string } }[] };
    };
    assert.deepEqual(targets.data.activeTargets.map((t) => t.labels.job).sort(), [
      "alertmanager",
      "node",
      "prometheus",
      "pushgateway",
    ]);

    run.stop();
    assert.equal(await run.done, 0);
    assert.match(
      run.stderr.text(),
      /msg="Received an OS signal, exiting gracefully\.\.\." signal=terminated/,
    );
    assert.match(run.stderr.text(), /msg="See you next time!"\n$/);
    await assert.rejects(fetch(`http://${address}/-/healthy`));
  });

  it("exits 1 with an error log when the address is taken", { timeout: 10_000 }, async (t) => {
    const blocker = createServer();
    t.after(() => blocker.close());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    const run = await startInProcess(`--web.listen-address=127.0.0.1:${port}`);
    assert.equal(await run.done, 1);
    assert.match(
      run.stderr.text(),
      /level=ERROR .*msg="Error starting server, exiting gracefully\.\.\." err=.*EADDRINUSE/,
    );
  });

  it("rejects a malformed listen address as a usage error", async () => {
    const run = await startInProcess("--web.listen-address=9090");
    assert.equal(await run.done, 2);
    assert.match(
      run.stderr.text(),
      /^vigil start: error: listen address "9090": missing port in address, try --help\n$/,
    );
  });

  const GO_NAMES = { SIGTERM: "terminated", SIGINT: "interrupt" } as const;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`the real process shuts down gracefully and exits 0 on ${signal}`, { timeout: 15_000 }, async () => {
      const child = spawn(
        process.execPath,
        [BIN, "start", ...(await isolation()), "--web.listen-address=127.0.0.1:0"],
        {
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      try {
        const address = await waitFor(() => LISTENING.exec(stderr)?.[1], 10_000);
        assert.equal((await fetch(`http://${address}/-/healthy`)).status, 200);
      } finally {
        child.kill(signal);
      }
      assert.equal(await exited, 0);
      assert.match(stderr, new RegExp(`level=WARN .*signal=${GO_NAMES[signal]}\n`));
      assert.match(stderr, /msg="See you next time!"\n$/);
    });
  }
});
