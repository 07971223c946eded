/**
 * The pushgateway's `api/v1` bodies (`{status, data}` like Prometheus', so
 * `apiGet` reads them) and the push API's group URL for deleting a group.
 */
import type { Labels } from "../api/types.ts";

/** One metric of a family: a value, or a summary's quantiles, or a histogram's buckets. */
export interface PgMetric {
  readonly labels: Labels;
  readonly value?: string;
  readonly quantiles?: Readonly<Record<string, string>>;
  readonly buckets?: Readonly<Record<string, string>>;
  readonly count?: string;
  readonly sum?: string;
}

/** A family of a group. */
export interface PgFamily {
  readonly time_stamp: string;
  readonly type: string;
  readonly help?: string;
  readonly metrics: readonly PgMetric[];
}

/** A group of `GET api/v1/metrics`: its grouping labels, last push outcome, and its families by name. */
export interface PgGroup {
  readonly labels: Labels;
  readonly last_push_successful: boolean;
  readonly families: readonly (readonly [string, PgFamily])[];
}

/** `GET api/v1/status`. */
export interface PgStatus {
  readonly build_information: Readonly<Record<string, string>>;
  readonly flags: Readonly<Record<string, string>>;
  readonly start_time: string;
}

/** The names of the families the pushgateway adds to every group. */
export const PUSH_TIME = "push_time_seconds";
export const PUSH_FAILURE_TIME = "push_failure_time_seconds";

/** Splits a wire group (families are keys beside `labels`) into a {@link PgGroup}. */
export function toGroup(raw: Readonly<Record<string, unknown>>): PgGroup {
  const families = Object.entries(raw)
    .filter(([k]) => k !== "labels" && k !== "last_push_successful")
    .map(([k, v]) => [k, v as PgFamily] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    labels: (raw.labels ?? {}) as Labels,
    last_push_successful: raw.last_push_successful === true,
    families,
  };
}

/** Seconds since the epoch of a gauge family (`push_time_seconds`), or 0 when absent. */
export function pushTimeSeconds(g: PgGroup, name: string): number {
  const f = g.families.find(([n]) => n === name)?.[1];
  const v = Number(f?.metrics[0]?.value ?? "0");
  return Number.isFinite(v) ? v : 0;
}

function base64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * The push API path of a group, every value base64url-encoded (`@base64`) so
 * that any value, `/` or empty included, round-trips; `job` first.
 */
export function groupPath(labels: Labels): string {
  const enc = (v: string) => (v === "" ? "=" : base64url(v));
  let path = `metrics/job@base64/${enc(labels.job ?? "")}`;
  for (const [k, v] of Object.entries(labels)) {
    if (k !== "job") path += `/${k}@base64/${enc(v)}`;
  }
  return path;
}
