/**
 * Prometheus' template functions and alert template expansion (`template/template.go`
 * of Prometheus 3.5): `query`, `first`, `label`, `value`, `strvalue`, `sortByLabel`,
 * `args`, `humanize*`, `toTime`, `title`, `toUpper`, `toLower`, `match`,
 * `reReplaceAll`, `safeHtml`, `graphLink`, `tableLink`, `stripPort`, `stripDomain`,
 * `externalURL`, `pathPrefix`, `parseDuration` (and `tmpl` in HTML mode).
 */

import { parseDuration } from "../config/units.ts";
import { compareUTF8 } from "../model/labels/strings.ts";
import { TemplateError } from "./errors.ts";
import { type FuncMap, goFunc, queryEscape } from "./funcs.ts";
import { SafeHTML } from "./htmlescape.ts";
import {
  convertToFloat,
  floatToTime,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
} from "./humanize.ts";
import { goURLString, stripDomain, stripPort, urlPathPrefix } from "./netutil.ts";
import type { Tree } from "./parse.ts";
import { matchString, mustCompile, replaceAllString } from "./regexp.ts";
import { casesTitle, toLower, toUpper } from "./strings.ts";
import { Template } from "./template.ts";
import { GO_TYPE, type GoTypeInfo, StringMap } from "./values.ts";

/** Runs a PromQL instant query at `timestampMs`; resolves to the vector's samples. */
export type QueryFunc = (
  query: string,
  timestampMs: number,
) => Promise<readonly { labels: Record<string, string>; value: number }[]>;

/** The data of an alert's label and annotation templates. */
export interface AlertTemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly value: number;
}

/** Options of {@link expandTemplate}. */
export interface ExpandOptions {
  /** Template name, upstream uses "__alert_" + rule name. */
  readonly name: string;
  readonly data: AlertTemplateData;
  /** Evaluation time, ms since epoch (the `query` function evaluates at it). */
  readonly timestampMs: number;
  readonly query: QueryFunc;
  readonly externalURL: URL | null;
}

/** Upstream's convenience variables, prepended to every alert template. */
export const ALERT_TEMPLATE_DEFS =
  "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

/** A query result sample (`*template.sample`). */
export class Sample {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "*template.sample", pointer: true };
  readonly Labels: StringMap;
  readonly Value: number;
  constructor(labels: StringMap, value: number) {
    this.Labels = labels;
    this.Value = value;
  }
}

/** A query result (`template.queryResult`, a slice of samples). */
export class QueryResult extends Array<Sample> {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.queryResult" };
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** The alert template data struct. */
export class AlertData {
  static readonly [GO_TYPE]: GoTypeInfo = {
    name: "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }",
  };
  readonly Labels: StringMap;
  readonly ExternalLabels: StringMap;
  readonly ExternalURL: string;
  readonly Value: number;
  constructor(d: AlertTemplateData) {
    this.Labels = StringMap.of(d.labels);
    this.ExternalLabels = StringMap.of(d.externalLabels);
    this.ExternalURL = d.externalURL;
    this.Value = d.value;
  }
}

const NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

function sample(s: Sample | undefined): Sample {
  if (s === undefined || s === null) throw new Error(NIL_DEREF);
  return s;
}

/** What the environment-dependent functions need. */
export interface PrometheusFuncEnv {
  readonly timestampMs: number;
  readonly query: QueryFunc | null;
  readonly externalURL: URL | null;
}

const SAMPLE = "*template.sample";
const RESULT = "template.queryResult";
const ANY = "interface {}";

function convert(fn: (v: number) => string) {
  return goFunc([ANY], (v: unknown) => fn(convertToFloat(v)));
}

/** Prometheus' template function map for one expansion. */
export function prometheusFuncs(env: PrometheusFuncEnv): FuncMap {
  return {
    query: goFunc(["string"], async (q: string) => {
      if (env.query === null) throw new Error(NIL_DEREF);
      const vector = await env.query(q, env.timestampMs);
      const out = new QueryResult();
      for (const s of vector) out.push(new Sample(StringMap.of(s.labels), s.value));
      return out;
    }),
    first: goFunc([RESULT], (v: QueryResult | undefined) => {
      if (v !== undefined && v.length > 0) return v[0];
      throw new Error("first() called on vector with no elements");
    }),
    label: goFunc(["string", SAMPLE], (l: string, s: Sample) => sample(s).Labels.get(l) ?? ""),
    value: goFunc([SAMPLE], (s: Sample) => sample(s).Value),
    strvalue: goFunc([SAMPLE], (s: Sample) => sample(s).Labels.get("__value__") ?? ""),
    args: goFunc([], (...a: unknown[]) => new Map<string, unknown>(a.map((x, i) => [`arg${i}`, x])), ANY),
    reReplaceAll: goFunc(["string", "string", "string"], (p: string, repl: string, text: string) =>
      replaceAllString(mustCompile(p), text, repl),
    ),
    safeHtml: goFunc(["string"], (s: string) => new SafeHTML(s)),
    match: goFunc(["string", "string"], matchString),
    title: goFunc(["string"], (s: string) => casesTitle(s, true)),
    toUpper: goFunc(["string"], toUpper),
    toLower: goFunc(["string"], toLower),
    graphLink: goFunc(["string"], (e: string) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=0`),
    tableLink: goFunc(["string"], (e: string) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=1`),
    sortByLabel: goFunc(["string", RESULT], (l: string, v: QueryResult | undefined) => {
      if (v === undefined) return v;
      const sorted = [...v].sort((a, b) => compareUTF8(a.Labels.get(l) ?? "", b.Labels.get(l) ?? ""));
      sorted.forEach((s, i) => {
        v[i] = s;
      });
      return v;
    }),
    stripPort: goFunc(["string"], stripPort),
    stripDomain: goFunc(["string"], stripDomain),
    humanize: convert(humanize),
    humanize1024: convert(humanize1024),
    humanizeDuration: convert(humanizeDuration),
    humanizePercentage: convert(humanizePercentage),
    humanizeTimestamp: convert(humanizeTimestamp),
    toTime: goFunc([ANY], (v: unknown) => floatToTime(convertToFloat(v))),
    pathPrefix: goFunc([], () => {
      if (env.externalURL === null) throw new Error(NIL_DEREF);
      return urlPathPrefix(env.externalURL);
    }),
    externalURL: goFunc([], () => {
      if (env.externalURL === null) throw new Error(NIL_DEREF);
      return goURLString(env.externalURL);
    }),
    parseDuration: goFunc(["string"], (d: string) => parseDuration(d) / 1000),
  };
}

function withDefs(text: string): string {
  return text.startsWith(ALERT_TEMPLATE_DEFS) ? text : ALERT_TEMPLATE_DEFS + text;
}

/**
 * Upstream's NewTemplateExpander(...).Expand(): prepends the `$labels`,
 * `$externalLabels`, `$externalURL`, `$value` definitions (unless `text` already
 * starts with them); throws TemplateError with upstream's "error executing template
 * …"/"error parsing template …" wording.
 */
export async function expandTemplate(text: string, opts: ExpandOptions): Promise<string> {
  const funcs = prometheusFuncs({
    timestampMs: opts.timestampMs,
    query: opts.query,
    externalURL: opts.externalURL,
  });
  const tmpl = Template.new(opts.name).funcs(funcs).option("missingkey=zero");
  try {
    for (const tree of parsedTrees(opts.name, withDefs(text))) tmpl.addParseTree(tree.name, tree);
  } catch (err) {
    throw new TemplateError("parse", `error parsing template ${opts.name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return await tmpl.execute(new AlertData(opts.data));
  } catch (err) {
    throw new TemplateError("exec", `error executing template ${opts.name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Functions that only have to exist for parse checks. */
const CHECK_FUNCS = prometheusFuncs({ timestampMs: 0, query: null, externalURL: null });

// Rules expand the same texts at every evaluation; parse trees are immutable, so they are
// parsed once (functions are looked up by name at execution).
const treeCache = new Map<string, readonly Tree[]>();
const TREE_CACHE_LIMIT = 4096;

function parsedTrees(name: string, text: string): readonly Tree[] {
  const key = `${name}\u0000${text}`;
  const hit = treeCache.get(key);
  if (hit !== undefined) return hit;
  const parsed = Template.new(name).funcs(CHECK_FUNCS).parse(text);
  const trees = parsed.templates().flatMap((t) => (t.tree === null ? [] : [t.tree]));
  if (treeCache.size >= TREE_CACHE_LIMIT) treeCache.clear();
  treeCache.set(key, trees);
  return trees;
}

/**
 * Parses `text` as template `name` with Prometheus' functions, as promtool's rule
 * check does (upstream's `Expander.ParseTest`); throws TemplateError with Go's parse
 * error text (e.g. `template: __alert_X:1: function "foo" not defined`).
 */
export function checkTemplate(text: string, name: string): void {
  Template.new(name).funcs(CHECK_FUNCS).option("missingkey=zero").parse(text);
}

/**
 * Upstream's `ExpandHTML` (console templates): html/template mode with the extra
 * `tmpl` function; `templateFiles` are parsed into the set.
 */
export async function expandHTMLTemplate(
  text: string,
  opts: Omit<ExpandOptions, "data"> & { readonly data: unknown },
  templateFiles: readonly string[] = [],
): Promise<string> {
  const funcs = prometheusFuncs({
    timestampMs: opts.timestampMs,
    query: opts.query,
    externalURL: opts.externalURL,
  });
  const tmpl = Template.new(opts.name, { escapeHTML: true }).funcs(funcs).option("missingkey=zero");
  tmpl.funcs({
    tmpl: goFunc(
      ["string", ANY],
      async (name: string, data: unknown) => new SafeHTML(await tmpl.executeTemplate(name, data)),
    ),
  });
  try {
    tmpl.parse(text);
    if (templateFiles.length > 0) await tmpl.parseFiles(...templateFiles);
  } catch (err) {
    throw new TemplateError("parse", `error parsing template ${opts.name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return await tmpl.execute(opts.data);
  } catch (err) {
    throw new TemplateError("exec", `error executing template ${opts.name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
