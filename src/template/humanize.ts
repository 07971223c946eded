/**
 * The humanizing functions shared by Prometheus and Alertmanager templates
 * (prometheus `template/template.go`, prometheus/common `helpers/templates`):
 * `humanize`, `humanize1024`, `humanizeDuration`, `humanizePercentage`,
 * `humanizeTimestamp`, and `toTime`, over Go's `convertToFloat`.
 */

import { goQuote } from "../model/labels/strings.ts";
import { parseGoFloat } from "../promql/strconv.ts";
import { sprintf } from "./fmt.ts";
import { GoDuration, GoTimePtr } from "./time.ts";
import { kindOf, typeName } from "./values.ts";

/** Go's `strconv.ParseFloat(s, 64)` with its error texts. */
export function parseFloatStrict(s: string): number {
  const v = parseGoFloat(s);
  if (v !== null) return v;
  const inf = parseGoFloat(s.replace(/e[+-]?\d+$/i, ""));
  const reason = inf !== null && /e[+-]?\d+$/i.test(s) ? "value out of range" : "invalid syntax";
  throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: ${reason}`);
}

/**
 * Go's `convertToFloat`: float64, string (ParseFloat), int, and — when
 * `durations` (prometheus/common's version, Alertmanager) — `time.Duration` in seconds.
 */
export function convertToFloat(v: unknown, durations = false): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return parseFloatStrict(v);
  if (typeof v === "bigint") return Number(v);
  if (durations && v instanceof GoDuration) return v.Seconds();
  throw new Error(`can't convert ${typeName(v)} to float`);
}

const fmt4 = (v: number, suffix = ""): string => sprintf(`%.4g${suffix}`, [v]);

/** `humanize`: metric prefixes (k, M, … / m, u, …), 4 significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return fmt4(v);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return fmt4(v) + prefix;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return fmt4(v) + prefix;
}

/** `humanize1024`: binary prefixes (ki, Mi, …). */
export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return fmt4(v);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return fmt4(v) + prefix;
}

/** `humanizeDuration`: seconds as `1d 2h 3m 4s`, `1.5s`, `100ms`. */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return fmt4(v);
  if (v === 0) return fmt4(v, "s");
  if (Math.abs(v) >= 1) {
    let sign = "";
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    const d = BigInt(Math.trunc(Math.min(v, 9.2e18)));
    const seconds = d % 60n;
    const minutes = (d / 60n) % 60n;
    const hours = (d / 3600n) % 24n;
    const days = d / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${fmt4(v)}s`;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${fmt4(v)}${prefix}s`;
}

/** `humanizePercentage`: a ratio as `12.35%`. */
export function humanizePercentage(v: number): string {
  return fmt4(v * 100, "%%");
}

/** Prometheus' `floatToTime`: seconds since the epoch to a UTC `*time.Time` (ms precision). */
export function floatToTime(v: number): GoTimePtr {
  if (!Number.isFinite(v)) throw new Error("value is NaN or Inf");
  const ns = v * 1e9;
  if (ns > 2 ** 63 || ns < -(2 ** 63)) {
    throw new Error(
      `${sprintf("%v", [v])} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  }
  const ms = BigInt(Math.trunc(ns)) / 1_000_000n;
  let sec = ms / 1000n;
  let rem = ms % 1000n;
  if (rem < 0n) {
    sec -= 1n;
    rem += 1000n;
  }
  return new GoTimePtr(Number(sec), Number(rem) * 1_000_000);
}

/** `humanizeTimestamp`: seconds since the epoch as `2015-06-23 13:19:44.128 +0000 UTC`. */
export function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return fmt4(v);
  return floatToTime(v).String();
}

/** True when `v` is a number-like value `convertToFloat` accepts. */
export function isNumberLike(v: unknown): boolean {
  const k = kindOf(v);
  return k === "float" || k === "int" || k === "string";
}
