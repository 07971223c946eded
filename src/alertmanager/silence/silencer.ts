/**
 * Upstream's `silence.Silencer`: decides whether an alert's label set is
 * silenced and records the active and pending silences in the marker. When
 * no silence was added since the marker's last look, only the silences it
 * recorded are re-checked; otherwise every silence is queried.
 */
import { type Logger, nopLogger } from "../../log/log.ts";
import type { SilencedInfo } from "../marker/marker.ts";
import { type AlertMarker, fingerprint, type LabelSet } from "../types/types.ts";
import type { Silences } from "./silences.ts";
import { type Silence, silenceState } from "./types.ts";

/** A marker that also remembers which silence-state version it saw (Vigil's `MemMarker`). */
export interface SilenceMarker extends AlertMarker {
  silenced(fp: bigint): SilencedInfo;
  setActiveOrSilenced(
    fp: bigint,
    active: readonly string[],
    pending?: readonly string[],
    version?: number,
  ): void;
}

/** Mutes alerts matched by an active silence. */
export class Silencer {
  readonly #silences: Silences;
  readonly #marker: SilenceMarker;
  readonly #logger: Logger;

  constructor(silences: Silences, marker: SilenceMarker, logger: Logger = nopLogger) {
    this.#silences = silences;
    this.#marker = marker;
    this.#logger = logger;
  }

  /** True when an active silence matches `lset`; marks the alert either way. */
  mutes(lset: LabelSet): boolean {
    const fp = fingerprint(lset);
    const seen = this.#marker.silenced(fp);
    let version = seen.version;
    let sils: Silence[];
    try {
      if (seen.version === this.#silences.version) {
        const ids = [...seen.activeIDs, ...seen.pendingIDs];
        if (ids.length === 0) return false;
        sils = this.#silences.query({ ids, states: ["active", "pending"] });
      } else {
        version = this.#silences.version;
        sils = this.#silences.query({ states: ["active", "pending"], matches: lset });
      }
    } catch (err) {
      this.#logger.error("Querying silences failed, alerts might not get silenced correctly", {
        err: String(err),
      });
      sils = [];
    }
    const now = this.#silences.now();
    const active: string[] = [];
    const pending: string[] = [];
    for (const s of sils) {
      const st = silenceState(s, now);
      if (st === "active") active.push(s.id);
      else if (st === "pending") pending.push(s.id);
    }
    active.sort();
    pending.sort();
    this.#marker.setActiveOrSilenced(fp, active, pending, version);
    return active.length > 0;
  }
}
