/**
 * Upstream's `types.MemMarker`: the in-memory record of what the silencer,
 * the inhibitor and time intervals decided about each alert (an
 * {@link AlertMarker}) and about each aggregation group (a
 * {@link GroupMarker}), with the `alertmanager_marked_alerts{state}` gauge.
 */
import { Gauge, type Registry } from "prom-client";
import type { AlertMarker, AlertState, AlertStatus, GroupMarker } from "../types/types.ts";

const UNPROCESSED: AlertStatus = { state: "unprocessed", silencedBy: [], inhibitedBy: [], mutedBy: [] };

/** What the silencer last saw for an alert: the silences and the silence-state version they came from. */
export interface SilencedInfo {
  readonly activeIDs: readonly string[];
  readonly pendingIDs: readonly string[];
  /** -1 when the alert was never checked against silences. */
  readonly version: number;
  /** True when the alert has a status at all. */
  readonly found: boolean;
}

interface Entry {
  state: AlertState;
  silencedBy: readonly string[];
  pendingSilences: readonly string[];
  silencesVersion: number;
  inhibitedBy: readonly string[];
}

/** Both markers in one, as upstream's `MemMarker`. Safe to share between the API, the dispatcher and the pipeline. */
export class MemMarker implements AlertMarker, GroupMarker {
  readonly #alerts = new Map<bigint, Entry>();
  readonly #groups = new Map<string, readonly string[]>();

  /** Registers `alertmanager_marked_alerts{state}` on `registry` when given. */
  constructor(registry?: Registry) {
    if (registry !== undefined) this.#register(registry);
  }

  #register(registry: Registry): void {
    const marker = this;
    new Gauge({
      name: "alertmanager_marked_alerts",
      help: "How many alerts by state are currently marked in the Alertmanager regardless of their expiry.",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        for (const s of ["active", "suppressed", "unprocessed"] as const)
          this.set({ state: s }, marker.count(s));
      },
    });
  }

  #entry(fp: bigint): Entry {
    let e = this.#alerts.get(fp);
    if (e === undefined) {
      e = { state: "unprocessed", silencedBy: [], pendingSilences: [], silencesVersion: -1, inhibitedBy: [] };
      this.#alerts.set(fp, e);
    }
    return e;
  }

  /** Upstream's `SetActiveOrSilenced`; `version` is the silences' state version the IDs were computed from. */
  setActiveOrSilenced(
    fp: bigint,
    activeSilenceIDs: readonly string[],
    pendingSilenceIDs: readonly string[] = [],
    version = -1,
  ): void {
    const e = this.#entry(fp);
    e.silencedBy = [...activeSilenceIDs];
    e.pendingSilences = [...pendingSilenceIDs];
    e.silencesVersion = version;
    e.state = e.silencedBy.length === 0 && e.inhibitedBy.length === 0 ? "active" : "suppressed";
  }

  /** Upstream's `SetInhibited`: `inhibitedBy` holds fingerprints of inhibiting alerts (empty = not inhibited). */
  setInhibited(fp: bigint, inhibitedBy: readonly string[]): void {
    const e = this.#entry(fp);
    e.inhibitedBy = [...inhibitedBy];
    e.state = e.silencedBy.length === 0 && e.inhibitedBy.length === 0 ? "active" : "suppressed";
  }

  /** Upstream's `Silenced`: the silences recorded for `fp` and the version they were computed at. */
  silenced(fp: bigint): SilencedInfo {
    const e = this.#alerts.get(fp);
    if (e === undefined) return { activeIDs: [], pendingIDs: [], version: -1, found: false };
    return {
      activeIDs: e.silencedBy,
      pendingIDs: e.pendingSilences,
      version: e.silencesVersion,
      found: true,
    };
  }

  /** The status of `fp`; "unprocessed" with empty lists when never marked. `mutedBy` is always empty here. */
  status(fp: bigint): AlertStatus {
    const e = this.#alerts.get(fp);
    if (e === undefined) return UNPROCESSED;
    return { state: e.state, silencedBy: e.silencedBy, inhibitedBy: e.inhibitedBy, mutedBy: [] };
  }

  /** Forgets `fp` (called when the alert store garbage-collects it). */
  delete(fp: bigint): void {
    this.#alerts.delete(fp);
  }

  /** Alerts in any of `states`; all marked alerts when none given. */
  count(...states: AlertState[]): number {
    if (states.length === 0) return this.#alerts.size;
    let n = 0;
    for (const e of this.#alerts.values()) if (states.includes(e.state)) n++;
    return n;
  }

  /** Names of the time intervals muting the group; empty when not muted. */
  muted(routeID: string, groupKey: string): readonly string[] {
    return this.#groups.get(groupKey2(routeID, groupKey)) ?? [];
  }

  /** Records the time intervals muting a group; an empty list unmutes it. */
  setMuted(routeID: string, groupKey: string, timeIntervalNames: readonly string[]): void {
    const k = groupKey2(routeID, groupKey);
    if (timeIntervalNames.length === 0) this.#groups.delete(k);
    else this.#groups.set(k, [...timeIntervalNames]);
  }

  /** Forgets a group (called when the dispatcher destroys it). */
  deleteByGroupKey(routeID: string, groupKey: string): void {
    this.#groups.delete(groupKey2(routeID, groupKey));
  }
}

function groupKey2(routeID: string, groupKey: string): string {
  return `${routeID}\u0000${groupKey}`;
}
