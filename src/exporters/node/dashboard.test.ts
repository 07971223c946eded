/**
 * The "Node Exporter Full" dashboard (grafana.com 1860, in the shared
 * fixtures) must find its metrics in Vigil's output: every metric name its
 * PromQL selects (panel targets and template variable queries) is exposed by
 * `vigil node-exporter` on this machine. A name may only be missing when the
 * reference node_exporter (default collectors) does not expose it here either.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFamilies } from "../../exposition/families.ts";
import { nopLogger } from "../../log/log.ts";
import { dashboardQueries, queriedMetricNames } from "../../testing/dashboards.ts";
import { NodeCollector } from "./node_collector.ts";
import { IMPLEMENTED } from "./registry.ts";
import { FIXTURE_PATHS, FIXTURE_SETTINGS } from "./testing/fixture.ts";
import {
  type ExporterProcess,
  referenceAvailable,
  scrape,
  startReference,
  startVigil,
} from "./testing/procs.ts";

const DASHBOARD = fileURLToPath(
  new URL("../../../../shared/fixtures/grafana/dashboards/node-exporter-full.json", import.meta.url),
);

describe("Node Exporter Full dashboard", { skip: !existsSync(DASHBOARD) && "no grafana fixture" }, () => {
  const queries = existsSync(DASHBOARD) ? dashboardQueries(JSON.parse(readFileSync(DASHBOARD, "utf8"))) : [];

  it("parses every query and finds the metric names it selects", () => {
    assert.ok(queries.length > 200, `only ${queries.length} queries found`);
    const { names } = queriedMetricNames(queries);
    assert.ok(names.size > 150, `only ${names.size} metric names`);
    assert.ok(names.has("node_cpu_seconds_total"));
  });

  it("finds on the captured tree the metrics of hardware this machine lacks", async () => {
    const wanted = queriedMetricNames(queries).names;
    const hardware = [...wanted].filter((n) =>
      /^node_(hwmon|cooling_device|cpu_scaling|power_supply|schedstat|pressure_irq)/.test(n),
    );
    assert.ok(hardware.length >= 15, `only ${hardware.length} hardware metrics in the dashboard`);
    const collector = NodeCollector.create({
      paths: FIXTURE_PATHS,
      settings: FIXTURE_SETTINGS,
      enabled: IMPLEMENTED,
      logger: nopLogger,
    });
    const exposed = new Set((await collector.collect()).families.map((f) => f.name));
    assert.deepEqual(
      hardware.filter((n) => !exposed.has(n)),
      [],
    );
  });

  it("queries only metrics Vigil exposes, unless the reference lacks them too", {
    timeout: 60_000,
    skip: !referenceAvailable() && "no reference binary",
  }, async (t) => {
    const wanted = [...queriedMetricNames(queries).names].sort();
    const names = async (p: ExporterProcess): Promise<Set<string>> =>
      new Set(parseFamilies(Buffer.from(await scrape(p.url)), "prometheus-text").map((f) => f.name));
    const procs: ExporterProcess[] = [];
    t.after(() => Promise.all(procs.map((p) => p.stop())));
    // Both with their default collectors, as the dashboard's users run them.
    procs.push(await startVigil(["--log.level=error"]), await startReference(["--log.level=error"]));
    const [vigil, upstream] = await Promise.all(procs.map(names));
    assert.ok(vigil !== undefined && upstream !== undefined);

    const absentUpstreamToo = wanted.filter((n) => !vigil.has(n) && !upstream.has(n));
    const missing = wanted.filter((n) => !vigil.has(n) && upstream.has(n));
    t.diagnostic(
      `${wanted.length} metric names; exposed by Vigil: ${wanted.filter((n) => vigil.has(n)).length}`,
    );
    t.diagnostic(
      `not exposed by the reference on this machine either: ${absentUpstreamToo.join(", ") || "none"}`,
    );
    t.diagnostic(`missing: ${missing.join(", ") || "none"}`);
    assert.deepEqual(missing, []);
  });
});
