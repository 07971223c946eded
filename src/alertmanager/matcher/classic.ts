/**
 * The classic matchers parser (upstream's `pkg/labels/parse.go`, kept as
 * `matcher/oldparse`): a legacy label name, an operator, and a value that may
 * be unquoted or double-quoted with OpenMetrics escapes; lists split on commas
 * outside quotes, optional braces. Hand-written (no backtracking regex), with
 * upstream's messages (`bad matcher format: foo`).
 */
import { isGoSpace, Matcher, type MatchType } from "./matcher.ts";
import { MatcherParseError } from "./parse.ts";

/** Go's `\s` in RE2: ASCII space, `\t`, `\n`, `\f`, `\r`. */
function isRE2Space(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r";
}

function isNameStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === ":";
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= "0" && c <= "9");
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isRE2Space(s[i])) i++;
  return i;
}

/** Splits `s` into name, operator and raw value as upstream's regex does; undefined when it does not match. */
function split(s: string): { name: string; op: MatchType; raw: string } | undefined {
  let i = skipSpace(s, 0);
  const start = i;
  if (i >= s.length || !isNameStart(s[i])) return undefined;
  while (i < s.length && isNameChar(s[i])) i++;
  const name = s.slice(start, i);
  i = skipSpace(s, i);
  let op: MatchType;
  if (s.startsWith("=~", i)) op = "=~";
  else if (s.startsWith("=", i)) op = "=";
  else if (s.startsWith("!=", i)) op = "!=";
  else if (s.startsWith("!~", i)) op = "!~";
  else return undefined;
  i = skipSpace(s, i + op.length);
  let end = s.length;
  while (end > i && isRE2Space(s[end - 1])) end--;
  return { name, op, raw: s.slice(i, end) };
}

function unescapeValue(raw: string, original: string): string {
  let rest = raw;
  let expectTrailingQuote = false;
  if (rest.startsWith('"')) {
    rest = rest.slice(1);
    expectTrailingQuote = true;
  }
  if (!rest.isWellFormed()) throw new MatcherParseError(`matcher value not valid UTF-8: ${original}`);
  const unescapedQuote = (): MatcherParseError =>
    new MatcherParseError(`matcher value contains unescaped double quote: ${original}`);
  let out = "";
  let escaped = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (escaped) {
      escaped = false;
      if (c === "n") out += "\n";
      else if (c === '"' || c === "\\") out += c;
      else out += `\\${c}`;
      continue;
    }
    if (c === "\\") {
      if (i < rest.length - 1) escaped = true;
      else out += "\\";
    } else if (c === '"') {
      if (!expectTrailingQuote || i < rest.length - 1) throw unescapedQuote();
      expectTrailingQuote = false;
    } else out += c;
  }
  if (expectTrailingQuote) throw unescapedQuote();
  return out;
}

/** Parses one classic matcher (`foo=bar`, `foo =~ "b.*"`); throws {@link MatcherParseError} or a regex error. */
export function parseMatcherClassic(s: string): Matcher {
  const parts = split(s);
  if (parts === undefined) throw new MatcherParseError(`bad matcher format: ${s}`);
  return Matcher.create(parts.op, parts.name, unescapeValue(parts.raw, parts.raw));
}

/** Splits on commas outside double quotes, as upstream's `ParseMatchers` does. */
function splitTokens(s: string): string[] {
  const tokens: string[] = [];
  let token = "";
  let insideQuotes = false;
  let escaped = false;
  for (const c of s) {
    if (c === "," && !insideQuotes) {
      tokens.push(token);
      token = "";
      continue;
    }
    if (c === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (c === "\\") escaped = !escaped;
    else escaped = false;
    token += c;
  }
  const last = trimGoSpace(token);
  if (last !== "") tokens.push(last);
  return tokens;
}

/** Go's `strings.TrimSpace` (Unicode white space). */
function trimGoSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/**
 * Parses a comma-separated list of classic matchers, one leading `{` and one
 * trailing `}` optional (`{foo="bar", dings!="bums", }`).
 */
export function parseMatchersClassic(input: string): Matcher[] {
  let s = input.startsWith("{") ? input.slice(1) : input;
  if (s.endsWith("}")) s = s.slice(0, -1);
  return splitTokens(s).map(parseMatcherClassic);
}
