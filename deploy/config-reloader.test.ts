import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { nopLogger } from "../src/log/log.ts";
import { checksumDirs, parseInterval, runReloader } from "./config-reloader.ts";

/**
 * A directory laid out as the kubelet mounts a ConfigMap: the data in a
 * timestamped `..<version>` directory, `..data` pointing at it, and each
 * key a symlink through `..data`. `update` swaps `..data` atomically.
 */
function configMapDir(files: Record<string, string>): {
  dir: string;
  update(files: Record<string, string>): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "vigil-reloader-"));
  let version = 0;
  const update = (next: Record<string, string>): void => {
    const data = `..v${++version}`;
    mkdirSync(join(dir, data));
    for (const [k, v] of Object.entries(next)) writeFileSync(join(dir, data, k), v);
    symlinkSync(data, join(dir, "..data_tmp"));
    renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
  };
  update(files);
  for (const k of Object.keys(files)) symlinkSync(join("..data", k), join(dir, k));
  return { dir, update };
}

test("checksumDirs follows the ConfigMap symlinks and only sees a content change", async () => {
  const cm = configMapDir({ "prometheus.yml": "a: 1\n" });
  const first = await checksumDirs([cm.dir]);
  cm.update({ "prometheus.yml": "a: 1\n" }); // a new ..data with the same content
  assert.equal(await checksumDirs([cm.dir]), first);
  cm.update({ "prometheus.yml": "a: 2\n" });
  assert.notEqual(await checksumDirs([cm.dir]), first);
  assert.equal(await checksumDirs([join(cm.dir, "missing")]), await checksumDirs([]));
});

test("parseInterval", () => {
  for (const [text, ms] of [
    ["10s", 10_000],
    ["500ms", 500],
    ["1m", 60_000],
  ] as const) {
    assert.equal(parseInterval(text), ms);
  }
  assert.throws(() => parseInterval("10"), /invalid duration "10"/);
});

test("a changed file triggers one reload, a refused reload is retried", async () => {
  const cm = configMapDir({ "alertmanager.yml": "route: {}\n" });
  const statuses = [500, 200];
  let posts = 0;
  const server = createServer((req, res) => {
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/-/reload");
    posts++;
    res.writeHead(statuses.shift() ?? 200).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  const stop = new AbortController();
  const running = runReloader({
    dirs: [cm.dir],
    reloadUrl: `http://127.0.0.1:${port}/-/reload`,
    intervalMs: 20,
    logger: nopLogger,
    signal: stop.signal,
  });
  try {
    await sleep(100);
    assert.equal(posts, 0, "no reload without a change");
    cm.update({ "alertmanager.yml": "route: {receiver: x}\n" });
    const deadline = Date.now() + 5000;
    while (posts < 2 && Date.now() < deadline) await sleep(10);
    await sleep(100);
    assert.equal(posts, 2, "the 500 is retried once, then nothing more");
  } finally {
    stop.abort();
    server.close();
  }
  assert.equal(await running, 1);
});
