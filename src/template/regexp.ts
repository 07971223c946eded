/**
 * Go's `regexp` as template functions use it, on re2js (RE2 syntax, linear time):
 * `MatchString` (unanchored) and `ReplaceAllString` with `regexp.Expand` semantics
 * (`$1`, `${1}`, `$name`, `$$`) and Go's rules for empty matches.
 */

import { RE2JS } from "re2js";
import { goQuote } from "../model/labels/strings.ts";
import { parseTemplate } from "../relabel/expand.ts";
import { canBackquote } from "./quote.ts";

const cache = new Map<string, RE2JS>();
const CACHE_LIMIT = 1024;

/** Compiles `pattern` (cached); throws an Error with Go's `error parsing regexp: …` text. */
export function compileRegexp(pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : String(err));
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Go's `regexp.MustCompile` panic text: ``regexp: Compile(`pat`): error parsing regexp: …``. */
export function mustCompile(pattern: string): RE2JS {
  try {
    return compileRegexp(pattern);
  } catch (err) {
    const quoted = canBackquote(pattern) ? `\`${pattern}\`` : goQuote(pattern);
    throw new Error(`regexp: Compile(${quoted}): ${(err as Error).message}`);
  }
}

/** Go's `regexp.MatchString(pattern, s)`. */
export function matchString(pattern: string, s: string): boolean {
  return compileRegexp(pattern).matcher(s).find();
}

/** Go's `Regexp.ReplaceAllString(src, repl)`. */
export function replaceAllString(re: RE2JS, src: string, repl: string): string {
  const parts = parseTemplate(repl);
  const names = re.namedGroups();
  const m = re.matcher(src);
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    if (!m.find(searchPos)) break;
    const a0 = m.start();
    const a1 = m.end();
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) {
      for (const part of parts) {
        if (typeof part === "string") out += part;
        else if ("num" in part) out += part.num <= m.groupCount() ? (m.group(part.num) ?? "") : "";
        else {
          const idx = names[part.name];
          if (idx !== undefined) out += m.group(idx) ?? "";
        }
      }
    }
    lastMatchEnd = a1;
    let width = 0;
    if (searchPos < src.length) {
      const c = src.charCodeAt(searchPos);
      width = c >= 0xd800 && c <= 0xdbff && searchPos + 1 < src.length ? 2 : 1;
    }
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}
