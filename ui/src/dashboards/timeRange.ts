/**
 * Grafana's time range text: `now`, `now-6h`, `now/d`, `now-1d/d`, epoch
 * milliseconds, ISO dates; quick ranges, zoom-out (range × 2 around the
 * middle) and the refresh intervals. Pure: `now` is passed in.
 */

/** The time range as written in the URL / dashboard (`from=now-6h&to=now`). */
export interface RawRange {
  readonly from: string;
  readonly to: string;
}

const UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

function startOf(ms: number, unit: string, end: boolean): number {
  const d = new Date(ms);
  const set = (f: () => void) => {
    f();
    return d.getTime();
  };
  let t: number;
  switch (unit) {
    case "y":
      t = set(() => d.setMonth(0, 1));
      t = new Date(t).setHours(0, 0, 0, 0);
      break;
    case "M":
      t = new Date(set(() => d.setDate(1))).setHours(0, 0, 0, 0);
      break;
    case "w":
      t = new Date(set(() => d.setDate(d.getDate() - d.getDay()))).setHours(0, 0, 0, 0);
      break;
    case "d":
      t = set(() => d.setHours(0, 0, 0, 0));
      break;
    case "h":
      t = set(() => d.setMinutes(0, 0, 0));
      break;
    case "m":
      t = set(() => d.setSeconds(0, 0));
      break;
    default:
      t = set(() => d.setMilliseconds(0));
  }
  if (!end) return t;
  const next = new Date(t);
  if (unit === "y") next.setFullYear(next.getFullYear() + 1);
  else if (unit === "M") next.setMonth(next.getMonth() + 1);
  else return t + (UNITS[unit] ?? 1000) - 1;
  return next.getTime() - 1;
}

/**
 * Epoch ms of `text` (`now-6h`, `now/d`, epoch ms, ISO); `roundUp` picks the
 * end of a rounded unit (for `to`). Undefined when the text is not a time.
 */
export function parseTime(text: string, now: number, roundUp = false): number | undefined {
  const s = text.trim();
  if (/^\d{10,}$/.test(s)) return Number(s);
  if (!s.startsWith("now")) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : t;
  }
  let t = now;
  const re = /([+-])(\d+)([smhdwMy])|\/([smhdwMy])/gy;
  re.lastIndex = 3;
  let m: RegExpExecArray | null;
  let pos = 3;
  while ((m = re.exec(s)) !== null) {
    pos = re.lastIndex;
    if (m[4] !== undefined) t = startOf(t, m[4], roundUp);
    else t += (m[1] === "-" ? -1 : 1) * Number(m[2]) * UNITS[m[3]!]!;
  }
  return pos === s.length ? t : undefined;
}

/** The absolute range of `raw`, or an error naming the bad end. */
export function resolveRange(raw: RawRange, now: number): { from: number; to: number } | { error: string } {
  const from = parseTime(raw.from, now);
  const to = parseTime(raw.to, now, true);
  if (from === undefined) return { error: `invalid time: ${raw.from}` };
  if (to === undefined) return { error: `invalid time: ${raw.to}` };
  if (from >= to) return { error: "from must be before to" };
  return { from, to };
}

/** Grafana's quick ranges (a subset: the relative ones most used). */
export const QUICK_RANGES: readonly (RawRange & { readonly display: string })[] = [
  { from: "now-5m", to: "now", display: "Last 5 minutes" },
  { from: "now-15m", to: "now", display: "Last 15 minutes" },
  { from: "now-30m", to: "now", display: "Last 30 minutes" },
  { from: "now-1h", to: "now", display: "Last 1 hour" },
  { from: "now-3h", to: "now", display: "Last 3 hours" },
  { from: "now-6h", to: "now", display: "Last 6 hours" },
  { from: "now-12h", to: "now", display: "Last 12 hours" },
  { from: "now-24h", to: "now", display: "Last 24 hours" },
  { from: "now-2d", to: "now", display: "Last 2 days" },
  { from: "now-7d", to: "now", display: "Last 7 days" },
  { from: "now-30d", to: "now", display: "Last 30 days" },
  { from: "now/d", to: "now/d", display: "Today" },
  { from: "now-1d/d", to: "now-1d/d", display: "Yesterday" },
];

/** How a range is shown on the picker button. */
export function describeRange(raw: RawRange): string {
  const q = QUICK_RANGES.find((r) => r.from === raw.from && r.to === raw.to);
  if (q !== undefined) return q.display;
  if (raw.to === "now" && /^now-\d+[smhdwMy]$/.test(raw.from)) return `Last ${raw.from.slice(4)}`;
  const fmt = (s: string) => (/^\d{10,}$/.test(s) ? formatAbsolute(Number(s)) : s);
  return `${fmt(raw.from)} to ${fmt(raw.to)}`;
}

/** `YYYY-MM-DD HH:mm:ss` in local time (the picker's absolute format). */
export function formatAbsolute(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Zoom out: twice the span around the same middle, never past `now`. */
export function zoomOut(range: { from: number; to: number }, now: number): RawRange {
  const span = range.to - range.from;
  const to = Math.min(now, range.to + span / 2);
  const from = to - span * 2;
  return { from: String(Math.round(from)), to: to === now ? "now" : String(Math.round(to)) };
}

/** The refresh choices of the picker (Grafana's defaults). */
export const REFRESH_INTERVALS: readonly string[] = ["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h"];

/** Milliseconds of a refresh interval such as `30s`, 0 for off/unknown. */
export function refreshMs(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  return m === null ? 0 : Number(m[1]) * UNITS[m[2]!]!;
}
