/**
 * API v2 response bodies as upstream's go-swagger models marshal them: field
 * order of the generated structs, label maps with sorted keys, Go's
 * HTML-safe string escapes, times as `strfmt.DateTime` (milliseconds, UTC).
 */
import { compareUTF8 } from "../../model/labels/strings.ts";
import { goJSONString } from "../../notifier/openapi.ts";
import type { Silence } from "../silence/types.ts";
import { silenceState } from "../silence/types.ts";
import type { Alert, AlertStatus, LabelSet } from "../types/types.ts";
import { fingerprint, fingerprintString } from "../types/types.ts";

/**
 * A JSON string as go-openapi's producer writes it outside models with a
 * custom marshaller (status, receivers, group labels, string payloads): no
 * HTML escaping, but U+2028/U+2029 escaped as Go always does.
 */
export function plainJSONString(s: string): string {
  return JSON.stringify(s).replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

/** A time in ms as `strfmt.DateTime` prints it. */
export function dateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A label set as a JSON object, keys sorted byte-wise as Go sorts map keys. */
export function labelSetJSON(ls: LabelSet, escapeHTML = true): string {
  const q = escapeHTML ? goJSONString : plainJSONString;
  const keys = Object.keys(ls).sort(compareUTF8);
  return `{${keys.map((k) => `${q(k)}:${q(ls[k]!)}`).join(",")}}`;
}

function strings(xs: readonly string[]): string {
  return `[${xs.map(goJSONString).join(",")}]`;
}

/** A receiver reference `{"name":…}` (HTML-escaped inside alerts, not in groups). */
export function receiverRefJSON(name: string, escapeHTML = true): string {
  return `{"name":${escapeHTML ? goJSONString(name) : plainJSONString(name)}}`;
}

/**
 * Upstream's `AlertToOpenAPIAlert` as JSON: a `gettableAlert`. A non-empty
 * `mutedBy` (time intervals muting the alert's group) makes the state "suppressed".
 */
export function gettableAlertJSON(
  a: Alert,
  status: AlertStatus,
  receivers: readonly string[],
  mutedBy: readonly string[],
): string {
  const state = mutedBy.length > 0 ? "suppressed" : status.state;
  let out = `{"annotations":${labelSetJSON(a.annotations)},"endsAt":"${dateTime(a.endsAt)}"`;
  out += `,"fingerprint":"${fingerprintString(fingerprint(a.labels))}"`;
  out += `,"receivers":[${receivers.map((r) => receiverRefJSON(r)).join(",")}]`;
  out += `,"startsAt":"${dateTime(a.startsAt)}"`;
  out += `,"status":{"inhibitedBy":${strings(status.inhibitedBy)},"mutedBy":${strings(mutedBy)}`;
  out += `,"silencedBy":${strings(status.silencedBy)},"state":"${state}"}`;
  out += `,"updatedAt":"${dateTime(a.updatedAt)}"`;
  if (a.generatorURL !== "") out += `,"generatorURL":${goJSONString(a.generatorURL)}`;
  return `${out},"labels":${labelSetJSON(a.labels)}}`;
}

/** A `gettableSilence` as upstream's `GettableSilenceFromProto` builds it, its state computed at `now`. */
export function gettableSilenceJSON(s: Silence, now: number): string {
  let out = `{"id":${goJSONString(s.id)},"status":{"state":"${silenceState(s, now)}"}`;
  out += `,"updatedAt":"${dateTime(s.updatedAt)}"`;
  if (s.annotations !== undefined && Object.keys(s.annotations).length > 0) {
    out += `,"annotations":${labelSetJSON(s.annotations)}`;
  }
  out += `,"comment":${goJSONString(s.comment)},"createdBy":${goJSONString(s.createdBy)}`;
  out += `,"endsAt":"${dateTime(s.endsAt)}","matchers":[`;
  out += s.matchers
    .map((m) => {
      const isEqual = m.type === "=" || m.type === "=~";
      const isRegex = m.type === "=~" || m.type === "!~";
      return `{"isEqual":${isEqual},"isRegex":${isRegex},"name":${goJSONString(m.name)},"value":${goJSONString(m.pattern)}}`;
    })
    .join(",");
  return `${out}],"startsAt":"${dateTime(s.startsAt)}"}`;
}

/** Upstream's `SortSilences`: active (soonest end first), pending (soonest start first), expired (latest end first). */
export function sortSilences(sils: Silence[], now: number): Silence[] {
  const order = { active: 1, pending: 2, expired: 3 } as const;
  return sils.sort((a, b) => {
    const sa = silenceState(a, now);
    const sb = silenceState(b, now);
    if (sa !== sb) return order[sa] - order[sb];
    if (sa === "active") return a.endsAt - b.endsAt;
    if (sa === "pending") return a.startsAt - b.startsAt;
    return b.endsAt - a.endsAt;
  });
}

/** A go-openapi error body `{"code":…,"message":…}`. */
export function apiErrorJSON(code: number, message: string): string {
  return `{"code":${code},"message":${goJSONString(message)}}`;
}
