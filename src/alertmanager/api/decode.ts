/**
 * Request bodies of API v2 decoded and checked as go-swagger does before a
 * handler runs: a JSON syntax or type error is a 400, a missing required
 * field (602), a bad format (601) or too few items (612) a 422, each with
 * go-openapi's message.
 */
import type { PostedAlert } from "../provider/alert.ts";
import type { SilenceMatcher } from "../silence/types.ts";

/** A request refused before reaching the handler; `code` is go-openapi's error code. */
export class RequestError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, code: number, message: string) {
    super(message);
    this.name = "RequestError";
    this.status = status;
    this.code = code;
  }
}

/** A posted silence: `id` empty for a new silence. */
export interface PostableSilence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v;
}

function goSyntaxError(text: string): string {
  const first = text.trimStart()[0];
  if (first !== undefined && !'[{"-0123456789tfn'.includes(first)) {
    return `invalid character '${first}' looking for beginning of value`;
  }
  return "unexpected end of JSON input";
}

function parseBody(text: string, what: string, param: string): unknown {
  if (text.trim() === "") throw new RequestError(422, 602, `${param} in body is required`);
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError(400, 400, `parsing ${what} body from "" failed, because ${goSyntaxError(text)}`);
  }
}

function typeError(what: string, msg: string): RequestError {
  return new RequestError(400, 400, `parsing ${what} body from "" failed, because json: ${msg}`);
}

/** RFC 3339 as `strfmt.DateTime` accepts it; ms since the epoch. */
function parseDateTime(v: unknown, what: string, field: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== "string")
    throw typeError(
      what,
      `cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type strfmt.DateTime`,
    );
  const ok = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/.test(v);
  const ms = ok ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) {
    const q = JSON.stringify(v);
    throw new RequestError(
      400,
      400,
      `parsing ${what} body from "" failed, because parsing time ${q} as "2006-01-02": cannot parse ${q} as "2006"`,
    );
  }
  // Go's zero time (what Go clients send for "unset") is 0 here.
  return ms === GO_ZERO_TIME ? 0 : ms;
}

const GO_ZERO_TIME = Date.parse("0001-01-01T00:00:00Z");

function labelMap(v: unknown, what: string, field: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (jsonKind(v) !== "object")
    throw typeError(
      what,
      `cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type models.LabelSet`,
    );
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val !== "string") {
      throw typeError(
        what,
        `cannot unmarshal ${jsonKind(val)} into Go struct field ${field}.${k} of type string`,
      );
    }
    out[k] = val;
  }
  return out;
}

/** go-openapi's `uri` format (Go's `url.ParseRequestURI`): an absolute URI or an absolute path. */
function isURI(s: string): boolean {
  if (/\s/.test(s)) return false;
  return s.startsWith("/") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s);
}

/** Decodes a `POST /api/v2/alerts` body (`postableAlerts`). */
export function decodePostableAlerts(text: string): PostedAlert[] {
  const body = parseBody(text, "alerts", "alerts");
  if (!Array.isArray(body))
    throw typeError(
      "alerts",
      `cannot unmarshal ${jsonKind(body)} into Go value of type models.PostableAlerts`,
    );
  const out: PostedAlert[] = [];
  for (const [i, raw] of body.entries()) {
    if (jsonKind(raw) !== "object")
      throw typeError(
        "alerts",
        `cannot unmarshal ${jsonKind(raw)} into Go value of type models.PostableAlert`,
      );
    const r = raw as Record<string, unknown>;
    const gu = r.generatorURL ?? "";
    if (typeof gu !== "string")
      throw typeError(
        "alerts",
        `cannot unmarshal ${jsonKind(gu)} into Go struct field Alert.generatorURL of type strfmt.URI`,
      );
    const a: PostedAlert = {
      labels: labelMap(r.labels, "alerts", "Alert.labels"),
      annotations: labelMap(r.annotations, "alerts", "PostableAlert.annotations"),
      startsAt: parseDateTime(r.startsAt, "alerts", "PostableAlert.startsAt"),
      endsAt: parseDateTime(r.endsAt, "alerts", "PostableAlert.endsAt"),
      generatorURL: gu,
    };
    if (gu !== "" && !isURI(gu))
      throw new RequestError(
        422,
        601,
        `${i}.generatorURL in body must be of type uri: ${JSON.stringify(gu)}`,
      );
    if (r.labels === undefined || r.labels === null)
      throw new RequestError(422, 602, `${i}.labels in body is required`);
    out.push(a);
  }
  return out;
}

function required(r: Record<string, unknown>, key: string, prefix = ""): unknown {
  const v = r[key];
  if (v === undefined || v === null) throw new RequestError(422, 602, `${prefix}${key} in body is required`);
  return v;
}

function str(v: unknown, field: string): string {
  if (typeof v !== "string")
    throw typeError(
      "silence",
      `cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type string`,
    );
  return v;
}

function bool(v: unknown, field: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "boolean")
    throw typeError("silence", `cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type bool`);
  return v;
}

function decodeMatcher(raw: unknown, i: number): SilenceMatcher {
  if (jsonKind(raw) !== "object")
    throw typeError("silence", `cannot unmarshal ${jsonKind(raw)} into Go value of type models.Matcher`);
  const r = raw as Record<string, unknown>;
  const isEqual = bool(r.isEqual, "Matcher.isEqual", true);
  const isRegex = bool(required(r, "isRegex", `matchers.${i}.`), "Matcher.isRegex", false);
  const name = str(required(r, "name", `matchers.${i}.`), "Matcher.name");
  const pattern = str(required(r, "value", `matchers.${i}.`), "Matcher.value");
  const type = isRegex ? (isEqual ? "=~" : "!~") : isEqual ? "=" : "!=";
  return { type, name, pattern };
}

/** Decodes a `POST /api/v2/silences` body (`postableSilence`). */
export function decodePostableSilence(text: string): PostableSilence {
  const body = parseBody(text, "silence", "silence");
  if (jsonKind(body) !== "object") {
    throw typeError(
      "silence",
      `cannot unmarshal ${jsonKind(body)} into Go value of type struct { ID string "json:\\"id,omitempty\\"" }`,
    );
  }
  const r = body as Record<string, unknown>;
  const comment = str(required(r, "comment"), "Silence.comment");
  const createdBy = str(required(r, "createdBy"), "Silence.createdBy");
  const endsAt = parseDateTime(required(r, "endsAt"), "silence", "Silence.endsAt");
  const rawMatchers = required(r, "matchers");
  if (!Array.isArray(rawMatchers))
    throw typeError(
      "silence",
      `cannot unmarshal ${jsonKind(rawMatchers)} into Go struct field Silence.matchers of type models.Matchers`,
    );
  if (rawMatchers.length < 1)
    throw new RequestError(422, 612, "matchers in body should have at least 1 items");
  const matchers = rawMatchers.map(decodeMatcher);
  const startsAt = parseDateTime(required(r, "startsAt"), "silence", "Silence.startsAt");
  const id = r.id === undefined || r.id === null ? "" : str(r.id, "PostableSilence.id");
  const ann =
    r.annotations === undefined ? undefined : labelMap(r.annotations, "silence", "Silence.annotations");
  const s: PostableSilence = { id, matchers, startsAt, endsAt, createdBy, comment };
  return ann === undefined ? s : { ...s, annotations: ann };
}
