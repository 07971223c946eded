/**
 * A compact, unambiguous dump of an expression tree (upstream has `parser.Tree`
 * for the same purpose), for tests and debugging:
 * `bin(+ vs(a|__name__="a") agg(sum by(job) vs(b|__name__="b")))`. With
 * `positions`, every node is followed by `@start:end` (UTF-16 indices); with
 * `sortMatchers`, matchers are listed in sorted order (as the printer writes them).
 */
import { compareUTF8, goQuote } from "../../model/labels/strings.ts";
import type { AtModifier, Expr } from "./ast.ts";
import { matcherString } from "./printer.ts";

function at(a: AtModifier | null): string {
  if (a === null) return "";
  return a.kind === "time" ? `|at=${a.ms}` : `|at=${a.kind}()`;
}

function off(ms: number): string {
  return ms === 0 ? "" : `|off=${ms}`;
}

export interface DumpOptions {
  positions?: boolean;
  sortMatchers?: boolean;
}

export function dumpExpr(e: Expr, opts: DumpOptions = {}): string {
  const d = (x: Expr): string => dumpExpr(x, opts);
  let s: string;
  switch (e.type) {
    case "NumberLiteral":
      s = `${String(e.value)}${e.duration === true ? "(d)" : ""}`;
      break;
    case "StringLiteral":
      s = goQuote(e.value);
      break;
    case "VectorSelector": {
      const ms = e.matchers.map(matcherString);
      if (opts.sortMatchers === true) ms.sort(compareUTF8);
      s = `vs(${e.name}|${ms.join(",")}${off(e.offset)}${at(e.at)})`;
      break;
    }
    case "MatrixSelector":
      s = `ms(${d(e.selector)} ${e.range})`;
      break;
    case "SubqueryExpr":
      s = `sq(${d(e.expr)} ${e.range}:${e.step}${off(e.offset)}${at(e.at)})`;
      break;
    case "ParenExpr":
      s = `paren(${d(e.expr)})`;
      break;
    case "UnaryExpr":
      s = `${e.op === "-" ? "neg" : "pos"}(${d(e.expr)})`;
      break;
    case "StepInvariantExpr":
      s = `inv(${d(e.expr)})`;
      break;
    case "BinaryExpr": {
      let m = "";
      if (e.matching !== null) {
        const vm = e.matching;
        m = ` [${vm.card}${vm.on ? " on" : " ignoring"}(${vm.labels.join(",")})`;
        if (vm.card === "many-to-one" || vm.card === "one-to-many") m += ` include(${vm.include.join(",")})`;
        m += "]";
      }
      s = `bin(${e.op}${e.returnBool ? " bool" : ""}${m} ${d(e.lhs)} ${d(e.rhs)})`;
      break;
    }
    case "Call":
      s = `call(${[e.func.name, ...e.args.map(d)].join(" ")})`;
      break;
    case "AggregateExpr": {
      const g = e.without
        ? ` without(${e.grouping.join(",")})`
        : e.grouping.length > 0
          ? ` by(${e.grouping.join(",")})`
          : "";
      s = `agg(${e.op}${g}${e.param === null ? "" : ` ${d(e.param)}`} ${d(e.expr)})`;
      break;
    }
  }
  return opts.positions === true ? `${s}@${e.pos.start}:${e.pos.end}` : s;
}
