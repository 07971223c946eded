import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import type { Config, ScrapeConfig } from "../config/types.ts";
import type { TargetGroup } from "../discovery/discovery.ts";
import { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { isStaleNaN } from "../model/value/value.ts";
import { RelabelRegex } from "../relabel/relabel.ts";
import { DB } from "../tsdb/db.ts";
import { offsetSeed, ScrapeManager } from "./manager.ts";
import { FakeAppendable, scrapeConfig, testServer, waitFor } from "./testing.ts";

const BODY = "# HELP a_total A counter.\n# TYPE a_total counter\na_total 1\nb 2\n";

function config(...jobs: ScrapeConfig[]): Config {
  return { global: { external_labels: {} }, scrape_configs: jobs } as unknown as Config;
}

function job(name: string, over: Partial<ScrapeConfig> = {}): ScrapeConfig {
  return scrapeConfig({ job_name: name, scrape_interval: 100, scrape_timeout: 80, ...over });
}

function group(...addresses: string[]): TargetGroup[] {
  return [{ source: "0", labels: {}, targets: addresses.map((a) => ({ __address__: a })) }];
}

/** The value of `name` (a sample name: `_count` of a summary works) with the given labels, NaN when absent. */
async function metricValue(
  reg: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const family = reg.getSingleMetric(name) ?? reg.getSingleMetric(name.replace(/_count$/, ""));
  const m = await family?.get();
  const v = m?.values.find(
    (x) =>
      ((x as { metricName?: string }).metricName ?? m.name) === name &&
      Object.entries(labels).every(([k, val]) => String(x.labels[k]) === val),
  );
  return v?.value ?? Number.NaN;
}

describe("ScrapeManager", () => {
  let srv: Awaited<ReturnType<typeof testServer>>;
  let body = BODY;
  before(async () => {
    srv = await testServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
      res.end(body);
    });
  });
  after(() => srv.close());

  function setup(opts: { skipOffsetting?: boolean } = {}) {
    const registry = new Registry();
    const db = new FakeAppendable();
    const m = new ScrapeManager({
      appendable: db,
      registry,
      skipOffsetting: opts.skipOffsetting ?? true,
      offsetSeed: 0,
    });
    return { registry, db, m };
  }

  it("scrapes targets, reports them up and keeps their metadata", async () => {
    const { m, db, registry } = setup();
    try {
      m.applyConfig(config(job("a")));
      await m.sync(new Map([["a", group(srv.address)]]));
      const up = `{__name__="up", instance="${srv.address}", job="a"}`;
      assert.ok(await waitFor(() => db.last(up) === 1), "up 1 stored");
      const [t] = m.targetsActive().get("a")!;
      assert.equal(t.health(), "up");
      assert.equal(t.lastError(), "");
      assert.ok(t.lastScrape() instanceof Date);
      assert.deepEqual(t.getMetadata("a_total"), {
        metric: "a_total",
        type: "counter",
        help: "A counter.",
        unit: "",
      });
      assert.equal(db.last(`{__name__="a_total", instance="${srv.address}", job="a"}`), 1);
      assert.equal(db.last(`{__name__="scrape_samples_scraped", instance="${srv.address}", job="a"}`), 2);
      assert.deepEqual(m.scrapePools(), ["a"]);
      assert.equal(
        await metricValue(registry, "prometheus_target_scrape_pool_targets", { scrape_job: "a" }),
        1,
      );
      assert.equal(await metricValue(registry, "prometheus_target_scrape_pools_total"), 1);
      assert.equal(
        await metricValue(registry, "prometheus_target_metadata_cache_entries", { scrape_job: "a" }),
        1,
      );
      assert.ok(await waitFor(() => db.samples(up).length >= 3));
      const intervals = await metricValue(registry, "prometheus_target_interval_length_seconds_count", {
        interval: "100ms",
      });
      assert.ok(intervals >= 2, `interval length observed (${intervals})`);
    } finally {
      await m.stop();
    }
  });

  it("marks a target down with Go's error text when nothing listens", async () => {
    const closed = await testServer(() => {});
    const addr = closed.address;
    await closed.close();
    const { m, db } = setup();
    try {
      m.applyConfig(config(job("down")));
      await m.sync(new Map([["down", group(addr)]]));
      const up = `{__name__="up", instance="${addr}", job="down"}`;
      assert.ok(await waitFor(() => db.last(up) === 0));
      const [t] = m.targetsActive().get("down")!;
      assert.equal(t.health(), "down");
      assert.equal(
        t.lastError(),
        `Get "http://${addr}/metrics": dial tcp ${addr}: connect: connection refused`,
      );
    } finally {
      await m.stop();
    }
  });

  it("keeps dropped targets up to keep_dropped_targets and counts them all", async () => {
    const { m } = setup();
    const dropAll = {
      source_labels: ["__address__"],
      separator: ";",
      regex: new RelabelRegex("drop.*"),
      modulus: 0,
      target_label: "",
      replacement: "$1",
      action: "drop" as const,
    };
    try {
      m.applyConfig(config(job("d", { relabel_configs: [dropAll], keep_dropped_targets: 2 })));
      await m.sync(new Map([["d", group("drop1:1", "drop2:1", "drop3:1", srv.address)]]));
      assert.equal(m.targetsActive().get("d")!.length, 1);
      assert.equal(m.targetsDropped().get("d")!.length, 2);
      assert.equal(m.droppedTargetCounts().get("d"), 3);
      assert.equal(m.targetsDropped().get("d")![0].discoveredLabels().get("__address__"), "drop1:1");
      assert.equal(m.targetsAll().get("d")!.length, 3);
    } finally {
      await m.stop();
    }
  });

  it("fails every target of a pool over target_limit", async () => {
    const { m, db, registry } = setup();
    try {
      m.applyConfig(config(job("lim", { target_limit: 1 })));
      await m.sync(new Map([["lim", group(srv.address, `localhost:${srv.address.split(":")[1]}`)]]));
      const targets = m.targetsActive().get("lim")!;
      assert.equal(targets.length, 2);
      assert.ok(await waitFor(() => targets.every((t) => t.health() === "down")));
      for (const t of targets)
        assert.equal(t.lastError(), "target_limit exceeded (number of targets: 2, limit: 1)");
      assert.equal(db.last(`{__name__="up", instance="${srv.address}", job="lim"}`), 0);
      assert.ok(
        (await metricValue(registry, "prometheus_target_scrape_pool_exceeded_target_limit_total")) >= 1,
      );
    } finally {
      await m.stop();
    }
  });

  it("writes staleness markers about two intervals after a target disappears", async () => {
    const { m, db } = setup();
    try {
      m.applyConfig(config(job("s")));
      await m.sync(new Map([["s", group(srv.address)]]));
      const a = `{__name__="a_total", instance="${srv.address}", job="s"}`;
      const up = `{__name__="up", instance="${srv.address}", job="s"}`;
      assert.ok(await waitFor(() => db.last(a) === 1));
      const removedAt = Date.now();
      await m.sync(new Map([["s", []]]));
      assert.equal(m.targetsActive().get("s")!.length, 0);
      assert.ok(await waitFor(() => db.isStale(a) && db.isStale(up), 3000), "series and report series stale");
      assert.ok(Date.now() - removedAt >= 150, "not before the target had a chance to come back");
    } finally {
      await m.stop();
    }
  });

  it("writes staleness markers for series that vanish between scrapes", async () => {
    const { m, db } = setup();
    body = BODY;
    try {
      m.applyConfig(config(job("v")));
      await m.sync(new Map([["v", group(srv.address)]]));
      const b = `{__name__="b", instance="${srv.address}", job="v"}`;
      assert.ok(await waitFor(() => db.last(b) === 2));
      body = "a_total 1\n";
      assert.ok(await waitFor(() => db.isStale(b)));
    } finally {
      body = BODY;
      await m.stop();
    }
  });

  it("reloads changed pools, stops removed ones and refuses a config it cannot apply", async () => {
    const { m, registry } = setup();
    try {
      m.applyConfig(config(job("r"), job("gone")));
      await m.sync(
        new Map([
          ["r", group(srv.address)],
          ["gone", group(srv.address)],
        ]),
      );
      assert.deepEqual(m.scrapePools(), ["gone", "r"]);
      m.applyConfig(config(job("r", { scrape_interval: 200 })));
      await m.settle();
      assert.deepEqual(m.scrapePools(), ["r"]);
      assert.equal(m.targetsActive().get("r")!.length, 1, "targets kept across a reload");
      assert.equal(await metricValue(registry, "prometheus_target_scrape_pool_reloads_total"), 1);
      const bad = job("r", { tls_config: { ca_file: "/nonexistent/ca.pem", insecure_skip_verify: false } });
      assert.throws(() => m.applyConfig(config(bad)), { message: "failed to apply the new configuration" });
      assert.equal(await metricValue(registry, "prometheus_target_scrape_pool_reloads_failed_total"), 1);
      assert.deepEqual(m.scrapePools(), ["r"]);
    } finally {
      await m.stop();
    }
  });

  it("skips target sets of unknown jobs until their config arrives", async () => {
    const { m } = setup();
    try {
      m.applyConfig(config(job("known")));
      await m.sync(new Map([["late", group(srv.address)]]));
      assert.deepEqual(m.scrapePools(), []);
      m.applyConfig(config(job("known"), job("late")));
      assert.deepEqual(m.scrapePools(), ["late"]);
      assert.equal(m.targetsActive().get("late")!.length, 1);
    } finally {
      await m.stop();
    }
  });

  it("relabels targets under a changed config at once", async () => {
    const { m } = setup();
    const addLabel = (value: string) => ({
      source_labels: [],
      separator: ";",
      regex: new RelabelRegex("(.*)"),
      modulus: 0,
      target_label: "team",
      replacement: value,
      action: "replace" as const,
    });
    try {
      m.applyConfig(config(job("rl", { relabel_configs: [addLabel("a")] })));
      await m.sync(new Map([["rl", group(srv.address)]]));
      assert.equal(m.targetsActive().get("rl")![0].labels().get("team"), "a");
      m.applyConfig(config(job("rl", { relabel_configs: [addLabel("b")] })));
      await m.settle();
      const targets = m.targetsActive().get("rl")!;
      assert.deepEqual(
        targets.map((t) => t.labels().get("team")),
        ["b"],
      );
      assert.ok(await waitFor(() => targets[0].health() === "up"), "the new target's loop runs");
    } finally {
      await m.stop();
    }
  });

  it("starts each target at its offset and timestamps scrapes on a regular grid", async () => {
    const { m, db } = setup({ skipOffsetting: false });
    try {
      m.applyConfig(config(job("g")));
      await m.sync(new Map([["g", group(srv.address)]]));
      const b = `{__name__="b", instance="${srv.address}", job="g"}`;
      assert.ok(await waitFor(() => db.samples(b).length >= 6));
      const ts = db.samples(b).map((s) => s.t);
      const [t] = m.targetsActive().get("g")!;
      // The grid is the target's offset within the interval. A scrape that starts more than the
      // tolerance (1 ms at 100 ms) late keeps its real time, as upstream's; on a loaded machine a
      // few may, so the test asks that most scrapes sit on the grid, not all.
      const phase = (ts[0] + t.offset(100, 0, ts[0])) % 100;
      const onGrid = ts.filter((x) => (((x - phase) % 100) + 100) % 100 === 0);
      assert.ok(
        onGrid.length >= ts.length / 2,
        `timestamps ${ts.map((x) => x % 1000)} mostly at phase ${phase}`,
      );
      for (let i = 1; i < onGrid.length; i++) assert.equal((onGrid[i]! - onGrid[i - 1]!) % 100, 0);
    } finally {
      await m.stop();
    }
  });

  it("appends into a real TSDB", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scrape-db-"));
    const db = DB.open(dir);
    const m = new ScrapeManager({ appendable: db, registry: new Registry(), skipOffsetting: true });
    try {
      m.applyConfig(config(job("db")));
      await m.sync(new Map([["db", group(srv.address)]]));
      const count = (): number => {
        const q = db.querier(0, Number.MAX_SAFE_INTEGER);
        const set = q.select(false, undefined, Matcher.create("=", "job", "db"));
        let n = 0;
        const names: string[] = [];
        while (set.next()) {
          const it = set.at().iterator();
          while (it.next()) n++;
          names.push(set.at().labels.metricName());
        }
        q.close();
        return names.includes("a_total") && names.includes("up") ? n : 0;
      };
      assert.ok(await waitFor(() => count() >= 14), "two scrapes stored: 2 samples + 5 report series each");
      await m.stop();
      const q = db.querier(0, Number.MAX_SAFE_INTEGER);
      const set = q.select(false, undefined, Matcher.create("=", "__name__", "up"));
      assert.ok(set.next());
      assert.ok(
        Labels.compare(
          set.at().labels,
          Labels.fromStrings("__name__", "up", "instance", srv.address, "job", "db"),
        ) === 0,
      );
      const it = set.at().iterator();
      let last = 0;
      while (it.next()) last = it.atV();
      assert.ok(!isStaleNaN(last), "no staleness markers on shutdown");
      q.close();
    } finally {
      await m.stop();
      await db.close();
      rmSync(dir, { recursive: true });
    }
  });
});

describe("offsetSeed", () => {
  it("differs between HA replicas and is stable for one", () => {
    const a = offsetSeed("host", { cluster: "c", replica: "a" });
    assert.equal(a, offsetSeed("host", { replica: "a", cluster: "c" }));
    assert.notEqual(a, offsetSeed("host", { cluster: "c", replica: "b" }));
    assert.notEqual(a, offsetSeed("other", { cluster: "c", replica: "a" }));
    assert.ok(Number.isSafeInteger(a) && a >= 0);
  });
});
