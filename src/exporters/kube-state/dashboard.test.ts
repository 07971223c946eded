/**
 * The kube-prometheus Kubernetes dashboards (shared fixtures) must find every
 * `kube_*` metric they query in Vigil's kube-state-metrics output. Names
 * other exporters provide (cAdvisor, kubelet, node exporter, API server) and
 * recording rules are listed separately, as not from kube-state-metrics.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFamilies } from "../../exposition/families.ts";
import { writeFamilies } from "../../exposition/writer.ts";
import type { Expr } from "../../promql/parser/ast.ts";
import { children, parseExpr } from "../../promql/parser/index.ts";
import { KubeStateExporter } from "./exporter.ts";
import { RESOURCES } from "./registry.ts";
import { Telemetry } from "./telemetry.ts";
import { FIXTURE_API_DIR } from "./testing.ts";

const DIR = fileURLToPath(new URL("../../../../shared/fixtures/grafana/dashboards/", import.meta.url));
const RULES_DIR = fileURLToPath(
  new URL("../../../../shared/fixtures/rules/kube-prometheus/", import.meta.url),
);
const DASHBOARDS = [
  "kube-prometheus-k8s-resources-cluster.json",
  "kube-prometheus-k8s-resources-namespace.json",
  "kube-prometheus-kubelet.json",
  "kube-prometheus-node-cluster-rsrc-use.json",
  "kube-prometheus-node-rsrc-use.json",
  "kube-prometheus-nodes.json",
];

/** Every PromQL string of a dashboard: panel targets and query template variables. */
function queries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const x of node) queries(x, out);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if ((key === "expr" || key === "query") && typeof value === "string") out.push(value);
      else if (key === "query" && value !== null && typeof value === "object" && "query" in value) {
        const q = (value as { query: unknown }).query;
        if (typeof q === "string") out.push(q);
      } else queries(value, out);
    }
  }
  return out.filter((q) => q.trim() !== "");
}

/** Grafana's `label_values(sel, label)` unwrapped and `$__…`/`$var` outside strings replaced so PromQL parses. */
function toPromQL(query: string): string | undefined {
  const lv = /^\s*label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(query);
  const q = lv === null ? query : lv[1]!;
  if (/^\s*label_values\(\s*[a-zA-Z_]+\s*\)\s*$/.test(query)) return undefined;
  return q.replace(/\$\{?__(rate_interval|interval|range)\}?/g, "5m").replace(/\[\$\{?\w+\}?\]/g, "[5m]");
}

function names(e: Expr, out: Set<string>): void {
  if (e.type === "VectorSelector") {
    const byMatcher = e.matchers.find((m) => m.name === "__name__" && m.type === "=")?.value;
    const name = e.name || byMatcher;
    if (name) out.add(name);
  }
  for (const c of children(e)) names(c, out);
}

describe("Kubernetes dashboards", {
  skip: (!existsSync(DIR) || !existsSync(FIXTURE_API_DIR)) && "no fixtures",
}, () => {
  it("find every kube_* metric they query in Vigil's kube-state-metrics output", (t) => {
    const wanted = new Set<string>();
    let count = 0;
    for (const file of DASHBOARDS) {
      for (const q of queries(JSON.parse(readFileSync(`${DIR}${file}`, "utf8")))) {
        const promql = toPromQL(q);
        if (promql === undefined) continue;
        names(parseExpr(promql), wanted);
        count++;
      }
    }
    assert.ok(count > 50, `only ${count} queries`);
    const exporter = new KubeStateExporter({
      resources: [...RESOURCES.values()],
      labelsAllowList: new Map(),
      annotationsAllowList: new Map(),
    });
    const exposed = new Set(
      [
        ...parseFamilies(Buffer.from(exporter.write()), "prometheus-text"),
        ...parseFamilies(
          Buffer.from(writeFamilies(new Telemetry().families(), "prometheus-text")),
          "prometheus-text",
        ),
      ].map((f) => f.name),
    );
    const sorted = [...wanted].sort();
    const kube = sorted.filter((n) => n.startsWith("kube_"));
    const recorded = sorted.filter((n) => n.includes(":"));
    const others = sorted.filter((n) => !n.startsWith("kube_") && !n.includes(":"));
    const rules = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => readFileSync(`${RULES_DIR}${f}`, "utf8"))
      .join("\n");
    const unknownRecords = recorded.filter((n) => !rules.includes(`record: ${n}`));
    t.diagnostic(`${count} queries, ${wanted.size} metric names, ${kube.length} kube_*: ${kube.join(", ")}`);
    t.diagnostic(`recording rules (kube-prometheus rule files): ${recorded.join(", ")}`);
    t.diagnostic(`not from kube-state-metrics: ${others.join(", ")}`);
    t.diagnostic(`recording rules in no kube-prometheus rule file: ${unknownRecords.join(", ") || "none"}`);
    assert.ok(kube.length >= 5, `only ${kube.length} kube_* names`);
    assert.deepEqual(unknownRecords, []);
    assert.deepEqual(
      kube.filter((n) => !exposed.has(n)),
      [],
    );
  });
});
