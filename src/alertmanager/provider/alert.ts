/**
 * Alert-level rules of upstream's `types` package: validation of a received
 * alert (`Alert.Validate`, with upstream's messages), merging an update into
 * the stored alert (`Alert.Merge`), and completing a posted alert's times
 * the way the API does (start time, `resolve_timeout`).
 */
import { isValidLabelName } from "../matcher/compat.ts";
import { type Alert, type LabelSet, resolvedAt } from "../types/types.ts";

/** An alert as a client posts it: times in ms, 0 when absent. */
export interface PostedAlert {
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
}

/**
 * The API's completion of a posted alert at `now` (ms): empty-valued labels
 * dropped, a missing start set to the end (or `now`), a missing end set to
 * `now + resolveTimeout` with `timeout` true; `updatedAt` is `now`.
 */
export function completeAlert(p: PostedAlert, now: number, resolveTimeout: number): Alert {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.labels)) if (v !== "") labels[k] = v;
  let startsAt = p.startsAt;
  if (startsAt === 0) startsAt = p.endsAt === 0 ? now : p.endsAt;
  const timeout = p.endsAt === 0;
  return {
    labels,
    annotations: p.annotations,
    startsAt,
    endsAt: timeout ? now + resolveTimeout : p.endsAt,
    generatorURL: p.generatorURL,
    updatedAt: now,
    timeout,
  };
}

/** True when `v` is well-formed UTF-8 text (a JS string always is unless it holds a lone surrogate). */
function isValidLabelValue(v: string): boolean {
  return v.isWellFormed();
}

function validateLabelSet(ls: LabelSet): string | undefined {
  for (const [name, value] of Object.entries(ls)) {
    if (!isValidLabelName(name)) return `invalid name ${JSON.stringify(name)}`;
    if (!isValidLabelValue(value)) return `invalid value ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** Upstream's `types.Alert.Validate`: undefined when valid, else upstream's message. */
export function validateAlert(a: Alert): string | undefined {
  if (a.startsAt === 0) return "start time missing";
  if (a.endsAt !== 0 && a.endsAt < a.startsAt) return "start time must be before end time";
  if (Object.keys(a.labels).length === 0) return "at least one label pair required";
  const l = validateLabelSet(a.labels);
  if (l !== undefined) return `invalid label set: ${l}`;
  const an = validateLabelSet(a.annotations);
  if (an !== undefined) return `invalid annotations: ${an}`;
  return undefined;
}

/**
 * Upstream's `Alert.Merge`: `b` merged into `a`, the more recently updated
 * one winning, but keeping the earliest start, and the later end when both
 * are resolved or when the older one's end was explicit (not a timeout).
 */
export function mergeAlerts(a: Alert, b: Alert, now: number): Alert {
  if (b.updatedAt < a.updatedAt) return mergeAlerts(b, a, now);
  let startsAt = b.startsAt;
  let endsAt = b.endsAt;
  if (a.startsAt < b.startsAt) startsAt = a.startsAt;
  if (resolvedAt(b, now)) {
    if (resolvedAt(a, now) && a.endsAt > b.endsAt) endsAt = a.endsAt;
  } else if (a.endsAt > b.endsAt && !a.timeout) {
    endsAt = a.endsAt;
  }
  return { ...b, startsAt, endsAt };
}

/** Upstream's overlap test in `mem.Alerts.Put`: merge only when the new activity range overlaps the stored one. */
export function overlaps(old: Alert, a: Alert): boolean {
  return (
    (a.endsAt > old.startsAt && a.endsAt < old.endsAt) ||
    (a.startsAt > old.startsAt && a.startsAt < old.endsAt)
  );
}
