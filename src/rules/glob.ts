/**
 * Go's `filepath.Glob`, which upstream uses to expand `rule_files` and the
 * rule files of unit tests: `*` (any run of non-`/` characters, dot files
 * included), `?`, `[a-z]`, `[^…]`, and `\` escapes; matches sorted per
 * directory; a pattern without metacharacters matches the path if it exists.
 */
import { lstat, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Go's `filepath.ErrBadPattern`. */
export const ERR_BAD_PATTERN = "syntax error in pattern";

function hasMeta(p: string): boolean {
  return /[*?[\\]/.test(p);
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Compiles one path element's pattern; throws {@link ERR_BAD_PATTERN}. */
export function compileGlob(pattern: string): RegExp {
  let re = "";
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      i++;
      if (i >= chars.length) throw new Error(ERR_BAD_PATTERN);
      re += escapeRe(chars[i]!);
    } else if (c === "[") i = classAt(chars, i, (s) => (re += s));
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, "u");
}

/** Translates the class starting at `chars[i] === "["`; returns the index of its `]`. */
function classAt(chars: string[], i: number, emit: (s: string) => void): number {
  let j = i + 1;
  let out = "[";
  if (chars[j] === "^") {
    out += "^/";
    j++;
  }
  let first = true;
  for (;;) {
    const c = chars[j];
    if (c === undefined) throw new Error(ERR_BAD_PATTERN);
    if (c === "]" && !first) break;
    first = false;
    let lo = c;
    if (lo === "\\") lo = chars[++j] ?? "";
    if (lo === "" || lo === "-" || lo === "/") throw new Error(ERR_BAD_PATTERN);
    j++;
    out += escapeRe(lo);
    if (chars[j] === "-") {
      let hi = chars[j + 1];
      if (hi === "\\") hi = chars[++j + 1];
      if (hi === undefined || hi === "]" || hi === "-") throw new Error(ERR_BAD_PATTERN);
      out += `-${escapeRe(hi)}`;
      j += 2;
    }
  }
  emit(`${out}]`);
  return j;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Go's `filepath.Glob`: matching paths, or [] (never an error for missing directories). */
export async function glob(pattern: string): Promise<string[]> {
  if (!hasMeta(pattern)) return (await exists(pattern)) ? [pattern] : [];
  const dir = dirname(pattern);
  const base = pattern.slice(pattern.lastIndexOf("/") + 1);
  const re = compileGlob(base);
  const dirs = hasMeta(dir) && dir !== pattern ? await glob(dir) : [dir];
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      continue;
    }
    names.sort();
    for (const n of names) if (re.test(n)) out.push(pattern.includes("/") ? join(d, n) : n);
  }
  return out;
}

/**
 * Expands `rule_files` globs as upstream's reload does, in order.
 * Throws `error retrieving rule files for <pattern>: syntax error in pattern`.
 */
export async function expandRuleFiles(patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    try {
      out.push(...(await glob(p)));
    } catch (err) {
      throw new Error(`error retrieving rule files for ${p}: ${(err as Error).message}`);
    }
  }
  return out;
}
