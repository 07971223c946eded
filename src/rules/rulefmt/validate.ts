/**
 * Upstream's `RuleGroups.Validate` and `Rule.Validate`: the semantic checks of
 * a decoded rule file, in upstream's order and words. Label and metric names
 * are checked as Prometheus 3 does by default (any non-empty UTF-8 name).
 */

import { goQuote } from "../../model/labels/strings.ts";
import { parseExpr } from "../../promql/parser/index.ts";
import { ALERT_TEMPLATE_DEFS, checkTemplate } from "../../template/prometheus.ts";
import type { Position, Rule, RuleGroup, RulePositions } from "./types.ts";

/** Options of {@link validateGroups}. */
export interface ValidateOptions {
  /** Accept experimental PromQL functions (`--enable-feature=promql-experimental-functions`). */
  readonly experimentalFunctions?: boolean;
}

/** Validates all groups; returns upstream's error texts (without the file prefix). */
export function validateGroups(
  groups: readonly RuleGroup[],
  rulePositions: (groupIndex: number, ruleIndex: number) => RulePositions,
  opts: ValidateOptions = {},
): string[] {
  const errs: string[] = [];
  const seen = new Set<string>();
  groups.forEach((g, j) => {
    // Upstream reads the group's line from a node that is never filled in: always 0:0.
    if (g.name === "") errs.push("0:0: Groupname must not be empty");
    if (seen.has(g.name)) errs.push(`0:0: groupname: "${g.name}" is repeated in the same file`);
    for (const k of Object.keys(g.labels)) {
      if (!validLabelName(k)) errs.push(`invalid label name: ${k}`);
    }
    seen.add(g.name);
    g.rules.forEach((r, i) => {
      const name = r.alert !== "" ? r.alert : r.record;
      for (const e of validateRule(r, rulePositions(j, i), opts)) {
        errs.push(`${e.where}group ${goQuote(g.name)}, rule ${i + 1}, ${goQuote(name)}: ${e.message}`);
      }
    });
  });
  return errs;
}

/** A rule error and where upstream says it is (`5:17: ` or `21:17: 20:16: ` or nothing). */
interface RuleError {
  readonly where: string;
  readonly message: string;
}

function at(...nodes: Position[]): string {
  return nodes.map((p) => `${p.line}:${p.column}: `).join("");
}

/** Upstream's label name check in UTF-8 mode, plus the ban on `__name__` in rule labels. */
function validLabelName(k: string): boolean {
  return k !== "" && k !== "__name__";
}

/** Upstream's `Rule.Validate`. */
export function validateRule(r: Rule, pos: RulePositions, opts: ValidateOptions = {}): RuleError[] {
  const out: RuleError[] = [];
  const add = (where: string, message: string): void => {
    out.push({ where, message });
  };
  if (r.record !== "" && r.alert !== "")
    add(at(pos.record, pos.alert), "only one of 'record' and 'alert' must be set");
  if (r.record === "" && r.alert === "")
    add(at(pos.record, pos.alert), "one of 'record' or 'alert' must be set");
  if (r.expr === "") add(at(pos.expr), "field 'expr' must be set in rule");
  else {
    try {
      parseExpr(r.expr, { experimentalFunctions: opts.experimentalFunctions === true });
    } catch (err) {
      add(at(pos.expr), `could not parse expression: ${(err as Error).message}`);
    }
  }
  if (r.record !== "") {
    const here = at(pos.record);
    if (Object.keys(r.annotations).length > 0) add(here, "invalid field 'annotations' in recording rule");
    if (r.for !== 0) add(here, "invalid field 'for' in recording rule");
    if (r.keep_firing_for !== 0) add(here, "invalid field 'keep_firing_for' in recording rule");
    if (r.record.includes("{") || r.record.includes("}")) {
      add(here, `braces present in the recording rule name; should it be in expr?: ${r.record}`);
    }
  }
  for (const k of Object.keys(r.labels)) if (!validLabelName(k)) add("", `invalid label name: ${k}`);
  for (const k of Object.keys(r.annotations)) if (k === "") add("", `invalid annotation name: ${k}`);
  for (const message of templateErrors(r)) add("", message);
  return out;
}

/** Upstream's `testTemplateParsing`: alerting rules' labels and annotations must parse as templates. */
function templateErrors(r: Rule): string[] {
  if (r.alert === "") return [];
  const errs: string[] = [];
  const check = (kind: string, key: string, text: string): void => {
    try {
      checkTemplate(ALERT_TEMPLATE_DEFS + text, `__alert_${r.alert}`);
    } catch (err) {
      errs.push(`${kind} ${goQuote(key)}: ${(err as Error).message}`);
    }
  };
  for (const [k, v] of Object.entries(r.labels)) check("label", k, v);
  for (const [k, v] of Object.entries(r.annotations)) check("annotation", k, v);
  return errs;
}
