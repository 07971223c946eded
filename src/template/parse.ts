/**
 * The parser of Go's `text/template/parse/parse.go`: builds trees from lexer items,
 * one per `{{define}}`/`{{block}}` plus the top-level template, with upstream's error
 * texts (`template: name:LINE: unexpected "}" in operand`, `function "x" not defined`, …).
 */

import { goQuote } from "../model/labels/strings.ts";
import { QuoteSyntaxError, unquote } from "../model/strconv/quote.ts";
import { I, type Item, type ItemType, Lexer } from "./lex.ts";
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  Source,
  VariableNode,
} from "./node.ts";
import { nodeString } from "./node.ts";
import { NumberSyntaxError, parseNumberValue } from "./number.ts";

/** One parsed template: its name and body (null when only declared). */
export interface Tree {
  readonly name: string;
  readonly parseName: string;
  readonly root: ListNode;
  readonly src: Source;
}

/** A syntax error; `message` is upstream's full text (`template: …`). */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParseError";
  }
}

/** Parser settings. */
export interface ParseOptions {
  /** Reports whether a function name is defined (user functions and builtins). */
  readonly hasFunction: (name: string) => boolean;
  /** Upstream's `SkipFuncCheck` mode. */
  readonly skipFuncCheck?: boolean;
  readonly leftDelim?: string;
  readonly rightDelim?: string;
}

// Go allows 10000 nested parentheses; the recursive-descent parser here runs on the JS
// stack, so both limits are lower (README): 1000 parentheses, 1000 nested control actions.
const MAX_STACK_DEPTH = 1000;
const MAX_CONTROL_DEPTH = 1000;
const MAX_PIPELINE_CMDS = 100000;

/** Item's `String()` as upstream prints it in errors. */
function itemString(it: Item): string {
  if (it.typ === I.EOF) return "EOF";
  if (it.typ === I.ERROR) return it.val;
  if (it.typ > I.KEYWORD) return `<${it.val}>`;
  if (Buffer.byteLength(it.val, "utf8") > 10) return `${goQuote([...it.val].slice(0, 10).join(""))}...`;
  return goQuote(it.val);
}

/**
 * Upstream's `parse.Parse`: parses `text` into a map from template name to tree. The
 * top-level template is named `name`. Throws {@link ParseError}.
 */
export function parseTemplates(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const src: Source = { parseName: name, text };
  const lex = new Lexer(name, text, opts.leftDelim ?? "", opts.rightDelim ?? "");
  const p = new Parser(name, src, lex, treeSet, opts);
  p.parse();
  p.add();
  return treeSet;
}

/** Upstream's `IsEmptyTree`: only whitespace text and comments. */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case "comment":
      return true;
    case "list":
      return n.nodes.every(isEmptyTree);
    case "text":
      return n.text.trim() === "";
    default:
      return false;
  }
}

class Parser {
  name: string;
  readonly src: Source;
  readonly lex: Lexer;
  readonly treeSet: Map<string, Tree>;
  readonly opts: ParseOptions;
  root: ListNode;
  readonly token: Item[] = [];
  peekCount = 0;
  vars: string[] = ["$"];
  actionLine = 0;
  rangeDepth = 0;
  stackDepth = 0;
  controlDepth = 0;

  constructor(name: string, src: Source, lex: Lexer, treeSet: Map<string, Tree>, opts: ParseOptions) {
    this.name = name;
    this.src = src;
    this.lex = lex;
    this.treeSet = treeSet;
    this.opts = opts;
    this.root = this.newList(0);
    lex.options = {
      emitComment: false,
      breakOK: !opts.hasFunction("break"),
      continueOK: !opts.hasFunction("continue"),
    };
  }

  newList(pos: number): ListNode {
    return { type: "list", pos, src: this.src, nodes: [] };
  }

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }

  backup(): void {
    this.peekCount++;
  }

  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.typ !== I.SPACE) return t;
    }
  }

  peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  errorf(msg: string): never {
    const line = this.token[0]?.line ?? 1;
    throw new ParseError(`template: ${this.src.parseName}:${line}: ${msg}`);
  }

  expect(expected: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== e1 && t.typ !== e2) this.unexpected(t, context);
    return t;
  }

  unexpected(t: Item, context: string): never {
    if (t.typ === I.ERROR) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.src.parseName}:${this.actionLine}`;
        if (t.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${itemString(t)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch (err) {
      if (err instanceof QuoteSyntaxError) this.errorf(err.message);
      throw err;
    }
  }

  add(): void {
    const existing = this.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, {
        name: this.name,
        parseName: this.src.parseName,
        root: this.root,
        src: this.src,
      });
      return;
    }
    if (!isEmptyTree(this.root))
      this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  child(name: string): Parser {
    return new Parser(name, this.src, this.lex, this.treeSet, this.opts);
  }

  parse(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().typ !== I.EOF) {
      if (this.peek().typ === I.LEFT_DELIM) {
        const delim = this.next();
        if (this.nextNonSpace().typ === I.DEFINE) {
          this.child("definition").parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  parseDefinition(): void {
    const context = "define clause";
    const name = this.expectOneOf(I.STRING, I.RAW_STRING, context);
    this.name = this.unquoteOrFail(name.val);
    this.expect(I.RIGHT_DELIM, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== I.EOF) {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case I.TEXT:
        return { type: "text", pos: t.pos, src: this.src, text: t.val };
      case I.LEFT_DELIM:
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case I.COMMENT:
        return { type: "comment", pos: t.pos, src: this.src, text: t.val };
      default:
        this.unexpected(t, "input");
    }
  }

  action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case I.BLOCK:
        return this.blockControl();
      case I.BREAK:
        return this.loopControl(t, "break");
      case I.CONTINUE:
        return this.loopControl(t, "continue");
      case I.ELSE:
        return this.elseControl();
      case I.END:
        return { type: "end", pos: this.expect(I.RIGHT_DELIM, "end").pos, src: this.src };
      case I.IF:
        return this.branch("if");
      case I.RANGE:
        return this.branch("range");
      case I.TEMPLATE:
        return this.templateControl();
      case I.WITH:
        return this.branch("with");
    }
    this.backup();
    const tok = this.peek();
    return {
      type: "action",
      pos: tok.pos,
      src: this.src,
      line: tok.line,
      pipe: this.pipeline("command", I.RIGHT_DELIM),
    };
  }

  loopControl(t: Item, kind: "break" | "continue"): Node {
    const tok = this.nextNonSpace();
    if (tok.typ !== I.RIGHT_DELIM) this.unexpected(tok, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, src: this.src, line: t.line };
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const tok = this.peekNonSpace();
    const pipe: PipeNode = {
      type: "pipe",
      pos: tok.pos,
      src: this.src,
      line: tok.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case I.BOOL:
        case I.CHAR_CONSTANT:
        case I.COMPLEX:
        case I.DOT:
        case I.FIELD:
        case I.IDENTIFIER:
        case I.NUMBER:
        case I.NIL:
        case I.RAW_STRING:
        case I.STRING:
        case I.VARIABLE:
        case I.LEFT_PAREN:
          this.backup();
          pipe.cmds.push(this.command());
          if (pipe.cmds.length > MAX_PIPELINE_CMDS) this.errorf("pipeline too long");
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== I.VARIABLE) return;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === I.ASSIGN || next.typ === I.DECLARE) {
        pipe.isAssign = next.typ === I.ASSIGN;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        return;
      }
      if (next.typ === I.CHAR && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const after = this.peekNonSpace().typ;
          if (after === I.VARIABLE || after === I.RIGHT_DELIM || after === I.RIGHT_PAREN) continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (tokenAfterVariable.typ === I.SPACE) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      return;
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i].args[0].type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  parseControl(context: "if" | "range" | "with"): Omit<BranchNode, "type" | "src"> {
    const mark = this.vars.length;
    if (++this.controlDepth > MAX_CONTROL_DEPTH) this.errorf("max control nesting depth exceeded");
    try {
      const pipe = this.pipeline(context, I.RIGHT_DELIM);
      if (context === "range") this.rangeDepth++;
      let list: ListNode;
      let next: Node;
      try {
        [list, next] = this.itemList();
      } finally {
        if (context === "range") this.rangeDepth--;
      }
      let elseList: ListNode | null = null;
      if (next.type === "else") {
        if (
          (context === "if" && this.peek().typ === I.IF) ||
          (context === "with" && this.peek().typ === I.WITH)
        ) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch(context));
        } else {
          let end: Node;
          [elseList, end] = this.itemList();
          if (end.type !== "end") this.errorf(`expected end; found ${nodeString(end)}`);
        }
      }
      return { pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
      this.controlDepth--;
    }
  }

  branch(context: "if" | "range" | "with"): BranchNode {
    return { type: context, src: this.src, ...this.parseControl(context) };
  }

  elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === I.IF || peek.typ === I.WITH)
      return { type: "else", pos: peek.pos, src: this.src, line: peek.line };
    const t = this.expect(I.RIGHT_DELIM, "else");
    return { type: "else", pos: t.pos, src: this.src, line: t.line };
  }

  blockControl(): Node {
    const context = "block clause";
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, I.RIGHT_DELIM);
    const block = this.child(name);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: "template", pos: t.pos, src: this.src, line: t.line, name, pipe };
  }

  templateControl(): Node {
    const context = "template clause";
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== I.RIGHT_DELIM) {
      this.backup();
      pipe = this.pipeline(context, I.RIGHT_DELIM);
    }
    return { type: "template", pos: t.pos, src: this.src, line: t.line, name, pipe };
  }

  parseTemplateName(t: Item, context: string): string {
    if (t.typ === I.STRING || t.typ === I.RAW_STRING) return this.unquoteOrFail(t.val);
    this.unexpected(t, context);
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, src: this.src, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === I.SPACE) continue;
      if (t.typ === I.RIGHT_DELIM || t.typ === I.RIGHT_PAREN) this.backup();
      else if (t.typ !== I.PIPE) this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ !== I.FIELD) return node;
    const fields: string[] = [];
    const pos = this.peek().pos;
    while (this.peek().typ === I.FIELD) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos, src: this.src, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos, src: this.src, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
    }
    return { type: "chain", pos, src: this.src, node, field: fields };
  }

  term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case I.IDENTIFIER:
        if (!this.opts.skipFuncCheck && !this.opts.hasFunction(t.val)) {
          this.errorf(`function ${goQuote(t.val)} not defined`);
        }
        return { type: "identifier", pos: t.pos, src: this.src, ident: t.val };
      case I.DOT:
        return { type: "dot", pos: t.pos, src: this.src };
      case I.NIL:
        return { type: "nil", pos: t.pos, src: this.src };
      case I.VARIABLE:
        return this.variableRef(t.pos, t.val);
      case I.FIELD:
        return { type: "field", pos: t.pos, src: this.src, ident: t.val.slice(1).split(".") };
      case I.BOOL:
        return { type: "bool", pos: t.pos, src: this.src, value: t.val === "true" };
      case I.CHAR_CONSTANT:
      case I.COMPLEX:
      case I.NUMBER:
        return this.newNumber(t);
      case I.LEFT_PAREN: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
        this.stackDepth++;
        try {
          return this.pipeline("parenthesized pipeline", I.RIGHT_PAREN);
        } finally {
          this.stackDepth--;
        }
      }
      case I.STRING:
      case I.RAW_STRING:
        return { type: "string", pos: t.pos, src: this.src, quoted: t.val, text: this.unquoteOrFail(t.val) };
    }
    this.backup();
    return null;
  }

  newNumber(t: Item): NumberNode {
    const kind = t.typ === I.CHAR_CONSTANT ? "char" : t.typ === I.COMPLEX ? "complex" : "number";
    try {
      return { type: "number", pos: t.pos, src: this.src, text: t.val, ...parseNumberValue(t.val, kind) };
    } catch (err) {
      if (err instanceof NumberSyntaxError || err instanceof QuoteSyntaxError) this.errorf(err.message);
      throw err;
    }
  }

  newVariable(pos: number, ident: string): VariableNode {
    return { type: "variable", pos, src: this.src, ident: ident.split(".") };
  }

  /** Upstream's `useVar`: a reference to a declared variable (biome reads `use…` as a React hook). */
  variableRef(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${goQuote(v.ident[0])}`);
    return v;
  }
}
