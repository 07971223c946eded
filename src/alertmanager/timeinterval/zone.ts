/**
 * Time zones as Go's `time.LoadLocation` sees them: a name is valid when the
 * zoneinfo database has a file for it (so names are case-sensitive, as on
 * Linux), `""` and `UTC` are UTC, `Local` is the machine's zone. Wall-clock
 * fields in a zone come from `Intl`, which carries the same IANA data.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Go's zoneinfo search path (after `$ZONEINFO`). */
const ZONE_DIRS = [
  "/usr/share/zoneinfo/",
  "/usr/share/lib/zoneinfo/",
  "/usr/lib/locale/TZ/",
  "/etc/zoneinfo/",
];

/** Wall-clock fields of an instant in a zone; `month` 1–12, `weekday` 0 = Sunday. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

function zoneDirs(): string[] {
  const env = process.env.ZONEINFO;
  return [...(env !== undefined && env !== "" ? [env] : []), ...ZONE_DIRS].filter((d) => existsSync(d));
}

function intlAccepts(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates a location name as `time.LoadLocation` does; returns the name to
 * keep (Go's `Location.String()`: `""` becomes `UTC`). Throws Go's message
 * (`unknown time zone Foo/Bar`, `time: invalid location name`).
 */
export function loadLocation(name: string): string {
  if (name === "" || name === "UTC") return "UTC";
  if (name === "Local") return "Local";
  if (name.includes("..") || name.startsWith("/") || name.startsWith("\\")) {
    throw new Error("time: invalid location name");
  }
  const dirs = zoneDirs();
  const known = dirs.length > 0 ? dirs.some((d) => existsSync(join(d, name))) : intlAccepts(name);
  if (!known) throw new Error(`unknown time zone ${name}`);
  return name;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (f === undefined) {
    const timeZone = zone === "Local" ? undefined : zone;
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        weekday: "short",
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Wall-clock fields of `epochMs` in `zone` (a name from {@link loadLocation}; unknown to Intl reads as UTC). */
export function wallClock(epochMs: number, zone: string): WallClock {
  const f = zone === "UTC" ? undefined : formatter(zone);
  if (f === undefined) {
    const d = new Date(epochMs);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(epochMs)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** The zone's UTC offset at `epochMs`, in milliseconds (whole minutes). */
function offsetAt(epochMs: number, zone: string): number {
  const w = wallClock(epochMs, zone);
  const asUTC = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUTC - Math.floor(epochMs / 60_000) * 60_000;
}

/** Go's `time.Date(y, m, d, 0, 0, 0, 0, loc)` as epoch milliseconds (month may overflow into the next year). */
export function zonedMidnight(year: number, month: number, day: number, zone: string): number {
  const local = Date.UTC(year, month - 1, day);
  if (zone === "UTC") return local;
  const offset = offsetAt(local, zone);
  const utc = local - offset;
  const corrected = offsetAt(utc, zone);
  return local - corrected;
}

/**
 * Upstream's `daysInMonth`: whole days between the first of the month and the
 * first of the next in `zone`, truncated — so a month that loses an hour to
 * daylight saving counts one day less, exactly as Alertmanager computes it.
 */
export function daysInMonth(year: number, month: number, zone: string): number {
  const start = zonedMidnight(year, month, 1, zone);
  const end = zonedMidnight(year, month + 1, 1, zone);
  return Math.trunc((end - start) / 3_600_000 / 24);
}
