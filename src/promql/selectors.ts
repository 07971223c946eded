/**
 * The selectors an expression will read and the time range of each, as the
 * evaluator (evaluator.ts) will open its queriers: upstream's engine resolves
 * every selector before evaluating (`populateSeries`); Vigil's engine uses
 * this list to let slow sources (remote read) fetch asynchronously before the
 * synchronous evaluation starts (see `Queryable.prepare`). The ranges follow
 * the evaluator's arithmetic exactly (lookback, offset, `@`, subquery grids);
 * `selectors.test.ts` checks that every querier the evaluator opens is covered.
 */
import type { SelectorRange } from "../storage/interface.ts";
import type { AtModifier, Expr } from "./parser/ast.ts";
import { children } from "./parser/index.ts";
import type { Grid } from "./value.ts";

/** What the ranges depend on besides the grid. */
export interface SelectorRangeOptions {
  /** The lookback of instant selectors, ms. */
  readonly lookbackDelta: number;
  /** Step of subqueries written without one, ms. */
  readonly noStepSubqueryInterval: number;
  /** The query's start and end, for `@ start()` / `@ end()`. */
  readonly start: number;
  readonly end: number;
}

/** Every vector and matrix selector of `e` evaluated over `g`, in evaluation order (repeats included). */
export function selectorRanges(e: Expr, g: Grid, o: SelectorRangeOptions): SelectorRange[] {
  const out: SelectorRange[] = [];
  walk(e, g, o, out);
  return out;
}

function atTime(at: AtModifier, o: SelectorRangeOptions): number {
  return at.kind === "time" ? at.ms : at.kind === "start" ? o.start : o.end;
}

function walk(e: Expr, g: Grid, o: SelectorRangeOptions, out: SelectorRange[]): void {
  const last = g.start + (g.n - 1) * g.interval;
  switch (e.type) {
    case "VectorSelector": {
      const fixed = e.at !== null ? atTime(e.at, o) - e.offset : null;
      const first = fixed ?? g.start - e.offset;
      out.push({ matchers: e.matchers, mint: first - o.lookbackDelta + 1, maxt: fixed ?? last - e.offset });
      return;
    }
    case "MatrixSelector": {
      const vs = e.selector;
      const fixed = vs.at !== null ? atTime(vs.at, o) - vs.offset : null;
      const first = fixed ?? g.start - vs.offset;
      out.push({ matchers: vs.matchers, mint: first - e.range + 1, maxt: fixed ?? last - vs.offset });
      return;
    }
    case "SubqueryExpr": {
      const step = e.step > 0 ? e.step : o.noStepSubqueryInterval;
      const fixed = e.at !== null ? atTime(e.at, o) - e.offset : null;
      const from = (fixed ?? g.start - e.offset) - e.range;
      let start = step * Math.trunc(from / step);
      if (start <= from) start += step;
      const end = fixed ?? last - e.offset;
      if (start > end) return;
      walk(e.expr, { start, end, interval: step, n: Math.floor((end - start) / step) + 1 }, o, out);
      return;
    }
    default:
      for (const c of children(e)) walk(c, g, o, out);
  }
}
