/**
 * Upstream's `timeinterval` package: a `TimeInterval` is a conjunction of
 * optional lists (times of day, weekdays, days of month — negative counts
 * from the end —, months, years) evaluated in a location. Parsing keeps
 * upstream's error texts; {@link containsTime} follows `ContainsTime`
 * (including its day-of-month clamping and daylight-saving day count).
 */
import { goQuote } from "../../model/labels/strings.ts";
import { daysInMonth, loadLocation, wallClock } from "./zone.ts";

/** Minutes of the day, `[startMinute, endMinute)`, 0–1440. */
export interface TimeRange {
  readonly startMinute: number;
  readonly endMinute: number;
}

/** An inclusive integer range. */
export interface InclusiveRange {
  readonly begin: number;
  readonly end: number;
}

/**
 * One interval. A list left out (undefined) matches anything; an empty list
 * matches nothing, as in upstream where only a nil slice is skipped.
 */
export interface TimeInterval {
  readonly times?: readonly TimeRange[];
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekdays?: readonly InclusiveRange[];
  /** 1…31 or −31…−1 (from the end of the month). */
  readonly days_of_month?: readonly InclusiveRange[];
  /** 1 = January. */
  readonly months?: readonly InclusiveRange[];
  readonly years?: readonly InclusiveRange[];
  /** A name accepted by {@link loadLocation} (`UTC`, `Local`, `Europe/Berlin`); undefined is UTC. */
  readonly location?: string;
}

/** Weekday names, index = Go's `time.Weekday`. */
export const WEEKDAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
/** Month names, index + 1 = month number. */
export const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** Go's `strconv.Atoi` with its error text. */
export function atoi(s: string): number {
  if (/^[+-]?[0-9]+$/.test(s)) {
    const v = Number(s);
    if (Number.isSafeInteger(v)) return v;
    throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
}

/** Upstream's `stringableRangeFromString`: lower-cases, splits `a:b`, maps each member. */
function parseRange(text: string, member: (s: string) => number): InclusiveRange {
  const s = text.toLowerCase();
  if (!s.includes(":")) {
    const v = member(s);
    return { begin: v, end: v };
  }
  const parts = s.split(":");
  if (parts.length !== 2) throw new Error(`couldn't parse range ${s}, invalid format`);
  return { begin: member(parts[0]), end: member(parts[1]) };
}

/** A `weekdays` entry: `monday`, `monday:friday` (case-insensitive). */
export function parseWeekdayRange(text: string): InclusiveRange {
  const r = parseRange(text, (s) => {
    const i = WEEKDAY_NAMES.indexOf(s);
    if (i < 0) throw new Error(`${s} is not a valid weekday`);
    return i;
  });
  if (r.begin > r.end) throw new Error("start day cannot be before end day");
  return r;
}

/** A `days_of_month` entry: `1`, `1:5`, `-3:-1`, `5:-1`. */
export function parseDayOfMonthRange(text: string): InclusiveRange {
  const r = parseRange(text, atoi);
  for (const d of [r.begin, r.end]) {
    if (d === 0 || d < -31 || d > 31) throw new Error(`${d} is not a valid day of the month: out of range`);
  }
  if (r.begin < 0 && r.end > 0) throw new Error("end day must be negative if start day is negative");
  const checkBegin = r.begin < 0 ? 28 + r.begin : r.begin;
  const checkEnd = r.end < 0 ? 28 + r.end : r.end;
  if (checkBegin > checkEnd) throw new Error(`end day ${r.end} is always before start day ${r.begin}`);
  return r;
}

/** A `months` entry: names or numbers, `may:august`, `1:3`. */
export function parseMonthRange(text: string): InclusiveRange {
  const r = parseRange(text, (s) => {
    const i = MONTH_NAMES.indexOf(s);
    if (i >= 0) return i + 1;
    try {
      return atoi(s);
    } catch {
      throw new Error(`${s} is not a valid month`);
    }
  });
  if (r.begin > r.end) {
    throw new Error(
      `end month ${MONTH_NAMES[r.end - 1] ?? ""} is before start month ${MONTH_NAMES[r.begin - 1] ?? ""}`,
    );
  }
  return r;
}

/** A `years` entry: `2030`, `2020:2022`. */
export function parseYearRange(text: string): InclusiveRange {
  const r = parseRange(text, atoi);
  if (r.begin > r.end) throw new Error(`end year ${r.end} is before start year ${r.begin}`);
  return r;
}

const VALID_TIME = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

function parseClock(s: string): number {
  if (!VALID_TIME.test(s)) throw new Error(`couldn't parse timestamp ${s}, invalid format`);
  const [h, m] = s.split(":").map(Number);
  return h * 60 + m;
}

/** A `times` entry from its `start_time` and `end_time` (`HH:MM`, end exclusive, `24:00` allowed). */
export function parseTimeRange(startTime: string, endTime: string): TimeRange {
  if (startTime === "" || endTime === "") throw new Error("both start and end times must be provided");
  const startMinute = parseClock(startTime);
  const endMinute = parseClock(endTime);
  if (startMinute >= endMinute) throw new Error("start time cannot be equal or greater than end time");
  return { startMinute, endMinute };
}

/** A `location`: see {@link loadLocation}. */
export const parseLocation: (name: string) => string = loadLocation;

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** `HH:MM` of a minute of the day, as upstream marshals times. */
export function formatClock(minute: number): string {
  return `${pad2(Math.trunc(minute / 60))}:${pad2(minute % 60)}`;
}

/** A weekday range as upstream writes it: `saturday`, `monday:friday`. */
export function formatWeekdayRange(r: InclusiveRange): string {
  const b = WEEKDAY_NAMES[r.begin];
  return r.begin === r.end ? b : `${b}:${WEEKDAY_NAMES[r.end]}`;
}

/** A numeric range as upstream writes it: `7`, `1:5` (months too: `5:8`). */
export function formatInclusiveRange(r: InclusiveRange): string {
  return r.begin === r.end ? String(r.begin) : `${r.begin}:${r.end}`;
}

function anyRange(list: readonly InclusiveRange[], v: number): boolean {
  return list.some((r) => v >= r.begin && v <= r.end);
}

function clamp(n: number, min: number, max: number): number {
  if (n <= min) return min;
  if (n >= max) return max;
  return n;
}

function dayMatches(list: readonly InclusiveRange[], day: number, days: number): boolean {
  for (const r of list) {
    const begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
    const end = r.end < 0 ? days + r.end + 1 : r.end;
    if (begin > days) continue;
    if (day >= clamp(begin, -days, days) && day <= clamp(end, -days, days)) return true;
  }
  return false;
}

/** Upstream's `TimeInterval.ContainsTime` for the instant `at` (a Date or epoch milliseconds). */
export function containsTime(ti: TimeInterval, at: Date | number): boolean {
  const epoch = typeof at === "number" ? at : at.getTime();
  const zone = ti.location ?? "UTC";
  const t = wallClock(epoch, zone);
  if (ti.times !== undefined) {
    const minute = t.hour * 60 + t.minute;
    if (!ti.times.some((r) => minute >= r.startMinute && minute < r.endMinute)) return false;
  }
  if (
    ti.days_of_month !== undefined &&
    !dayMatches(ti.days_of_month, t.day, daysInMonth(t.year, t.month, zone))
  )
    return false;
  if (ti.months !== undefined && !anyRange(ti.months, t.month)) return false;
  if (ti.weekdays !== undefined && !anyRange(ti.weekdays, t.weekday)) return false;
  if (ti.years !== undefined && !anyRange(ti.years, t.year)) return false;
  return true;
}
