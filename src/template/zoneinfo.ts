/**
 * Go's `time.Location` for templates: UTC, Local, fixed zones and IANA zones read from
 * the system's TZif files (`$ZONEINFO`, `/usr/share/zoneinfo`, …) exactly as Go's
 * `time.LoadLocation` does on Linux, including the POSIX TZ footer rule used for
 * instants after the last listed transition.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The zone in effect at an instant: abbreviation and offset east of UTC in seconds. */
export interface Zone {
  readonly name: string;
  readonly offset: number;
}

/** A time zone: `lookup` maps Unix seconds to the zone in effect. */
export interface Location {
  /** The location's name (`UTC`, `Local`, `Europe/Berlin`, or a fixed zone's name). */
  readonly name: string;
  lookup(unixSec: number): Zone;
}

/** Go's `time.UTC`. */
export const UTC: Location = { name: "UTC", lookup: () => ({ name: "UTC", offset: 0 }) };

/** Go's `time.FixedZone(name, offset)`. */
export function fixedZone(name: string, offset: number): Location {
  const zone = { name, offset };
  return { name, lookup: () => zone };
}

interface RuleDate {
  readonly kind: "J" | "N" | "M";
  readonly day: number;
  readonly week: number;
  readonly mon: number;
  readonly time: number;
}

interface PosixRule {
  readonly std: Zone;
  readonly dst: Zone | null;
  readonly start: RuleDate | null;
  readonly end: RuleDate | null;
}

function parseName(s: string, i: number): [string, number] | null {
  if (s[i] === "<") {
    const j = s.indexOf(">", i);
    return j < 0 ? null : [s.slice(i + 1, j), j + 1];
  }
  let j = i;
  while (j < s.length && /[A-Za-z]/.test(s[j])) j++;
  return j - i >= 3 ? [s.slice(i, j), j] : null;
}

/** `[+-]hh[:mm[:ss]]` as seconds; POSIX offsets are west-positive (sign flipped by caller). */
function parseOffset(s: string, i: number): [number, number] | null {
  const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(s.slice(i));
  if (m === null) return null;
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return [m[1] === "-" ? -secs : secs, i + m[0].length];
}

function parseRuleDate(s: string): RuleDate | null {
  const [date, time] = s.split("/");
  const t = time === undefined ? 7200 : (parseOffset(time, 0)?.[0] ?? 7200);
  let m = /^M(\d+)\.(\d)\.(\d)$/.exec(date);
  if (m !== null) return { kind: "M", mon: Number(m[1]), week: Number(m[2]), day: Number(m[3]), time: t };
  m = /^J(\d+)$/.exec(date);
  if (m !== null) return { kind: "J", day: Number(m[1]), week: 0, mon: 0, time: t };
  m = /^(\d+)$/.exec(date);
  if (m !== null) return { kind: "N", day: Number(m[1]), week: 0, mon: 0, time: t };
  return null;
}

function parsePosix(tz: string): PosixRule | null {
  const std = parseName(tz, 0);
  if (std === null) return null;
  const stdOff = parseOffset(tz, std[1]);
  if (stdOff === null) return null;
  const stdZone = { name: std[0], offset: -stdOff[0] };
  if (stdOff[1] >= tz.length) return { std: stdZone, dst: null, start: null, end: null };
  const dst = parseName(tz, stdOff[1]);
  if (dst === null) return null;
  let i = dst[1];
  let dstOffset = stdZone.offset + 3600;
  if (tz[i] !== "," && i < tz.length) {
    const o = parseOffset(tz, i);
    if (o === null) return null;
    dstOffset = -o[0];
    i = o[1];
  }
  const rules = tz.slice(i + 1).split(",");
  const start = parseRuleDate(rules[0] ?? "M3.2.0");
  const end = parseRuleDate(rules[1] ?? "M11.1.0");
  return { std: stdZone, dst: { name: dst[0], offset: dstOffset }, start, end };
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Seconds from the start of the year (local) to the rule's transition. */
function ruleSeconds(r: RuleDate, year: number): number {
  let day: number;
  if (r.kind === "J") {
    day = r.day - 1;
    if (isLeap(year) && r.day >= 60) day++;
  } else if (r.kind === "N") {
    day = r.day;
  } else {
    const first = Date.UTC(year, r.mon - 1, 1);
    const yearStart = Date.UTC(year, 0, 1);
    const wd = new Date(first).getUTCDay();
    let d = (r.day - wd + 7) % 7;
    d += (r.week - 1) * 7;
    const daysInMonth = new Date(Date.UTC(year, r.mon, 0)).getUTCDate();
    while (d >= daysInMonth) d -= 7;
    day = (first - yearStart) / 86400000 + d;
  }
  return day * 86400 + r.time;
}

function posixLookup(rule: PosixRule, sec: number): Zone {
  if (rule.dst === null || rule.start === null || rule.end === null) return rule.std;
  const year = new Date(sec * 1000).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1) / 1000;
  const start = yearStart + ruleSeconds(rule.start, year) - rule.std.offset;
  const end = yearStart + ruleSeconds(rule.end, year) - rule.dst.offset;
  const inDst = start < end ? sec >= start && sec < end : !(sec >= end && sec < start);
  return inDst ? rule.dst : rule.std;
}

interface TzData {
  readonly transitions: readonly number[];
  readonly idx: readonly number[];
  readonly zones: readonly (Zone & { readonly isDst: boolean })[];
  readonly footer: PosixRule | null;
}

function parseTzif(buf: Buffer): TzData {
  if (buf.toString("latin1", 0, 4) !== "TZif") throw new Error("malformed time zone information");
  const version = buf[4];
  let off = 0;
  let header = readHeader(buf, off);
  let timeSize = 4;
  if (version >= 0x32) {
    off = 44 + header.timecnt * 5 + header.typecnt * 6 + header.charcnt + header.leapcnt * 8;
    off += header.isstdcnt + header.isutcnt;
    header = readHeader(buf, off);
    timeSize = 8;
  }
  let p = off + 44;
  const transitions: number[] = [];
  for (let k = 0; k < header.timecnt; k++, p += timeSize) {
    transitions.push(timeSize === 8 ? Number(buf.readBigInt64BE(p)) : buf.readInt32BE(p));
  }
  const idx: number[] = [];
  for (let k = 0; k < header.timecnt; k++) idx.push(buf[p++]);
  const raw: { offset: number; isDst: boolean; abbr: number }[] = [];
  for (let k = 0; k < header.typecnt; k++, p += 6) {
    raw.push({ offset: buf.readInt32BE(p), isDst: buf[p + 4] !== 0, abbr: buf[p + 5] });
  }
  const chars = buf.toString("latin1", p, p + header.charcnt);
  p += header.charcnt + header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt;
  const zones = raw.map((z) => ({
    name: chars.slice(z.abbr, chars.indexOf("\0", z.abbr)),
    offset: z.offset,
    isDst: z.isDst,
  }));
  let footer: PosixRule | null = null;
  if (timeSize === 8 && buf[p] === 0x0a) {
    const end = buf.indexOf(0x0a, p + 1);
    if (end > p + 1) footer = parsePosix(buf.toString("latin1", p + 1, end));
  }
  return { transitions, idx, zones, footer };
}

function readHeader(buf: Buffer, off: number) {
  const n = (k: number) => buf.readUInt32BE(off + 20 + 4 * k);
  return { isutcnt: n(0), isstdcnt: n(1), leapcnt: n(2), timecnt: n(3), typecnt: n(4), charcnt: n(5) };
}

function tzLocation(name: string, data: TzData): Location {
  const firstZone = data.zones.find((z) => !z.isDst) ?? data.zones[0] ?? { name: "UTC", offset: 0 };
  return {
    name,
    lookup(sec: number): Zone {
      const tx = data.transitions;
      if (tx.length === 0 || sec < tx[0])
        return data.footer !== null && tx.length === 0 ? posixLookup(data.footer, sec) : firstZone;
      if (sec >= tx[tx.length - 1] && data.footer !== null) return posixLookup(data.footer, sec);
      let lo = 0;
      let hi = tx.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (sec < tx[mid]) hi = mid;
        else lo = mid;
      }
      return data.zones[data.idx[lo]];
    },
  };
}

const cache = new Map<string, Location>();

function zoneDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.ZONEINFO) dirs.push(process.env.ZONEINFO);
  dirs.push("/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo");
  return dirs;
}

/** Go's `time.LoadLocation`; throws Go's errors (`unknown time zone X`). */
export function loadLocation(name: string): Location {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return localLocation();
  if (name.includes("..") || name[0] === "/" || name[0] === "\\")
    throw new Error("time: invalid location name");
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  for (const dir of zoneDirs()) {
    let buf: Buffer;
    try {
      buf = readFileSync(join(dir, name));
    } catch {
      continue;
    }
    const loc = tzLocation(name, parseTzif(buf));
    if (cache.size > 512) cache.clear();
    cache.set(name, loc);
    return loc;
  }
  throw new Error(`unknown time zone ${name}`);
}

let local: Location | undefined;

/** Go's `time.Local`: `$TZ`, else `/etc/localtime`, else UTC; named "Local". */
export function localLocation(): Location {
  if (local !== undefined) return local;
  let loc: Location = { name: "Local", lookup: UTC.lookup };
  try {
    const tz = process.env.TZ;
    const data =
      tz !== undefined && tz !== "" && tz !== "UTC"
        ? parseTzif(readFileSync(join("/usr/share/zoneinfo", tz.replace(/^:/, ""))))
        : tz === undefined
          ? parseTzif(readFileSync("/etc/localtime"))
          : null;
    if (data !== null) loc = tzLocation("Local", data);
  } catch {
    // Go falls back to UTC.
  }
  local = loc;
  return loc;
}
