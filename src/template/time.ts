/**
 * Go's `time.Time` and `time.Duration` as template values: `GoTime` (methods `Format`
 * with Go layouts, `String`, `Unix`, `UnixNano`, `UTC`, `In`, `Local`, …) and
 * `GoDuration` (an int64 of nanoseconds with Go's `String`).
 */

import { civil, formatTime, LONG_DAYS, LONG_MONTHS } from "./timeformat.ts";
import { GO_TYPE, type GoTypeInfo } from "./values.ts";
import { fixedZone, type Location, localLocation, UTC } from "./zoneinfo.ts";

/** Go's `time.Duration`: nanoseconds (int64). Its kind is int for comparisons. */
export class GoDuration {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "time.Duration" };
  readonly #ns: bigint;
  constructor(ns: bigint) {
    this.#ns = ns;
  }
  /** Nanoseconds. */
  get nanoseconds(): bigint {
    return this.#ns;
  }
  /** Go's `Duration.String`: `1h2m3.5s`, `1.5µs`, `0s`. */
  String(): string {
    return formatDuration(this.#ns);
  }
  Seconds(): number {
    return Number(this.#ns) / 1e9;
  }
  Minutes(): number {
    return Number(this.#ns) / 6e10;
  }
  Hours(): number {
    return Number(this.#ns) / 3.6e12;
  }
  Milliseconds(): bigint {
    return this.#ns / 1_000_000n;
  }
  Nanoseconds(): bigint {
    return this.#ns;
  }
}

function fracString(v: bigint, prec: number): [string, bigint] {
  let s = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) s = digit.toString() + s;
    v /= 10n;
  }
  return [print ? `.${s}` : "", v];
}

/** Go's `time.Duration.String`. */
export function formatDuration(d: bigint): string {
  if (d === 0n) return "0s";
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (u < 1000n) return `${neg ? "-" : ""}${u}ns`;
    if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, rest] = fracString(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, secs] = fracString(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return (neg ? "-" : "") + out;
}

/** Go's `time.Time`: Unix seconds, nanoseconds and a location. */
export class GoTime {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "time.Time" };
  readonly #sec: number;
  readonly #nsec: number;
  readonly #loc: Location;

  /** `sec` whole Unix seconds, `nsec` in [0, 1e9), `loc` the presentation zone. */
  constructor(sec: number, nsec: number, loc: Location = UTC) {
    this.#sec = sec;
    this.#nsec = nsec;
    this.#loc = loc;
  }

  /** A time from milliseconds since the epoch (fractional ms give nanoseconds). */
  static fromMillis(ms: number, loc: Location = UTC): GoTime {
    const sec = Math.floor(ms / 1000);
    return new GoTime(sec, Math.round((ms - sec * 1000) * 1e6), loc);
  }

  /** Go's `time.Time{}` (0001-01-01 00:00:00 UTC). */
  static zero(): GoTime {
    return new GoTime(-62135596800, 0, UTC);
  }

  /** The instant in milliseconds since the epoch. */
  get millis(): number {
    return this.#sec * 1000 + Math.floor(this.#nsec / 1e6);
  }
  get unixSeconds(): number {
    return this.#sec;
  }
  get nanos(): number {
    return this.#nsec;
  }
  get location(): Location {
    return this.#loc;
  }

  String(): string {
    return this.Format("2006-01-02 15:04:05.999999999 -0700 MST");
  }
  Format(layout: string): string {
    return formatTime(this.#sec, this.#nsec, this.#loc, layout);
  }
  Unix(): bigint {
    return BigInt(this.#sec);
  }
  UnixMilli(): bigint {
    return BigInt(this.#sec) * 1000n + BigInt(Math.floor(this.#nsec / 1e6));
  }
  UnixNano(): bigint {
    return BigInt(this.#sec) * 1_000_000_000n + BigInt(this.#nsec);
  }
  UTC(): GoTime {
    return new GoTime(this.#sec, this.#nsec, UTC);
  }
  Local(): GoTime {
    return new GoTime(this.#sec, this.#nsec, localLocation());
  }
  In(loc: Location): GoTime {
    return new GoTime(this.#sec, this.#nsec, loc);
  }
  /** Go's `Location()`: prints as the location's name. */
  Location(): GoLocation {
    return new GoLocation(this.#loc);
  }
  IsZero(): boolean {
    return this.#sec === -62135596800 && this.#nsec === 0;
  }
  Equal(t: GoTime): boolean {
    return this.#sec === t.#sec && this.#nsec === t.#nsec;
  }
  Before(t: GoTime): boolean {
    return this.#sec < t.#sec || (this.#sec === t.#sec && this.#nsec < t.#nsec);
  }
  After(t: GoTime): boolean {
    return t.Before(this);
  }
  Sub(t: GoTime): GoDuration {
    return new GoDuration(this.UnixNano() - t.UnixNano());
  }
  Add(d: GoDuration): GoTime {
    const ns = this.UnixNano() + d.nanoseconds;
    const sec = ns / 1_000_000_000n - (ns % 1_000_000_000n < 0n ? 1n : 0n);
    return new GoTime(Number(sec), Number(ns - sec * 1_000_000_000n), this.#loc);
  }
  Year(): bigint {
    return BigInt(civil(this.#sec, this.#loc).year);
  }
  Month(): string {
    return LONG_MONTHS[civil(this.#sec, this.#loc).month - 1];
  }
  Day(): bigint {
    return BigInt(civil(this.#sec, this.#loc).day);
  }
  Hour(): bigint {
    return BigInt(civil(this.#sec, this.#loc).hour);
  }
  Minute(): bigint {
    return BigInt(civil(this.#sec, this.#loc).minute);
  }
  Second(): bigint {
    return BigInt(civil(this.#sec, this.#loc).second);
  }
  Nanosecond(): bigint {
    return BigInt(this.#nsec);
  }
  Weekday(): string {
    return LONG_DAYS[civil(this.#sec, this.#loc).weekday];
  }
  YearDay(): bigint {
    return BigInt(civil(this.#sec, this.#loc).yday);
  }
}

/** Go's `*time.Location` as a template value. */
export class GoLocation {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "*time.Location", pointer: true };
  readonly #loc: Location;
  constructor(loc: Location) {
    this.#loc = loc;
  }
  String(): string {
    return this.#loc.name;
  }
}

/** Go's `*time.Time` (what Prometheus' `toTime` returns). */
export class GoTimePtr extends GoTime {
  static override readonly [GO_TYPE]: GoTypeInfo = { name: "*time.Time", pointer: true };
}

/** `Date.UTC` without its mapping of years 0–99 to 1900–1999. */
export function utcMillis(year: number, month: number, day: number, h = 0, mi = 0, sec = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(h, mi, sec, 0);
  return d.getTime();
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses RFC 3339 (with optional nanoseconds) as Go's JSON unmarshalling does; null if invalid. */
export function parseRFC3339(s: string): GoTime | null {
  const m = RFC3339.exec(s);
  if (m === null) return null;
  const ms = utcMillis(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
  if (Number.isNaN(ms)) return null;
  const nsec = m[7] === undefined ? 0 : Number(m[7].padEnd(9, "0"));
  let sec = Math.floor(ms / 1000);
  if (m[8] !== undefined) return new GoTime(sec, nsec, UTC);
  const offset = (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60);
  sec -= offset;
  const local = localLocation();
  const loc = local.lookup(sec).offset === offset ? local : fixedZone("", offset);
  return new GoTime(sec, nsec, loc);
}
