/**
 * Dashboard coverage for tests: for each metric a Grafana dashboard selects,
 * where it comes from in a Vigil deployment — one of Vigil's own sources
 * (server, node exporter, kube-state-metrics), the kubelet's cAdvisor
 * endpoint, a recording rule whose inputs are themselves covered — or a
 * cluster component Vigil does not replace (the kubelet's own `/metrics`,
 * the API server, the control plane), or nowhere (missing).
 *
 * A selector's `job` (and `metrics_path`) matchers say which scrape job, as
 * kube-prometheus names them, it reads; a name is looked up in that job's
 * source only, or in every source when the job is not a literal.
 */
import type { MetricFamily } from "../../exposition/types.ts";
import type { Expr } from "../../promql/parser/ast.ts";
import { children, parseExpr } from "../../promql/parser/index.ts";
import { REPORT_METRICS } from "../../scrape/append.ts";
import { dashboardPromQL } from "../../testing/dashboards.ts";

/** The metric names one source exposes, by source name. */
export type Sources = ReadonlyMap<string, ReadonlySet<string>>;

/** Recording rules: every `expr` recorded under each name (files may define a name more than once). */
export type RecordingRules = ReadonlyMap<string, readonly string[]>;

/** The sample names of families: `_bucket`/`_sum`/`_count` for histograms, `_sum`/`_count` for summaries. */
export function exposedNames(families: readonly MetricFamily[]): Set<string> {
  const out = new Set<string>();
  for (const f of families) {
    out.add(f.name);
    for (const s of f.samples) out.add(s.name);
    const suffixes =
      f.type === "histogram" || f.type === "gaugehistogram"
        ? ["_bucket", "_sum", "_count"]
        : f.type === "summary"
          ? ["_sum", "_count"]
          : [];
    for (const s of suffixes) out.add(f.name + s);
  }
  return out;
}

/** Which source serves a kube-prometheus scrape job; undefined: any. */
export const JOB_SOURCES: Readonly<Record<string, string>> = {
  "kube-state-metrics": "kube-state-metrics",
  "node-exporter": "node exporter",
  "prometheus-k8s": "vigil server",
  kubelet: "cAdvisor",
};

/** Jobs (and the kubelet's own path) served by components Vigil does not replace, with the reason. */
export const CLUSTER_JOBS: Readonly<Record<string, string>> = {
  "kubelet /metrics": "the kubelet's own metrics (job kubelet, /metrics); Vigil does not replace the kubelet",
  "kubelet /metrics/probes": "the kubelet's probe metrics; Vigil does not replace the kubelet",
  "kubelet /metrics/resource": "the kubelet's resource metrics; Vigil does not replace the kubelet",
  apiserver: "kube-apiserver's own metrics; Vigil does not replace the API server",
  "kube-scheduler": "kube-scheduler's own metrics (control plane)",
  "kube-controller-manager": "kube-controller-manager's own metrics (control plane)",
  "kube-proxy": "kube-proxy's own metrics",
  coredns: "CoreDNS' own metrics",
};

/** Where one name (selected with one job) comes from. */
export type Origin =
  | { readonly kind: "covered"; readonly source: string }
  | { readonly kind: "cluster"; readonly reason: string }
  | { readonly kind: "missing"; readonly why: string };

/** One dashboard's names by origin; names are `name` or `name{job}` when the job decided. */
export interface Coverage {
  readonly covered: Map<string, string>;
  readonly cluster: Map<string, string>;
  readonly missing: Map<string, string>;
}

interface Selected {
  readonly name: string;
  readonly job?: string;
  readonly path?: string;
}

function literal(v: string | undefined): string | undefined {
  return v === undefined || v.includes("$") ? undefined : v;
}

/** Names selected in `e` with their literal `job` and `metrics_path` equality matchers. */
export function selections(e: Expr): Selected[] {
  const out: Selected[] = [];
  const walk = (node: Expr): void => {
    if (node.type === "VectorSelector") {
      const eq = (label: string) => node.matchers.find((m) => m.name === label && m.type === "=")?.value;
      const name = node.name || eq("__name__");
      if (name) out.push({ name, job: literal(eq("job")), path: literal(eq("metrics_path")) });
    }
    for (const child of children(node)) walk(child);
  };
  walk(e);
  return out;
}

/** Classifies names against sources and recording rules. */
export class CoverageChecker {
  readonly #sources: Sources;
  readonly #rules: RecordingRules;
  readonly #ruleMemo = new Map<string, Origin>();

  constructor(sources: Sources, rules: RecordingRules) {
    this.#sources = sources;
    this.#rules = rules;
  }

  /** Where `s` comes from. */
  origin(s: Selected): Origin {
    if ((REPORT_METRICS as readonly string[]).includes(s.name))
      return { kind: "covered", source: "vigil server (scrape report series)" };
    const cluster =
      s.job === "kubelet" && s.path !== "/metrics/cadvisor"
        ? CLUSTER_JOBS[`kubelet ${s.path ?? "/metrics"}`]
        : s.job === undefined
          ? undefined
          : CLUSTER_JOBS[s.job];
    if (cluster !== undefined) return { kind: "cluster", reason: cluster };
    const only = s.job === undefined ? undefined : JOB_SOURCES[s.job];
    for (const [source, names] of this.#sources) {
      if ((only === undefined || only === source) && names.has(s.name)) return { kind: "covered", source };
    }
    if (this.#rules.has(s.name)) return this.#rule(s.name);
    return {
      kind: "missing",
      why: only === undefined ? "exposed by no source" : `not exposed by ${only} (job ${s.job})`,
    };
  }

  /** A recorded name is covered when one of its definitions has no missing input. */
  #rule(name: string): Origin {
    const memo = this.#ruleMemo.get(name);
    if (memo !== undefined) return memo;
    this.#ruleMemo.set(name, { kind: "missing", why: "recording rule cycle" });
    let result: Origin = { kind: "missing", why: "no definition" };
    for (const expr of this.#rules.get(name) ?? []) {
      const inputs = selections(parseExpr(expr)).map((s) => ({ s, o: this.origin(s) }));
      const missing = inputs.filter((x) => x.o.kind === "missing").map((x) => x.s.name);
      if (missing.length === 0) {
        const via = [...new Set(inputs.map((x) => (x.o.kind === "covered" ? x.o.source : "cluster")))];
        result = { kind: "covered", source: `recording rule (inputs: ${via.sort().join(", ")})` };
        break;
      }
      result = { kind: "missing", why: `recording rule input missing: ${[...new Set(missing)].join(", ")}` };
    }
    this.#ruleMemo.set(name, result);
    return result;
  }

  /** The coverage of a dashboard's queries (Grafana variables replaced as `dashboardPromQL` does). */
  dashboard(queries: readonly string[]): Coverage {
    const cov: Coverage = { covered: new Map(), cluster: new Map(), missing: new Map() };
    for (const q of queries) {
      const promql = dashboardPromQL(q);
      if (promql === undefined) continue;
      for (const s of selections(parseExpr(promql))) {
        const o = this.origin(s);
        const key = o.kind === "cluster" ? `${s.name}{job="${s.job}"}` : s.name;
        if (o.kind === "covered") cov.covered.set(key, o.source);
        else if (o.kind === "cluster") cov.cluster.set(key, o.reason);
        else cov.missing.set(key, o.why);
      }
    }
    return cov;
  }
}
