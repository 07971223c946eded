/**
 * Matchers as the Alertmanager UI writes them: upstream's filter syntax
 * `{alertname="Foo", severity=~"crit|warn"}` parsed into matchers and
 * printed back, and conversions to and from the API's silence matchers.
 */
import type { SilenceMatcher } from "./api.ts";

/** A matcher's operator. */
export type MatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher. */
export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** The parsed filter, or the first problem with its position (0-based). */
export type ParsedFilter =
  | { readonly ok: true; readonly matchers: readonly Matcher[] }
  | { readonly ok: false; readonly error: string; readonly pos: number };

const NAME = /[^\s{}!=~,"]+/y;
const OP = /(=~|!~|!=|=)/y;
const SPACE = /\s*/y;

function skip(text: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(text);
  return SPACE.lastIndex;
}

function readQuoted(text: string, at: number): { value: string; end: number } | undefined {
  let out = "";
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === "\\" && i + 1 < text.length) {
      const n = text[++i];
      out += n === "n" ? "\n" : n === "t" ? "\t" : n;
    } else out += c;
  }
  return undefined;
}

/** Parses `{a="x", b!~"y"}` (braces optional, values quoted or bare); empty text is no matcher. */
export function parseFilter(text: string): ParsedFilter {
  const matchers: Matcher[] = [];
  let i = skip(text, 0);
  const braced = text[i] === "{";
  if (braced) i = skip(text, i + 1);
  while (i < text.length && text[i] !== "}") {
    NAME.lastIndex = i;
    const name = NAME.exec(text);
    if (name === null) return { ok: false, error: "expected a label name", pos: i };
    i = skip(text, NAME.lastIndex);
    OP.lastIndex = i;
    const op = OP.exec(text);
    if (op === null) return { ok: false, error: "expected one of =, !=, =~, !~", pos: i };
    i = skip(text, OP.lastIndex);
    let value: string;
    if (text[i] === '"') {
      const q = readQuoted(text, i);
      if (q === undefined) return { ok: false, error: "unterminated quoted value", pos: i };
      value = q.value;
      i = q.end;
    } else {
      const end = /[,}]/.exec(text.slice(i));
      value = (end === null ? text.slice(i) : text.slice(i, i + end.index)).trim();
      i = end === null ? text.length : i + end.index;
    }
    matchers.push({ name: name[0], op: op[1] as MatchOp, value });
    i = skip(text, i);
    if (text[i] === ",") i = skip(text, i + 1);
    else if (i < text.length && text[i] !== "}") return { ok: false, error: "expected , or }", pos: i };
  }
  if (braced && text[i] !== "}") return { ok: false, error: "expected }", pos: i };
  if (!braced && text[i] === "}") return { ok: false, error: "unexpected }", pos: i };
  if (i < text.length && skip(text, i + 1) !== text.length)
    return { ok: false, error: "unexpected text after }", pos: i + 1 };
  return { ok: true, matchers };
}

/** `name="value"` with the value quoted and escaped; the API's `filter` parameter takes this. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

/** `{a="x", b!="y"}`, or "" for no matcher. */
export function formatFilter(matchers: readonly Matcher[]): string {
  return matchers.length === 0 ? "" : `{${matchers.map(formatMatcher).join(", ")}}`;
}

/** The API's silence matcher for `m`. */
export function toSilenceMatcher(m: Matcher): SilenceMatcher {
  return { name: m.name, value: m.value, isRegex: m.op.endsWith("~"), isEqual: !m.op.startsWith("!") };
}

/** The matcher a silence matcher stands for (`isEqual` absent means equal, as upstream). */
export function fromSilenceMatcher(m: SilenceMatcher): Matcher {
  const neg = m.isEqual === false;
  return { name: m.name, value: m.value, op: m.isRegex ? (neg ? "!~" : "=~") : neg ? "!=" : "=" };
}
