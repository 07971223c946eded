/**
 * Parse-tree nodes of Go's `text/template/parse/node.go`, as a discriminated union on
 * `type`, with upstream's `String()` rendering (used in execution error contexts such as
 * `executing "t" at <.Foo>`).
 */

import { goQuote } from "../model/labels/strings.ts";

/** The text a tree was parsed from and the top-level name used in error locations. */
export interface Source {
  readonly parseName: string;
  readonly text: string;
}

interface Base {
  /** UTF-16 offset of the node in {@link Source.text}. */
  readonly pos: number;
  readonly src: Source;
}

/** A sequence of nodes. */
export interface ListNode extends Base {
  readonly type: "list";
  readonly nodes: Node[];
}
/** Plain text outside actions. */
export interface TextNode extends Base {
  readonly type: "text";
  readonly text: string;
}
/** A template comment (kept only when requested). */
export interface CommentNode extends Base {
  readonly type: "comment";
  readonly text: string;
}
/** A pipeline with optional `$x :=`/`$x =` declarations. */
export interface PipeNode extends Base {
  readonly type: "pipe";
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
/** A non-control action such as `{{.X}}`. */
export interface ActionNode extends Base {
  readonly type: "action";
  readonly line: number;
  readonly pipe: PipeNode;
}
/** One stage of a pipeline: an operand and its arguments. */
export interface CommandNode extends Base {
  readonly type: "command";
  readonly args: ArgNode[];
}
/** A function name. */
export interface IdentifierNode extends Base {
  readonly type: "identifier";
  readonly ident: string;
}
/** A `$` variable with optional field chain (`$x.A.B`). */
export interface VariableNode extends Base {
  readonly type: "variable";
  readonly ident: readonly string[];
}
/** The cursor `.`. */
export interface DotNode extends Base {
  readonly type: "dot";
}
/** The untyped `nil` constant. */
export interface NilNode extends Base {
  readonly type: "nil";
}
/** A field chain on dot (`.A.B`). */
export interface FieldNode extends Base {
  readonly type: "field";
  readonly ident: readonly string[];
}
/** A field chain on a term (`(pipeline).A`). */
export interface ChainNode extends Base {
  readonly type: "chain";
  readonly node: ArgNode;
  readonly field: string[];
}
/** A boolean constant. */
export interface BoolNode extends Base {
  readonly type: "bool";
  readonly value: boolean;
}
/** A number constant, stored under every Go type that can represent it. */
export interface NumberNode extends Base {
  readonly type: "number";
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: bigint;
  readonly uint64: bigint;
  readonly float64: number;
  readonly complex: readonly [number, number];
  readonly text: string;
}
/** A string constant: the source text and its unquoted value. */
export interface StringNode extends Base {
  readonly type: "string";
  readonly quoted: string;
  readonly text: string;
}
/** `{{end}}` (parser-internal). */
export interface EndNode extends Base {
  readonly type: "end";
}
/** `{{else}}` (parser-internal). */
export interface ElseNode extends Base {
  readonly type: "else";
  readonly line: number;
}
/** `{{if}}`, `{{range}}` or `{{with}}` with its lists. */
export interface BranchNode extends Base {
  readonly type: "if" | "range" | "with";
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
/** `{{break}}` inside a range. */
export interface BreakNode extends Base {
  readonly type: "break";
  readonly line: number;
}
/** `{{continue}}` inside a range. */
export interface ContinueNode extends Base {
  readonly type: "continue";
  readonly line: number;
}
/** `{{template "name" pipeline}}` (also what `{{block}}` leaves in place). */
export interface TemplateNode extends Base {
  readonly type: "template";
  readonly line: number;
  readonly name: string;
  readonly pipe: PipeNode | null;
}

/** Nodes that may appear as a command argument. */
export type ArgNode =
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

/** Any parse-tree node. */
export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | ActionNode
  | CommandNode
  | EndNode
  | ElseNode
  | BranchNode
  | BreakNode
  | ContinueNode
  | TemplateNode
  | ArgNode;

/** Upstream's `Node.String()`. */
export function nodeString(n: Node): string {
  switch (n.type) {
    case "list":
      return n.nodes.map(nodeString).join("");
    case "text":
      return n.text;
    case "comment":
      return `{{${n.text}}}`;
    case "pipe":
      return pipeString(n);
    case "action":
      return `{{${pipeString(n.pipe)}}}`;
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${pipeString(a)})` : nodeString(a))).join(" ");
    case "identifier":
      return n.ident;
    case "variable":
      return n.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return n.ident.map((id) => `.${id}`).join("");
    case "chain": {
      const head = n.node.type === "pipe" ? `(${pipeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join("");
    }
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
    case "if":
    case "range":
    case "with": {
      const els = n.elseList === null ? "" : `{{else}}${nodeString(n.elseList)}`;
      return `{{${n.type} ${pipeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`;
    }
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "template": {
      const pipe = n.pipe === null ? "" : ` ${pipeString(n.pipe)}`;
      return `{{template ${goQuote(n.name)}${pipe}}}`;
    }
  }
}

function pipeString(p: PipeNode): string {
  const decl = p.decl.length > 0 ? `${p.decl.map(nodeString).join(", ")} ${p.isAssign ? "=" : ":="} ` : "";
  return decl + p.cmds.map(nodeString).join(" | ");
}

/**
 * Upstream's `Tree.ErrorContext`: `parseName:line:col` where col is the UTF-8 byte
 * offset of the node within its line (0-based on the first line, as upstream).
 */
export function errorLocation(n: Node): string {
  const text = n.src.text.slice(0, n.pos);
  const nl = text.lastIndexOf("\n");
  const lineText = nl < 0 ? text : text.slice(nl + 1);
  let line = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return `${n.src.parseName}:${line}:${Buffer.byteLength(lineText, "utf8")}`;
}
