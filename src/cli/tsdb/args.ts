/**
 * Command-line parsing for `vigil tsdb` sub-commands, which take positional
 * arguments and repeatable flags (`--match` twice), unlike the flag-only
 * commands `src/cli/flags.ts` serves. Follows kingpin as promtool uses it:
 * `--flag=value` or `--flag value`, `--[no-]bool`, bundled short booleans
 * (`-qr`), flags anywhere among the arguments, `--` ending flags; errors
 * are kingpin's messages, thrown as {@link UsageError}.
 */
import { UsageError } from "../flags.ts";

export interface ArgFlag {
  readonly type: "string" | "boolean" | "repeated";
  readonly help: string;
  readonly short?: string;
  /** Shown in help; string flags start from it. */
  readonly default?: string;
  /** Shown in help, e.g. `<duration>`. */
  readonly placeholder?: string;
  /** Accepted but not listed (upstream's hidden flags). */
  readonly hidden?: boolean;
}

export interface ArgPositional {
  /** As upstream names it in messages: `input file`, `db path`. */
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
  readonly default?: string;
}

export interface ArgSpec {
  readonly flags: Readonly<Record<string, ArgFlag>>;
  readonly positionals: readonly ArgPositional[];
}

export interface ParsedArgs {
  readonly strings: ReadonlyMap<string, string>;
  readonly booleans: ReadonlyMap<string, boolean>;
  readonly repeated: ReadonlyMap<string, readonly string[]>;
  /** Positional values by name; optional ones absent and without default are missing. */
  readonly positionals: ReadonlyMap<string, string>;
}

/** Parses `args` against `spec`; throws {@link UsageError} with kingpin's wording. */
export function parseArgs(spec: ArgSpec, args: readonly string[]): ParsedArgs {
  const strings = new Map<string, string>();
  const booleans = new Map<string, boolean>();
  const repeated = new Map<string, string[]>();
  const positional: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(spec.flags)) if (f.short) byShort.set(f.short, name);

  const setValue = (name: string, f: ArgFlag, value: string): void => {
    if (f.type === "repeated") {
      const list = repeated.get(name) ?? [];
      list.push(value);
      repeated.set(name, list);
    } else strings.set(name, value);
  };

  let flagsDone = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (flagsDone || a === "-" || !a.startsWith("-")) {
      positional.push(a);
      continue;
    }
    if (a === "--") {
      flagsDone = true;
      continue;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      let name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      let f = flagOf(spec, name);
      let negated = false;
      if (f === undefined && name.startsWith("no-") && flagOf(spec, name.slice(3))?.type === "boolean") {
        name = name.slice(3);
        f = flagOf(spec, name);
        negated = true;
      }
      if (f === undefined) {
        throw new UsageError(`unknown long flag '--${eq < 0 ? a.slice(2) : a.slice(2, eq)}'`);
      }
      if (f.type === "boolean") {
        if (eq >= 0) {
          const v = a.slice(eq + 1);
          if (v !== "true" && v !== "false") {
            throw new UsageError(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
          }
          booleans.set(name, (v === "true") !== negated);
        } else booleans.set(name, !negated);
        continue;
      }
      if (eq >= 0) setValue(name, f, a.slice(eq + 1));
      else {
        if (i + 1 >= args.length) throw new UsageError(`expected argument for flag '--${name}'`);
        setValue(name, f, args[++i]!);
      }
      continue;
    }
    // Short flags: bundled booleans, and a string flag taking the rest or the next argument.
    for (let k = 1; k < a.length; k++) {
      const ch = a[k]!;
      const name = byShort.get(ch);
      if (name === undefined) throw new UsageError(`unknown short flag '-${ch}'`);
      const f = spec.flags[name]!;
      if (f.type === "boolean") {
        booleans.set(name, true);
        continue;
      }
      const rest = a.slice(k + 1);
      if (rest !== "") setValue(name, f, rest);
      else if (i + 1 < args.length) setValue(name, f, args[++i]!);
      else throw new UsageError(`expected argument for flag '-${ch}'`);
      break;
    }
  }

  const positionals = new Map<string, string>();
  for (let p = 0; p < spec.positionals.length; p++) {
    const want = spec.positionals[p]!;
    const got = positional[p];
    if (got !== undefined) positionals.set(want.name, got);
    else if (want.required) throw new UsageError(`required argument '${want.name}' not provided`);
    else if (want.default !== undefined) positionals.set(want.name, want.default);
  }
  if (positional.length > spec.positionals.length) {
    throw new UsageError(`unexpected ${positional[spec.positionals.length]}`);
  }
  for (const [name, f] of Object.entries(spec.flags)) {
    if (f.type === "string" && !strings.has(name) && f.default !== undefined) strings.set(name, f.default);
    if (f.type === "boolean" && !booleans.has(name)) booleans.set(name, false);
    if (f.type === "repeated" && !repeated.has(name) && f.default !== undefined) {
      repeated.set(name, [f.default]);
    }
  }
  return { strings, booleans, repeated, positionals };
}

function flagOf(spec: ArgSpec, name: string): ArgFlag | undefined {
  return Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
}

/** Help lines for a sub-command's flags and arguments, kingpin-style. */
export function formatArgSpec(spec: ArgSpec): string {
  const rows: [string, string][] = [];
  for (const [name, f] of Object.entries(spec.flags)) {
    if (f.hidden) continue;
    const short = f.short ? `-${f.short}, ` : "    ";
    const dflt =
      f.type === "boolean"
        ? ""
        : `=${f.placeholder ?? f.default ?? name.toUpperCase()}${f.type === "repeated" ? " ..." : ""}`;
    const left = f.type === "boolean" ? `${short}--[no-]${name}` : `${short}--${name}${dflt}`;
    rows.push([`  ${left}`, f.help]);
  }
  for (const p of spec.positionals) {
    rows.push([`  ${p.required ? `<${p.name}>` : `[<${p.name}>]`}`, p.help]);
  }
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, r]) => `${l.padEnd(width)}${r}`).join("\n");
}
