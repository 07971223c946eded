/**
 * The body of `POST /api/v2/alerts`: Alertmanager's OpenAPI `postableAlerts`
 * as upstream's `alertsToOpenAPIAlerts` and Go's `encoding/json` write it —
 * fields in the order `annotations` (left out when empty), `endsAt`,
 * `startsAt`, `generatorURL` (left out when ""), `labels`; label names sorted;
 * `<`, `>`, `&`, U+2028 and U+2029 escaped; times as go-openapi's
 * `strfmt.DateTime` (RFC 3339 with milliseconds, UTC). The golden files in
 * `testdata/` are bodies Prometheus 3.5.3 sent.
 */
import type { Labels } from "../model/labels/labels.ts";
import type { Alert } from "./alert.ts";

/** Go's zero `time.Time` in `strfmt.DateTime`'s format, sent for a null time. */
export const ZERO_DATE_TIME = "0001-01-01T00:00:00.000Z";

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/** A JSON string literal as Go's encoder writes it (HTML-sensitive characters escaped). */
export function goJSONString(s: string): string {
  return JSON.stringify(s).replace(
    HTML_UNSAFE,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A time as `strfmt.DateTime` marshals it; null (or an invalid date) is Go's zero time. */
export function dateTime(d: Date | null): string {
  if (d === null || Number.isNaN(d.getTime())) return ZERO_DATE_TIME;
  return d.toISOString();
}

function labelSet(ls: Labels): string {
  let out = "";
  for (let i = 0; i < ls.size; i++) {
    if (i > 0) out += ",";
    out += `${goJSONString(ls.nameAt(i))}:${goJSONString(ls.valueAt(i))}`;
  }
  return `{${out}}`;
}

/** One alert as a `postableAlert` JSON object. */
export function encodePostableAlert(a: Alert): string {
  let out = "{";
  if (a.annotations.size > 0) out += `"annotations":${labelSet(a.annotations)},`;
  out += `"endsAt":"${dateTime(a.endsAt)}","startsAt":"${dateTime(a.startsAt)}",`;
  if (a.generatorURL !== "") out += `"generatorURL":${goJSONString(a.generatorURL)},`;
  return `${out}"labels":${labelSet(a.labels)}}`;
}

/** The JSON array of `postableAlerts` for `alerts`, in order. */
export function encodePostableAlerts(alerts: readonly Alert[]): string {
  return `[${alerts.map(encodePostableAlert).join(",")}]`;
}
