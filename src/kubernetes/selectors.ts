/**
 * Label and field selectors as the API server takes them in `labelSelector`
 * and `fieldSelector`: parsing with apimachinery's error texts (for config
 * validation) and matching (for the fake API server and client-side checks).
 * Label selectors: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`,
 * `!k`, `k>n`, `k<n`; field selectors: `k=v`, `k==v`, `k!=v` joined by commas.
 */
import type { KubeObject } from "./objects.ts";

/** One parsed requirement. */
export interface Requirement {
  readonly key: string;
  readonly op: "=" | "!=" | "in" | "notin" | "exists" | "!" | ">" | "<";
  readonly values: readonly string[];
}

/** A parsed selector: every requirement must hold (empty matches everything). */
export type Selector = readonly Requirement[];

/** Splits on commas outside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of s) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const LABEL_TERM =
  /^\s*(?:(!)\s*([^\s=!<>(),]+)|([^\s=!<>(),]+)\s*(?:(==|=|!=|>|<)\s*([^\s(),]*)|\s+(in|notin)\s*\(([^()]*)\))?)\s*$/;

/** Parses a label selector; throws with apimachinery's wording on bad input. */
export function parseLabelSelector(s: string): Selector {
  if (s.trim() === "") return [];
  return splitTerms(s).map((term) => {
    const m = LABEL_TERM.exec(term);
    if (m === null)
      throw new Error(`unable to parse requirement: found '${term.trim()}', expected: valid selector`);
    if (m[1] !== undefined) return { key: m[2], op: "!", values: [] };
    const key = m[3];
    if (m[4] !== undefined) {
      const op = m[4] === "==" ? "=" : (m[4] as Requirement["op"]);
      if ((op === ">" || op === "<") && !/^-?\d+$/.test(m[5]))
        throw new Error(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      return { key, op, values: [m[5]] };
    }
    if (m[6] !== undefined) {
      const values = m[7].split(",").map((v) => v.trim());
      return { key, op: m[6] as "in" | "notin", values };
    }
    return { key, op: "exists", values: [] };
  });
}

/** Parses a field selector; throws `invalid selector: '…'; can't understand '…'`. */
export function parseFieldSelector(s: string): Selector {
  if (s.trim() === "") return [];
  return s.split(",").map((term) => {
    const m = /^([^=!]*)(==|=|!=)(.*)$/.exec(term);
    if (m === null || m[1] === "") throw new Error(`invalid selector: '${s}'; can't understand '${term}'`);
    return { key: m[1].trim(), op: m[2] === "!=" ? "!=" : "=", values: [m[3].trim()] };
  });
}

function holds(r: Requirement, value: string | undefined): boolean {
  switch (r.op) {
    case "=":
      return value === r.values[0];
    case "!=":
      return value !== r.values[0];
    case "in":
      return value !== undefined && r.values.includes(value);
    case "notin":
      return value === undefined || !r.values.includes(value);
    case "exists":
      return value !== undefined;
    case "!":
      return value === undefined;
    case ">":
      return value !== undefined && Number(value) > Number(r.values[0]);
    case "<":
      return value !== undefined && Number(value) < Number(r.values[0]);
  }
}

/** True when `labels` satisfy every requirement. */
export function matchLabels(sel: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  return sel.every((r) => holds(r, labels?.[r.key]));
}

/** The value of a dotted field path (`metadata.name`, `spec.nodeName`), as a string; "" when absent. */
export function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? "" : String(cur);
}

/** True when `obj`'s fields satisfy every requirement (absent fields compare as ""). */
export function matchFields(sel: Selector, obj: KubeObject): boolean {
  return sel.every((r) => holds(r, fieldValue(obj, r.key)));
}
