/**
 * The label functions: `label_replace` (RE2 full match of a source label,
 * Go's `Regexp.Expand` for the replacement), `label_join`, and the ordering of
 * `sort_by_label`/`sort_by_label_desc` (natural order of values).
 */
import { RE2JS } from "re2js";
import { Labels, LabelsBuilder } from "../../model/labels/labels.ts";
import { MAX_ENGINE_REGEX_LENGTH } from "../../model/labels/regex.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";
import { isValidLabelName } from "../../model/labels/validate.ts";
import { executionError } from "../errors.ts";

/** A piece of a parsed replacement template: literal text, or a capture group index. */
type TemplatePart = string | number;

const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;

/**
 * Parses a replacement template with Go's `Regexp.Expand` rules: `$$` is a
 * dollar; `$name` / `${name}` take the longest run of letters, digits and `_`;
 * an all-digit name (no leading zero, below 1e8 before its last digit) is a
 * group number, anything else a group name; unknown groups expand to nothing;
 * a `$` not followed by a valid reference stays literal.
 */
function parseTemplate(
  template: string,
  groupCount: number,
  names: Readonly<Record<string, number>>,
): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf("$", i);
    if (dollar === -1) break;
    text += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === "$") {
      text += "$";
      i++;
      continue;
    }
    // extract(): optional brace, then a name of letters, digits and underscores.
    let j = i;
    const brace = template[j] === "{";
    if (brace) j++;
    const nameStart = j;
    while (j < template.length) {
      const cp = template.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!NAME_CHAR.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(nameStart, j);
    if (name === "" || (brace && template[j] !== "}")) {
      text += "$"; // malformed: the dollar is literal, scanning resumes after it
      continue;
    }
    if (brace) j++;
    i = j;
    let num = 0;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      if (c < 0x30 || c > 0x39 || num >= 1e8) {
        num = -1;
        break;
      }
      num = num * 10 + (c - 0x30);
    }
    if (name.length > 1 && name[0] === "0") num = -1;
    const group = num >= 0 ? num : (names[name] ?? -1);
    if (group < 0 || group > groupCount) continue; // no such group: expands to nothing
    if (text !== "") parts.push(text);
    text = "";
    parts.push(group);
  }
  text += template.slice(i);
  if (text !== "") parts.push(text);
  return parts;
}

/**
 * Compiles `label_replace(v, dst, replacement, src, regex)` into a function of
 * one series' labels. When `regex` fully matches the value of `src` (absent =
 * ""), `dst` is set to the expanded replacement (an empty result deletes it)
 * and a new `Labels` object is returned, even if equal: the engine can tell a
 * match by identity (`out !== in`), which matters for `dst = "__name__"`
 * (upstream then keeps the name). Without a match the input is returned.
 * Throws upstream's execution errors for an invalid regex or destination.
 */
export function compileLabelReplace(
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): (ls: Labels) => Labels {
  let re: RE2JS;
  try {
    if (regex.length > MAX_ENGINE_REGEX_LENGTH) throw new Error("regex too large");
    re = RE2JS.compile(`^(?s:${regex})$`);
  } catch {
    throw executionError(`invalid regular expression in label_replace(): ${regex}`);
  }
  if (!isValidLabelName(dst, "utf8")) {
    throw executionError(`invalid destination label name in label_replace(): ${dst}`);
  }
  const parts = parseTemplate(replacement, re.groupCount(), re.namedGroups());
  const builder = new LabelsBuilder();
  return (ls) => {
    const m = re.matcher(ls.get(src));
    if (!m.matches()) return ls;
    let value = "";
    for (const p of parts) value += typeof p === "string" ? p : (m.group(p) ?? "");
    return builder.reset(ls).set(dst, value).labels();
  };
}

/**
 * Compiles `label_join(v, dst, sep, src…)`: `dst` becomes the values of the
 * source labels (absent = "") joined by `sep`; an empty result deletes it.
 * Every series is changed, so the engine keeps the name exactly when `dst` is
 * `__name__`. Throws upstream's execution errors for invalid names.
 */
export function compileLabelJoin(dst: string, sep: string, srcs: readonly string[]): (ls: Labels) => Labels {
  for (const src of srcs) {
    if (!isValidLabelName(src, "utf8"))
      throw executionError(`invalid source label name in label_join(): ${src}`);
  }
  if (!isValidLabelName(dst, "utf8")) {
    throw executionError(`invalid destination label name in label_join(): ${dst}`);
  }
  const builder = new LabelsBuilder();
  return (ls) => {
    let value = "";
    for (let i = 0; i < srcs.length; i++) {
      if (i > 0) value += sep;
      value += ls.get(srcs[i]!);
    }
    return builder.reset(ls).set(dst, value).labels();
  };
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Splits `s` into maximal runs of ASCII digits and of everything else. */
function chunks(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i <= s.length; i++) {
    if (i === s.length || isDigit(s.charCodeAt(i)) !== isDigit(s.charCodeAt(start))) {
      out.push(s.slice(start, i));
      start = i;
    }
  }
  return out;
}

/** `s` without its leading zeros ("" for all zeros). */
function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 0x30) i++;
  return s.slice(i);
}

const MAX_INT64 = "9223372036854775807";

/** True when Go's `strconv.Atoi` parses `chunk`: all ASCII digits, at most max int64. */
function parsesAsInt(chunk: string): boolean {
  if (!isDigit(chunk.charCodeAt(0))) return false;
  const v = stripZeros(chunk);
  return v.length < MAX_INT64.length || (v.length === MAX_INT64.length && v <= MAX_INT64);
}

/** Compares two all-digit chunks by numeric value, exactly. */
function compareDigits(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The natural order of facette/natsort (the version upstream pins): true when
 * `a` sorts before `b`. Strings are cut into digit and non-digit chunks; two
 * numeric chunks compare by value, others by bytes. Quirks kept: equal chunks
 * at the end of `a` count as "before" (so a string precedes itself), and an
 * empty `a` never precedes anything.
 */
export function natsortLess(a: string, b: string): boolean {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const x = ca[i]!;
    const y = cb[i]!;
    if (parsesAsInt(x) && parsesAsInt(y)) {
      const cmp = compareDigits(x, y);
      if (cmp === 0) {
        if (i === ca.length - 1) return true;
        if (i === cb.length - 1) return false;
        continue;
      }
      return cmp < 0;
    }
    if (x === y) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return compareUTF8(x, y) < 0;
  }
  return false;
}

/**
 * Order of `sort_by_label(v, names…)`: by each named label's value in natural
 * order, then by the whole label set.
 */
export function compareByLabels(names: readonly string[]): (a: Labels, b: Labels) => number {
  return (a, b) => {
    for (const name of names) {
      const va = a.get(name);
      const vb = b.get(name);
      if (va === vb) continue;
      return natsortLess(va, vb) ? -1 : 1;
    }
    return Labels.compare(a, b);
  };
}

/** Order of `sort_by_label_desc(v, names…)`: the reverse of {@link compareByLabels}. */
export function compareByLabelsDesc(names: readonly string[]): (a: Labels, b: Labels) => number {
  const asc = compareByLabels(names);
  return (a, b) => -asc(a, b);
}
