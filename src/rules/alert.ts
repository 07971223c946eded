/**
 * One alert of an alerting rule (upstream's `rules.Alert`): its identifying
 * labels, expanded annotations, state and the instants of its life. Times are
 * ms since the epoch; `null` is Go's zero time ("never"), which must differ
 * from the epoch because `promtool test rules` evaluates from time 0.
 */
import type { Labels } from "../model/labels/labels.ts";
import type { LabelPairs } from "./pairs.ts";

/** Alert states, ordered as upstream compares them (firing > pending > inactive). */
export type AlertState = "inactive" | "pending" | "firing";

const RANK: Readonly<Record<AlertState, number>> = { inactive: 0, pending: 1, firing: 2 };

/** Upstream's order of states: negative when `a` is lower than `b`. */
export function compareStates(a: AlertState, b: AlertState): number {
  return RANK[a] - RANK[b];
}

/** An alert as the rule keeps it; mutable, owned by its rule. */
export interface RuleAlert {
  state: AlertState;
  /** The result's labels without `__name__`, with the rule's (expanded) labels and `alertname`. */
  labels: Labels;
  /** Expanded annotations, empty values included. */
  annotations: LabelPairs;
  /** The expression's value at the last evaluation. */
  value: number;
  /** When the condition started to hold (since pending). */
  activeAt: number;
  firedAt: number | null;
  /** When the condition stopped holding; null while active. */
  resolvedAt: number | null;
  lastSentAt: number | null;
  /** When the alert stops being valid unless sent again (Alertmanager's `endsAt`). */
  validUntil: number | null;
  /** Since when it fires only because of `keep_firing_for`. */
  keepFiringSince: number | null;
}

/** Upstream's `needsSending`: firing or resolved alerts, resent after `resendDelayMs`. */
export function needsSending(a: RuleAlert, ts: number, resendDelayMs: number): boolean {
  if (a.state === "pending") return false;
  const lastSent = a.lastSentAt ?? Number.NEGATIVE_INFINITY;
  // Resolved since the last send: send it again now.
  if (a.resolvedAt !== null && a.resolvedAt > lastSent) return true;
  return lastSent + resendDelayMs < ts;
}

/** A copy the caller may keep (the rule goes on mutating its own). */
export function copyAlert(a: RuleAlert): RuleAlert {
  return { ...a };
}
