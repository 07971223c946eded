/**
 * Content negotiation for `/metrics`, both ways.
 *
 * Serving: `negotiate` is upstream's `expfmt.Negotiate` (or, with
 * `openMetrics`, `NegotiateIncludingOpenMetrics`) restricted to the two text
 * formats: the Accept header is parsed and ordered like `goautoneg`, clauses
 * are tried in that order, and the answer is the classic text format unless a
 * clause asks for it or for OpenMetrics. The `escaping=` parameter of every
 * clause visited up to the match (an unknown value is ignored) decides the
 * escaping scheme, `underscores` by default, and is appended to the
 * Content-Type as upstream does. Clauses asking for protobuf are skipped, as
 * `NegotiateAccept` does for formats a server does not offer.
 *
 * Scraping: `parseContentType` is upstream's `textparse.New` media type choice
 * (`extractMediaType`), and `PROMETHEUS_SCRAPE_ACCEPT` the header Prometheus
 * 3.5 sends.
 */

import { ESCAPING_SCHEMES, type EscapingScheme } from "./escape.ts";
import type { Format } from "./types.ts";

/** The Accept header Prometheus 3.5.3 sends when scraping (default `scrape_protocols`). */
export const PROMETHEUS_SCRAPE_ACCEPT =
  "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6," +
  "application/openmetrics-text;version=0.0.1;q=0.5," +
  "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4," +
  "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

/** expfmt `FmtText`: the classic text format, without the escaping parameter. */
export const TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
/** expfmt `FmtOpenMetrics_1_0_0`, without the escaping parameter. */
export const OPENMETRICS_1_0_0_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/** expfmt `FmtOpenMetrics_0_0_1`, without the escaping parameter. */
export const OPENMETRICS_0_0_1_CONTENT_TYPE = "application/openmetrics-text; version=0.0.1; charset=utf-8";

/** The outcome of `negotiate`. */
export interface Negotiated {
  readonly format: Format;
  /** The exact Content-Type to answer with, `; escaping=…` included. */
  readonly contentType: string;
  /** The name escaping scheme to write the body with (see `WriteOptions.escaping`). */
  readonly escaping: EscapingScheme;
}

/** Options of `negotiate`. */
export interface NegotiateOptions {
  /** Offer OpenMetrics (promhttp's `EnableOpenMetrics`); default false, as upstream. */
  readonly openMetrics?: boolean;
}

interface AcceptClause {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly params: ReadonlyMap<string, string>;
}

/** `goautoneg.ParseAccept`: clauses ordered by q, then concrete before wildcard types. */
function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const raw of header.split(",")) {
    const parts = trimSpaces(raw).split(";");
    const range = parts[0].split("/");
    const type = trimSpaces(range[0]);
    let subtype: string;
    if (range.length === 1 && type === "*") subtype = "*";
    else if (range.length === 2) subtype = trimSpaces(range[1]);
    else continue;
    let q = 1;
    const params = new Map<string, string>();
    for (const param of parts.slice(1)) {
      const eq = param.indexOf("=");
      if (eq < 0) continue;
      const key = trimSpaces(param.slice(0, eq));
      if (key === "q") q = parseQ(param.slice(eq + 1));
      else params.set(key, trimSpaces(param.slice(eq + 1)));
    }
    clauses.push({ type, subtype, q, params });
  }
  // Go's sort.Sort is an insertion sort at this size; its Less is not a strict
  // order, so the exact algorithm matters for ties.
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && acceptLess(clauses[j], clauses[j - 1]); j--) {
      [clauses[j], clauses[j - 1]] = [clauses[j - 1], clauses[j]];
    }
  }
  return clauses;
}

function acceptLess(a: AcceptClause, b: AcceptClause): boolean {
  return a.q > b.q || (a.type !== "*" && b.type === "*") || (a.subtype !== "*" && b.subtype === "*");
}

/** `strings.Trim(s, " ")`: spaces only, not tabs. */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) === 0x20) end--;
  return s.slice(start, end);
}

/** `strconv.ParseFloat(s, 32)`, 0 on error as goautoneg ignores the error. */
function parseQ(s: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return 0;
  return Math.fround(Number(s));
}

/**
 * Chooses the format and Content-Type to answer a request carrying `accept`
 * (absent or empty: the classic text format), as upstream's `promhttp`.
 */
export function negotiate(accept: string | undefined, options: NegotiateOptions = {}): Negotiated {
  let escaping: EscapingScheme = "underscores";
  for (const clause of parseAccept(accept ?? "")) {
    const asked = clause.params.get("escaping");
    if (asked !== undefined && (ESCAPING_SCHEMES as readonly string[]).includes(asked)) {
      escaping = asked as EscapingScheme;
    }
    const version = clause.params.get("version") ?? "";
    if (clause.type === "text" && clause.subtype === "plain" && (version === "0.0.4" || version === "")) {
      return answer("prometheus-text", TEXT_CONTENT_TYPE, escaping);
    }
    if (
      options.openMetrics === true &&
      clause.type === "application" &&
      clause.subtype === "openmetrics-text" &&
      (version === "1.0.0" || version === "0.0.1" || version === "")
    ) {
      const base = version === "1.0.0" ? OPENMETRICS_1_0_0_CONTENT_TYPE : OPENMETRICS_0_0_1_CONTENT_TYPE;
      return answer("openmetrics", base, escaping);
    }
  }
  return answer("prometheus-text", TEXT_CONTENT_TYPE, escaping);
}

function answer(format: Format, base: string, escaping: EscapingScheme): Negotiated {
  return { format, contentType: `${base}; escaping=${escaping}`, escaping };
}

/** A scrape response whose Content-Type names no format we parse, and no fallback was configured. */
export class ContentTypeError extends Error {
  /** The Content-Type as received (empty when absent). */
  readonly contentType: string;

  constructor(contentType: string, message: string) {
    super(message);
    this.name = "ContentTypeError";
    this.contentType = contentType;
  }
}

/** The outcome of `parseContentType`. */
export interface ContentTypeChoice {
  readonly format: Format;
  /** Set when `fallback` was used: upstream's warning text, for the scrape log. */
  readonly warning?: string;
}

const MEDIA_TYPES: ReadonlyMap<string, Format> = new Map([
  ["text/plain", "prometheus-text"],
  ["application/openmetrics-text", "openmetrics"],
]);

function mediaTypeOf(format: Format): string {
  return format === "openmetrics" ? "application/openmetrics-text" : "text/plain";
}

/**
 * Picks the parser for a scrape response, as upstream's `textparse.New`:
 * `application/openmetrics-text` → `openmetrics`, `text/plain` →
 * `prometheus-text` (parameters ignored, media type case-insensitive).
 * A blank, unparsable or unsupported Content-Type (protobuf included) yields
 * `fallback` with a warning, or throws `ContentTypeError` without one.
 */
export function parseContentType(contentType: string | undefined, fallback?: Format): ContentTypeChoice {
  const ct = contentType ?? "";
  const fb = fallback === undefined ? "" : JSON.stringify(mediaTypeOf(fallback));
  const quoted = JSON.stringify(ct);
  let problem: string;
  if (ct === "") {
    if (fallback === undefined) {
      throw new ContentTypeError(
        ct,
        "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target",
      );
    }
    return {
      format: fallback,
      warning: `non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol ${fb}`,
    };
  }
  const media = parseMediaType(ct);
  if (media === undefined) {
    problem =
      fallback === undefined
        ? `cannot parse Content-Type ${quoted} and no fallback_scrape_protocol for target`
        : `could not parse received Content-Type ${quoted}, using fallback_scrape_protocol ${fb}`;
  } else {
    const format = MEDIA_TYPES.get(media);
    if (format !== undefined) return { format };
    problem =
      fallback === undefined
        ? `received unsupported Content-Type ${quoted} and no fallback_scrape_protocol specified for target`
        : `received unsupported Content-Type ${quoted}, using fallback_scrape_protocol ${fb}`;
  }
  if (fallback === undefined) throw new ContentTypeError(ct, problem);
  return { format: fallback, warning: problem };
}

/** `parseContentType(…).format`: the format to parse a scrape response with. */
export function formatFromContentType(contentType: string | undefined, fallback?: Format): Format {
  return parseContentType(contentType, fallback).format;
}

const TOKEN = "[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+";
const MEDIA_RE = new RegExp(`^(${TOKEN})(?:/(${TOKEN}))?$`);
const PARAM_RE = new RegExp(`;\\s*(${TOKEN})\\s*=\\s*(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*")`, "y");

/**
 * The lower-cased media type when `ct` parses as Go's `mime.ParseMediaType`
 * would accept it (type with optional subtype, well-formed parameters,
 * trailing `;` allowed, no parameter twice), else undefined.
 */
function parseMediaType(ct: string): string | undefined {
  const semi = ct.indexOf(";");
  const base = (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
  if (!MEDIA_RE.test(base)) return undefined;
  let pos = semi < 0 ? ct.length : semi;
  const seen = new Set<string>();
  while (pos < ct.length) {
    while (pos < ct.length && /\s/.test(ct[pos])) pos++;
    if (pos === ct.length) break;
    PARAM_RE.lastIndex = pos;
    const m = PARAM_RE.exec(ct);
    if (m === null) return ct.slice(pos).trim() === ";" ? base : undefined;
    const key = m[1].toLowerCase();
    if (seen.has(key)) return undefined;
    seen.add(key);
    pos = PARAM_RE.lastIndex;
  }
  return base;
}
