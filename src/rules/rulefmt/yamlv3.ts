/**
 * Decoding a YAML tree into a fixed struct layout the way Go's yaml.v3 does,
 * because promtool prints yaml.v3's errors verbatim: type errors are collected
 * (`line 7: cannot unmarshal !!seq into string`) and reported together as
 * `yaml: unmarshal errors:\n  line …`; unknown fields fail only in strict
 * mode; duplicate keys make the whole mapping fail; a list item that cannot
 * be decoded (a null struct, a type error) is dropped; and an error from a
 * custom unmarshaler (a bad duration) aborts decoding with its message alone.
 * Scalars resolve as yaml.v3 resolves them (`yes` is a string, not a bool).
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { DecodeContext } from "../../config/schema.ts";
import { parseDuration } from "../../config/units.ts";
import { goTagOf, isMergedPair, scalarText } from "../../config/yaml_doc.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { NO_POSITION, type Position } from "./types.ts";

/** The shape to decode into; `name` is the Go type printed in errors. */
export type Spec =
  | { readonly kind: "struct"; readonly name: string; readonly fields: Readonly<Record<string, Spec>> }
  | { readonly kind: "seq"; readonly name: string; readonly elem: Spec }
  | { readonly kind: "map"; readonly name: string }
  | { readonly kind: "string" }
  | { readonly kind: "int" }
  | { readonly kind: "duration" }
  /** A `*model.Duration`: undefined when absent or null. */
  | { readonly kind: "durationPtr" }
  /** A `yaml.Node`: anything is accepted, only its position is kept. */
  | { readonly kind: "node" };

/** A custom unmarshaler's error: yaml.v3 stops and returns it as is. */
export class AbortError extends Error {}

/** What one struct was decoded from: the positions of its fields' values. */
const positions = new WeakMap<object, Map<string, Position>>();

/** The position of `field`'s value in the mapping `value` was decoded from; 0:0 when absent. */
export function fieldPosition(value: object, field: string): Position {
  return positions.get(value)?.get(field) ?? NO_POSITION;
}

const DROP = Symbol("drop");

/** One decode pass; `errors` collects yaml.v3's `line N: …` type errors. */
export class V3Decoder {
  readonly errors: string[] = [];
  readonly #strict: boolean;
  readonly #ctx: DecodeContext;

  constructor(ctx: DecodeContext, strict: boolean) {
    this.#ctx = ctx;
    this.#strict = strict;
  }

  /** Decodes the document root; throws {@link AbortError}. */
  decodeRoot(node: Node | null, spec: Spec): unknown {
    const v = this.#decode(node, spec);
    return v === DROP ? zeroOf(spec) : v;
  }

  #line(node: Node): number {
    return this.#ctx.position(node).line;
  }

  #terror(node: Node, into: string): typeof DROP {
    const tag = v3Tag(node);
    let value = "";
    if (tag !== "!!seq" && tag !== "!!map") {
      const text = scalarText(node);
      value = Buffer.byteLength(text) > 10 ? ` \`${text.slice(0, 7)}...\`` : ` \`${text}\``;
    }
    this.errors.push(`line ${this.#line(node)}: cannot unmarshal ${tag}${value} into ${into}`);
    return DROP;
  }

  #decode(node: Node | null, spec: Spec): unknown {
    if (spec.kind === "node") return node;
    if (node === null || v3Tag(node) === "!!null") {
      // yaml.v3 sets pointers, maps and slices to nil, and reports a struct as not decoded.
      return spec.kind === "struct" ? DROP : zeroOf(spec);
    }
    switch (spec.kind) {
      case "struct":
        return isMap(node) && this.#uniqueKeys(node)
          ? this.#struct(node, spec)
          : this.#notMapping(node, spec);
      case "map":
        return isMap(node) && this.#uniqueKeys(node) ? this.#map(node) : this.#notMapping(node, spec);
      case "seq":
        return isSeq(node) ? this.#seq(node, spec) : this.#terror(node, spec.name);
      case "string":
        return isScalar(node) ? scalarText(node) : this.#terror(node, "string");
      case "int":
        return this.#int(node);
      case "duration":
      case "durationPtr":
        return this.#duration(node);
    }
  }

  #notMapping(node: Node, spec: { readonly name: string }): typeof DROP {
    return isMap(node) ? DROP : this.#terror(node, spec.name);
  }

  /** yaml.v3's duplicate key check, run before a mapping is decoded; false fails the mapping. */
  #uniqueKeys(node: Node): boolean {
    if (!isMap(node)) return true;
    const pairs = (node.items as Pair[]).filter((p) => !isMergedPair(p));
    const before = this.errors.length;
    for (let i = 0; i < pairs.length; i++) {
      const a = pairs[i]!.key as Node | null;
      for (let j = i + 1; j < pairs.length; j++) {
        const b = pairs[j]!.key as Node | null;
        if (a === null || b === null || !isScalar(a) || !isScalar(b)) continue;
        if (scalarText(a) !== scalarText(b)) continue;
        const msg = `line ${this.#line(b)}: mapping key ${goQuote(scalarText(b))} already defined at line ${this.#line(a)}`;
        this.errors.push(msg);
      }
    }
    return this.errors.length === before;
  }

  #struct(node: Node, spec: Extract<Spec, { kind: "struct" }>): unknown {
    const out: Record<string, unknown> = {};
    const pos = new Map<string, Position>();
    for (const [key, field] of Object.entries(spec.fields)) out[key] = zeroOf(field);
    for (const pair of (isMap(node) ? node.items : []) as Pair[]) {
      const keyNode = pair.key as Node | null;
      const key = keyNode !== null && isScalar(keyNode) ? scalarText(keyNode) : "";
      const field = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
      if (field === undefined) {
        if (this.#strict && keyNode !== null)
          this.errors.push(`line ${this.#line(keyNode)}: field ${key} not found in type ${spec.name}`);
        continue;
      }
      const valueNode = pair.value as Node | null;
      if (valueNode !== null) pos.set(key, this.#ctx.position(valueNode));
      const v = this.#decode(valueNode, field);
      if (v !== DROP) out[key] = v;
    }
    positions.set(out, pos);
    return out;
  }

  #map(node: Node): unknown {
    const out: Record<string, string> = {};
    for (const pair of (isMap(node) ? node.items : []) as Pair[]) {
      const keyNode = pair.key as Node | null;
      const key = keyNode !== null && isScalar(keyNode) ? scalarText(keyNode) : "";
      const v = this.#decode(pair.value as Node | null, { kind: "string" });
      if (v === DROP) continue;
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  #seq(node: Node, spec: Extract<Spec, { kind: "seq" }>): unknown[] {
    const out: unknown[] = [];
    for (const item of isSeq(node) ? node.items : []) {
      const v = this.#decode(item as Node | null, spec.elem);
      if (v !== DROP) out.push(v);
    }
    return out;
  }

  #int(node: Node): unknown {
    const tag = v3Tag(node);
    const text = scalarText(node).replaceAll("_", "");
    if (tag === "!!int") {
      const v = Number(/^[-+]?0[oO]/.test(text) ? text.replace(/0[oO]/, "0o") : text);
      if (Number.isSafeInteger(v)) return v;
      const n = Number.parseInt(text, 10);
      if (Number.isFinite(n)) return n;
    }
    if (tag === "!!float") {
      const v = Number(text);
      if (Number.isFinite(v)) return Math.trunc(v);
    }
    return this.#terror(node, "int");
  }

  #duration(node: Node): unknown {
    if (!isScalar(node)) return this.#terror(node, "string");
    try {
      return parseDuration(scalarText(node));
    } catch (err) {
      throw new AbortError((err as Error).message);
    }
  }
}

/** The tag yaml.v3 resolves a node to: only `true`/`false` spellings are booleans. */
export function v3Tag(node: Node): string {
  const tag = goTagOf(node);
  if (tag === "!!bool" && !/^(true|True|TRUE|false|False|FALSE)$/.test(scalarText(node))) return "!!str";
  return tag;
}

function zeroOf(spec: Spec): unknown {
  switch (spec.kind) {
    case "struct": {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(spec.fields)) out[key] = zeroOf(field);
      return out;
    }
    case "seq":
      return [];
    case "map":
      return {};
    case "string":
      return "";
    case "int":
    case "duration":
      return 0;
    case "durationPtr":
      return undefined;
    case "node":
      return null;
  }
}
