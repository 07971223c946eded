/**
 * The @-modifier variants upstream's runner evaluates for every instant eval:
 * the query with every selector and subquery pinned to the eval time, run at
 * other times, must give the same result. Pinning works on a copy of the AST:
 * a selector or subquery gets `@ t` unless it has an explicit `@ <time>`
 * (`@ start()`/`@ end()` are replaced: at the original instant they meant t),
 * and nothing below a subquery is touched. Queries calling a function whose
 * value depends on the evaluation time are not varied; as upstream, only
 * calls outside subqueries count, since a pinned subquery fixes their times.
 */
import type { Expr, VectorSelector } from "../parser/ast.ts";

/** Functions whose result changes with the evaluation time even for pinned arguments. */
export const AT_MODIFIER_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  "days_in_month",
  "day_of_month",
  "day_of_week",
  "day_of_year",
  "hour",
  "minute",
  "month",
  "year",
  "predict_linear",
  "time",
  "timestamp",
]);

export interface AtModifierVariants {
  /** The pinned copy of the query. */
  expr: Expr;
  /** Times (ms) to evaluate it at. */
  times: number[];
}

/** The variants for an instant eval at `t`, or null when the query must not be varied. */
export function atModifierVariants(expr: Expr, t: number): AtModifierVariants | null {
  const state = { unsafe: false, inSubquery: false };
  const pinned = pin(expr, t, state);
  if (state.unsafe) return null;
  // Go's integer division truncates.
  const times = t === 0 ? [-1000, 0, 1000] : [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
  return { expr: pinned, times };
}

interface PinState {
  unsafe: boolean;
  inSubquery: boolean;
}

/** A deep copy of `e`, for handing to an engine that may annotate the tree it is given. */
export function cloneExpr(e: Expr): Expr {
  return pin(e, 0, { unsafe: false, inSubquery: true });
}

function pinSelector(vs: VectorSelector, t: number, state: PinState): VectorSelector {
  if (state.inSubquery || (vs.at !== null && vs.at.kind === "time")) return { ...vs };
  return { ...vs, at: { kind: "time", ms: t } };
}

/** A deep copy of `e` with selectors and subqueries outside subqueries pinned at `t`. */
function pin(e: Expr, t: number, state: PinState): Expr {
  switch (e.type) {
    case "VectorSelector":
      return pinSelector(e, t, state);
    case "MatrixSelector":
      return { ...e, selector: pinSelector(e.selector, t, state) };
    case "SubqueryExpr": {
      if (state.inSubquery) return { ...e, expr: pin(e.expr, t, state) };
      // Pinned as a whole; its inside stays as written.
      state.inSubquery = true;
      const inner = pin(e.expr, t, state);
      state.inSubquery = false;
      return {
        ...e,
        expr: inner,
        at: e.at !== null && e.at.kind === "time" ? e.at : { kind: "time", ms: t },
      };
    }
    case "Call":
      if (!state.inSubquery && AT_MODIFIER_UNSAFE_FUNCTIONS.has(e.func.name)) state.unsafe = true;
      return { ...e, args: e.args.map((a) => pin(a, t, state)) };
    case "AggregateExpr":
      return { ...e, expr: pin(e.expr, t, state), param: e.param === null ? null : pin(e.param, t, state) };
    case "BinaryExpr":
      return { ...e, lhs: pin(e.lhs, t, state), rhs: pin(e.rhs, t, state) };
    case "ParenExpr":
    case "UnaryExpr":
    case "StepInvariantExpr":
      return { ...e, expr: pin(e.expr, t, state) };
    case "NumberLiteral":
    case "StringLiteral":
      return { ...e };
  }
}
