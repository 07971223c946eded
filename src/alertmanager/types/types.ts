/**
 * The Alertmanager's core data types, shared by the alert store, the
 * dispatcher, the notification pipeline, silences, inhibition and the API:
 * upstream's `types.Alert` (prometheus/common `model.Alert` plus `UpdatedAt`
 * and `Timeout`), label-set fingerprints, and the marker that records each
 * alert's status (active, suppressed by silences or inhibitions).
 */
import type { LabelSet } from "../matcher/matcher.ts";

export type { LabelSet };

/** An alert as the Alertmanager holds it; times are ms since the epoch, 0 meaning unset (Go's zero time). */
export interface Alert {
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly startsAt: number;
  /** 0 when the sender gave none; the store then sets it to `updatedAt + resolve_timeout` and `timeout` true. */
  readonly endsAt: number;
  readonly generatorURL: string;
  /** When the store last accepted an update for this alert. */
  readonly updatedAt: number;
  /** True when `endsAt` was derived from `resolve_timeout`, not sent. */
  readonly timeout: boolean;
}

/** True when the alert has ended at `now` (upstream `Alert.Resolved()` / `ResolvedAt`). */
export function resolvedAt(a: Alert, now: number): boolean {
  return a.endsAt !== 0 && a.endsAt <= now;
}

/** "firing" or "resolved" at `now`, as templates and webhooks name it. */
export function alertStatus(a: Alert, now: number): "firing" | "resolved" {
  return resolvedAt(a, now) ? "resolved" : "firing";
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;
const encoder = new TextEncoder();

/**
 * prometheus/common `model.LabelSet.Fingerprint()`: FNV-1a 64 over the label
 * names and values sorted by name, each followed by the 0xff separator; as a
 * bigint. Alerts are keyed by it and the API prints it as 16 hex digits.
 */
export function fingerprint(lset: LabelSet): bigint {
  const names = Object.keys(lset).sort();
  if (names.length === 0) return FNV_OFFSET;
  let h = FNV_OFFSET;
  const mix = (s: string): void => {
    for (const b of encoder.encode(s)) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
    h = ((h ^ BigInt(SEPARATOR)) * FNV_PRIME) & MASK;
  };
  for (const n of names) {
    mix(n);
    mix(lset[n]!);
  }
  return h;
}

/** A fingerprint as upstream prints it (`%016x`). */
export function fingerprintString(fp: bigint): string {
  return fp.toString(16).padStart(16, "0");
}

/** Upstream's `types.AlertState`. */
export type AlertState = "unprocessed" | "active" | "suppressed";

/** Upstream's `types.AlertStatus`: the state and what suppresses the alert. */
export interface AlertStatus {
  readonly state: AlertState;
  /** IDs of the silences muting the alert. */
  readonly silencedBy: readonly string[];
  /** Fingerprints (16 hex digits) of the alerts inhibiting it. */
  readonly inhibitedBy: readonly string[];
  /** Names of the time intervals muting it. */
  readonly mutedBy: readonly string[];
}

/**
 * Upstream's `types.AlertMarker`: what the silencer, inhibitor and time
 * intervals decided about each alert, read by the API and the dispatcher.
 */
export interface AlertMarker {
  setActiveOrSilenced(
    fp: bigint,
    activeSilenceIDs: readonly string[],
    pendingSilenceIDs?: readonly string[],
  ): void;
  setInhibited(fp: bigint, inhibitedBy: readonly string[]): void;
  status(fp: bigint): AlertStatus;
  delete(fp: bigint): void;
  /** Counts by state, for `alertmanager_marked_alerts`. */
  count(...states: AlertState[]): number;
}

/** Upstream's `types.GroupMarker`: time-interval muting of aggregation groups. */
export interface GroupMarker {
  muted(routeID: string, groupKey: string): readonly string[];
  setMuted(routeID: string, groupKey: string, timeIntervalNames: readonly string[]): void;
  deleteByGroupKey(routeID: string, groupKey: string): void;
}
