/**
 * Runs one `eval` against an engine, as upstream's runner does:
 * - a range eval is one range query;
 * - an instant eval is the query at its time, plus the @-pinned variants at
 *   other times (see atmodifier.ts), and each of those also as a range query
 *   over t−1m…t+1m (step 1m) whose middle step must give the same result.
 * An eval passes only if every one of these passes.
 */
import type { Queryable } from "../../storage/interface.ts";
import type { Annotations } from "../annotations.ts";
import type { Expr } from "../parser/ast.ts";
import type { QueryValue, Sample } from "../value.ts";
import { atModifierVariants, cloneExpr } from "./atmodifier.ts";
import { assertMatrixSorted, checkAnnotations, checkExpectedFailure, compareResult } from "./compare.ts";
import { type EvalCmd, isFail, isOrdered } from "./script.ts";

export interface QueryOutcome {
  value: QueryValue;
  annotations: Annotations;
}

/** What the runner needs of an engine. Calls may throw synchronously or reject. */
export interface QueryEngine {
  instantQuery(q: Queryable, query: Expr, ts: number): Promise<QueryOutcome>;
  rangeQuery(q: Queryable, query: Expr, start: number, end: number, step: number): Promise<QueryOutcome>;
}

export interface ExecDeps {
  engine: QueryEngine;
  queryable: Queryable;
  /** Whether a thrown value is a query error (anything else is an engine crash, never an expected failure). */
  isQueryError: (e: unknown) => boolean;
}

export interface EvalFailure {
  /** Which execution failed, e.g. `instant query at 600000`. */
  variant: string;
  reason: string;
}

/** Runs the eval; null when it passes. */
export async function execEval(ev: EvalCmd, expr: Expr, deps: ExecDeps): Promise<EvalFailure | null> {
  if (ev.range) {
    const r = await runRange(ev, expr, deps);
    return r === null ? null : { variant: `range query ${ev.start}..${ev.end} step ${ev.step}`, reason: r };
  }
  const first = await runInstant(ev, expr, ev.start, deps, `instant query at ${ev.start}`);
  if (first !== null) return first;
  const variants = atModifierVariants(expr, ev.start);
  if (variants === null) return null;
  for (const t of variants.times) {
    const f = await runInstant(ev, variants.expr, t, deps, `query pinned @ ${ev.start}, evaluated at ${t}`);
    if (f !== null) return f;
  }
  return null;
}

type Attempt = { ok: true; out: QueryOutcome } | { ok: false; error: unknown };

async function attempt(run: () => Promise<QueryOutcome>): Promise<Attempt> {
  try {
    return { ok: true, out: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Handles a failed query; null when the eval expected exactly this failure. */
function onError(ev: EvalCmd, e: unknown, deps: ExecDeps): string | null {
  if (!deps.isQueryError(e)) {
    const stack = e instanceof Error && e.stack !== undefined ? e.stack : String(e);
    return `engine crashed: ${stack}`;
  }
  if (isFail(ev)) return checkExpectedFailure(ev, errorText(e));
  return `error evaluating query: ${errorText(e)}`;
}

function checkOutcome(ev: EvalCmd, out: QueryOutcome): string | null {
  if (isFail(ev)) return "expected error evaluating query but got none";
  const a = checkAnnotations(ev, {
    warnings: out.annotations.strings("warning"),
    infos: out.annotations.strings("info"),
  });
  if (a !== null) return a;
  return compareResult(ev, out.value);
}

async function runRange(ev: EvalCmd, expr: Expr, deps: ExecDeps): Promise<string | null> {
  const r = await attempt(() =>
    deps.engine.rangeQuery(deps.queryable, cloneExpr(expr), ev.start, ev.end, ev.step),
  );
  if (!r.ok) return onError(ev, r.error, deps);
  return checkOutcome(ev, r.out);
}

async function runInstant(
  ev: EvalCmd,
  expr: Expr,
  t: number,
  deps: ExecDeps,
  variant: string,
): Promise<EvalFailure | null> {
  const r = await attempt(() => deps.engine.instantQuery(deps.queryable, cloneExpr(expr), t));
  if (!r.ok) {
    const reason = onError(ev, r.error, deps);
    return reason === null ? null : { variant, reason };
  }
  const bad = checkOutcome(ev, r.out);
  if (bad !== null) return { variant, reason: bad };

  // The same query in range mode must agree at the middle step.
  const rangeVariant = `${variant}, range mode ${t - 60_000}..${t + 60_000} step 60000`;
  const rr = await attempt(() =>
    deps.engine.rangeQuery(deps.queryable, cloneExpr(expr), t - 60_000, t + 60_000, 60_000),
  );
  if (!rr.ok) {
    const why = deps.isQueryError(rr.error) ? errorText(rr.error) : `engine crashed: ${String(rr.error)}`;
    return { variant: rangeVariant, reason: `error evaluating query in range mode: ${why}` };
  }
  // Range results are always sorted by labels, so an ordered eval is not checked here.
  if (isOrdered(ev)) return null;
  const v = rr.out.value;
  if (v.type !== "matrix")
    return { variant: rangeVariant, reason: `range query returned a ${v.type}, not a matrix` };
  const unsorted = assertMatrixSorted(v.series);
  if (unsorted !== null) return { variant: rangeVariant, reason: unsorted };
  const samples: Sample[] = [];
  for (const s of v.series) {
    const i = s.t.indexOf(t);
    if (i >= 0) samples.push({ metric: s.metric, t, f: s.f[i]! });
  }
  let cmp: string | null;
  if (r.out.value.type === "scalar") {
    const first = samples[0];
    cmp =
      first === undefined
        ? "range query of a scalar has no point at the middle step"
        : compareResult(ev, { type: "scalar", t, v: first.f });
  } else {
    cmp = compareResult(ev, { type: "vector", samples });
  }
  return cmp === null ? null : { variant: rangeVariant, reason: cmp };
}
