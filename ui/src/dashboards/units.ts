/**
 * Grafana's value formats (`fieldConfig.defaults.unit`): bytes (IEC and SI),
 * bits, data rates, percent, time (s/ms/µs/ns, durations), `short`
 * (K/Mil/Bil), throughput (ops, reqps, …), `none`, and custom
 * `suffix:`/`prefix:` units. Pure: no DOM; the browser and tests use it.
 */

/** A formatted value: the number text and its suffix (Grafana's `FormattedValue`). */
export interface Formatted {
  readonly text: string;
  readonly suffix: string;
}

/** The joined text of a formatted value. */
export function formattedText(f: Formatted): string {
  return `${f.text}${f.suffix}`;
}

type Formatter = (v: number, decimals: number | undefined) => Formatted;

/** Grafana's automatic decimals: two significant digits, none for integers. */
export function decimalsFor(v: number): number {
  if (v === 0 || v % 1 === 0) return 0;
  const abs = Math.abs(v);
  let dec = -Math.floor(Math.log10(abs)) + 1;
  if (abs / 10 ** -dec > 2.25) dec++;
  return Math.max(0, Math.min(20, dec));
}

/** Rounds `v` to `decimals`, or to a sensible number of significant digits when undefined. */
export function toFixed(v: number, decimals?: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
  if (decimals !== undefined) return v.toFixed(Math.max(0, Math.min(20, decimals)));
  return v.toFixed(decimalsFor(v));
}

function scaled(factor: number, suffixes: readonly string[], offset = 0): Formatter {
  return (v, decimals) => {
    let i = offset;
    let x = v;
    if (x !== 0 && Number.isFinite(x)) {
      while (Math.abs(x) >= factor && i < suffixes.length - 1) {
        x /= factor;
        i++;
      }
      while (Math.abs(x) < 1 && i > 0 && Math.abs(x) > 0) {
        x *= factor;
        i--;
      }
    }
    const s = suffixes[i]!;
    return { text: toFixed(x, decimals), suffix: s === "" ? "" : ` ${s}` };
  };
}

const SI = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"];

function si(unit: string, offset = 0, small = false): Formatter {
  const smallPrefixes = ["n", "µ", "m"];
  const prefixes = small ? [...smallPrefixes, ...SI] : SI;
  return scaled(
    1000,
    prefixes.map((p) => `${p}${unit}`),
    offset + (small ? smallPrefixes.length : 0),
  );
}

function iec(unit: string, offset = 0): Formatter {
  return scaled(
    1024,
    ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"].map((p) => `${p}${unit}`),
    offset,
  );
}

function suffix(s: string): Formatter {
  return (v, d) => ({ text: toFixed(v, d), suffix: s });
}

/** `short`: 1.5 K, 3 Mil, 2 Bil, 4 Tri. */
const short = scaled(1000, ["", "K", "Mil", "Bil", "Tri", "Quadr", "Quint", "Sext", "Sept"]);

function shortWith(unitSuffix: string): Formatter {
  return (v, d) => {
    const f = short(v, d);
    return { text: f.text, suffix: `${f.suffix} ${unitSuffix}`.replace(/^\s+/, " ") };
  };
}

const TIME_UNITS: readonly [number, string][] = [
  [1e-9, "ns"],
  [1e-6, "µs"],
  [1e-3, "ms"],
  [1, "s"],
  [60, "min"],
  [3600, "hour"],
  [86400, "day"],
  [604800, "week"],
  [31536000, "year"],
];

/** A duration in seconds × `scale` shown in the largest unit it reaches (Grafana's `toSeconds` family). */
function time(scale: number): Formatter {
  return (v, d) => {
    const s = v * scale;
    const abs = Math.abs(s);
    let unit = TIME_UNITS[0]!;
    for (const u of TIME_UNITS) if (abs >= u[0]) unit = u;
    if (abs === 0) unit = TIME_UNITS.find((u) => u[0] === scale) ?? [1, "s"];
    return { text: toFixed(s / unit[0], d), suffix: ` ${unit[1]}` };
  };
}

/** `dtdurations`-style text: `2 days, 3 hours`. */
function durationText(v: number, scale: number): Formatted {
  let s = Math.abs(v * scale);
  if (s < 1) return time(scale)(v, undefined);
  const parts: string[] = [];
  for (const [size, name] of [...TIME_UNITS].reverse()) {
    if (size < 1 || parts.length >= 2) continue;
    const n = Math.floor(s / size);
    if (n > 0) {
      parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
      s -= n * size;
    }
  }
  return { text: `${v < 0 ? "-" : ""}${parts.join(", ")}`, suffix: "" };
}

const FORMATS: Readonly<Record<string, Formatter>> = {
  none: (v, d) => ({ text: toFixed(v, d), suffix: "" }),
  short,
  percent: suffix("%"),
  percentunit: (v, d) => ({ text: toFixed(v * 100, d), suffix: "%" }),
  humidity: suffix("%H"),
  decbytes: si("B"),
  bytes: iec("B"),
  kbytes: iec("B", 1),
  mbytes: iec("B", 2),
  gbytes: iec("B", 3),
  tbytes: iec("B", 4),
  deckbytes: si("B", 1),
  decmbytes: si("B", 2),
  decgbytes: si("B", 3),
  bits: iec("b"),
  decbits: si("b"),
  Bps: si("B/s"),
  binBps: iec("B/s"),
  KBs: si("B/s", 1),
  MBs: si("B/s", 2),
  bps: si("b/s"),
  binbps: iec("b/s"),
  Kbits: si("b/s", 1),
  Mbits: si("b/s", 2),
  pps: si("p/s"),
  ops: shortWith("ops/s"),
  reqps: shortWith("req/s"),
  rps: shortWith("rd/s"),
  wps: shortWith("wr/s"),
  iops: shortWith("io/s"),
  opm: shortWith("ops/min"),
  rpm: shortWith("rd/min"),
  wpm: shortWith("wr/min"),
  cps: shortWith("c/s"),
  ns: time(1e-9),
  µs: time(1e-6),
  us: time(1e-6),
  ms: time(1e-3),
  s: time(1),
  m: time(60),
  h: time(3600),
  d: time(86400),
  dtdurations: (v) => durationText(v, 1),
  dtdurationms: (v) => durationText(v, 1e-3),
  hertz: si("Hz"),
  volt: si("V", 0, true),
  amp: si("A", 0, true),
  watt: si("W", 0, true),
  joule: si("J", 0, true),
  celsius: suffix("°C"),
  fahrenheit: suffix("°F"),
  kelvin: suffix("K"),
  bool: (v) => ({ text: v === 0 ? "false" : "true", suffix: "" }),
  bool_yes_no: (v) => ({ text: v === 0 ? "No" : "Yes", suffix: "" }),
  bool_on_off: (v) => ({ text: v === 0 ? "Off" : "On", suffix: "" }),
  sishort: si(""),
};

/** Units whose names end with a unit Grafana also accepts under another id. */
const ALIASES: Readonly<Record<string, string>> = {
  "bytes(IEC)": "bytes",
  "bytes(SI)": "decbytes",
  "bits(IEC)": "bits",
  "bits(SI)": "decbits",
  seconds: "s",
  milliseconds: "ms",
  dateTimeAsIso: "dateTimeAsIso",
  locale: "none",
};

/**
 * Formats `v` in `unit` with `decimals` (undefined: automatic). Unknown
 * units render as a plain number with the unit name as suffix, like
 * Grafana's custom units; `suffix:X`, `prefix:X`, `si:X` and `count:X`
 * follow Grafana's custom unit syntax.
 */
export function formatValue(v: number | null | undefined, unit = "", decimals?: number): Formatted {
  if (v === null || v === undefined || Number.isNaN(v)) return { text: "No data", suffix: "" };
  const id = ALIASES[unit] ?? unit;
  if (id === "" || id === "none") return FORMATS.none!(v, decimals);
  if (id === "dateTimeAsIso") return { text: new Date(v).toISOString(), suffix: "" };
  const f = FORMATS[id];
  if (f !== undefined) return f(v, decimals);
  const custom = /^(suffix|prefix|si|count):(.*)$/.exec(id);
  if (custom !== null) {
    const [, kind, text] = custom;
    if (kind === "prefix") return { text: `${text}${toFixed(v, decimals)}`, suffix: "" };
    if (kind === "si") return si(text!)(v, decimals);
    if (kind === "count") return shortWith(text!)(v, decimals);
    return { text: toFixed(v, decimals), suffix: text! };
  }
  if (id.startsWith("currency")) return { text: toFixed(v, decimals ?? 2), suffix: ` ${id.slice(8)}` };
  return { text: toFixed(v, decimals), suffix: ` ${id}` };
}

/** `formatValue` as one string. */
export function formatUnit(v: number | null | undefined, unit = "", decimals?: number): string {
  return formattedText(formatValue(v, unit, decimals));
}
