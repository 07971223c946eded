/**
 * Scalar types of `alertmanager.yml` beyond Prometheus' own: Alertmanager's
 * `URL` (http or https with a host), `SecretURL` (printed `<secret>`, and
 * `<secret>` read back as a placeholder), `HostPort` (`smtp.example.org:587`),
 * Go `time.Duration` values (pushover's `1m0s`), and helpers for the
 * "at most one of x & x_file" rules every receiver repeats.
 */

import { isMap, isScalar, isSeq, type Node } from "yaml";
import {
  configError,
  GoFloat,
  GoMap,
  goTagOf,
  isNullNode,
  type Schema,
  type Site,
  scalarText,
  textScalar,
  typeErrorReason,
} from "../../config/decode.ts";
import { goURLError } from "../../config/url.ts";
import { parseGoFloat, parseGoInt, plainBool } from "../../config/yaml_scalar.ts";
import { goQuote } from "../../model/labels/strings.ts";

/** The text `<secret>` that secrets print as. */
export const SECRET_TOKEN = "<secret>";

/** Upstream's `parseURL` reason for `s`, or undefined when it is an http(s) URL with a host. */
export function amURLError(s: string): string | undefined {
  const err = goURLError(s);
  if (err !== undefined) return err;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  const scheme = (m?.[1] ?? "").toLowerCase();
  if (scheme !== "http" && scheme !== "https") return `unsupported scheme ${goQuote(scheme)} for URL`;
  const rest = s.slice(m![0].length);
  if (!rest.startsWith("//")) return "missing host for URL";
  const authority = rest.slice(2).split(/[/?#]/, 1)[0];
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  if (host === "") return "missing host for URL";
  return undefined;
}

/** Alertmanager's `*URL`: validated, printed as written. */
export const amURL: Schema<string> = textScalar(
  "config.URL",
  "",
  (t) => {
    const err = amURLError(t);
    if (err !== undefined) throw new Error(err);
    return t;
  },
  (v) => (v === "" ? null : v),
);

/** Alertmanager's `*SecretURL`: a URL printed as `<secret>`; `<secret>` itself is accepted (a redacted config read back). */
export const secretURL: Schema<string> = textScalar(
  "config.SecretURL",
  "",
  (t) => {
    if (t === SECRET_TOKEN) return t;
    const err = amURLError(t);
    if (err !== undefined) throw new Error(err);
    return t;
  },
  (v) => (v === "" ? null : SECRET_TOKEN),
);

/** The webhook integration's URL: a {@link secretURL} whose errors read `invalid URL: …`. */
export const webhookURL: Schema<string> = textScalar(
  "config.SecretURL",
  "",
  (t) => {
    if (t === SECRET_TOKEN) return t;
    const err = amURLError(t);
    if (err !== undefined) throw new Error(`invalid URL: ${err}`);
    return t;
  },
  (v) => (v === "" ? null : SECRET_TOKEN),
);

/** Go's `net.SplitHostPort` reason, or undefined. */
function splitHostPortError(s: string): string | undefined {
  const missingPort = `address ${s}: missing port in address`;
  if (s.startsWith("[")) {
    const end = s.indexOf("]");
    if (end < 0) return `address ${s}: missing ']' in address`;
    const rest = s.slice(end + 1);
    if (rest === "") return missingPort;
    if (!rest.startsWith(":")) return `address ${s}: missing port in address`;
    if (rest.slice(1).includes(":")) return `address ${s}: too many colons in address`;
    return undefined;
  }
  const i = s.lastIndexOf(":");
  if (i < 0) return missingPort;
  if (s.slice(0, i).includes(":")) return `address ${s}: too many colons in address`;
  if (s.slice(0, i).includes("[") || s.slice(0, i).includes("]"))
    return `address ${s}: unexpected '[' in address`;
  return undefined;
}

/** Alertmanager's `HostPort` (`host:port`, port required); "" when unset. */
export const hostPort: Schema<string> = textScalar(
  "config.HostPort",
  "",
  (t) => {
    if (t === "") return t;
    const err = splitHostPortError(t);
    if (err !== undefined) throw new Error(err);
    if (t.endsWith(":")) throw new Error(`address ${goQuote(t)}: port cannot be empty`);
    return t;
  },
  (v) => v,
);

const GO_UNITS: ReadonlyArray<readonly [string, number]> = [
  ["ns", 1e-6],
  ["us", 1e-3],
  ["µs", 1e-3],
  ["μs", 1e-3],
  ["ms", 1],
  ["s", 1000],
  ["m", 60_000],
  ["h", 3_600_000],
];

/** Go's `time.ParseDuration` into milliseconds (`1h30m`, `1.5s`, `-2m`). */
export function parseGoDuration(s: string): number {
  const invalid = (): Error => new Error(`time: invalid duration ${goQuote(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw invalid();
  let total = 0;
  while (rest !== "") {
    const num = /^([0-9]*)(\.[0-9]*)?/.exec(rest)!;
    if (num[0] === "" || num[0] === ".") throw invalid();
    rest = rest.slice(num[0].length);
    const unit = GO_UNITS.find(([u]) => rest.startsWith(u) && !/^[a-zµμ]/.test(rest.slice(u.length)));
    if (unit === undefined) {
      const u = /^[^0-9.]*/.exec(rest)![0];
      throw u === ""
        ? new Error(`time: missing unit in duration ${goQuote(s)}`)
        : new Error(`time: unknown unit ${goQuote(u)} in duration ${goQuote(s)}`);
    }
    rest = rest.slice(unit[0].length);
    total += Number(num[0]) * unit[1];
  }
  return sign * total;
}

/** Go's `time.Duration.String()` of milliseconds: `1m0s`, `1h0m0s`, `1.5s`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out = "";
  if (rest < 1000) out = `${rest}ms`;
  else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const sec = `${Number((rest / 1000).toFixed(3))}s`;
    if (h > 0) out = `${h}h${m}m${sec}`;
    else if (m > 0) out = `${m}m${sec}`;
    else out = sec;
  }
  return neg ? `-${out}` : out;
}

/** Pushover's `duration`: text parsed by `time.ParseDuration`, printed as Go does (`1m0s`). */
export const goDuration: Schema<number> = textScalar(
  "config.duration",
  0,
  (t) => parseGoDuration(t),
  formatGoDuration,
);

/**
 * A plain Go `time.Duration` field as yaml.v2 reads it: a string through
 * `time.ParseDuration` (other errors read ``cannot unmarshal !!str `1d` into
 * time.Duration``), an integer as nanoseconds.
 */
export const timeDuration: Schema<number> = {
  typeName: "time.Duration",
  decode(node, ctx, path) {
    if (isNullNode(node)) return 0;
    if (isScalar(node) && goTagOf(node) === "!!int") return Number(scalarText(node)) / 1e6;
    if (!isScalar(node)) throw configError(ctx, node, path, typeErrorReason(node as Node, "time.Duration"));
    try {
      return parseGoDuration(scalarText(node));
    } catch {
      throw configError(ctx, node, path, typeErrorReason(node, "time.Duration"));
    }
  },
  encode: formatGoDuration,
};

/** Throws upstream's "at most one of a & b must be configured" when both are set. */
export function atMostOne(site: Site, a: string, b: string, va: unknown, vb: unknown, key?: string): void {
  if (isSet(va) && isSet(vb)) throw site.error(`at most one of ${a} & ${b} must be configured`, key ?? b);
}

/** Set: a non-empty string, or any non-null value that is not a string. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

/** Appends `/` to a URL's path unless it ends with one (upstream does this for OpsGenie, WeChat, VictorOps). */
export function withTrailingSlash(u: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(.*)$/s.exec(u);
  if (m === null) return u;
  return m[2].endsWith("/") ? u : `${m[1]}${m[2]}/${m[3]}`;
}

/** Upstream's pair check for a value given inline or as a file: exactly one of them. */
export function exactlyOne(site: Site, a: string, b: string, va: unknown, vb: unknown): void {
  if (!isSet(va) && !isSet(vb)) throw site.error(`one of ${a} or ${b} must be configured`, a);
  atMostOne(site, a, b, va, vb);
}

function typedPlain(node: Node | null): unknown {
  if (isNullNode(node)) return null;
  if (isSeq(node)) return node.items.map((n) => typedPlain(n as Node | null));
  if (isMap(node)) {
    const entries = node.items.map(
      (p) => [scalarText(p.key as Node), typedPlain(p.value as Node | null)] as const,
    );
    return new GoMap(entries);
  }
  const text = scalarText(node as Node);
  switch (goTagOf(node as Node)) {
    case "!!bool":
      return plainBool(text);
    case "!!int":
      return parseGoInt(text) ?? text;
    case "!!float":
      return new GoFloat(parseGoFloat(text) ?? Number.NaN);
    default:
      return text;
  }
}

/**
 * Any YAML kept with its scalar types (numbers, booleans), maps written back
 * in Go's map order: upstream's `map[string]any` / `any` fields (webhook
 * `payload`, Jira `fields`).
 */
export const anyValue: Schema<unknown> = {
  typeName: "interface {}",
  decode: (node) => typedPlain(node),
  encode: (v) => v,
  isZero: (v) => v === null || v === undefined || (v instanceof GoMap && v.entries.length === 0),
};
