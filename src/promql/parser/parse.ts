/**
 * The PromQL parser: recursive descent with precedence climbing, producing the
 * AST of `ast.ts`. It reproduces upstream v3.5's grammar (`generated_parser.y`)
 * including its error messages: a syntax error names the unexpected item and the
 * innermost construct that upstream's LALR parser would blame ("in aggregation",
 * "in grouping opts, expected label", …), semantic errors found while parsing
 * (unknown function, bad range, …) are reported in the order upstream reports
 * them, and type checking (`check.ts`) runs only when there is no syntax error.
 *
 * Duration expressions (`[26m+4m]`, `offset -(5m*2)`) are folded to milliseconds
 * here. When one evaluates out of bounds (`[5m-10m]`) the error is raised after
 * a successful parse, in upstream's order and wording (`2:8: duration must be
 * greater than 0`), as upstream does when it prepares the query.
 */

import { Matcher, type MatchType } from "../../model/labels/matcher.ts";
import { RegexError } from "../../model/labels/regex.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { isValidUTF8Name } from "../../model/labels/validate.ts";
import { underscoresOK } from "../../model/strconv/number.ts";
import { unquoteBytes } from "../../model/strconv/quote.ts";
import type {
  AggregateExpr,
  AggregateOp,
  BinaryOp,
  Call,
  Expr,
  FunctionDef,
  MatrixSelector,
  NumberLiteral,
  PosRange,
  StringLiteral,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from "./ast.ts";
import { Checker } from "./check.ts";
import { DurationError, goRound, parseDuration, secondsToMs } from "./duration.ts";
import { ParseError, ParseErrors } from "./errors.ts";
import { FUNCTIONS } from "./functions.ts";
import { describeItem, type Item, type ItemType, isAggregator, Lexer, T } from "./lex.ts";

export { parseDuration } from "./duration.ts";
export { ParseError, ParseErrors } from "./errors.ts";
/** Go's `_` rule for number literals (shared with the template and strconv parsers). */
export { underscoresOK };

export interface ParseOptions {
  /** Accept experimental functions and aggregations (`limitk`, `sort_by_label`, …). Default false. */
  experimentalFunctions?: boolean;
}

/**
 * Deepest nesting accepted (parentheses, calls, unary and binary operators, and
 * the depth of the resulting tree), so that neither this parser nor code walking
 * the tree can exhaust the stack. Upstream has no such limit; real queries stay
 * far below it.
 */
export const MAX_NESTING_DEPTH = 1000;

/** Thrown to unwind after a syntax error has been recorded. */
const ABORT: unique symbol = Symbol("abort");

interface ErrorContext {
  context: string;
  expected: string;
}

const TOP: ErrorContext = { context: "", expected: "" };
const CTX_AGGREGATION: ErrorContext = { context: "aggregation", expected: "" };
const CTX_OFFSET: ErrorContext = { context: "offset", expected: "number or duration" };
const CTX_AT: ErrorContext = { context: "@", expected: "timestamp" };
const CTX_RANGE_START: ErrorContext = { context: "subquery selector", expected: "number or duration" };
const CTX_RANGE_DONE: ErrorContext = { context: "subquery or range", expected: '":" or "]"' };
const CTX_STEP_START: ErrorContext = { context: "subquery selector", expected: 'number or duration or "]"' };
const CTX_STEP_DONE: ErrorContext = { context: "subquery selector", expected: '"]"' };
const CTX_GROUPING_OPEN: ErrorContext = { context: "grouping opts", expected: '"("' };
const CTX_GROUPING_LABEL: ErrorContext = { context: "grouping opts", expected: "label" };
const CTX_GROUPING_NEXT: ErrorContext = { context: "grouping opts", expected: '"," or ")"' };
const CTX_MATCHER_START: ErrorContext = { context: "label matching", expected: 'identifier or "}"' };
const CTX_MATCHER_OP: ErrorContext = { context: "label matching", expected: "label matching operator" };
const CTX_MATCHER_VALUE: ErrorContext = { context: "label matching", expected: "string" };
const CTX_MATCHER_NEXT: ErrorContext = { context: "label matching", expected: '"," or "}"' };

/** Binary operator precedence; 0 for items that are not binary operators. */
function binaryPrecedence(t: ItemType): number {
  switch (t) {
    case T.LOR:
      return 1;
    case T.LAND:
    case T.LUNLESS:
      return 2;
    case T.EQLC:
    case T.NEQ:
    case T.LTE:
    case T.LSS:
    case T.GTE:
    case T.GTR:
      return 3;
    case T.ADD:
    case T.SUB:
      return 4;
    case T.MUL:
    case T.DIV:
    case T.MOD:
    case T.ATAN2:
      return 5;
    case T.POW:
      return 6;
    default:
      return 0;
  }
}

/** Precedence of the operators duration expressions allow; 0 otherwise. */
function durationPrecedence(t: ItemType): number {
  switch (t) {
    case T.ADD:
    case T.SUB:
      return 4;
    case T.MUL:
    case T.DIV:
    case T.MOD:
      return 5;
    case T.POW:
      return 6;
    default:
      return 0;
  }
}

const POW_PRECEDENCE = 6;

const BINARY_OPS: ReadonlyMap<ItemType, BinaryOp> = new Map<ItemType, BinaryOp>([
  [T.ADD, "+"],
  [T.SUB, "-"],
  [T.MUL, "*"],
  [T.DIV, "/"],
  [T.MOD, "%"],
  [T.POW, "^"],
  [T.ATAN2, "atan2"],
  [T.EQLC, "=="],
  [T.NEQ, "!="],
  [T.GTR, ">"],
  [T.LSS, "<"],
  [T.GTE, ">="],
  [T.LTE, "<="],
  [T.LAND, "and"],
  [T.LOR, "or"],
  [T.LUNLESS, "unless"],
]);

const AGGREGATE_OPS: ReadonlyMap<ItemType, AggregateOp> = new Map<ItemType, AggregateOp>([
  [T.SUM, "sum"],
  [T.AVG, "avg"],
  [T.COUNT, "count"],
  [T.MIN, "min"],
  [T.MAX, "max"],
  [T.GROUP, "group"],
  [T.STDDEV, "stddev"],
  [T.STDVAR, "stdvar"],
  [T.TOPK, "topk"],
  [T.BOTTOMK, "bottomk"],
  [T.COUNT_VALUES, "count_values"],
  [T.QUANTILE, "quantile"],
  [T.LIMITK, "limitk"],
  [T.LIMIT_RATIO, "limit_ratio"],
]);

const PARAM_AGGREGATES: ReadonlySet<AggregateOp> = new Set<AggregateOp>([
  "topk",
  "bottomk",
  "count_values",
  "quantile",
  "limitk",
  "limit_ratio",
]);

/** Keywords that also serve as metric names (besides the aggregators). */
const METRIC_NAME_KEYWORDS: ReadonlySet<ItemType> = new Set<ItemType>([
  T.BY,
  T.LAND,
  T.LOR,
  T.LUNLESS,
  T.OFFSET,
  T.WITHOUT,
  T.START,
  T.END,
]);

/** Keywords accepted as label names in `by (…)`, `on (…)` and the like. */
const LABEL_KEYWORDS: ReadonlySet<ItemType> = new Set<ItemType>([
  T.BOOL,
  T.BY,
  T.GROUP_LEFT,
  T.GROUP_RIGHT,
  T.IGNORING,
  T.LAND,
  T.LOR,
  T.LUNLESS,
  T.OFFSET,
  T.ON,
  T.START,
  T.END,
  T.ATAN2,
]);

const MATCH_OPS: ReadonlyMap<ItemType, MatchType> = new Map<ItemType, MatchType>([
  [T.EQL, "="],
  [T.NEQ, "!="],
  [T.EQL_REGEX, "=~"],
  [T.NEQ_REGEX, "!~"],
]);

function isMetricNameToken(t: ItemType): boolean {
  return t === T.IDENTIFIER || t === T.METRIC_IDENTIFIER || isAggregator(t) || METRIC_NAME_KEYWORDS.has(t);
}

function isLabelToken(t: ItemType): boolean {
  return t === T.IDENTIFIER || t === T.METRIC_IDENTIFIER || isAggregator(t) || LABEL_KEYWORDS.has(t);
}

/** Items an expression can start with. */
function startsExpression(t: ItemType): boolean {
  switch (t) {
    case T.NUMBER:
    case T.DURATION:
    case T.STRING:
    case T.LEFT_PAREN:
    case T.LEFT_BRACE:
    case T.ADD:
    case T.SUB:
      return true;
    default:
      return isMetricNameToken(t);
  }
}

function end(it: Item): number {
  return it.pos + it.val.length;
}

function range(it: Item): PosRange {
  return { start: it.pos, end: end(it) };
}

// Go's strconv.ParseInt(s, 0, 64) followed by ParseFloat, for what the lexer hands out.
const INT64_MAX = 9223372036854775807n;
const DECIMAL_INT = /^[0-9]+$/;
const OCTAL_INT = /^0[0-7]+$/;
const HEX_INT = /^0[xX][0-9a-fA-F]+$/;

/**
 * A number literal's value, or the reason it cannot be parsed (upstream's
 * text). `text` is what the lexer scans as a number (or `Inf`, `NaN`): this
 * is not a general string-to-number conversion.
 */
export function parseNumber(text: string): number | string {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf") return Number.POSITIVE_INFINITY;
  if (lower === "-inf") return Number.NEGATIVE_INFINITY;
  if (lower === "nan") return Number.NaN;
  const syntax = `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`;
  if (text.includes("_") && !underscoresOK(text)) return syntax;
  const s = text.replaceAll("_", "");
  if (s.startsWith("0x") || s.startsWith("0X")) {
    if (!HEX_INT.test(s)) return syntax;
    const v = BigInt(s);
    // Beyond int64, ParseFloat would need a `p` exponent for hex: invalid syntax.
    return v > INT64_MAX ? syntax : Number(v);
  }
  if (OCTAL_INT.test(s)) {
    const v = BigInt(`0o${s.slice(1)}`);
    if (v <= INT64_MAX) return Number(v);
  } else if (DECIMAL_INT.test(s) && s.length < 19) {
    return Number(s);
  }
  const f = Number(s);
  if (Number.isNaN(f)) return syntax;
  if (!Number.isFinite(f)) return `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`;
  return f;
}

/**
 * Decodes UTF-8 like Go reads a string: a byte that does not start a valid
 * sequence stands for itself. Such a byte b becomes the lone surrogate
 * U+DC00+b ("surrogate escape"), so the string keeps it: it is not valid UTF-8
 * (`isWellFormed()` is false, names with it are rejected) and
 * `printer.quoteString` writes it back as `\xNN`, as Go's quoting does.
 */
export function decodeUTF8(b: readonly number[]): string {
  let out = "";
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let cp = -1;
    let n = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c <= 0xdf && cont(b[i + 1])) {
      cp = ((c & 0x1f) << 6) | (b[i + 1]! & 0x3f);
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef && cont(b[i + 1]) && cont(b[i + 2])) {
      const v = ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) {
        cp = v;
        n = 3;
      }
    } else if (c >= 0xf0 && c <= 0xf4 && cont(b[i + 1]) && cont(b[i + 2]) && cont(b[i + 3])) {
      const v =
        ((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f);
      if (v >= 0x10000 && v <= 0x10ffff) {
        cp = v;
        n = 4;
      }
    }
    out += cp < 0 ? String.fromCharCode(0xdc00 + c) : String.fromCodePoint(cp);
    i += cp < 0 ? 1 : n;
  }
  return out;
}

function cont(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80;
}

/**
 * The value of a string item (quotes included), with Go's escapes resolved. The
 * lexer has validated the escapes. `\x` and octal escapes are bytes, so the value
 * is assembled as UTF-8 and decoded; bytes that are not valid UTF-8 are kept as
 * surrogate escapes (see `decodeUTF8`).
 */
export function unquoteString(raw: string): string {
  if (raw[0] === "`" || !raw.includes("\\")) return raw.slice(1, -1);
  return decodeUTF8(unquoteBytes(raw, { singleQuotedStrings: true }));
}

/** Go's `%f` (six decimals), as upstream prints out-of-bounds `@` timestamps. */
function formatFixed6(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  if (Math.abs(v) >= 1e21) return `${BigInt(v).toString()}.000000`;
  return v.toFixed(6);
}

/** 2^63, which is what int64's bounds become as float64. */
const TWO_63 = 2 ** 63;
/** Bounds on a duration literal in seconds: what fits in int64 nanoseconds. */
const MAX_DURATION_SECONDS = TWO_63 / 1e9;

/**
 * A parsed (and folded) duration: a number literal, or an expression over them.
 * `start`/`end` are the expression's range as upstream reports it (parentheses
 * excluded); `last` is the end of the last item consumed.
 */
interface Duration {
  sec: number;
  literal: boolean;
  start: number;
  end: number;
  last: number;
  /** An evaluation error upstream would raise when preparing the query. */
  err: DeferredError | null;
}

interface DeferredError {
  start: number;
  end: number;
  message: string;
}

/** Duration evaluation errors of one node, checked in this order (as upstream). */
interface Deferred {
  offset?: DeferredError;
  step?: DeferredError;
  range?: DeferredError;
}

class Parser {
  private readonly input: string;
  private readonly lexer: Lexer;
  private readonly experimental: boolean;
  private la: Item | null = null;
  private la2: Item | null = null;
  private readonly errors: ParseError[] = [];
  private ctx: ErrorContext = TOP;
  private depth = 0;
  /**
   * Open parentheses (`P`), call argument lists (`C`) and aggregations (`A`, `M`
   * when `by`/`without` came before the arguments), innermost last.
   */
  private enclosures = "";
  /** Nodes whose offset was given as an expression rather than a literal. */
  private readonly offsetExprs = new Set<VectorSelector | SubqueryExpr>();
  private readonly deferred = new Map<Expr, Deferred>();

  constructor(input: string, opts: ParseOptions) {
    this.input = input;
    this.lexer = new Lexer(input);
    this.experimental = opts.experimentalFunctions === true;
  }

  // ---- Items and errors ----------------------------------------------------------

  private fetch(): Item {
    const it = this.lexer.next();
    if (it.type === T.ERROR) {
      this.addError({ start: it.pos, end: this.input.length }, it.val);
      throw ABORT;
    }
    return it;
  }

  private peek(): Item {
    if (this.la === null) this.la = this.fetch();
    return this.la;
  }

  private peek2(): Item {
    this.peek();
    if (this.la2 === null) this.la2 = this.fetch();
    return this.la2;
  }

  private take(): Item {
    const it = this.peek();
    this.la = this.la2;
    this.la2 = null;
    return it;
  }

  private addError(pos: PosRange, message: string): void {
    this.errors.push(new ParseError(this.input, pos, message));
  }

  /** Records a syntax error at `it` for the innermost construct and unwinds. */
  private unexpected(it: Item, ctx: ErrorContext = this.ctx): never {
    if (ctx === CTX_AGGREGATION && it.type === T.RIGHT_PAREN && this.panicsUpstream()) {
      throw new ParseError(this.input, range(it), "unexpected error", "internal");
    }
    let msg = `unexpected ${describeItem(it)}`;
    if (ctx.context !== "") msg += ` in ${ctx.context}`;
    if (ctx.expected !== "") msg += `, expected ${ctx.expected}`;
    this.addError(range(it), msg);
    throw ABORT;
  }

  /**
   * Upstream v3.5's parser panics (and reports only `unexpected error`) when it
   * recovers from a `)` that is out of place inside an aggregation written without
   * a leading `by`/`without`, if the aggregation sits in parentheses or a function
   * call and in no aggregation that has a leading `by`/`without`. Found by
   * comparison with the reference binary.
   */
  private panicsUpstream(): boolean {
    const e = this.enclosures;
    const i = Math.max(e.lastIndexOf("A"), e.lastIndexOf("M"));
    if (i < 0 || e[i] === "M") return false;
    const outside = e.slice(0, i);
    return !outside.includes("M") && (outside.includes("P") || outside.includes("C"));
  }

  private enter(at: number): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      this.addError(
        { start: at, end: at },
        `query is nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`,
      );
      throw ABORT;
    }
  }

  // ---- Entry points --------------------------------------------------------------

  parseQuery(): Expr {
    let expr: Expr | null = null;
    try {
      if (this.peek().type === T.EOF) {
        this.addError({ start: 0, end: 0 }, "no expression found in input");
      } else {
        expr = this.parseExpr(0);
        const t = this.peek();
        if (t.type !== T.EOF) this.unexpected(t);
      }
    } catch (e) {
      if (e !== ABORT) throw e;
    }
    if (expr !== null && this.errors.length === 0) this.checkTreeDepth(expr);
    if (expr !== null && this.errors.length === 0) {
      new Checker(this.input, (pos, msg) => this.addError(pos, msg)).check(expr);
    }
    if (this.errors.length > 0 || expr === null) throw new ParseErrors(this.errors);
    if (this.deferred.size > 0) this.raiseDeferred(expr);
    return expr;
  }

  parseSelectorOnly(): VectorSelector {
    let vs: VectorSelector | null = null;
    try {
      const t = this.peek();
      if (t.type === T.LEFT_BRACE) vs = this.parseVectorSelector(null);
      else if (isMetricNameToken(t.type)) vs = this.parseVectorSelector(this.take());
      else this.unexpected(t);
      const after = this.peek();
      if (after.type !== T.EOF) this.unexpected(after);
    } catch (e) {
      if (e !== ABORT) throw e;
    }
    if (this.errors.length > 0 || vs === null) throw new ParseErrors(this.errors);
    return vs;
  }

  // ---- Expressions ---------------------------------------------------------------

  private parseExpr(minPrec: number): Expr {
    this.enter(this.peek().pos);
    let lhs = this.parseUnary();
    for (;;) {
      const op = this.peek();
      const prec = binaryPrecedence(op.type);
      if (prec === 0 || prec < minPrec) break;
      this.take();
      const modifiers = this.parseBinaryModifiers();
      const rhs = this.parseExpr(op.type === T.POW ? prec : prec + 1);
      lhs = {
        type: "BinaryExpr",
        op: BINARY_OPS.get(op.type)!,
        lhs,
        rhs,
        matching: modifiers.matching,
        returnBool: modifiers.returnBool,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
      };
    }
    this.depth--;
    return lhs;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type !== T.ADD && t.type !== T.SUB) return this.parsePostfix(this.parsePrimary());
    this.take();
    // Unary operators bind like `*`: only `^` (and the postfix modifiers) bind tighter.
    const operand = this.parseExpr(POW_PRECEDENCE);
    if (operand.type === "NumberLiteral") {
      const lit: NumberLiteral = {
        type: "NumberLiteral",
        value: t.type === T.SUB ? -operand.value : operand.value,
        pos: { start: t.pos, end: operand.pos.end },
      };
      if (operand.duration === true) lit.duration = true;
      return lit;
    }
    return {
      type: "UnaryExpr",
      op: t.type === T.SUB ? "-" : "+",
      expr: operand,
      pos: { start: t.pos, end: operand.pos.end },
    };
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case T.NUMBER:
        this.take();
        return { type: "NumberLiteral", value: this.numberValue(t), pos: range(t) };
      case T.DURATION: {
        this.take();
        return { type: "NumberLiteral", value: this.durationSeconds(t), duration: true, pos: range(t) };
      }
      case T.STRING: {
        this.take();
        const lit: StringLiteral = { type: "StringLiteral", value: unquoteString(t.val), pos: range(t) };
        return lit;
      }
      case T.LEFT_PAREN: {
        this.take();
        this.enclosures += "P";
        const inner = this.parseExpr(0);
        const close = this.peek();
        if (close.type !== T.RIGHT_PAREN) this.unexpected(close);
        this.take();
        this.enclosures = this.enclosures.slice(0, -1);
        return { type: "ParenExpr", expr: inner, pos: { start: t.pos, end: end(close) } };
      }
      case T.LEFT_BRACE:
        return this.parseVectorSelector(null);
      case T.IDENTIFIER:
        if (this.peek2().type === T.LEFT_PAREN) return this.parseCall();
        return this.parseVectorSelector(this.take());
    }
    if (isAggregator(t.type)) {
      const next = this.peek2().type;
      if (next === T.LEFT_PAREN || next === T.BY || next === T.WITHOUT) return this.parseAggregate();
    }
    if (isMetricNameToken(t.type)) return this.parseVectorSelector(this.take());
    return this.unexpected(t);
  }

  private numberValue(t: Item): number {
    const v = parseNumber(t.val);
    if (typeof v === "string") {
      this.addError(range(t), `error parsing number: ${v}`);
      return 0;
    }
    return v;
  }

  /** A duration item in seconds, as upstream's `time.Duration.Seconds()`. */
  private durationSeconds(t: Item): number {
    let ms: number;
    try {
      ms = parseDuration(t.val);
    } catch (e) {
      if (!(e instanceof DurationError)) throw e;
      this.addError(range(t), e.message);
      return 0;
    }
    const whole = Math.trunc(ms / 1000);
    return whole + ((ms - whole * 1000) * 1e6) / 1e9;
  }

  private parseBinaryModifiers(): { returnBool: boolean; matching: VectorMatching } {
    const matching: VectorMatching = { card: "one-to-one", on: false, labels: [], include: [] };
    let returnBool = false;
    if (this.peek().type === T.BOOL) {
      this.take();
      returnBool = true;
    }
    const t = this.peek();
    if (t.type === T.ON || t.type === T.IGNORING) {
      this.take();
      matching.on = t.type === T.ON;
      matching.labels = this.parseGroupingLabels().labels;
      const g = this.peek();
      if (g.type === T.GROUP_LEFT || g.type === T.GROUP_RIGHT) {
        this.take();
        matching.card = g.type === T.GROUP_LEFT ? "many-to-one" : "one-to-many";
        const next = this.peek();
        if (next.type === T.LEFT_PAREN) matching.include = this.parseGroupingLabels().labels;
        else if (!startsExpression(next.type)) this.unexpected(next, CTX_GROUPING_OPEN);
      }
    }
    return { returnBool, matching };
  }

  /** `(label, …)` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`. */
  private parseGroupingLabels(): { labels: string[]; end: number } {
    const open = this.peek();
    if (open.type !== T.LEFT_PAREN) this.unexpected(open, CTX_GROUPING_OPEN);
    this.take();
    const labels: string[] = [];
    let t = this.peek();
    if (t.type === T.RIGHT_PAREN) {
      this.take();
      return { labels, end: end(t) };
    }
    for (;;) {
      t = this.peek();
      if (isLabelToken(t.type)) {
        this.take();
        labels.push(t.val);
      } else if (t.type === T.STRING) {
        this.take();
        const name = unquoteString(t.val);
        if (!isValidUTF8Name(name))
          this.addError(range(t), `invalid label name for grouping: ${goQuote(name)}`);
        labels.push(name);
      } else {
        this.unexpected(t, CTX_GROUPING_LABEL);
      }
      const sep = this.peek();
      if (sep.type === T.COMMA) {
        this.take();
        const close = this.peek();
        if (close.type === T.RIGHT_PAREN) {
          this.take();
          return { labels, end: end(close) };
        }
        continue;
      }
      if (sep.type === T.RIGHT_PAREN) {
        this.take();
        return { labels, end: end(sep) };
      }
      this.unexpected(sep, CTX_GROUPING_NEXT);
    }
  }

  /** The parenthesised arguments of a call or aggregation; the `(` is next. */
  private parseArguments(): { args: Expr[]; end: number } {
    this.take();
    const args: Expr[] = [];
    let t = this.peek();
    if (t.type === T.RIGHT_PAREN) {
      this.take();
      return { args, end: end(t) };
    }
    args.push(this.parseExpr(0));
    for (;;) {
      t = this.peek();
      if (t.type === T.RIGHT_PAREN) {
        this.take();
        return { args, end: end(t) };
      }
      if (t.type !== T.COMMA) this.unexpected(t);
      this.take();
      if (startsExpression(this.peek().type)) args.push(this.parseExpr(0));
      else this.addError(range(t), "trailing commas not allowed in function call args");
    }
  }

  private parseCall(): Call {
    const name = this.take();
    this.enclosures += "C";
    const { args, end: close } = this.parseArguments();
    this.enclosures = this.enclosures.slice(0, -1);
    let func = FUNCTIONS.get(name.val);
    if (func === undefined) {
      this.addError(range(name), `unknown function with name ${goQuote(name.val)}`);
      func = unknownFunction(name.val);
    } else if (func.experimental && !this.experimental) {
      this.addError(range(name), `function ${goQuote(name.val)} is not enabled`);
    }
    return { type: "Call", func, args, pos: { start: name.pos, end: close } };
  }

  private parseAggregate(): AggregateExpr {
    const opItem = this.take();
    const op = AGGREGATE_OPS.get(opItem.type)!;
    const outer = this.ctx;
    this.ctx = CTX_AGGREGATION;
    let grouping: string[] = [];
    let without = false;
    let modifierFirst = false;
    this.enclosures += "A";
    let t = this.peek();
    if (t.type === T.BY || t.type === T.WITHOUT) {
      this.take();
      without = t.type === T.WITHOUT;
      grouping = this.parseGroupingLabels().labels;
      modifierFirst = true;
      this.enclosures = `${this.enclosures.slice(0, -1)}M`;
    }
    t = this.peek();
    if (t.type !== T.LEFT_PAREN) this.unexpected(t);
    const body = this.parseArguments();
    this.enclosures = this.enclosures.slice(0, -1);
    this.ctx = outer;
    let close = body.end;
    if (!modifierFirst) {
      t = this.peek();
      if (t.type === T.BY || t.type === T.WITHOUT) {
        this.take();
        without = t.type === T.WITHOUT;
        const g = this.parseGroupingLabels();
        grouping = g.labels;
        close = g.end;
      }
    }
    const pos = { start: opItem.pos, end: close };
    const agg: AggregateExpr = {
      type: "AggregateExpr",
      op,
      expr: PLACEHOLDER,
      param: null,
      grouping,
      without,
      pos,
    };
    const args = body.args;
    if (args.length === 0) {
      this.addError(pos, "no arguments for aggregate expression provided");
      return agg;
    }
    let wanted = 1;
    if (PARAM_AGGREGATES.has(op)) {
      if ((op === "limitk" || op === "limit_ratio") && !this.experimental) {
        this.addError(
          pos,
          `${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`,
        );
        return agg;
      }
      wanted = 2;
      agg.param = args[0]!;
    }
    if (args.length !== wanted) {
      this.addError(
        pos,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
      );
      return agg;
    }
    agg.expr = args[wanted - 1]!;
    return agg;
  }

  // ---- Selectors -----------------------------------------------------------------

  private parseVectorSelector(name: Item | null): VectorSelector {
    let matchers: Matcher[] = [];
    let pos: PosRange;
    if (name === null || this.peek().type === T.LEFT_BRACE) {
      const braces = this.parseLabelMatchers();
      matchers = braces.matchers;
      pos = { start: name === null ? braces.start : name.pos, end: braces.end };
    } else {
      pos = range(name);
    }
    if (name !== null) matchers.push(Matcher.create("=", "__name__", name.val));
    return {
      type: "VectorSelector",
      name: name === null ? "" : name.val,
      matchers,
      offset: 0,
      at: null,
      pos,
    };
  }

  /** `{…}`: the `{` is next. */
  private parseLabelMatchers(): { matchers: Matcher[]; start: number; end: number } {
    const open = this.take();
    const matchers: Matcher[] = [];
    let t = this.peek();
    if (t.type === T.RIGHT_BRACE) {
      this.take();
      return { matchers, start: open.pos, end: end(t) };
    }
    for (;;) {
      const m = this.parseLabelMatcher();
      if (m !== null) matchers.push(m);
      t = this.peek();
      if (t.type === T.COMMA) {
        this.take();
        const close = this.peek();
        if (close.type === T.RIGHT_BRACE) {
          this.take();
          return { matchers, start: open.pos, end: end(close) };
        }
        continue;
      }
      if (t.type === T.RIGHT_BRACE) {
        this.take();
        return { matchers, start: open.pos, end: end(t) };
      }
      this.unexpected(t, CTX_MATCHER_NEXT);
    }
  }

  private parseLabelMatcher(): Matcher | null {
    const label = this.peek();
    if (label.type !== T.IDENTIFIER && label.type !== T.STRING) this.unexpected(label, CTX_MATCHER_START);
    this.take();
    const quoted = label.type === T.STRING;
    const labelName = quoted ? unquoteString(label.val) : label.val;
    const opItem = this.peek();
    const op = MATCH_OPS.get(opItem.type);
    if (op === undefined) {
      // A lone quoted name is a metric name.
      if (quoted) return Matcher.create("=", "__name__", labelName);
      this.unexpected(opItem, CTX_MATCHER_OP);
    }
    this.take();
    const value = this.peek();
    if (value.type !== T.STRING) this.unexpected(value, CTX_MATCHER_VALUE);
    this.take();
    try {
      return Matcher.create(op, labelName, unquoteString(value.val));
    } catch (e) {
      if (!(e instanceof RegexError)) throw e;
      this.addError({ start: label.pos, end: end(value) }, e.message);
      return null;
    }
  }

  // ---- Postfix modifiers: offset, @, [range], [range:step] -------------------------

  private parsePostfix(e: Expr): Expr {
    let expr = e;
    for (;;) {
      const t = this.peek();
      if (t.type === T.OFFSET) {
        this.take();
        expr = this.parseOffset(expr);
      } else if (t.type === T.AT) {
        this.take();
        expr = this.parseAt(expr);
      } else if (t.type === T.LEFT_BRACKET) {
        expr = this.parseRangeOrSubquery(expr);
      } else {
        return expr;
      }
    }
  }

  private parseOffset(e: Expr): Expr {
    const outer = this.ctx;
    this.ctx = CTX_OFFSET;
    const d = this.parseOffsetDuration();
    this.ctx = outer;

    const target = this.modifierTarget(e, "offset");
    if (target === null) return e;
    if (target.offset !== 0 || this.offsetExprs.has(target)) {
      this.addError(e.pos, "offset may not be set multiple times");
    } else {
      target.offset = secondsToMs(d.sec);
      if (!d.literal) {
        this.offsetExprs.add(target);
        const err = durationError(d, true);
        if (err !== null) this.defer(target, "offset", err);
      }
    }
    e.pos.end = d.last;
    return e;
  }

  /** The node an `offset` or `@` after `e` sets; null (and an error) when `e` cannot take one. */
  private modifierTarget(e: Expr, modifier: "offset" | "@"): VectorSelector | SubqueryExpr | null {
    if (e.type === "VectorSelector" || e.type === "SubqueryExpr") return e;
    if (e.type === "MatrixSelector") return e.selector;
    this.addError(
      e.pos,
      `${modifier} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
    return null;
  }

  /**
   * The value after `offset`. A plain (optionally signed) literal ends the
   * modifier, so `x offset 5m + 1` adds 1 to `x offset 5m`; anything else is a
   * duration expression that takes in every duration operator that follows
   * (`x offset (1m) * 2` is an offset of 2m), as upstream's grammar resolves it.
   */
  private parseOffsetDuration(): Duration {
    const t = this.peek();
    const signed = t.type === T.ADD || t.type === T.SUB;
    const lit = signed ? this.peek2() : t;
    if (lit.type !== T.NUMBER && lit.type !== T.DURATION) return this.parseDurationExpr(0);
    if (signed) this.take();
    // An operand that is a literal takes no operators after it.
    const d = this.parseDurationOperand();
    return signed ? this.unaryDuration(t, d) : d;
  }

  private parseAt(e: Expr): Expr {
    const outer = this.ctx;
    this.ctx = CTX_AT;
    const t = this.peek();
    let close: number;
    let at: VectorSelector["at"];
    let ts = 0;
    if (t.type === T.START || t.type === T.END) {
      this.take();
      const open = this.peek();
      if (open.type !== T.LEFT_PAREN) this.unexpected(open);
      this.take();
      const rp = this.peek();
      if (rp.type !== T.RIGHT_PAREN) this.unexpected(rp);
      this.take();
      close = end(rp);
      at = t.type === T.START ? { kind: "start" } : { kind: "end" };
    } else {
      let sign = 1;
      let n = t;
      if (t.type === T.ADD || t.type === T.SUB) {
        this.take();
        sign = t.type === T.SUB ? -1 : 1;
        n = this.peek();
      }
      if (n.type === T.NUMBER) ts = this.numberValue(n);
      else if (n.type === T.DURATION) ts = this.durationSeconds(n);
      else this.unexpected(n);
      this.take();
      ts *= sign;
      close = end(n);
      at = { kind: "time", ms: goRound(ts * 1000) };
      if (!Number.isFinite(ts) || ts >= TWO_63 || ts <= -TWO_63) {
        this.addError(e.pos, `timestamp out of bounds for @ modifier: ${formatFixed6(ts)}`);
      }
    }
    this.ctx = outer;

    const target = this.modifierTarget(e, "@");
    if (target === null) return e;
    if (target.at !== null) {
      this.addError(e.pos, "@ <timestamp> may not be set multiple times");
      return e;
    }
    target.at = at;
    e.pos.end = close;
    return e;
  }

  private parseRangeOrSubquery(e: Expr): Expr {
    const open = this.take();
    const outer = this.ctx;
    this.ctx = CTX_RANGE_START;
    const rangeDur = this.parsePositiveDuration();
    this.ctx = CTX_RANGE_DONE;
    let t = this.peek();
    if (t.type === T.RIGHT_BRACKET) {
      this.take();
      this.ctx = outer;
      return this.newMatrixSelector(e, open, t, rangeDur);
    }
    if (t.type !== T.COLON) this.unexpected(t);
    this.take();
    this.ctx = CTX_STEP_START;
    let stepDur: Duration | null = null;
    t = this.peek();
    if (t.type !== T.RIGHT_BRACKET) {
      stepDur = this.parsePositiveDuration();
      this.ctx = CTX_STEP_DONE;
      t = this.peek();
      if (t.type !== T.RIGHT_BRACKET) this.unexpected(t);
    }
    this.take();
    this.ctx = outer;
    const sq: SubqueryExpr = {
      type: "SubqueryExpr",
      expr: e,
      range: secondsToMs(rangeDur.sec),
      step: stepDur === null ? 0 : secondsToMs(stepDur.sec),
      offset: 0,
      at: null,
      pos: { start: e.pos.start, end: end(t) },
    };
    const stepErr = stepDur === null ? null : durationError(stepDur, false);
    if (stepErr !== null) this.defer(sq, "step", stepErr);
    const rangeErr = durationError(rangeDur, false);
    if (rangeErr !== null) this.defer(sq, "range", rangeErr);
    return sq;
  }

  private newMatrixSelector(e: Expr, open: Item, close: Item, d: Duration): Expr {
    let msg = "";
    if (e.type !== "VectorSelector") msg = "ranges only allowed for vector selectors";
    else if (e.offset !== 0 && !this.offsetExprs.has(e)) msg = "no offset modifiers allowed before range";
    else if (e.at !== null && e.at.kind === "time") msg = "no @ modifiers allowed before range";
    if (msg !== "") this.addError({ start: open.pos, end: end(close) }, msg);
    if (e.type !== "VectorSelector") return e;
    const ms: MatrixSelector = {
      type: "MatrixSelector",
      selector: e,
      range: secondsToMs(d.sec),
      pos: { start: e.pos.start, end: end(close) },
    };
    const err = durationError(d, false);
    if (err !== null) this.defer(ms, "range", err);
    return ms;
  }

  private defer(node: Expr, kind: keyof Deferred, err: DeferredError): void {
    let d = this.deferred.get(node);
    if (d === undefined) {
      d = {};
      this.deferred.set(node, d);
    }
    d[kind] = err;
  }

  // ---- Duration expressions --------------------------------------------------------

  /** A range or step: a duration expression whose literal value must be positive. */
  private parsePositiveDuration(): Duration {
    const d = this.parseDurationExpr(0);
    if (d.literal && d.sec <= 0) {
      this.addError({ start: d.start, end: d.end }, "duration must be greater than 0");
      return { ...d, sec: 0 };
    }
    return d;
  }

  private parseDurationExpr(minPrec: number): Duration {
    this.enter(this.peek().pos);
    let lhs = this.parseDurationOperand();
    for (;;) {
      const op = this.peek();
      const prec = durationPrecedence(op.type);
      if (prec === 0 || prec < minPrec) break;
      this.take();
      const rhs = this.parseDurationExpr(op.type === T.POW ? prec : prec + 1);
      lhs = this.binaryDuration(lhs, op, rhs);
    }
    this.depth--;
    return lhs;
  }

  private parseDurationOperand(): Duration {
    const t = this.peek();
    if (t.type === T.NUMBER || t.type === T.DURATION) {
      this.take();
      return this.durationLiteral(t);
    }
    if (t.type === T.ADD || t.type === T.SUB) {
      this.take();
      return this.unaryDuration(t, this.parseDurationExpr(POW_PRECEDENCE));
    }
    if (t.type === T.LEFT_PAREN) {
      this.take();
      const inner = this.parseDurationExpr(0);
      const close = this.peek();
      if (close.type !== T.RIGHT_PAREN) this.unexpected(close);
      this.take();
      return { ...inner, last: end(close) };
    }
    return this.unexpected(t);
  }

  private durationLiteral(t: Item): Duration {
    const sec = t.type === T.DURATION ? this.durationSeconds(t) : this.numberValue(t);
    const d: Duration = { sec, literal: true, start: t.pos, end: end(t), last: end(t), err: null };
    if (sec > MAX_DURATION_SECONDS || sec < -MAX_DURATION_SECONDS) {
      this.addError(range(t), "duration out of range");
      return { ...d, sec: 0, start: 0, end: 0 };
    }
    return d;
  }

  private unaryDuration(op: Item, x: Duration): Duration {
    const neg = op.type === T.SUB;
    if (x.literal) {
      const sec = neg ? -x.sec : x.sec;
      if (sec > MAX_DURATION_SECONDS || sec < -MAX_DURATION_SECONDS) {
        this.addError(range(op), "duration out of range");
        return { ...x, sec: 0, start: 0, end: 0 };
      }
      return { ...x, sec, start: op.pos };
    }
    if (!neg) return x;
    return { ...x, sec: -x.sec, start: op.pos };
  }

  private binaryDuration(l: Duration, op: Item, r: Duration): Duration {
    const div = op.type === T.DIV;
    const mod = op.type === T.MOD;
    if ((div || mod) && r.literal && r.sec === 0) {
      this.addError(range(op), div ? "division by zero" : "modulo by zero");
      return { sec: 0, literal: true, start: 0, end: 0, last: r.last, err: null };
    }
    let err = l.err ?? r.err;
    let sec: number;
    switch (op.type) {
      case T.ADD:
        sec = l.sec + r.sec;
        break;
      case T.SUB:
        sec = l.sec - r.sec;
        break;
      case T.MUL:
        sec = l.sec * r.sec;
        break;
      case T.DIV:
        sec = l.sec / r.sec;
        break;
      case T.MOD:
        sec = l.sec % r.sec;
        break;
      default:
        sec = l.sec ** r.sec;
    }
    if ((div || mod) && r.sec === 0 && err === null) {
      err = { start: l.start, end: r.end, message: div ? "division by zero" : "modulo by zero" };
    }
    return { sec, literal: false, start: l.start, end: r.end, last: r.last, err };
  }

  // ---- After parsing -----------------------------------------------------------------

  /** Rejects trees deeper than the limit (long left-associative chains are built iteratively). */
  private checkTreeDepth(root: Expr): void {
    const stack: Array<[Expr, number]> = [[root, 1]];
    while (stack.length > 0) {
      const [e, d] = stack.pop()!;
      if (d > MAX_NESTING_DEPTH) {
        this.addError(
          { start: e.pos.start, end: e.pos.start },
          `query is nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`,
        );
        return;
      }
      for (const c of children(e)) stack.push([c, d + 1]);
    }
  }

  /** Raises the first duration evaluation error, visiting nodes as upstream does (pre-order). */
  private raiseDeferred(root: Expr): void {
    const stack: Expr[] = [root];
    while (stack.length > 0) {
      const e = stack.pop()!;
      const d = this.deferred.get(e);
      const err = d?.offset ?? d?.step ?? d?.range;
      if (err !== undefined) {
        throw new ParseError(this.input, { start: err.start, end: err.end }, err.message, "duration");
      }
      const cs = children(e);
      for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]!);
    }
  }
}

/** What upstream reports when an evaluated duration expression is out of bounds. */
function durationError(d: Duration, allowNegative: boolean): DeferredError | null {
  if (d.literal) return null;
  if (d.err !== null) return d.err;
  if (!allowNegative && d.sec <= 0)
    return { start: d.start, end: d.end, message: "duration must be greater than 0" };
  // Upstream compares seconds with int64's bounds (2^63 as a float).
  if (!(d.sec <= TWO_63 && d.sec >= -TWO_63)) {
    return { start: d.start, end: d.end, message: "duration is out of range" };
  }
  return null;
}

/** Child expressions in upstream's order. */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case "AggregateExpr":
      return e.param === null ? [e.expr] : [e.expr, e.param];
    case "BinaryExpr":
      return [e.lhs, e.rhs];
    case "Call":
      return e.args;
    case "SubqueryExpr":
    case "ParenExpr":
    case "UnaryExpr":
    case "StepInvariantExpr":
      return [e.expr];
    case "MatrixSelector":
      return [e.selector];
    default:
      return [];
  }
}

/** Stands in for the argument of an aggregation that failed to parse (never returned). */
const PLACEHOLDER: NumberLiteral = { type: "NumberLiteral", value: 0, pos: { start: 0, end: 0 } };

function unknownFunction(name: string): FunctionDef {
  return { name, argTypes: [], variadic: 0, returnType: "vector", experimental: false };
}

/**
 * Parses a PromQL expression. Throws {@link ParseErrors} (a {@link ParseError}) with
 * upstream's message, e.g. `1:14: parse error: unexpected end of input`.
 */
export function parseExpr(input: string, opts: ParseOptions = {}): Expr {
  return new Parser(input, opts).parseQuery();
}

/**
 * Parses a series selector as the API's `match[]` takes it (`up{job="x"}`,
 * `{__name__=~"a.*"}`) into its matchers, the `__name__` matcher for a name written
 * before the braces last. Like upstream it does not require a non-empty matcher:
 * callers check that themselves. Throws {@link ParseErrors}.
 */
export function parseMetricSelector(input: string): Matcher[] {
  return new Parser(input, {}).parseSelectorOnly().matchers;
}
