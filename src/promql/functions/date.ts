/**
 * Date functions (`year`, `month`, `day_of_week`, …): the UTC calendar field
 * of a Unix time given in seconds, as upstream computes it with
 * `time.Unix(int64(v), 0).UTC()`. That includes Go's conversion of the float:
 * truncation toward zero, and on amd64 (what the reference runs on) NaN, ±Inf
 * and values outside int64 all becoming the minimum int64, whose date Go's
 * calendar arithmetic wraps to the far future. Years are proleptic Gregorian
 * and unbounded, unlike JavaScript's `Date`.
 */
import type { ElementwiseFn } from "./types.ts";

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const TWO_32 = 2 ** 32;
/**
 * Go measures dates from year -292277022399; a time before that (only the
 * last ~8e9 s above min int64) wraps modulo 2^64. This is that limit rounded
 * down to a multiple of 1024, the spacing of floats there, so it compares exactly.
 */
const GO_WRAP_LIMIT = -TWO_63 + 8139453440;

// Fields of the last date computed by `civil`.
let year = 0;
let month = 0; // 1–12
let day = 0; // 1–31
let yearDay = 0; // 1–366
let weekDay = 0; // 0 = Sunday
let hour = 0;
let minute = 0;

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Days in month `m` (1–12) of year `y`. */
export function daysIn(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Fills the date fields for Unix time `v` seconds, converted as Go's `int64(v)` on amd64. */
function civil(v: number): void {
  let sec = v >= -TWO_63 && v < TWO_63 ? Math.trunc(v) : -TWO_63;
  if (sec <= GO_WRAP_LIMIT) sec += TWO_64; // exact: both are multiples of 1024 here
  // Exact floor division by 86400 of an integer float up to 2^63 in magnitude.
  let days: number;
  let secOfDay: number;
  if (sec > -9e15 && sec < 9e15) {
    days = Math.floor(sec / 86400);
    secOfDay = sec - days * 86400;
  } else {
    const hi = Math.floor(sec / TWO_32);
    const lo = sec - hi * TWO_32;
    const q1 = Math.floor(hi / 86400);
    const t = (hi - q1 * 86400) * TWO_32 + lo;
    const q2 = Math.floor(t / 86400);
    days = q1 * TWO_32 + q2;
    secOfDay = t - q2 * 86400;
  }
  hour = Math.floor(secOfDay / 3600);
  minute = Math.floor((secOfDay % 3600) / 60);
  weekDay = (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday

  // Civil date from days since 1970-01-01, counting 400-year eras from 0000-03-01.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doyFromMarch = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doyFromMarch + 2) / 153);
  day = doyFromMarch - Math.floor((153 * mp + 2) / 5) + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  yearDay = DAYS_BEFORE_MONTH[month - 1]! + day + (month > 2 && isLeap(year) ? 1 : 0);
}

export const DATE_FUNCTIONS: [string, ElementwiseFn][] = [
  [
    "year",
    (v) => {
      civil(v);
      return year;
    },
  ],
  [
    "month",
    (v) => {
      civil(v);
      return month;
    },
  ],
  [
    "day_of_month",
    (v) => {
      civil(v);
      return day;
    },
  ],
  [
    "day_of_year",
    (v) => {
      civil(v);
      return yearDay;
    },
  ],
  [
    "day_of_week",
    (v) => {
      civil(v);
      return weekDay;
    },
  ],
  [
    "days_in_month",
    (v) => {
      civil(v);
      return daysIn(year, month);
    },
  ],
  [
    "hour",
    (v) => {
      civil(v);
      return hour;
    },
  ],
  [
    "minute",
    (v) => {
      civil(v);
      return minute;
    },
  ],
];
