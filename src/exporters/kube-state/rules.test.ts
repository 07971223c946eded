/**
 * kube-prometheus' rules (kubernetes-mixin, kube-state-metrics) evaluate
 * without errors on Vigil's kube-state-metrics output for the shared
 * fixtures, and the alerts the fixtures are built to trigger do fire.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFamilies } from "../../exposition/families.ts";
import { writeFamilies } from "../../exposition/writer.ts";
import { LabelsBuilder } from "../../model/labels/labels.ts";
import { Engine } from "../../promql/engine.ts";
import { parseRules } from "../../rules/rulefmt/parse.ts";
import type { Queryable } from "../../storage/interface.ts";
import { Head } from "../../tsdb/head/head.ts";
import { RangeHead } from "../../tsdb/head/reader.ts";
import { BlockQuerier } from "../../tsdb/querier.ts";
import { KubeStateExporter } from "./exporter.ts";
import { RESOURCES } from "./registry.ts";
import { Telemetry } from "./telemetry.ts";
import { FIXTURE_API_DIR, fixtureItems } from "./testing.ts";

const RULES_DIR = fileURLToPath(
  new URL("../../../../shared/fixtures/rules/kube-prometheus/", import.meta.url),
);
const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));
const FILES = ["kubernetes-mixin.rules.yaml", "kube-state-metrics.rules.yaml"];
const STEP_MS = 30_000;
const END_MS = 30 * 60_000;

/** Vigil's output for every implemented resource, plus the telemetry port's families. */
function exposition(): { main: string; telemetry: string } {
  const exporter = new KubeStateExporter({
    resources: [...RESOURCES.values()],
    labelsAllowList: new Map([["*", ["*"]]]),
    annotationsAllowList: new Map(),
  });
  for (const [name, store] of exporter.stores) {
    const local = `${TESTDATA}${name}.json`;
    store.replace(existsSync(local) ? JSON.parse(readFileSync(local, "utf8")).items : fixtureItems(name));
  }
  const telemetry = new Telemetry();
  for (const def of exporter.resources) {
    telemetry.list(def, "success");
    telemetry.watch(def, "success");
  }
  return { main: exporter.write(), telemetry: writeFamilies(telemetry.families(), "prometheus-text") };
}

/** A head holding both bodies as scraped by kube-prometheus' job every 30s for 30 minutes. */
function scrapedHead(bodies: readonly [string, string][]): Head {
  const head = new Head({ chunkRange: 24 * 3600_000 });
  const app = head.appender();
  for (const [body, instance] of bodies) {
    for (const family of parseFamilies(Buffer.from(body), "prometheus-text")) {
      for (const s of family.samples) {
        const labels = new LabelsBuilder(s.labels)
          .set("__name__", s.name)
          .set("job", "kube-state-metrics")
          .set("instance", instance)
          .labels();
        let ref = 0;
        for (let t = 0; t <= END_MS; t += STEP_MS) ref = app.append(ref, labels, t, s.value);
      }
    }
  }
  app.commit();
  return head;
}

interface Outcome {
  readonly name: string;
  readonly error?: string;
  readonly results: number;
}

describe("kubernetes-mixin rules on kube-state-metrics output", {
  skip: (!existsSync(RULES_DIR) || !existsSync(FIXTURE_API_DIR)) && "no fixtures",
}, () => {
  const outcomes: Outcome[] = [];

  it("evaluates every rule without error", { timeout: 120_000 }, async (t) => {
    const { main, telemetry } = exposition();
    const head = scrapedHead([
      [main, "10.244.0.9:8080"],
      [telemetry, "10.244.0.9:8081"],
    ]);
    const queryable: Queryable = {
      querier: (mint, maxt) => new BlockQuerier(new RangeHead(head, mint, maxt), mint, maxt),
    };
    const engine = new Engine();
    for (const file of FILES) {
      const parsed = parseRules(readFileSync(`${RULES_DIR}${file}`, "utf8"));
      assert.ok(parsed.ok, `${file}: ${parsed.ok ? "" : parsed.errors.join("; ")}`);
      for (const group of parsed.groups.groups) {
        for (const rule of group.rules) {
          const name = rule.record || rule.alert;
          try {
            const r = await engine.instantQuery(queryable, rule.expr, END_MS);
            const samples = r.value.type === "vector" ? r.value.samples : [];
            outcomes.push({ name, results: samples.length });
            if (rule.record !== "" && samples.length > 0) {
              // Recording results feed later rules, as in a real rule group.
              const app = head.appender();
              for (const s of samples) {
                const b = new LabelsBuilder(s.metric).set("__name__", rule.record);
                for (const [k, v] of Object.entries(rule.labels)) b.set(k, v);
                for (let ts = 0; ts <= END_MS; ts += STEP_MS) app.append(0, b.labels(), ts, s.f);
              }
              app.commit();
            }
          } catch (err) {
            outcomes.push({ name, error: (err as Error).message, results: 0 });
          }
        }
      }
    }
    const failed = outcomes.filter((o) => o.error !== undefined);
    t.diagnostic(`${outcomes.length} rules; with results: ${outcomes.filter((o) => o.results > 0).length}`);
    t.diagnostic(
      `with results: ${outcomes
        .filter((o) => o.results > 0)
        .map((o) => o.name)
        .join(", ")}`,
    );
    assert.deepEqual(failed, []);
    assert.ok(outcomes.length > 100, `only ${outcomes.length} rules`);
  });

  const firing: readonly string[] = [
    "KubePodCrashLooping",
    "KubePodNotReady",
    "KubeNodeNotReady",
    "KubeNodeUnreachable",
    "KubeJobFailed",
    "KubeDaemonSetRolloutStuck",
    "namespace_workload_pod:kube_pod_owner:relabel",
    "cluster:namespace:pod_cpu:active:kube_pod_container_resource_requests",
    "cluster:namespace:pod_memory:active:kube_pod_container_resource_requests",
    "namespace_memory:kube_pod_container_resource_requests:sum",
  ];
  for (const name of firing) {
    it(`${name} has results on the fixtures`, () => {
      const o = outcomes.filter((x) => x.name === name);
      assert.ok(o.length > 0, `rule ${name} not found`);
      assert.ok(
        o.some((x) => x.results > 0),
        `${name}: no results`,
      );
    });
  }
});
