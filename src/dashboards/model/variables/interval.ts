/**
 * Grafana's interval arithmetic: `$__interval` from the time range and the
 * panel's max data points (rounded to a "nice" step, never below the min
 * interval), `$__rate_interval`, and the `$__range*` values, computed as
 * Grafana's `rangeutil.calculateInterval` and its Prometheus data source
 * do. Pure and browser-safe.
 */

const UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 2_592_000_000,
  y: 31_536_000_000,
};

/** An interval string Grafana cannot read. */
export class IntervalError extends Error {
  override readonly name = "IntervalError";
}

/** `"30s"`, `"1m"`, `"1.5h"`, `"100ms"`, `"2d"`, `"1w"`, `"1y"` (and Go-style combinations `"1m30s"`) in ms. */
export function parseInterval(text: string): number {
  const s = text.trim().replace(/^>/, "");
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * UNITS_MS[m[2]!]!;
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== s.length)
    throw new IntervalError(
      `invalid interval string, has to be either unit-less or end with one of the following units: "y, M, w, d, h, m, s, ms": ${JSON.stringify(text)}`,
    );
  return total;
}

/** Grafana's `roundInterval`: the nice step (10 ms … 1 y) for a raw interval in ms. */
export function roundInterval(ms: number): number {
  const steps: readonly [number, number][] = [
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10000],
    [17500, 15000],
    [25000, 20000],
    [45000, 30000],
    [90000, 60000],
    [210000, 120000],
    [450000, 300000],
    [750000, 600000],
    [1050000, 900000],
    [1500000, 1200000],
    [2700000, 1800000],
    [5400000, 3600000],
    [9000000, 7200000],
    [16200000, 10800000],
    [32400000, 21600000],
    [86400000, 43200000],
    [604800000, 86400000],
    [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [below, step] of steps) if (ms < below) return step;
  return 31536000000;
}

/** Grafana's `secondsToHms`: the largest whole unit only (`"1m"`, `"30s"`, `"500ms"`, `"1d"`). */
export function formatInterval(ms: number): string {
  const seconds = ms / 1000;
  const parts: readonly [number, string][] = [
    [Math.floor(seconds / 31536000), "y"],
    [Math.floor((seconds % 31536000) / 86400), "d"],
    [Math.floor(((seconds % 31536000) % 86400) / 3600), "h"],
    [Math.floor((((seconds % 31536000) % 86400) % 3600) / 60), "m"],
    [Math.floor((((seconds % 31536000) % 86400) % 3600) % 60), "s"],
    [Math.floor(seconds * 1000), "ms"],
  ];
  for (const [n, unit] of parts) if (n > 0) return `${n}${unit}`;
  return "less than a millisecond";
}

/** A time range in ms since the epoch, `from` ≤ `to`. */
export interface TimeRangeMs {
  readonly from: number;
  readonly to: number;
}

/**
 * `$__interval` in ms: the range divided by `maxDataPoints` (Grafana uses the
 * panel's `maxDataPoints`, else its width in pixels), rounded to a nice step,
 * and never below `minInterval` (the panel's `interval`, else the data
 * source's `timeInterval`; 1 ms when neither).
 */
export function calculateInterval(range: TimeRangeMs, maxDataPoints: number, minInterval?: string): number {
  const low = minInterval !== undefined && minInterval !== "" ? parseInterval(minInterval) : 1;
  const raw = roundInterval((range.to - range.from) / Math.max(1, maxDataPoints));
  return Math.max(low, raw);
}

/**
 * `$__rate_interval` in ms: max(`$__interval` + scrape interval, 4 × scrape
 * interval), the scrape interval being the data source's `timeInterval`
 * (default 15 s), as Grafana's Prometheus data source computes it.
 */
export function rateInterval(intervalMs: number, scrapeInterval = "15s"): number {
  const scrape = parseInterval(scrapeInterval === "" ? "15s" : scrapeInterval);
  return Math.max(intervalMs + scrape, 4 * scrape);
}

/** The built-in variables of one panel query, as strings ready for interpolation. */
export interface BuiltinValues {
  readonly __interval: string;
  readonly __interval_ms: string;
  readonly __rate_interval: string;
  readonly __rate_interval_ms: string;
  readonly __range: string;
  readonly __range_s: string;
  readonly __range_ms: string;
  readonly __from: string;
  readonly __to: string;
}

/**
 * The built-ins for a query over `range`: `$__range_s` is the range in whole
 * seconds (rounded), `$__range` the same with an `s`, `$__from`/`$__to` epoch
 * milliseconds.
 */
export function builtinValues(
  range: TimeRangeMs,
  intervalMs: number,
  scrapeInterval?: string,
): BuiltinValues {
  const rangeMs = Math.round(range.to - range.from);
  const rangeS = Math.round(rangeMs / 1000);
  const rate = rateInterval(intervalMs, scrapeInterval);
  return {
    __interval: formatInterval(intervalMs),
    __interval_ms: String(intervalMs),
    __rate_interval: formatInterval(rate),
    __rate_interval_ms: String(rate),
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(rangeMs),
    __from: String(Math.round(range.from)),
    __to: String(Math.round(range.to)),
  };
}
