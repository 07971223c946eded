/** Formatting of durations, times and numbers the way the Prometheus UI shows them. */

const UNITS: readonly (readonly [string, number])[] = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** A Prometheus duration (`1h30m`, `250ms`) from milliseconds; "0s" for zero. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return "0s";
  let rest = Math.round(Math.abs(ms));
  let out = ms < 0 ? "-" : "";
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Milliseconds of a Prometheus duration (`5m`, `1h30m`, `1.5`), or undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+)(ms|y|w|d|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    const size = UNITS.find(([u]) => u === m[2])?.[1] ?? 0;
    total += Number(m[1]) * size;
    consumed += m[0].length;
  }
  return consumed === s.length && total > 0 ? total : undefined;
}

/** Seconds as a short human duration: `1.234s`, `12ms`, `12.3ms`, `850µs`; trailing zeros dropped. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toFixed(3))}s`;
  if (seconds >= 0.001) return `${Number((seconds * 1000).toFixed(3))}ms`;
  return `${Math.round(seconds * 1e6)}µs`;
}

/** The time since an RFC 3339 timestamp (ms; whole seconds from 1s up), or undefined for Go's zero time. */
export function sinceMs(rfc3339: string, now = Date.now()): number | undefined {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t) || t <= 0) return undefined;
  const ms = Math.max(0, now - t);
  return ms < 1000 ? ms : Math.round(ms / 1000) * 1000;
}

/** A timestamp (ms) as `2026-01-02 15:04:05` in UTC or local time. */
export function formatTimestamp(ms: number, utc: boolean): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  if (utc) {
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  }
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A series name as PromQL prints it: `name{a="b", c="d"}`. */
export function formatSeries(labels: Readonly<Record<string, string>>): string {
  const name = labels.__name__ ?? "";
  const rest = Object.entries(labels)
    .filter(([k]) => k !== "__name__")
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return rest.length === 0 && name !== "" ? name : `${name}{${rest.join(", ")}}`;
}
