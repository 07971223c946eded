/**
 * The metric names a Grafana dashboard queries, for tests that check an
 * exporter exposes everything a fixture dashboard needs (node exporter,
 * kube-state-metrics).
 */
import type { Expr } from "../promql/parser/ast.ts";
import { children, parseExpr } from "../promql/parser/index.ts";

/** Template variable kinds that carry no PromQL. */
const NON_QUERY_VARIABLES = new Set(["datasource", "interval", "custom", "constant"]);

/** Every PromQL string in a dashboard: panel targets (nested rows too) and query template variables. */
export function dashboardQueries(dashboard: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const kind = (node as { type?: unknown }).type;
    if (typeof kind === "string" && NON_QUERY_VARIABLES.has(kind)) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === "expr" || key === "query") && typeof value === "string") out.push(value);
      else if (key === "query" && typeof value === "object" && value !== null && "query" in value) {
        const q = (value as { query: unknown }).query;
        if (typeof q === "string") out.push(q);
      } else walk(value);
    }
  };
  walk(dashboard);
  return out.filter((q) => q.trim() !== "");
}

/**
 * A dashboard query as PromQL: `label_values(selector, label)` unwrapped,
 * Grafana's interval variables (`$__rate_interval`, `$__interval`,
 * `$__range`, `$__auto_interval_*`) and `[$var]` ranges replaced by `5m`.
 * Undefined for `label_values(label)`, which selects no metric.
 */
export function dashboardPromQL(query: string): string | undefined {
  if (/^\s*label_values\(\s*[a-zA-Z_]+\s*\)\s*$/.test(query)) return undefined;
  const lv = /^\s*label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(query);
  const expr = lv === null ? query : lv[1]!;
  return expr
    .replace(/\$\{?__(rate_interval|interval|range|auto_interval_[a-z_]+)\}?/g, "5m")
    .replace(/\[\$\{?\w+\}?\]/g, "[5m]");
}

/** Metric names selected anywhere in an expression (the name, or an equality `__name__` matcher). */
export function selectedNames(e: Expr): string[] {
  const out: string[] = [];
  const walk = (node: Expr): void => {
    if (node.type === "VectorSelector") {
      const byMatcher = node.matchers.find((m) => m.name === "__name__" && m.type === "=")?.value;
      const name = node.name || byMatcher;
      if (name) out.push(name);
    }
    for (const child of children(node)) walk(child);
  };
  walk(e);
  return out;
}

/** The metric names `queries` select, and how many of them are PromQL; throws on a query that does not parse. */
export function queriedMetricNames(queries: readonly string[]): {
  readonly parsed: number;
  readonly names: Set<string>;
} {
  const names = new Set<string>();
  let parsed = 0;
  for (const q of queries) {
    const promql = dashboardPromQL(q);
    if (promql === undefined) continue;
    for (const n of selectedNames(parseExpr(promql))) names.add(n);
    parsed++;
  }
  return { parsed, names };
}
