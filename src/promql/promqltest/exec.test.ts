import assert from "node:assert/strict";
import { test } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import type { Queryable } from "../../storage/interface.ts";
import { Annotations, annotations } from "../annotations.ts";
import { QueryError } from "../errors.ts";
import type { Call, Expr, VectorSelector } from "../parser/ast.ts";
import type { QueryValue } from "../value.ts";
import { call, sel } from "./ast_fixtures_test.ts";
import { execEval, type QueryEngine, type QueryOutcome } from "./exec.ts";
import { type EvalCmd, parseScript } from "./script.ts";

interface Recorded {
  kind: "instant" | "range";
  expr: Expr;
  start: number;
  end: number;
  step: number;
}

/** An engine returning whatever `answer` says, recording every call. */
function fakeEngine(answer: (r: Recorded) => QueryValue | Error, annos = new Annotations()) {
  const calls: Recorded[] = [];
  const run = async (r: Recorded): Promise<QueryOutcome> => {
    calls.push(r);
    const v = answer(r);
    if (v instanceof Error) throw v;
    return { value: v, annotations: annos };
  };
  const engine: QueryEngine = {
    instantQuery: (_q, expr, ts) => run({ kind: "instant", expr, start: ts, end: ts, step: 0 }),
    rangeQuery: (_q, expr, start, end, step) => run({ kind: "range", expr, start, end, step }),
  };
  return { engine, calls };
}

const queryable: Queryable = {
  querier: () => {
    throw new Error("not used");
  },
};

const isQueryError = (e: unknown): boolean => e instanceof QueryError;

function ev(script: string): EvalCmd {
  return parseScript(script)[0] as EvalCmd;
}

const A = Labels.fromStrings("__name__", "a");

/** A constant series `a` = 1 at every asked time. */
function constant(r: Recorded): QueryValue {
  if (r.kind === "instant") return { type: "vector", samples: [{ metric: A, t: r.start, f: 1 }] };
  const t: number[] = [];
  for (let x = r.start; x <= r.end; x += r.step) t.push(x);
  return { type: "matrix", series: [{ metric: A, t, f: t.map(() => 1) }] };
}

test("an instant eval runs the query, its @ variants, and each in range mode", async () => {
  const { engine, calls } = fakeEngine(constant);
  const f = await execEval(ev("eval instant at 10m a\n  a 1\n"), sel("a"), {
    engine,
    queryable,
    isQueryError,
  });
  assert.equal(f, null);
  const instants = calls.filter((c) => c.kind === "instant");
  assert.deepEqual(
    instants.map((c) => c.start),
    [600_000, -6_000_000, 0, 120_000, 600_000, 6_000_000],
  );
  assert.equal((instants[0]!.expr as VectorSelector).at, null);
  for (const c of instants.slice(1))
    assert.deepEqual((c.expr as VectorSelector).at, { kind: "time", ms: 600_000 });
  const ranges = calls.filter((c) => c.kind === "range");
  assert.deepEqual(
    ranges.map((c) => [c.start, c.end, c.step]),
    instants.map((c) => [c.start - 60_000, c.start + 60_000, 60_000]),
  );
  // Every call gets its own copy of the tree.
  assert.notEqual(calls[0]!.expr, calls[1]!.expr);
});

test("time-dependent queries are run once (plus range mode)", async () => {
  const { engine, calls } = fakeEngine(() => ({ type: "scalar", t: 0, v: 5 }));
  const { engine: rangeEngine } = fakeEngine((r) =>
    r.kind === "instant"
      ? { type: "scalar", t: r.start, v: 5 }
      : {
          type: "matrix",
          series: [{ metric: Labels.EMPTY, t: [r.start, r.start + r.step, r.end], f: [4, 5, 6] }],
        },
  );
  const e = ev("eval instant at 1m time()\n  5\n");
  // A scalar result is compared with the middle step of the range query.
  assert.equal(await execEval(e, call("time"), { engine: rangeEngine, queryable, isQueryError }), null);
  const f = await execEval(e, call("time"), { engine, queryable, isQueryError });
  assert.match(f!.variant, /range mode/);
  assert.match(f!.reason, /range query returned a scalar/);
  assert.equal(calls.filter((c) => c.kind === "instant").length, 1);
});

test("a range-mode disagreement fails the eval", async () => {
  const { engine } = fakeEngine((r) => {
    if (r.kind === "instant") return constant(r);
    return { type: "matrix", series: [{ metric: A, t: [r.start + r.step], f: [2] }] };
  });
  const f = await execEval(ev("eval instant at 10m a\n  a 1\n"), sel("a"), {
    engine,
    queryable,
    isQueryError,
  });
  assert.match(f!.variant, /instant query at 600000, range mode 540000\.\.660000/);
  assert.match(f!.reason, /expected 1 for \{__name__="a"\} but got 2/);
});

test("ordered evals skip the range-mode comparison", async () => {
  const { engine, calls } = fakeEngine((r) =>
    r.kind === "instant" ? constant(r) : { type: "matrix", series: [{ metric: A, t: [r.start], f: [7] }] },
  );
  const f = await execEval(ev("eval_ordered instant at 0 a\n  a 1\n"), sel("a"), {
    engine,
    queryable,
    isQueryError,
  });
  assert.equal(f, null);
  assert.equal(calls.filter((c) => c.kind === "range").length, 4);
});

test("expected failures", async () => {
  const boom = fakeEngine(() => new QueryError("execution", "boom"));
  const deps = { engine: boom.engine, queryable, isQueryError };
  assert.equal(await execEval(ev("eval_fail instant at 1m a\n"), sel("a"), deps), null);
  // No range-mode run after an expected failure.
  assert.equal(boom.calls.filter((c) => c.kind === "range").length, 0);
  assert.equal(await execEval(ev("eval instant at 1m a\n  expect fail msg: boom\n"), sel("a"), deps), null);
  assert.match(
    (await execEval(ev("eval instant at 1m a\n  expect fail msg: bang\n"), sel("a"), deps))!.reason,
    /expected error matching message "bang", but got: boom/,
  );
  assert.match(
    (await execEval(ev("eval instant at 1m a\n"), sel("a"), deps))!.reason,
    /error evaluating query: boom/,
  );
  assert.equal(await execEval(ev("eval_fail range from 0 to 1m step 1m a\n"), sel("a"), deps), null);

  const ok = fakeEngine(constant);
  assert.match(
    (await execEval(ev("eval_fail instant at 1m a\n"), sel("a"), { ...deps, engine: ok.engine }))!.reason,
    /expected error evaluating query but got none/,
  );
  // An engine crash is never an expected failure.
  const crash = fakeEngine(() => new TypeError("x is undefined"));
  assert.match(
    (await execEval(ev("eval_fail instant at 1m a\n"), sel("a"), { ...deps, engine: crash.engine }))!.reason,
    /engine crashed: TypeError: x is undefined/,
  );
});

test("synchronous throws from the engine are handled", async () => {
  const engine: QueryEngine = {
    instantQuery: () => {
      throw new QueryError("bad_data", "sync");
    },
    rangeQuery: () => {
      throw new QueryError("bad_data", "sync");
    },
  };
  assert.equal(
    await execEval(ev("eval_fail range from 0 to 1m step 1m a\n"), sel("a"), {
      engine,
      queryable,
      isQueryError,
    }),
    null,
  );
  assert.match(
    (await execEval(ev("eval instant at 0 a\n"), sel("a"), { engine, queryable, isQueryError }))!.reason,
    /sync/,
  );
});

test("annotations are checked on every instant run", async () => {
  const annos = new Annotations();
  annos.add(annotations.rangeTooShort(null));
  const { engine } = fakeEngine(constant, annos);
  const deps = { engine, queryable, isQueryError };
  assert.equal(await execEval(ev("eval_warn instant at 1m a\n  a 1\n"), sel("a"), deps), null);
  assert.equal(await execEval(ev("eval instant at 1m a\n  a 1\n"), sel("a"), deps), null);
  assert.match(
    (await execEval(ev("eval instant at 1m a\n  expect no_warn\n  a 1\n"), sel("a"), deps))!.reason,
    /unexpected warning annotations: \[PromQL warning: range too short/,
  );
  assert.match(
    (await execEval(ev("eval_info instant at 1m a\n  a 1\n"), sel("a"), deps))!.reason,
    /expected info/,
  );
});

test("a range eval is a single range query", async () => {
  const { engine, calls } = fakeEngine(constant);
  const e = ev("eval range from 0 to 2m step 1m a\n  a 1 1 1\n");
  assert.equal(await execEval(e, sel("a"), { engine, queryable, isQueryError }), null);
  assert.deepEqual(
    calls.map((c) => [c.kind, c.start, c.end, c.step]),
    [["range", 0, 120_000, 60_000]],
  );
  assert.equal((calls[0]!.expr as Call | VectorSelector).type, "VectorSelector");
});
