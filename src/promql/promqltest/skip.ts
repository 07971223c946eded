/**
 * Which evals touch native histograms (skipped until the storage and engine
 * support them): those expecting a `{{…}}` value, and those with a selector
 * matching a series that holds histogram samples at that point of the script.
 * Selectors are taken from the parsed query and matched with their real
 * matchers against the loaded label sets.
 */
import type { Labels } from "../../model/labels/labels.ts";
import type { Expr, VectorSelector } from "../parser/ast.ts";
import type { EvalCmd } from "./script.ts";

/** Every vector selector in the query, including those under range selectors and subqueries. */
export function vectorSelectors(e: Expr, out: VectorSelector[] = []): VectorSelector[] {
  switch (e.type) {
    case "VectorSelector":
      out.push(e);
      break;
    case "MatrixSelector":
      out.push(e.selector);
      break;
    case "Call":
      for (const a of e.args) vectorSelectors(a, out);
      break;
    case "AggregateExpr":
      vectorSelectors(e.expr, out);
      if (e.param !== null) vectorSelectors(e.param, out);
      break;
    case "BinaryExpr":
      vectorSelectors(e.lhs, out);
      vectorSelectors(e.rhs, out);
      break;
    case "ParenExpr":
    case "UnaryExpr":
    case "SubqueryExpr":
    case "StepInvariantExpr":
      vectorSelectors(e.expr, out);
      break;
    case "NumberLiteral":
    case "StringLiteral":
      break;
  }
  return out;
}

/** Whether the selector's matchers all accept the label set. */
export function selects(vs: VectorSelector, labels: Labels): boolean {
  for (const m of vs.matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}

/** Why an eval is skipped, or null when it runs. */
export function histogramSkipReason(
  ev: EvalCmd,
  expr: Expr,
  histogramSeries: Iterable<Labels>,
): string | null {
  if (ev.expectsHistograms) return "expects native histogram values";
  const sels = vectorSelectors(expr);
  for (const l of histogramSeries) {
    for (const vs of sels) if (selects(vs, l)) return `selects native histogram series ${l}`;
  }
  return null;
}
