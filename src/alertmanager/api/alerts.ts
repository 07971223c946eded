/**
 * `GET/POST /api/v2/alerts` and `GET /api/v2/alerts/groups` (upstream
 * `getAlertsHandler`, `postAlertsHandler`, `getAlertGroupsHandler`).
 */
import { Counter } from "prom-client";
import { RE2JS } from "re2js";
import { parseMatcher } from "../matcher/compat.ts";
import type { Matcher } from "../matcher/matcher.ts";
import { completeAlert, validateAlert } from "../provider/alert.ts";
import { regexError } from "../silence/types.ts";
import { type Alert, fingerprint, fingerprintString, type LabelSet } from "../types/types.ts";
import { decodePostableAlerts } from "./decode.ts";
import type { APIv2Deps } from "./deps.ts";
import { gettableAlertJSON, labelSetJSON, receiverRefJSON } from "./json.ts";
import { jsonReply, type Reply, stringReply } from "./reply.ts";

/** Upstream's `parseFilter`: each `filter` value is one matcher (`compat.Matcher`, origin "api"). */
export function parseFilter(filters: readonly string[]): Matcher[] {
  return filters.map((f) => parseMatcher(f, "api"));
}

/** Upstream's `matchFilterLabels`: an empty-valued matcher accepts a missing label (`=`) or a present one (`!=`). */
export function matchFilterLabels(ms: readonly Matcher[], lset: LabelSet): boolean {
  for (const m of ms) {
    const present = Object.hasOwn(lset, m.name);
    const v = present ? lset[m.name]! : "";
    const negative = m.type === "!=" || m.type === "!~";
    if (m.value === "" && (negative ? present : !present)) continue;
    if (!m.matches(v)) return false;
  }
  return true;
}

/** Query parameters shared by the alert endpoints; booleans default to true. */
export interface AlertQuery {
  readonly filter: Matcher[];
  readonly receiver: RE2JS | undefined;
  readonly active: boolean;
  readonly silenced: boolean;
  readonly inhibited: boolean;
  readonly muted: boolean;
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return true;
  return ["1", "t", "true"].includes(v.toLowerCase());
}

/** Parses the query; a `Reply` (400) when a filter or the receiver regex is invalid. */
export function parseAlertQuery(q: URLSearchParams): AlertQuery | Reply {
  let filter: Matcher[];
  try {
    filter = parseFilter(q.getAll("filter"));
  } catch (err) {
    return stringReply(400, err instanceof Error ? err.message : String(err));
  }
  let receiver: RE2JS | undefined;
  const r = q.get("receiver");
  if (r !== null) {
    const re = `^(?:${r})$`;
    const err = regexError(re);
    if (err !== undefined) return stringReply(400, `failed to parse receiver param: ${err}`);
    receiver = RE2JS.compile(re);
  }
  return {
    filter,
    receiver,
    active: boolParam(q, "active"),
    silenced: boolParam(q, "silenced"),
    inhibited: boolParam(q, "inhibited"),
    muted: boolParam(q, "muted"),
  };
}

/** Upstream's `alertFilter`: not ended, state filters after re-running silences and inhibitions, label filter. */
function alertFilter(deps: APIv2Deps, q: AlertQuery): (a: Alert, now: number) => boolean {
  return (a, now) => {
    if (a.endsAt !== 0 && a.endsAt < now) return false;
    deps.current().setAlertStatus(a.labels);
    const st = deps.marker.status(fingerprint(a.labels));
    if (!q.active && st.state === "active") return false;
    if (!q.silenced && st.silencedBy.length > 0) return false;
    if (!q.inhibited && st.inhibitedBy.length > 0) return false;
    return matchFilterLabels(q.filter, a.labels);
  };
}

/** `GET /api/v2/alerts`. */
export function getAlerts(deps: APIv2Deps, params: URLSearchParams, now: number): Reply {
  const q = parseAlertQuery(params);
  if ("status" in q) return q;
  const filter = alertFilter(deps, q);
  const { route } = deps.current();
  const out: { fp: string; json: string }[] = [];
  for (const a of deps.alerts.list()) {
    const receivers = route.match(a.labels).map((r) => r.opts.receiver);
    if (q.receiver !== undefined && !receivers.some((r) => q.receiver!.matches(r))) continue;
    if (!filter(a, now)) continue;
    const fp = fingerprint(a.labels);
    out.push({
      fp: fingerprintString(fp),
      json: gettableAlertJSON(a, deps.marker.status(fp), receivers, []),
    });
  }
  out.sort((x, y) => (x.fp < y.fp ? -1 : x.fp > y.fp ? 1 : 0));
  return jsonReply(200, `[${out.map((o) => o.json).join(",")}]`);
}

/** The metrics of posted alerts (upstream `api/metrics.Alerts`). */
export interface AlertsMetrics {
  readonly firing: Counter;
  readonly resolved: Counter;
  readonly invalid: Counter;
}

/** Creates `alertmanager_alerts_received_total{status,version="v2"}` and `alertmanager_alerts_invalid_total{version="v2"}`. */
export function newAlertsMetrics(deps: APIv2Deps): AlertsMetrics {
  const registers = deps.registry === undefined ? [] : [deps.registry];
  const received = new Counter({
    name: "alertmanager_alerts_received_total",
    help: "The total number of received alerts.",
    labelNames: ["status", "version"],
    registers,
  });
  const invalid = new Counter({
    name: "alertmanager_alerts_invalid_total",
    help: "The total number of received alerts that were invalid.",
    labelNames: ["version"],
    registers,
  });
  return {
    firing: received.labels({ status: "firing", version: "v2" }) as unknown as Counter,
    resolved: received.labels({ status: "resolved", version: "v2" }) as unknown as Counter,
    invalid: invalid.labels({ version: "v2" }) as unknown as Counter,
  };
}

/** `POST /api/v2/alerts`: completes, counts and validates each alert; stores the valid ones. */
export function postAlerts(deps: APIv2Deps, m: AlertsMetrics, body: string, now: number): Reply {
  const posted = decodePostableAlerts(body);
  const resolveTimeout = deps.current().config.global.resolve_timeout;
  const alerts = posted.map((p) => completeAlert(p, now, resolveTimeout));
  for (const a of alerts) (a.endsAt > now ? m.firing : m.resolved).inc();
  const valid: Alert[] = [];
  const errors: string[] = [];
  for (const a of alerts) {
    const err = validateAlert(a);
    if (err === undefined) valid.push(a);
    else {
      errors.push(err);
      m.invalid.inc();
    }
  }
  deps.alerts.put(...valid);
  if (errors.length > 0) {
    deps.logger?.error("Failed to validate alerts", { err: errors.join("\n") });
    return stringReply(400, errors.join("\n"));
  }
  return { status: 200 };
}

/** `GET /api/v2/alerts/groups`. */
export function getAlertGroups(deps: APIv2Deps, params: URLSearchParams): Reply {
  const q = parseAlertQuery(params);
  if ("status" in q) return q;
  const rf = (r: { opts: { receiver: string } }) =>
    q.receiver === undefined || q.receiver.matches(r.opts.receiver);
  const { groups, receivers } = deps.groups.groups(rf, alertFilter(deps, q));
  const out: string[] = [];
  for (const g of groups) {
    const mutedBy = deps.groupMarker.muted(g.routeID, g.groupKey);
    if (!q.muted && mutedBy.length > 0) continue;
    const alerts = g.alerts.map((a) => {
      const fp = fingerprint(a.labels);
      return gettableAlertJSON(a, deps.marker.status(fp), receivers.get(fp) ?? [], mutedBy);
    });
    out.push(
      `{"alerts":[${alerts.join(",")}],"labels":${labelSetJSON(g.labels, false)},"receiver":${receiverRefJSON(g.receiver, false)}}`,
    );
  }
  return jsonReply(200, `[${out.join(",")}]`);
}
