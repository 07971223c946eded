import assert from "node:assert/strict";
import { test } from "node:test";
import type {
  AggregateExpr,
  BinaryExpr,
  Call,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorSelector,
} from "../parser/ast.ts";
import { add, call, mat, num, sel, sub, sum } from "./ast_fixtures_test.ts";
import { atModifierVariants, cloneExpr } from "./atmodifier.ts";

const T = { kind: "time", ms: 600_000 } as const;

test("selectors and subqueries without @ are pinned to the eval time", () => {
  const orig = add(sum(sel("a")), call("rate", mat(sel("b"))));
  const v = atModifierVariants(orig, 600_000)!;
  const bin = v.expr as BinaryExpr;
  assert.deepEqual(((bin.lhs as AggregateExpr).expr as VectorSelector).at, T);
  assert.deepEqual(((bin.rhs as Call).args[0] as MatrixSelector).selector.at, T);
  // The original is untouched.
  assert.equal(((orig as BinaryExpr).lhs as AggregateExpr).expr.type, "VectorSelector");
  assert.equal((((orig as BinaryExpr).lhs as AggregateExpr).expr as VectorSelector).at, null);
});

test("explicit @ times stay, @ start()/end() become the eval time", () => {
  const explicit = { kind: "time", ms: 5000 } as const;
  const e = add(sel("a", explicit), add(sel("b", { kind: "start" }), sel("c", { kind: "end" })));
  const v = atModifierVariants(e, 600_000)!.expr as BinaryExpr;
  assert.deepEqual((v.lhs as VectorSelector).at, explicit);
  const r = v.rhs as BinaryExpr;
  assert.deepEqual((r.lhs as VectorSelector).at, T);
  assert.deepEqual((r.rhs as VectorSelector).at, T);
});

test("a subquery is pinned as a whole; selectors inside it are left alone", () => {
  const e = call("max_over_time", sub(call("rate", mat(sel("a")))));
  const s = (atModifierVariants(e, 600_000)!.expr as Call).args[0] as SubqueryExpr;
  assert.deepEqual(s.at, T);
  const inner = ((s.expr as Call).args[0] as MatrixSelector).selector;
  assert.equal(inner.at, null);
  // A subquery with an explicit @ keeps it.
  const pinned = call("max_over_time", sub(sel("a"), { kind: "time", ms: 1000 }));
  const ps = (atModifierVariants(pinned, 600_000)!.expr as Call).args[0] as SubqueryExpr;
  assert.deepEqual(ps.at, { kind: "time", ms: 1000 });
  assert.equal((ps.expr as VectorSelector).at, null);
});

test("evaluation times of the variants", () => {
  assert.deepEqual(
    atModifierVariants(sel("a"), 600_000)!.times,
    [-6_000_000, 0, 120_000, 600_000, 6_000_000],
  );
  assert.deepEqual(atModifierVariants(sel("a"), 0)!.times, [-1000, 0, 1000]);
  // Go's integer division truncates toward zero.
  assert.deepEqual(atModifierVariants(sel("a"), 7)!.times, [-70, 0, 1, 7, 70]);
  assert.deepEqual(atModifierVariants(num(1), 60_000)!.times.length, 5);
});

test("queries calling time-dependent functions are not varied", () => {
  for (const f of ["time", "timestamp", "predict_linear", "hour", "minute", "month", "year", "day_of_week"]) {
    assert.equal(atModifierVariants(add(sel("a"), call(f)), 60_000), null, f);
  }
  assert.notEqual(atModifierVariants(call("abs", sel("a")), 60_000), null);
  // As upstream: calls inside a (pinned) subquery do not count.
  assert.notEqual(atModifierVariants(call("max_over_time", sub(call("time"))), 60_000), null);
});

test("cloneExpr copies deeply", () => {
  const e: Expr = call("max_over_time", sub(sum(sel("a"))));
  const c = cloneExpr(e) as Call;
  assert.deepEqual(c, e);
  assert.notEqual(c, e);
  const s = c.args[0] as SubqueryExpr;
  assert.notEqual(s, (e as Call).args[0]);
  assert.notEqual(
    (s.expr as AggregateExpr).expr,
    (((e as Call).args[0] as SubqueryExpr).expr as AggregateExpr).expr,
  );
});
