/**
 * The PromQL abstract syntax tree, after upstream's `promql/parser/ast.go`.
 * Every node carries the byte range of the source it came from, so errors can
 * point at it. Duration expressions (`[26m+4m]`, `offset (5m*2)`) are folded by
 * the parser: ranges, steps and offsets are plain milliseconds here.
 */
import type { Matcher } from "../../model/labels/matcher.ts";

/** Half-open range `[start, end)` of UTF-16 indices into the query text. */
export interface PosRange {
  start: number;
  end: number;
}

/** What an expression evaluates to. */
export type ValueType = "scalar" | "vector" | "matrix" | "string";

export type AggregateOp =
  | "sum"
  | "avg"
  | "count"
  | "min"
  | "max"
  | "group"
  | "stddev"
  | "stdvar"
  | "topk"
  | "bottomk"
  | "count_values"
  | "quantile"
  | "limitk"
  | "limit_ratio";

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "^" | "atan2";
export type ComparisonOp = "==" | "!=" | ">" | "<" | ">=" | "<=";
export type SetOp = "and" | "or" | "unless";
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

/**
 * `@` pinning of a selector or subquery: a fixed time in ms, or the query's
 * start/end (resolved by the engine, since one parsed query may run at many times).
 */
export type AtModifier = { kind: "time"; ms: number } | { kind: "start" } | { kind: "end" };

export interface VectorSelector {
  type: "VectorSelector";
  /** The metric name written before the braces, "" if none (a quoted `{"name"}` only adds a `__name__` matcher, as upstream). */
  name: string;
  /** All matchers, including one for `__name__` when a name was given. */
  matchers: Matcher[];
  /** `offset`, ms (negative allowed). 0 when absent. */
  offset: number;
  at: AtModifier | null;
  pos: PosRange;
}

export interface MatrixSelector {
  type: "MatrixSelector";
  /** The selector the range applies to (its offset and `@` live there). */
  selector: VectorSelector;
  /** Range, ms. */
  range: number;
  pos: PosRange;
}

export interface SubqueryExpr {
  type: "SubqueryExpr";
  expr: Expr;
  /** Range, ms. */
  range: number;
  /** Resolution, ms; 0 when omitted (`[10m:]`), which means the engine's default. */
  step: number;
  offset: number;
  at: AtModifier | null;
  pos: PosRange;
}

export interface NumberLiteral {
  type: "NumberLiteral";
  value: number;
  /** Written as a duration (`1h` is 3600): only changes how it prints. */
  duration?: boolean;
  pos: PosRange;
}

export interface StringLiteral {
  type: "StringLiteral";
  value: string;
  pos: PosRange;
}

export interface ParenExpr {
  type: "ParenExpr";
  expr: Expr;
  pos: PosRange;
}

export interface UnaryExpr {
  type: "UnaryExpr";
  op: "+" | "-";
  expr: Expr;
  pos: PosRange;
}

export interface VectorMatching {
  card: "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";
  /** `on(...)` when true, `ignoring(...)` when false. */
  on: boolean;
  /** The label names in `on`/`ignoring`. */
  labels: string[];
  /** Extra labels named in `group_left(...)`/`group_right(...)`. */
  include: string[];
}

export interface BinaryExpr {
  type: "BinaryExpr";
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** Present when both sides are vectors. Set operators are many-to-many. */
  matching: VectorMatching | null;
  /** `bool` modifier on a comparison. */
  returnBool: boolean;
  pos: PosRange;
}

export interface AggregateExpr {
  type: "AggregateExpr";
  op: AggregateOp;
  expr: Expr;
  /** The first argument of topk, bottomk, quantile, count_values, limitk, limit_ratio. */
  param: Expr | null;
  /** Label names in `by (...)` / `without (...)`. */
  grouping: string[];
  without: boolean;
  pos: PosRange;
}

export interface Call {
  type: "Call";
  func: FunctionDef;
  args: Expr[];
  pos: PosRange;
}

/**
 * An expression whose value is the same at every step of a range query (all
 * selectors pinned by `@`, or only literals): evaluated once by the engine.
 * Inserted by `preprocessExpr`, never by the parser.
 */
export interface StepInvariantExpr {
  type: "StepInvariantExpr";
  expr: Expr;
  pos: PosRange;
}

export type Expr =
  | AggregateExpr
  | BinaryExpr
  | Call
  | MatrixSelector
  | NumberLiteral
  | ParenExpr
  | StringLiteral
  | SubqueryExpr
  | UnaryExpr
  | VectorSelector
  | StepInvariantExpr;

/** A function's signature, as in upstream's `parser.Functions` table. */
export interface FunctionDef {
  name: string;
  argTypes: ValueType[];
  /** Number of trailing arguments that may be left out (-1: the last type repeats without bound). */
  variadic: number;
  returnType: ValueType;
  /** Only parsed when experimental functions are enabled. */
  experimental: boolean;
}
