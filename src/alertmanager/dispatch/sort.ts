/**
 * Orders upstream sorts by: prometheus/common's `LabelSet.Before` and
 * `Equal`, Alertmanager's `AlertSlice` (by `job`, then `instance`, then the
 * label sets), and the API's aggregation-group order.
 */
import { compareUTF8 } from "../../model/labels/strings.ts";
import type { Alert, LabelSet } from "../types/types.ts";

/** `LabelSet.Equal`. */
export function labelSetsEqual(a: LabelSet, b: LabelSet): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/** `LabelSet.Before`: fewer labels first, then the first differing name/value in name order. */
export function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  const na = Object.keys(a);
  const nb = Object.keys(b);
  if (na.length !== nb.length) return na.length < nb.length;
  for (const n of [...na, ...nb].sort(compareUTF8)) {
    if (!Object.hasOwn(a, n)) return true;
    if (!Object.hasOwn(b, n)) return false;
    const c = compareUTF8(a[n]!, b[n]!);
    if (c !== 0) return c < 0;
  }
  return false;
}

/** `types.AlertSlice.Less` as a comparator: `job`, then `instance` (alerts lacking one last), then the label sets. */
export function compareAlerts(a: Alert, b: Alert): number {
  for (const key of ["job", "instance"]) {
    const av = a.labels[key];
    const bv = b.labels[key];
    if (av === undefined && bv === undefined) continue;
    if (av === undefined) return 1;
    if (bv === undefined) return -1;
    const c = compareUTF8(av, bv);
    if (c !== 0) return c;
  }
  if (labelSetBefore(a.labels, b.labels)) return -1;
  return labelSetBefore(b.labels, a.labels) ? 1 : 0;
}

/** Upstream's `AlertGroups.Less`: by group labels, then by receiver name. */
export function compareGroups(
  a: { labels: LabelSet; receiver: string },
  b: { labels: LabelSet; receiver: string },
): number {
  if (labelSetsEqual(a.labels, b.labels)) return compareUTF8(a.receiver, b.receiver);
  return labelSetBefore(a.labels, b.labels) ? -1 : 1;
}
