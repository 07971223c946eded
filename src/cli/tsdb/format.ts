/**
 * Go's text layouts that promtool's tsdb output is made of: `time.Duration`
 * strings, `%g` floats, `units.Base2Bytes`, `time.Time.String()` in UTC,
 * `text/tabwriter` columns, and `time.ParseDuration` for flags.
 */
import { formatFloat } from "../../exposition/escape.ts";

const NS_PER_MS = 1_000_000;

/**
 * A span of `ms` milliseconds as Go's `time.Duration.String()` prints it:
 * `0s`, `1ms`, `1.001s`, `45m8.001s`, `2h0m0s`. Exact for spans below 2^53 ns
 * (~104 days); longer spans keep millisecond precision.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let abs = Math.abs(ms);
  let out: string;
  if (abs < 1000) {
    // Integral milliseconds never have a fractional part below a second.
    out = `${abs}ms`;
  } else {
    const fracMs = abs % 1000;
    abs = (abs - fracMs) / 1000; // whole seconds
    const secs = abs % 60;
    const frac = fracMs === 0 ? "" : `.${String(fracMs).padStart(3, "0").replace(/0+$/, "")}`;
    out = `${secs}${frac}s`;
    abs = (abs - secs) / 60; // whole minutes
    if (abs > 0) {
      const mins = abs % 60;
      const hours = (abs - mins) / 60;
      out = `${mins}m${out}`;
      if (hours > 0) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Nanoseconds per unit for {@link parseGoDuration}. */
const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Parses a duration as Go's `time.ParseDuration` does (`1h30m`, `1.5h`,
 * `300ms`, `0`), returning milliseconds (sub-millisecond parts truncated).
 * Throws with Go's message on bad input.
 */
export function parseGoDuration(s: string): number {
  const orig = s;
  const bad = (): Error => new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw bad();
  let ns = 0;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const whole = m[1]!;
    const frac = m[2];
    if (whole === "" && (frac === undefined || frac === "")) throw bad();
    s = s.slice(m[0].length);
    const u = /^[^\d.]*/.exec(s)![0];
    if (u === "") throw new Error(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const unit = UNITS[u];
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${JSON.stringify(u)} in duration ${JSON.stringify(orig)}`);
    }
    s = s.slice(u.length);
    ns += Number(whole || "0") * unit;
    if (frac !== undefined && frac !== "") ns += Number(`0.${frac}`) * unit;
  }
  if (ns >= 2 ** 63) throw bad();
  const ms = Math.trunc(ns / NS_PER_MS);
  return neg ? -ms : ms;
}

/**
 * A float as Go's `fmt` `%g` prints it: shortest round-trip digits, exponent
 * form below 1e-4 and from 1e6 on (`1.234567e+06`), `NaN`, `+Inf`, `-Inf`, `-0`.
 */
export function formatGoFloat(v: number): string {
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  return formatFloat(v);
}

const BYTE_UNITS = ["", "K", "M", "G", "T", "P", "E"];

/** Bytes as `units.Base2Bytes.String()`: each non-zero power of 1024, largest first (`8KiB104B`). */
export function formatBase2Bytes(n: number): string {
  if (n === 0) return "0B";
  const parts: string[] = [];
  let rest = Math.trunc(n);
  for (let i = 0; i < BYTE_UNITS.length && rest !== 0; i++) {
    const r = rest % 1024;
    if (r !== 0) parts.unshift(`${r}${BYTE_UNITS[i]}${i === 0 ? "B" : "iB"}`);
    rest = Math.trunc(rest / 1024);
  }
  return parts.join("");
}

/**
 * The whole second of `ms` (truncated toward zero, as Go's integer division)
 * as `time.Time.String()` prints it in UTC: `1970-01-01 00:16:40 +0000 UTC`.
 */
export function formatGoTimeUTC(ms: number): string {
  const d = new Date(Math.trunc(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${String(-y).padStart(4, "0")}` : String(y).padStart(4, "0");
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${year}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

/**
 * Lays out rows as Go's `text/tabwriter` with flags 0: every cell but the
 * last of a line is a column cell, padded with spaces to the column's width,
 * which is the widest cell plus `padding`, at least `minWidth`. Widths count
 * code points, as tabwriter counts runes.
 */
export function tabulate(rows: readonly (readonly string[])[], minWidth: number, padding: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      const w = runeCount(row[c]!) + padding;
      widths[c] = Math.max(widths[c] ?? minWidth, w);
    }
  }
  let out = "";
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]!;
      out += c < row.length - 1 ? cell + " ".repeat(widths[c]! - runeCount(cell)) : cell;
    }
    out += "\n";
  }
  return out;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * A file-system error as Go words it: `stat data/: no such file or
 * directory`, from Node's `ENOENT: no such file or directory, stat 'data/'`.
 */
export function describeFsError(err: unknown, op?: string, path?: string): string {
  const e = err as NodeJS.ErrnoException;
  const what = ERRNO_TEXT[e.code ?? ""];
  if (what === undefined) return e instanceof Error ? e.message : String(err);
  const o = op ?? e.syscall ?? "open";
  const p = path ?? e.path ?? "";
  return `${o} ${p}: ${what}`;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  EEXIST: "file exists",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
};
