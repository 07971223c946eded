/**
 * The executor of Go's `text/template/exec.go`, asynchronous so that template
 * functions may return Promises (Prometheus' `query`). Walks a parse tree with dot,
 * variables and nested template calls, with upstream's error texts and error
 * positions (`template: t:1:5: executing "t" at <.Foo>: …`).
 *
 * Bounded: output size, nested template depth and the number of evaluation steps are
 * limited (see {@link ExecLimits}), so no template can hang or exhaust memory.
 */

import { goQuote } from "../model/labels/strings.ts";
import { TemplateError } from "./errors.ts";
import { printValueString } from "./fmt.ts";
import { BUILTINS, type GoFunc, truth } from "./funcs.ts";
import { htmlTemplateEscape } from "./htmlescape.ts";
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from "./node.ts";
import { errorLocation, nodeString } from "./node.ts";
import type { Tree } from "./parse.ts";
import { GoDuration } from "./time.ts";
import {
  assignable,
  canBeNil,
  elemTypeName,
  findMethod,
  GoComplex,
  isTrue,
  kindOf,
  mapGet,
  sortedEntries,
  structField,
  typeName,
  zeroOf,
} from "./values.ts";

/** What the executor needs from a template. */
export interface ExecTemplate {
  readonly name: string;
  readonly tree: Tree | null;
  lookupTemplate(name: string): ExecTemplate | undefined;
  /** A user function by name (builtins are found by the executor). */
  userFunc(name: string): GoFunc | undefined;
  readonly missingKey: "invalid" | "zero" | "error";
  /** html/template mode: every action's output is HTML-escaped. */
  readonly escapeHTML: boolean;
}

/** Resource limits of one execution. */
export interface ExecLimits {
  /** Output cap in UTF-16 code units. */
  readonly maxOutput: number;
  /** Maximum nesting of `{{template}}` calls (Go: 100000). */
  readonly maxDepth: number;
  /** Maximum number of evaluated nodes (actions, commands, loop bodies). */
  readonly maxSteps: number;
}

/** Defaults: 10 MiB of output, template depth 10000 (Go: 100000; see README), 2 million steps. */
export const DEFAULT_LIMITS: ExecLimits = {
  maxOutput: 10 * 1024 * 1024,
  maxDepth: 10000,
  maxSteps: 2_000_000,
};

const MISSING: unique symbol = Symbol("missingVal");
type Final = unknown | typeof MISSING;

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Flow = 0 | 1 | 2;

interface Variable {
  readonly name: string;
  value: unknown;
}

class Context {
  readonly chunks: string[] = [];
  size = 0;
  steps = 0;
  readonly limits: ExecLimits;
  constructor(limits: ExecLimits) {
    this.limits = limits;
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === "0" && (s[1] === "x" || s[1] === "X") && !/[pP]/.test(s);
}

class State {
  readonly tmpl: ExecTemplate;
  readonly ctx: Context;
  readonly vars: Variable[];
  readonly depth: number;
  node: Node | null = null;

  constructor(tmpl: ExecTemplate, ctx: Context, vars: Variable[], depth: number) {
    this.tmpl = tmpl;
    this.ctx = ctx;
    this.vars = vars;
    this.depth = depth;
  }

  at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.tmpl.name;
    if (this.node === null) throw new TemplateError("exec", `template: ${name}: ${msg}`);
    const ctxText = nodeString(this.node);
    throw new TemplateError(
      "exec",
      `template: ${errorLocation(this.node)}: executing ${goQuote(name)} at <${ctxText}>: ${msg}`,
    );
  }

  step(): void {
    if (++this.ctx.steps > this.ctx.limits.maxSteps) {
      this.errorf(`execution exceeded the limit of ${this.ctx.limits.maxSteps} steps`);
    }
  }

  write(s: string): void {
    this.ctx.size += s.length;
    if (this.ctx.size > this.ctx.limits.maxOutput) {
      this.errorf(`output exceeded the limit of ${this.ctx.limits.maxOutput} characters`);
    }
    this.ctx.chunks.push(s);
  }

  mark(): number {
    return this.vars.length;
  }

  pop(mark: number): void {
    this.vars.length = mark;
  }

  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n].value = value;
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  async walk(dot: unknown, node: Node): Promise<Flow> {
    this.at(node);
    this.step();
    switch (node.type) {
      case "action": {
        const val = await this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NORMAL;
      }
      case "break":
        return BREAK;
      case "continue":
        return CONTINUE;
      case "comment":
        return NORMAL;
      case "if":
      case "with":
        return this.walkIfOrWith(dot, node);
      case "list":
        for (const n of node.nodes) {
          const flow = await this.walk(dot, n);
          if (flow !== NORMAL) return flow;
        }
        return NORMAL;
      case "range":
        await this.walkRange(dot, node);
        return NORMAL;
      case "template":
        await this.walkTemplate(dot, node);
        return NORMAL;
      case "text":
        this.write(node.text);
        return NORMAL;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  async walkIfOrWith(dot: unknown, node: BranchNode): Promise<Flow> {
    const mark = this.mark();
    try {
      const val = await this.evalPipeline(dot, node.pipe);
      const { truth: t, ok } = isTrue(val);
      if (!ok) this.errorf(`if/with can't use ${printValueString(val)}`);
      if (t) return await this.walk(node.type === "with" ? val : dot, node.list);
      if (node.elseList !== null) return await this.walk(dot, node.elseList);
      return NORMAL;
    } finally {
      this.pop(mark);
    }
  }

  async oneIteration(r: BranchNode, mark: number, index: unknown, elem: unknown): Promise<Flow> {
    const decl = r.pipe.decl;
    if (decl.length > 0) {
      if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
      else this.setTopVar(1, elem);
    }
    if (decl.length > 1) {
      if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
      else this.setTopVar(2, index);
    }
    try {
      return await this.walk(elem, r.list);
    } finally {
      this.pop(mark);
    }
  }

  async walkRange(dot: unknown, r: BranchNode): Promise<void> {
    this.at(r);
    const outer = this.mark();
    try {
      const val = await this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      if (await this.rangeOver(r, mark, val)) return;
      if (r.elseList !== null) await this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  /** Runs the iterations; false when there were none (the else branch runs). */
  async rangeOver(r: BranchNode, mark: number, val: unknown): Promise<boolean> {
    const kind = kindOf(val);
    if (typeof val === "bigint" || val instanceof GoDuration) {
      if (r.pipe.decl.length > 1)
        this.errorf(`can't use ${printValueString(val)} to iterate over more than one variable`);
      const n = typeof val === "bigint" ? val : val.nanoseconds;
      for (let i = 0n; i < n; i++) {
        const elem = typeof val === "bigint" ? i : new GoDuration(i);
        if ((await this.oneIteration(r, mark, undefined, elem)) === BREAK) break;
      }
      return n > 0n;
    }
    switch (kind) {
      case "slice": {
        const arr = val as unknown[];
        for (let i = 0; i < arr.length; i++) {
          if ((await this.oneIteration(r, mark, BigInt(i), arr[i])) === BREAK) break;
        }
        return arr.length > 0;
      }
      case "map": {
        const entries = sortedEntries(val);
        for (const [k, v] of entries) {
          if ((await this.oneIteration(r, mark, k, v)) === BREAK) break;
        }
        return entries.length > 0;
      }
      case "invalid":
        return false;
      default:
        this.errorf(`range can't iterate over ${printValueString(val)}`);
    }
  }

  async walkTemplate(dot: unknown, t: TemplateNode): Promise<void> {
    this.at(t);
    const tmpl = this.tmpl.lookupTemplate(t.name);
    if (tmpl === undefined || tmpl.tree === null) {
      if (this.tmpl.escapeHTML) {
        throw new TemplateError(
          "exec",
          `html/template:${errorLocation(t)}: no such template ${goQuote(t.name)}`,
        );
      }
      this.errorf(`template ${goQuote(t.name)} not defined`);
    }
    if (this.depth >= this.ctx.limits.maxDepth) {
      this.errorf(`exceeded maximum template depth (${this.ctx.limits.maxDepth})`);
    }
    const newDot = await this.evalPipeline(dot, t.pipe);
    const s = new State(tmpl, this.ctx, [{ name: "$", value: newDot }], this.depth + 1);
    await s.walk(newDot, tmpl.tree.root);
  }

  async evalPipeline(dot: unknown, pipe: PipeNode | null): Promise<unknown> {
    if (pipe === null) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = await this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value });
    }
    return value;
  }

  notAFunction(args: readonly Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING)
      this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  async evalCommand(dot: unknown, cmd: CommandNode, final: Final): Promise<unknown> {
    this.step();
    const first = cmd.args[0];
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  idealConstant(c: NumberNode): unknown {
    this.at(c);
    if (c.isComplex) return new GoComplex(c.complex[0], c.complex[1]);
    if (c.isFloat && !isHexInt(c.text) && c.text[0] !== "'" && /[.eEpP]/.test(c.text)) return c.float64;
    if (c.isInt) return c.int64;
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  evalFieldNode(
    dot: unknown,
    field: FieldNode,
    args: readonly Node[] | null,
    final: Final,
  ): Promise<unknown> {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  async evalChainNode(
    dot: unknown,
    chain: ChainNode,
    args: readonly Node[] | null,
    final: Final,
  ): Promise<unknown> {
    this.at(chain);
    if (chain.field.length === 0) this.errorf("internal error: no fields in evalChainNode");
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = await this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  evalVariableNode(
    dot: unknown,
    v: VariableNode,
    args: readonly Node[] | null,
    final: Final,
  ): Promise<unknown> | unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  async evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Node,
    ident: readonly string[],
    args: readonly Node[] | null,
    final: Final,
  ): Promise<unknown> {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++)
      receiver = await this.evalField(dot, ident[i], node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1], node, args, final, receiver);
  }

  evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: readonly Node[] | null, final: Final) {
    this.at(node);
    const name = node.ident;
    const user = this.tmpl.userFunc(name);
    const fn = user ?? BUILTINS.get(name);
    if (fn === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, user === undefined, cmd, name, args, final);
  }

  async evalField(
    dot: unknown,
    fieldName: string,
    node: Node,
    args: readonly Node[] | null,
    final: Final,
    receiver: unknown,
  ): Promise<unknown> {
    if (receiver === undefined || receiver === null) {
      if (this.tmpl.missingKey === "error") this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const method = findMethod(receiver, fieldName);
    if (method !== undefined) {
      const bound: GoFunc = {
        params: new Array(method.length).fill("interface {}"),
        fn: method.bind(receiver),
      };
      return this.evalCall(dot, bound, false, node, fieldName, args, final);
    }
    const hasArgs = (args?.length ?? 0) > 1 || final !== MISSING;
    const kind = kindOf(receiver);
    if (kind === "struct") {
      const f = structField(receiver as object, fieldName);
      if (f.found) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return f.value;
      }
    } else if (kind === "map") {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const { found, value } = mapGet(receiver, fieldName);
      if (found) return value;
      if (this.tmpl.missingKey === "zero") return zeroOf(elemTypeName(receiver));
      if (this.tmpl.missingKey === "error") this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typeName(receiver)}`);
  }

  async evalCall(
    dot: unknown,
    fn: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    allArgs: readonly Node[] | null,
    final: Final,
  ): Promise<unknown> {
    const args = allArgs === null ? [] : (allArgs.slice(1) as ArgNode[]);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    const nParams = fn.params.length;
    if (fn.variadic !== undefined) {
      numFixed = nParams;
      if (numIn < numFixed)
        this.errorf(`wrong number of args for ${name}: want at least ${nParams} got ${args.length}`);
    } else if (numIn !== nParams) {
      this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);
    }
    if (isBuiltin && (name === "and" || name === "or")) {
      let v: unknown;
      for (const arg of args) {
        v = await this.evalArg(dot, "reflect.Value", arg);
        if (truth(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(await this.evalArg(dot, fn.params[i], args[i]));
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) argv.push(await this.evalArg(dot, fn.variadic, args[i]));
    }
    if (final !== MISSING) {
      let t = fn.params[nParams - 1];
      if (fn.variadic !== undefined) t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    if (isBuiltin && name === "call") return this.callBuiltin(node, args, argv);
    try {
      const result = (fn.fn as (...a: unknown[]) => unknown)(...argv);
      return result instanceof Promise ? await result : result;
    } catch (err) {
      this.at(node);
      this.errorf(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async callBuiltin(node: Node, args: readonly ArgNode[], argv: unknown[]): Promise<unknown> {
    const calleeName = nodeString(args[0]);
    const [fn, ...rest] = argv;
    try {
      if (fn === undefined || fn === null) throw new Error("call of nil");
      if (typeof fn !== "function") throw new Error(`non-function ${calleeName} of type ${typeName(fn)}`);
      const result = (fn as (...a: unknown[]) => unknown)(...rest);
      return result instanceof Promise ? await result : result;
    } catch (err) {
      this.at(node);
      this.errorf(`error calling call: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  validateType(value: unknown, typ: string | null): unknown {
    if (value === undefined || value === null) {
      if (typ === null || canBeNil(typ)) return undefined;
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ !== null && !assignable(value, typ) && typeName(value) !== `*${typ}`) {
      this.errorf(`wrong type for value; expected ${typ}; got ${typeName(value)}`);
    }
    return value;
  }

  async evalArg(dot: unknown, typ: string | null, n: ArgNode): Promise<unknown> {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === null || canBeNil(typ)) return undefined;
        return this.errorf(`cannot assign nil to ${typ}`);
      case "field":
        return this.validateType(await this.evalFieldNode(dot, n, [n], MISSING), typ);
      case "variable":
        return this.validateType(await this.evalVariableNode(dot, n, null, MISSING), typ);
      case "pipe":
        return this.validateType(await this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(await this.evalFunction(dot, n, n, null, MISSING), typ);
      case "chain":
        return this.validateType(await this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case "bool":
        if (n.type === "bool") return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case "float64":
        if (n.type === "number" && n.isFloat) return n.float64;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case "int":
      case "int64":
        if (n.type === "number" && n.isInt) return n.int64;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case "string":
        if (n.type === "string") return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case "interface {}":
      case "reflect.Value":
        return this.evalEmptyInterface(n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  evalEmptyInterface(n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case "bool":
        return n.value;
      case "number":
        return this.idealConstant(n);
      case "string":
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(n: Node, v: unknown): void {
    this.at(n);
    if (this.tmpl.escapeHTML) {
      this.write(htmlTemplateEscape(v));
      return;
    }
    if (v === undefined || v === null) {
      this.write("<no value>");
      return;
    }
    if (kindOf(v) === "func") this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    this.write(printValueString(v));
  }
}

/** Executes `tmpl` with `data` as dot and `$`; resolves to the output or rejects with a TemplateError. */
export async function executeTemplate(
  tmpl: ExecTemplate,
  data: unknown,
  limits: ExecLimits = DEFAULT_LIMITS,
): Promise<string> {
  const ctx = new Context(limits);
  const s: State = new State(tmpl, ctx, [{ name: "$", value: data }], 0);
  const tree = tmpl.tree;
  if (tree === null) s.errorf(`${goQuote(tmpl.name)} is an incomplete or empty template`);
  await s.walk(data, tree.root);
  return ctx.chunks.join("");
}
