/**
 * Go's `text/template.Template` API: a set of associated templates sharing functions
 * and options, parsed from text (or files) and executed asynchronously. With
 * `escapeHTML` it behaves as `html/template` for HTML text (see README).
 */

import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { glob } from "../discovery/file/glob.ts";
import { goQuote } from "../model/labels/strings.ts";
import { TemplateError } from "./errors.ts";
import { DEFAULT_LIMITS, type ExecLimits, type ExecTemplate, executeTemplate } from "./exec.ts";
import { BUILTINS, type FuncMap, type GoFunc, goodName, toGoFunc } from "./funcs.ts";
import { isEmptyTree, ParseError, parseTemplates, type Tree } from "./parse.ts";

type MissingKey = "invalid" | "zero" | "error";

interface Common {
  readonly tmpl: Map<string, Template>;
  readonly funcs: Map<string, GoFunc>;
  missingKey: MissingKey;
  readonly escapeHTML: boolean;
  readonly limits: ExecLimits;
}

/** Construction options beyond Go's API. */
export interface TemplateOptions {
  /** html/template mode: escape every action's output for HTML text. */
  readonly escapeHTML?: boolean;
  /** Execution limits (defaults: {@link DEFAULT_LIMITS}). */
  readonly limits?: Partial<ExecLimits>;
}

function newCommon(opts: TemplateOptions): Common {
  return {
    tmpl: new Map(),
    funcs: new Map(),
    missingKey: "invalid",
    escapeHTML: opts.escapeHTML ?? false,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
  };
}

/** A named template and its associated set (Go's `*template.Template`). */
export class Template implements ExecTemplate {
  readonly #name: string;
  #common: Common;
  #tree: Tree | null = null;
  #leftDelim = "";
  #rightDelim = "";

  /** Go's `template.New(name)`. */
  constructor(name: string, opts: TemplateOptions = {}) {
    this.#name = name;
    this.#common = newCommon(opts);
  }

  /** Go's `template.New(name)`. */
  static new(name: string, opts: TemplateOptions = {}): Template {
    return new Template(name, opts);
  }

  /** The template's name. */
  get name(): string {
    return this.#name;
  }

  /** The parsed tree, or null before parsing. */
  get tree(): Tree | null {
    return this.#tree;
  }

  get missingKey(): MissingKey {
    return this.#common.missingKey;
  }

  get escapeHTML(): boolean {
    return this.#common.escapeHTML;
  }

  /** Go's `t.New(name)`: a new template associated with this one (same functions, options, delimiters). */
  new(name: string): Template {
    const nt = new Template(name);
    nt.#common = this.#common;
    nt.#leftDelim = this.#leftDelim;
    nt.#rightDelim = this.#rightDelim;
    return nt;
  }

  /** Go's `Funcs`: adds functions (user functions shadow builtins). Throws on an invalid name. */
  funcs(map: FuncMap): this {
    for (const [name, fn] of Object.entries(map)) {
      if (!goodName(name))
        throw new TemplateError("usage", `function name ${goQuote(name)} is not a valid identifier`);
      this.#common.funcs.set(name, toGoFunc(fn));
    }
    return this;
  }

  /** Go's `Option`: `missingkey=default|invalid|zero|error`. Throws on anything else. */
  option(...opts: string[]): this {
    for (const opt of opts) {
      if (opt === "") throw new TemplateError("usage", "empty option string");
      const m = /^missingkey=(default|invalid|zero|error)$/.exec(opt);
      if (m === null) throw new TemplateError("usage", `unrecognized option: ${opt}`);
      this.#common.missingKey = m[1] === "default" ? "invalid" : (m[1] as MissingKey);
    }
    return this;
  }

  /** Go's `Delims` (empty strings restore `{{` and `}}`). */
  delims(left: string, right: string): this {
    this.#leftDelim = left;
    this.#rightDelim = right;
    return this;
  }

  /** Go's `Parse`: parses `text` as this template's body; `{{define}}`s join the set. Throws TemplateError. */
  parse(text: string): this {
    let trees: Map<string, Tree>;
    try {
      trees = parseTemplates(this.#name, text, {
        hasFunction: (n) => this.#common.funcs.has(n) || BUILTINS.has(n),
        leftDelim: this.#leftDelim,
        rightDelim: this.#rightDelim,
      });
    } catch (err) {
      if (err instanceof ParseError) throw new TemplateError("parse", err.message);
      if (err instanceof RangeError)
        throw new TemplateError("parse", `template: ${this.#name}: nesting too deep`);
      throw err;
    }
    for (const [name, tree] of trees) this.addParseTree(name, tree);
    return this;
  }

  /** Go's `AddParseTree`: installs `tree` under `name` (an empty tree never replaces a defined one). */
  addParseTree(name: string, tree: Tree): Template {
    const nt = name === this.#name ? this : this.new(name);
    const old = this.#common.tmpl.get(name);
    const replace = !(old !== undefined && isEmptyTree(tree.root) && old.#tree !== null);
    if (replace) this.#common.tmpl.set(name, nt);
    if (replace || nt.#tree === null) nt.#tree = tree;
    return nt;
  }

  /** Go's `ParseFiles`: each file is parsed as the template named by its base name. */
  async parseFiles(...paths: string[]): Promise<this> {
    if (paths.length === 0)
      throw new TemplateError("usage", "template: no files named in call to ParseFiles");
    for (const path of paths) {
      const text = await readFile(path, "utf8");
      const name = basename(path);
      const t = name === this.#name ? this : this.new(name);
      t.parse(text);
    }
    return this;
  }

  /** Go's `ParseGlob`: `ParseFiles` over `filepath.Glob(pattern)`; an empty match is an error. */
  async parseGlob(pattern: string): Promise<this> {
    const files = await glob(pattern);
    if (files.length === 0)
      throw new TemplateError("usage", `template: pattern matches no files: \`${pattern}\``);
    return this.parseFiles(...files);
  }

  /** Go's `Lookup`. */
  lookup(name: string): Template | undefined {
    return this.#common.tmpl.get(name);
  }

  lookupTemplate(name: string): ExecTemplate | undefined {
    return this.lookup(name);
  }

  userFunc(name: string): GoFunc | undefined {
    return this.#common.funcs.get(name);
  }

  /** Go's `Templates`: the associated templates (sorted by name here). */
  templates(): Template[] {
    return [...this.#common.tmpl.values()].sort((a, b) =>
      a.#name < b.#name ? -1 : a.#name > b.#name ? 1 : 0,
    );
  }

  /** Go's `DefinedTemplates`: `; defined templates are: "a", "b"` or "" (names sorted here). */
  definedTemplates(): string {
    const names = this.templates()
      .filter((t) => t.#tree !== null)
      .map((t) => goQuote(t.#name));
    return names.length === 0 ? "" : `; defined templates are: ${names.join(", ")}`;
  }

  /**
   * Go's `Clone`: a copy of the set sharing parse trees; later definitions in either do
   * not affect the other. Like Go, the missingkey option is reset to the default.
   */
  clone(): Template {
    const nt = new Template(this.#name);
    nt.#common = { ...newCommon({ escapeHTML: this.#common.escapeHTML, limits: this.#common.limits }) };
    nt.#leftDelim = this.#leftDelim;
    nt.#rightDelim = this.#rightDelim;
    nt.#tree = this.#tree;
    for (const [k, v] of this.#common.tmpl) {
      if (k === this.#name) {
        nt.#common.tmpl.set(k, nt);
        continue;
      }
      const c = nt.new(v.#name);
      c.#tree = v.#tree;
      nt.#common.tmpl.set(k, c);
    }
    for (const [k, f] of this.#common.funcs) nt.#common.funcs.set(k, f);
    return nt;
  }

  /** Go's `Execute`: resolves to the output; rejects with a TemplateError. */
  execute(data: unknown): Promise<string> {
    return executeTemplate(this, data, this.#common.limits);
  }

  /** Go's `ExecuteTemplate`. */
  async executeTemplate(name: string, data: unknown): Promise<string> {
    const t = this.lookup(name);
    if (t === undefined) {
      throw new TemplateError(
        "usage",
        `template: no template ${goQuote(name)} associated with template ${goQuote(this.#name)}`,
      );
    }
    return t.execute(data);
  }
}
