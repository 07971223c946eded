/**
 * Upstream's `rulefmt.Parse` / `ParseFile`: a rule file is decoded twice as
 * yaml.v3 does it (strictly into the rule types, then leniently into the
 * position-keeping node types) and, when both succeed, validated. Every
 * problem is returned, not thrown, in upstream's words and order, prefixed by
 * the file name as promtool prints them.
 */
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import { goFileError } from "../../config/file.ts";
import { ConfigError } from "../../config/schema.ts";
import { parseYAML } from "../../config/yaml_doc.ts";
import type { RuleGroups, RulePositions } from "./types.ts";
import { type ValidateOptions, validateGroups } from "./validate.ts";
import { AbortError, fieldPosition, type Spec, V3Decoder } from "./yamlv3.ts";

/** Options of {@link parseRules}. */
export interface ParseOptions extends ValidateOptions {
  /** promtool's `--ignore-unknown-fields`. */
  readonly ignoreUnknownFields?: boolean;
}

/** The result of parsing: the groups when there were no errors. */
export type ParseResult =
  | { readonly ok: true; readonly groups: RuleGroups }
  | { readonly ok: false; readonly errors: readonly string[] };

const labelsSpec: Spec = { kind: "map", name: "map[string]string" };

function ruleSpec(lax: boolean): Spec {
  const text: Spec = lax ? { kind: "node" } : { kind: "string" };
  return {
    kind: "struct",
    name: lax ? "rulefmt.RuleNode" : "rulefmt.Rule",
    fields: {
      record: text,
      alert: text,
      expr: text,
      for: { kind: "duration" },
      keep_firing_for: { kind: "duration" },
      labels: labelsSpec,
      annotations: labelsSpec,
    },
  };
}

function fileSpec(lax: boolean): Spec {
  const group: Spec = {
    kind: "struct",
    name: lax ? "rulefmt.RuleGroupNode" : "rulefmt.RuleGroup",
    fields: {
      name: { kind: "string" },
      interval: { kind: "duration" },
      query_offset: { kind: "durationPtr" },
      limit: { kind: "int" },
      rules: { kind: "seq", name: lax ? "[]rulefmt.RuleNode" : "[]rulefmt.Rule", elem: ruleSpec(lax) },
      labels: labelsSpec,
    },
  };
  return {
    kind: "struct",
    name: lax ? "rulefmt.ruleGroups" : "rulefmt.RuleGroups",
    fields: {
      groups: { kind: "seq", name: lax ? "[]rulefmt.RuleGroupNode" : "[]rulefmt.RuleGroup", elem: group },
    },
  };
}

/** Only the first YAML document counts, as with yaml.v3's Decoder and Unmarshal. */
function firstDocument(text: string): string {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length < 2) return text;
  return text.slice(0, docs[1]!.range[0]);
}

/** One decode pass: its value, or its error texts (yaml.v3's shapes). */
function decodePass(text: string, lax: boolean, strict: boolean): { value?: RuleGroups; errors: string[] } {
  let parsed: ReturnType<typeof parseYAML>;
  try {
    parsed = parseYAML(text, "", ".");
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { errors: [`yaml: line ${err.line}: ${err.reason.replace(/^yaml: /, "")}`] };
  }
  const dec = new V3Decoder(parsed.ctx, strict);
  try {
    const value = dec.decodeRoot(parsed.root, fileSpec(lax)) as RuleGroups;
    if (dec.errors.length > 0) return { errors: [`yaml: unmarshal errors:\n  ${dec.errors.join("\n  ")}`] };
    return { value, errors: [] };
  } catch (err) {
    if (err instanceof AbortError) return { errors: [err.message] };
    throw err;
  }
}

/** Upstream's `rulefmt.Parse` of a file's contents; errors come without the file prefix. */
export function parseRules(content: string, opts: ParseOptions = {}): ParseResult {
  const text = firstDocument(content);
  const strict = decodePass(text, false, opts.ignoreUnknownFields !== true);
  const lax = decodePass(text, true, false);
  const errors = [...strict.errors, ...lax.errors];
  if (errors.length > 0 || strict.value === undefined || lax.value === undefined)
    return { ok: false, errors };
  const laxGroups = lax.value.groups;
  const positions = (j: number, i: number): RulePositions => {
    const node = laxGroups[j]!.rules[i] as unknown as object;
    return {
      record: fieldPosition(node, "record"),
      alert: fieldPosition(node, "alert"),
      expr: fieldPosition(node, "expr"),
    };
  };
  const groups = strict.value;
  const invalid = validateGroups(groups.groups, positions, opts);
  if (invalid.length > 0) return { ok: false, errors: invalid };
  return { ok: true, groups };
}

/** Upstream's `rulefmt.ParseFile`: every error is prefixed with `<file>: `. */
export async function parseRuleFile(file: string, opts: ParseOptions = {}): Promise<ParseResult> {
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch (err) {
    return { ok: false, errors: [`${file}: ${goFileError(file, err)}`] };
  }
  const res = parseRules(content, opts);
  return res.ok ? res : { ok: false, errors: res.errors.map((e) => `${file}: ${e}`) };
}
