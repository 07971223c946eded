/**
 * Go's time layouts (`time/format.go`): `nextStdChunk` recognises the reference-time
 * elements (`2006`, `Jan`, `_2`, `15`, `-07:00`, `.000`, `MST`, …) and
 * {@link formatTime} renders an instant in a location with them.
 */

import type { Location } from "./zoneinfo.ts";

/** English month names, January first. */
export const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** English weekday names, Sunday first. */
export const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Calendar fields of an instant as seen in a zone. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
  zone: string;
  offset: number;
}

/** Calendar fields of an instant in a location. */
export function civil(sec: number, loc: Location): Civil {
  const zone = loc.lookup(sec);
  const local = sec + zone.offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const d = new Date(days * 86400000);
  const year = d.getUTCFullYear();
  const yday = Math.floor((days * 86400000 - Date.UTC(year, 0, 1)) / 86400000) + 1;
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    weekday: d.getUTCDay(),
    yday,
    zone: zone.name,
    offset: zone.offset,
  };
}

function pad(n: number, width: number, ch = "0"): string {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(width, ch);
  return neg ? `-${s}` : s;
}

type Std = { kind: string; digits?: number; sep?: string };

const TZ_LAYOUTS: readonly [string, string][] = [
  ["-070000", "-hhmmss"],
  ["-07:00:00", "-hh:mm:ss"],
  ["-0700", "-hhmm"],
  ["-07:00", "-hh:mm"],
  ["-07", "-hh"],
];

/** Go's `nextStdChunk`: the literal prefix, the layout element and the rest. */
function nextStdChunk(layout: string): [string, Std | null, string] {
  for (let i = 0; i < layout.length; i++) {
    const rest = layout.slice(i);
    const pre = layout.slice(0, i);
    const lowerAfter = (k: number) => /^[a-z]/.test(layout.slice(i + k));
    switch (layout[i]) {
      case "J":
        if (rest.startsWith("January")) return [pre, { kind: "January" }, layout.slice(i + 7)];
        if (rest.startsWith("Jan") && !lowerAfter(3)) return [pre, { kind: "Jan" }, layout.slice(i + 3)];
        break;
      case "M":
        if (rest.startsWith("Monday")) return [pre, { kind: "Monday" }, layout.slice(i + 6)];
        if (rest.startsWith("Mon") && !lowerAfter(3)) return [pre, { kind: "Mon" }, layout.slice(i + 3)];
        if (rest.startsWith("MST")) return [pre, { kind: "MST" }, layout.slice(i + 3)];
        break;
      case "0":
        if (rest.length >= 2 && rest[1] >= "1" && rest[1] <= "6")
          return [pre, { kind: rest.slice(0, 2) }, layout.slice(i + 2)];
        if (rest.startsWith("002")) return [pre, { kind: "002" }, layout.slice(i + 3)];
        break;
      case "1":
        if (rest.startsWith("15")) return [pre, { kind: "15" }, layout.slice(i + 2)];
        return [pre, { kind: "1" }, layout.slice(i + 1)];
      case "2":
        if (rest.startsWith("2006")) return [pre, { kind: "2006" }, layout.slice(i + 4)];
        return [pre, { kind: "2" }, layout.slice(i + 1)];
      case "_":
        if (rest.startsWith("_2")) {
          if (rest.startsWith("_2006"))
            return [layout.slice(0, i + 1), { kind: "2006" }, layout.slice(i + 5)];
          return [pre, { kind: "_2" }, layout.slice(i + 2)];
        }
        if (rest.startsWith("__2")) return [pre, { kind: "__2" }, layout.slice(i + 3)];
        break;
      case "3":
      case "4":
      case "5":
        return [pre, { kind: layout[i] }, layout.slice(i + 1)];
      case "P":
        if (rest.startsWith("PM")) return [pre, { kind: "PM" }, layout.slice(i + 2)];
        break;
      case "p":
        if (rest.startsWith("pm")) return [pre, { kind: "pm" }, layout.slice(i + 2)];
        break;
      case "-":
      case "Z":
        for (const [pat, kind] of TZ_LAYOUTS) {
          const p = layout[i] === "Z" ? `Z${pat.slice(1)}` : pat;
          if (rest.startsWith(p))
            return [pre, { kind: layout[i] === "Z" ? `Z${kind}` : kind }, layout.slice(i + p.length)];
        }
        break;
      case ".":
      case ",": {
        const ch = rest[1];
        if (ch === "0" || ch === "9") {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!(j < layout.length && layout[j] >= "0" && layout[j] <= "9")) {
            return [
              pre,
              { kind: ch === "0" ? "frac0" : "frac9", digits: j - i - 1, sep: layout[i] },
              layout.slice(j),
            ];
          }
        }
        break;
      }
    }
  }
  return [layout, null, ""];
}

function formatZone(kind: string, offset: number): string {
  const iso = kind.startsWith("Z");
  if (iso && offset === 0) return "Z";
  const pattern = iso ? kind.slice(1) : kind;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  return sign + pattern.slice(1).replace("hh", hh).replace("mm", mm).replace("ss", ss);
}

function formatStd(std: Std, c: Civil, nsec: number): string {
  switch (std.kind) {
    case "January":
      return LONG_MONTHS[c.month - 1];
    case "Jan":
      return LONG_MONTHS[c.month - 1].slice(0, 3);
    case "Monday":
      return LONG_DAYS[c.weekday];
    case "Mon":
      return LONG_DAYS[c.weekday].slice(0, 3);
    case "MST":
      if (c.zone !== "") return c.zone;
      return formatZone("-hhmm", c.offset);
    case "01":
      return pad(c.month, 2);
    case "02":
      return pad(c.day, 2);
    case "03":
      return pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
    case "04":
      return pad(c.minute, 2);
    case "05":
      return pad(c.second, 2);
    case "06":
      return pad(((c.year % 100) + 100) % 100, 2);
    case "002":
      return pad(c.yday, 3);
    case "15":
      return pad(c.hour, 2);
    case "1":
      return String(c.month);
    case "2006":
      return pad(c.year, 4);
    case "2":
      return String(c.day);
    case "_2":
      return pad(c.day, 2, " ");
    case "__2":
      return pad(c.yday, 3, " ");
    case "3":
      return String(c.hour % 12 === 0 ? 12 : c.hour % 12);
    case "4":
      return String(c.minute);
    case "5":
      return String(c.second);
    case "PM":
      return c.hour >= 12 ? "PM" : "AM";
    case "pm":
      return c.hour >= 12 ? "pm" : "am";
    case "frac0":
      return std.sep + String(nsec).padStart(9, "0").slice(0, std.digits);
    case "frac9": {
      const digits = String(nsec).padStart(9, "0").slice(0, std.digits).replace(/0+$/, "");
      return digits === "" ? "" : std.sep + digits;
    }
    default:
      return formatZone(std.kind, c.offset);
  }
}

/** Go's `Time.Format(layout)` for the instant `sec`+`nsec` seen in `loc`. */
export function formatTime(sec: number, nsec: number, loc: Location, layout: string): string {
  const c = civil(sec, loc);
  let out = "";
  let rest = layout;
  while (rest !== "") {
    const [prefix, std, suffix] = nextStdChunk(rest);
    out += prefix;
    if (std === null) break;
    out += formatStd(std, c, nsec);
    rest = suffix;
  }
  return out;
}
