/**
 * Type checking of a parsed expression, with upstream's rules and messages
 * (`checkAST` in `promql/parser/parse.go`): argument counts and types, operand
 * types of binary and unary operators, vector matching, subqueries, and the
 * "at least one non-empty matcher" rule. Errors are reported in upstream's order
 * (children before the node itself, left to right). Also normalises vector
 * matching: set operators become many-to-many, and matching is dropped unless
 * both sides are instant vectors.
 */
import { goQuote } from "../../model/labels/strings.ts";
import type { Expr, PosRange, ValueType, VectorSelector } from "./ast.ts";
import { ParseError } from "./errors.ts";

/** An expression's result type, as upstream's `Expr.Type()`. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case "NumberLiteral":
      return "scalar";
    case "StringLiteral":
      return "string";
    case "VectorSelector":
    case "AggregateExpr":
      return "vector";
    case "MatrixSelector":
    case "SubqueryExpr":
      return "matrix";
    case "Call":
      return e.func.returnType;
    case "ParenExpr":
    case "UnaryExpr":
    case "StepInvariantExpr":
      return typeOf(e.expr);
    case "BinaryExpr":
      return typeOf(e.lhs) === "scalar" && typeOf(e.rhs) === "scalar" ? "scalar" : "vector";
  }
}

/** How upstream names a type in messages. */
export function documentedType(t: ValueType): string {
  if (t === "vector") return "instant vector";
  if (t === "matrix") return "range vector";
  return t;
}

const COMPARISON = new Set(["==", "!=", ">", "<", ">=", "<="]);
const SET_OPS = new Set(["and", "or", "unless"]);
const SCALAR_PARAM_AGGS = new Set(["topk", "bottomk", "quantile", "limitk", "limit_ratio"]);

function isSpaceCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Checks `expr`, reporting each problem through `report`. */
export class Checker {
  private readonly query: string;
  private readonly report: (pos: PosRange, message: string) => void;
  /** Selectors exempt from the non-empty matcher rule (the second argument of `info`). */
  private readonly bypass = new Set<VectorSelector>();

  constructor(query: string, report: (pos: PosRange, message: string) => void) {
    this.query = query;
    this.report = report;
  }

  check(node: Expr): ValueType {
    const typ = typeOf(node);
    switch (node.type) {
      case "AggregateExpr":
        this.expectType(node.expr, "vector", "aggregation expression");
        if (node.param !== null) {
          if (SCALAR_PARAM_AGGS.has(node.op)) this.expectType(node.param, "scalar", "aggregation parameter");
          else if (node.op === "count_values") this.expectType(node.param, "string", "aggregation parameter");
        }
        break;
      case "BinaryExpr":
        this.checkBinary(node);
        break;
      case "Call":
        this.checkCall(node);
        break;
      case "ParenExpr":
      case "StepInvariantExpr":
        this.check(node.expr);
        break;
      case "UnaryExpr": {
        const t = this.check(node.expr);
        if (t !== "scalar" && t !== "vector") {
          this.report(
            node.pos,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`,
          );
        }
        break;
      }
      case "SubqueryExpr": {
        const t = this.check(node.expr);
        if (t !== "vector")
          this.report(node.pos, `subquery is only allowed on instant vector, got ${t} instead`);
        break;
      }
      case "MatrixSelector":
        this.check(node.selector);
        break;
      case "VectorSelector":
        this.checkSelector(node);
        break;
      case "NumberLiteral":
      case "StringLiteral":
        break;
    }
    return typ;
  }

  private expectType(node: Expr, want: ValueType, context: string): void {
    const t = this.check(node);
    if (t !== want) {
      this.report(node.pos, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
    }
  }

  private checkSelector(vs: VectorSelector): void {
    if (vs.name !== "") {
      // The last matcher is the one for the name written before the braces.
      for (let i = 0; i < vs.matchers.length - 1; i++) {
        const m = vs.matchers[i]!;
        if (m.name === "__name__") {
          this.report(
            vs.pos,
            `metric name must not be set twice: ${goQuote(vs.name)} or ${goQuote(m.value)}`,
          );
        }
      }
      return;
    }
    if (this.bypass.has(vs)) return;
    if (!vs.matchers.some((m) => !m.matches(""))) {
      this.report(vs.pos, "vector selector must contain at least one non-empty matcher");
    }
  }

  private checkCall(n: Expr & { type: "Call" }): void {
    const fn = n.func;
    const nargs = fn.argTypes.length;
    if (fn.variadic === 0) {
      if (nargs !== n.args.length) {
        this.report(
          n.pos,
          `expected ${nargs} argument(s) in call to ${goQuote(fn.name)}, got ${n.args.length}`,
        );
      }
    } else {
      const na = nargs - 1;
      if (na > n.args.length) {
        this.report(
          n.pos,
          `expected at least ${na} argument(s) in call to ${goQuote(fn.name)}, got ${n.args.length}`,
        );
      } else if (fn.variadic > 0 && na + fn.variadic < n.args.length) {
        this.report(
          n.pos,
          `expected at most ${na + fn.variadic} argument(s) in call to ${goQuote(fn.name)}, got ${n.args.length}`,
        );
      }
    }
    if (fn.name === "info" && n.args.length > 1) {
      const sel = n.args[1]!;
      // Upstream v3.5 assumes a selector here and panics otherwise.
      if (sel.type !== "VectorSelector")
        throw new ParseError(this.query, sel.pos, "unexpected error", "internal");
      if (sel.name !== "") this.report(sel.pos, "expected label selectors only, got vector selector instead");
      else this.bypass.add(sel);
    }
    for (let i = 0; i < n.args.length; i++) {
      let j = i;
      if (j >= nargs) {
        if (fn.variadic === 0) break;
        j = nargs - 1;
      }
      const arg = n.args[i]!;
      const t = this.check(arg);
      const want = fn.argTypes[j]!;
      if (t !== want) {
        this.report(
          arg.pos,
          `expected type ${documentedType(want)} in call to function ${goQuote(fn.name)}, got ${documentedType(t)}`,
        );
      }
    }
  }

  /** The operator's position: from the end of the left operand to the start of the right, spaces trimmed. */
  private opRange(lhs: Expr, rhs: Expr): PosRange {
    const q = this.query;
    let start = lhs.pos.end;
    while (start < q.length && isSpaceCode(q.charCodeAt(start))) start++;
    let end = rhs.pos.start - 1;
    while (end > 0 && isSpaceCode(q.charCodeAt(end))) end--;
    return { start, end };
  }

  private checkBinary(n: Expr & { type: "BinaryExpr" }): void {
    const lt = this.check(n.lhs);
    const rt = this.check(n.rhs);
    const comparison = COMPARISON.has(n.op);
    const setOp = SET_OPS.has(n.op);
    if (n.returnBool && !comparison) {
      this.report(this.opRange(n.lhs, n.rhs), "bool modifier can only be used on comparison operators");
    }
    if (comparison && !n.returnBool && typeOf(n.rhs) === "scalar" && typeOf(n.lhs) === "scalar") {
      this.report(this.opRange(n.lhs, n.rhs), "comparisons between scalars must use BOOL modifier");
    }
    const vm = n.matching;
    if (vm !== null) {
      if (setOp && vm.card === "one-to-one") vm.card = "many-to-many";
      if (vm.on) {
        for (const l1 of vm.labels) {
          for (const l2 of vm.include) {
            if (l1 === l2) {
              this.report(
                this.opRange(n.lhs, n.rhs),
                `label ${goQuote(l1)} must not occur in ON and GROUP clause at once`,
              );
            }
          }
        }
      }
    }
    if (lt !== "scalar" && lt !== "vector") {
      this.report(n.lhs.pos, "binary expression must contain only scalar and instant vector types");
    }
    if (rt !== "scalar" && rt !== "vector") {
      this.report(n.rhs.pos, "binary expression must contain only scalar and instant vector types");
    }
    if (vm !== null) {
      if (lt !== "vector" || rt !== "vector") {
        if (vm.labels.length > 0) this.report(n.pos, "vector matching only allowed between instant vectors");
        n.matching = null;
      } else if (setOp) {
        if (vm.card === "one-to-many" || vm.card === "many-to-one") {
          this.report(n.pos, `no grouping allowed for ${goQuote(n.op)} operation`);
        }
        if (vm.card !== "many-to-many") this.report(n.pos, "set operations must always be many-to-many");
      }
    }
    if ((lt === "scalar" || rt === "scalar") && setOp) {
      this.report(n.pos, `set operator ${goQuote(n.op)} not allowed in binary scalar expression`);
    }
  }
}
