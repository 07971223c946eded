/** Small display helpers of the Alertmanager pages. */
import type { Labels } from "../api/types.ts";
import type { Translate } from "../i18n/i18n.ts";
import { formatDuration, formatTimestamp } from "../lib/format.ts";
import type { Matcher } from "./matchers.ts";

/** An RFC 3339 time in local time, `2026-01-02 15:04:05`. */
export function localTime(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? rfc3339 : formatTimestamp(ms, false);
}

/** "in 2h" / "3m ago" relative to `now`. */
export function relative(rfc3339: string, t: Translate, now = Date.now()): string {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  const d = Math.round((ms - now) / 1000) * 1000;
  return d >= 0
    ? t("am.in", { duration: formatDuration(d) })
    : t("common.ago", { duration: formatDuration(-d) });
}

/** One equality matcher per label: what "silence this alert" pre-fills. */
export function equalityMatchers(labels: Labels): Matcher[] {
  return Object.entries(labels).map(([name, value]) => ({ name, op: "=", value }));
}

/** A regex matching exactly `s` (RE2 syntax), for the API's `receiver` parameter. */
export function literalRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}
