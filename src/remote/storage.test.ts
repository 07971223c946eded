import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { loadConfig } from "../config/config.ts";
import { newLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { configHash, RemoteStorage } from "./storage.ts";

const quiet = newLogger({ write: () => {} });

const cfg = (body: string) => loadConfig(body, "t.yml", ".").config;

describe("remote storage", () => {
  it("hashes configs with relabel rules stably, and the external labels count", () => {
    const a = cfg(
      "remote_write: [{url: 'http://a/', write_relabel_configs: [{source_labels: [x], regex: 'a.*', action: drop}]}]",
    );
    const b = cfg(
      "remote_write: [{url: 'http://a/', write_relabel_configs: [{source_labels: [x], regex: 'a.*', action: drop}]}]",
    );
    const h = configHash(a.remote_write[0], Labels.EMPTY);
    assert.equal(h, configHash(b.remote_write[0], Labels.EMPTY));
    assert.notEqual(h, configHash(a.remote_write[0], Labels.fromStrings("replica", "x")));
  });

  it("keeps unchanged queues across reloads and names unnamed ones by hash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-rs-"));
    const registry = new Registry();
    const rs = new RemoteStorage({ tsdbPath: dir, registry, logger: quiet, localStartTime: () => 0 });
    try {
      await rs.applyConfig(
        cfg("remote_write: [{url: 'http://127.0.0.1:9/a'}, {url: 'http://127.0.0.1:9/b', name: bee}]"),
      );
      const names = async () =>
        ((await registry.getSingleMetric("prometheus_remote_storage_shards")?.get())?.values ?? [])
          .map((v) => String(v.labels.remote_name))
          .sort();
      const first = await names();
      assert.equal(first.length, 2);
      assert.ok(first.includes("bee"));
      assert.ok(first.some((n) => /^[0-9a-f]{6}$/.test(n)));
      const queues = () => [...(rs as unknown as { queues: Map<string, unknown> }).queues.values()];
      const before = queues();
      await rs.applyConfig(
        cfg("remote_write: [{url: 'http://127.0.0.1:9/b', name: bee}, {url: 'http://127.0.0.1:9/c'}]"),
      );
      const after = queues();
      assert.equal(after.length, 2);
      assert.ok(after.includes(before[1]), "the unchanged queue is kept");
      assert.ok(!after.includes(before[0]), "the removed queue is gone");
    } finally {
      await rs.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without remote_read, the queryable is the local one's querier", async () => {
    const rs = new RemoteStorage({
      tsdbPath: "/nonexistent",
      registry: new Registry(),
      logger: quiet,
      localStartTime: () => 0,
    });
    const local = { querier: () => ({ marker: true }) as never };
    await rs.applyConfig(cfg("{}"));
    assert.deepEqual(rs.queryable(local).querier(0, 1), { marker: true });
  });

  it("exports the in-flight gauge of each remote_read, named by `name` or the first 6 hex digits of its hash", async () => {
    const registry = new Registry();
    const rs = new RemoteStorage({
      tsdbPath: "/nonexistent",
      registry,
      logger: quiet,
      localStartTime: () => 0,
    });
    try {
      await rs.applyConfig(
        cfg("remote_read: [{url: 'http://127.0.0.1:9/a'}, {url: 'http://127.0.0.1:9/b', name: bee}]"),
      );
      const got = (
        (await registry.getSingleMetric("prometheus_remote_read_client_queries")?.get())?.values ?? []
      )
        .map((v) => `${v.labels.remote_name} ${v.labels.url} ${v.value}`)
        .sort();
      assert.equal(got.length, 2);
      assert.ok(got.includes("bee http://127.0.0.1:9/b 0"), got.join());
      assert.ok(
        got.some((g) => /^[0-9a-f]{6} http:\/\/127\.0\.0\.1:9\/a 0$/.test(g)),
        got.join(),
      );
    } finally {
      await rs.close();
    }
  });
});
