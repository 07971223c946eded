/**
 * Hand-built ASTs for the runner's tests (so they do not depend on the parser).
 * Not a test file itself.
 */
import { Matcher } from "../../model/labels/matcher.ts";
import type {
  AtModifier,
  Call,
  Expr,
  MatrixSelector,
  NumberLiteral,
  SubqueryExpr,
  VectorSelector,
} from "../parser/ast.ts";

const P = { start: 0, end: 0 };

export function sel(name: string, at: AtModifier | null = null, ...extra: Matcher[]): VectorSelector {
  const matchers = name === "" ? extra : [Matcher.create("=", "__name__", name), ...extra];
  return { type: "VectorSelector", name, matchers, offset: 0, at, pos: P };
}

export function mat(selector: VectorSelector, range = 300_000): MatrixSelector {
  return { type: "MatrixSelector", selector, range, pos: P };
}

export function call(name: string, ...args: Expr[]): Call {
  return {
    type: "Call",
    func: { name, argTypes: [], variadic: 0, returnType: "vector", experimental: false },
    args,
    pos: P,
  };
}

export function sub(expr: Expr, at: AtModifier | null = null): SubqueryExpr {
  return { type: "SubqueryExpr", expr, range: 600_000, step: 60_000, offset: 0, at, pos: P };
}

export function num(value: number): NumberLiteral {
  return { type: "NumberLiteral", value, pos: P };
}

export function sum(expr: Expr): Expr {
  return { type: "AggregateExpr", op: "sum", expr, param: null, grouping: [], without: false, pos: P };
}

export function add(lhs: Expr, rhs: Expr): Expr {
  return { type: "BinaryExpr", op: "+", lhs, rhs, matching: null, returnBool: false, pos: P };
}
