/**
 * yaml.v2's flow-style leak, which Alertmanager's printed config shows: a
 * struct field tagged `flow` whose value is a scalar (a time interval's
 * `location`) leaves the encoder's flow flag set, so the next mapping or
 * sequence written — the next time interval, the next named interval, even
 * the next top-level section — comes out in flow style (`- {name: x, …}`).
 * {@link emitYAMLWithFlow} reproduces it on top of `emitYAML`: the tree is
 * walked in encoding order to find the collections that turn flow, those are
 * written with a libyaml-like flow writer and spliced into the block output.
 */
import { emitYAML, FlowSeq, GoFloat, GoMap } from "../../config/decode.ts";
import { formatGoFloat, goKeyLess } from "../../config/yaml_emit.ts";
import { chooseStyle, doubleQuoteEscape } from "../../config/yaml_scalar.ts";

/** A scalar struct field carrying yaml.v2's `flow` tag (it sets the flag and leaves it set). */
export class FlowScalar {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

/** A collection yaml.v2 writes in flow style. */
class FlowNode {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

const isStruct = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Walks `node` as yaml.v2's encoder would, tracking its `flow` flag; returns the tree with flow collections marked. */
function mark(node: unknown, state: { flow: boolean }): unknown {
  if (node instanceof FlowScalar) return node.value;
  if (node instanceof FlowSeq) {
    state.flow = false;
    return node;
  }
  const collection = isStruct(node) || node instanceof GoMap || Array.isArray(node);
  if (!collection) return node;
  const flow = state.flow;
  state.flow = false;
  let out: unknown;
  if (Array.isArray(node)) out = node.map((item) => mark(item, state));
  else if (node instanceof GoMap) out = new GoMap(node.entries.map(([k, v]) => [k, mark(v, state)] as const));
  else {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (v === undefined) continue;
      state.flow = v instanceof FlowScalar || v instanceof FlowSeq;
      o[k] = mark(v, state);
    }
    out = o;
  }
  return flow ? new FlowNode(out) : out;
}

const BEST_WIDTH = 80;

class FlowWriter {
  text = "";
  column: number;
  whitespace = true;

  constructor(column: number) {
    this.column = column;
  }

  put(s: string, whitespaceAfter: boolean): void {
    this.text += s;
    this.column += Array.from(s).length;
    this.whitespace = whitespaceAfter;
  }

  indicator(s: string, needWhitespace: boolean, isWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ", true);
    this.put(s, isWhitespace);
  }

  indent(n: number): void {
    this.text += `\n${" ".repeat(n)}`;
    this.column = n;
    this.whitespace = true;
  }

  scalar(v: unknown): void {
    if (!this.whitespace) this.put(" ", true);
    if (v === null || v === undefined || v instanceof GoFloat || typeof v !== "string") {
      this.put(v instanceof GoFloat ? formatGoFloat(v.value) : String(v ?? null), false);
      return;
    }
    const style = chooseStyle(v, "flow");
    if (style === "plain") this.put(v, false);
    else if (style === "single") this.put(`'${v.replaceAll("'", "''")}'`, false);
    else this.put(`"${Array.from(v, (c) => doubleQuoteEscape(c.codePointAt(0)!) ?? c).join("")}"`, false);
  }

  node(v: unknown, indent: number): void {
    const value = v instanceof FlowNode ? v.value : v;
    const entries =
      value instanceof GoMap ? sortedEntries(value) : isStruct(value) ? Object.entries(value) : undefined;
    if (entries !== undefined) this.collection("{", "}", entries, indent);
    else if (Array.isArray(value) || value instanceof FlowSeq) {
      const items = Array.isArray(value) ? value : value.items;
      this.collection(
        "[",
        "]",
        items.map((item) => [undefined, item] as const),
        indent,
      );
    } else this.scalar(value);
  }

  collection(
    open: string,
    close: string,
    items: ReadonlyArray<readonly [string | undefined, unknown]>,
    indent: number,
  ): void {
    this.indicator(open, true, true);
    const inner = indent + 2;
    items.forEach(([key, item], i) => {
      if (i > 0) this.indicator(",", false, false);
      if (this.column > BEST_WIDTH) this.indent(inner);
      if (key !== undefined) {
        this.scalar(key);
        this.indicator(":", false, false);
      }
      this.node(item, inner);
    });
    this.indicator(close, false, false);
  }
}

function sortedEntries(m: GoMap): Array<readonly [string, unknown]> {
  return [...m.entries].sort(([a], [b]) => (goKeyLess(a, b) ? -1 : goKeyLess(b, a) ? 1 : 0));
}

/**
 * `emitYAML(value)`, except that collections yaml.v2 would write in flow
 * style because of a leaked flow flag are written that way.
 */
export function emitYAMLWithFlow(value: unknown): string {
  const marked = mark(value, { flow: false });
  const flows: FlowNode[] = [];
  const replace = (v: unknown): unknown => {
    if (v instanceof FlowNode) return `zzflow${flows.push(v) - 1}zz`;
    if (Array.isArray(v)) return v.map(replace);
    if (v instanceof GoMap) return new GoMap(v.entries.map(([k, x]) => [k, replace(x)] as const));
    if (isStruct(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    return v;
  };
  let text = emitYAML(replace(marked));
  flows.forEach((node, i) => {
    const token = `zzflow${i}zz`;
    const at = text.indexOf(token);
    const lineStart = text.lastIndexOf("\n", at) + 1;
    const prefix = text.slice(lineStart, at);
    const column = Array.from(prefix).length;
    const lead = /^( *)((?:- )*)/.exec(prefix)![0].length;
    const baseIndent = prefix.endsWith("- ") ? column - 2 : lead;
    const w = new FlowWriter(column);
    w.whitespace = true;
    w.node(node, baseIndent);
    text = text.slice(0, at) + w.text + text.slice(at + token.length);
  });
  return text;
}
