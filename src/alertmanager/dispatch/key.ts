/**
 * Aggregation group identity as upstream 0.33 prints it: the group key
 * `<route key>:<group labels>` (e.g. `{}/{severity="page"}:{alertname="X"}`),
 * and which labels of an alert group it on a route.
 */
import { compareUTF8, goQuote } from "../../model/labels/strings.ts";
import type { Route } from "../route/route.ts";
import type { LabelSet } from "../types/types.ts";

/** prometheus/common `LabelSet.String()`: `{a="1", b="2"}`, names in byte order, values `%q`-quoted. */
export function labelSetString(ls: LabelSet): string {
  const parts = Object.keys(ls)
    .sort(compareUTF8)
    .map((n) => `${n}=${goQuote(ls[n]!)}`);
  return `{${parts.join(", ")}}`;
}

/** The group key of the group with `labels` on `route`. */
export function groupKey(route: Route, labels: LabelSet): string {
  return `${route.key()}:${labelSetString(labels)}`;
}

/** Upstream's `getGroupLabels`: the alert's labels named in the route's `group_by` (all of them for `...`). */
export function groupLabels(labels: LabelSet, route: Route): LabelSet {
  if (route.opts.groupByAll) return { ...labels };
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(labels)) if (route.opts.groupBy.has(n)) out[n] = v;
  return out;
}
