/**
 * Upstream's `silence.Silences`: the silence state — create, update, expire,
 * query (by IDs, states, matching label set), garbage collection of silences
 * ended longer than the retention ago, and a snapshot file written by the
 * periodic maintenance and on shutdown, loaded at start.
 */
import { randomUUID } from "node:crypto";
import type { Registry } from "prom-client";
import { type Logger, nopLogger } from "../../log/log.ts";
import { readIfExists, writeSnapshot } from "../maintenance/file.ts";
import { deleteExpired, Maintenance } from "../maintenance/maintenance.ts";
import { type LabelSet, Matcher, matchersMatch } from "../matcher/matcher.ts";
import { newSilenceMetrics, type SilenceMetrics } from "./metrics.ts";
import { decodeSilences, encodeSilences, type SilenceEntry } from "./snapshot.ts";
import { type Silence, type SilenceState, sameMatchers, silenceState, validateSilence } from "./types.ts";

/** Upstream's `ErrNotFound`. */
export class SilenceNotFoundError extends Error {
  constructor() {
    super("silence not found");
    this.name = "SilenceNotFoundError";
  }
}

/** A silence refused by validation; the message is upstream's (`invalid silence: …`). */
export class InvalidSilenceError extends Error {
  constructor(reason: string) {
    super(`invalid silence: ${reason}`);
    this.name = "InvalidSilenceError";
  }
}

/** What {@link Silences.query} selects; all given conditions must hold. */
export interface SilenceQuery {
  readonly ids?: readonly string[];
  readonly states?: readonly SilenceState[];
  /** Only silences whose matchers match this label set. */
  readonly matches?: LabelSet;
}

/** Construction options of {@link Silences}. */
export interface SilencesOptions {
  /** Milliseconds a silence is kept after it ended (`--data.retention`, 120h). */
  readonly retention?: number;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** The silences of one Alertmanager. */
export class Silences {
  readonly #st = new Map<string, SilenceEntry>();
  /** Compiled matchers by silence ID (upstream's matcher cache). */
  readonly #mc = new Map<string, Matcher[]>();
  readonly #retention: number;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #metrics: SilenceMetrics;
  readonly #maintenance: Maintenance;
  #version = 0;

  constructor(opts: SilencesOptions = {}) {
    this.#retention = opts.retention ?? 120 * 3_600_000;
    this.#logger = opts.logger ?? nopLogger;
    this.#now = opts.now ?? Date.now;
    this.#metrics = newSilenceMetrics(
      opts.registry,
      (s) => this.query({ states: [s] }).length,
      () => ({ state: this.#st.size, matcherIndex: this.#mc.size }),
    );
    const m = this.#metrics;
    this.#maintenance = new Maintenance(
      this,
      {
        maintenance: m.maintenanceTotal,
        maintenanceErrors: m.maintenanceErrorsTotal,
        snapshotSize: m.snapshotSize,
      },
      this.#logger,
    );
  }

  /** Increments whenever a silence with a new ID is added (the silencer's cache key). */
  get version(): number {
    return this.#version;
  }

  /** The current time of the silences' clock (ms). */
  now(): number {
    return this.#now();
  }

  /** Replaces the state with a snapshot file's; a missing file leaves it empty. */
  async loadSnapshot(file: string): Promise<void> {
    const text = await readIfExists(file);
    if (text === undefined) {
      this.#logger.debug("silences snapshot file doesn't exist", { file });
      return;
    }
    const entries = decodeSilences(text);
    this.#st.clear();
    this.#mc.clear();
    for (const e of entries) this.#st.set(e.silence.id, e);
    this.#version++;
  }

  /** Writes the state to `file` atomically; returns its size in bytes. */
  snapshot(file: string): Promise<number> {
    return writeSnapshot(file, () => encodeSilences(this.#st.values()), this.#metrics.snapshotDuration);
  }

  /** Removes silences whose `endsAt + retention` has passed; returns how many. */
  gc(): number {
    return deleteExpired(this.#st, this.#now(), this.#metrics.gcDuration, (id) => this.#mc.delete(id));
  }

  /**
   * Upstream's `Set`: stores `sil` and returns its ID. An existing silence is
   * updated in place when only its times change compatibly with its state;
   * otherwise a new silence (new ID, start not before now) replaces it and
   * the old one, unless already expired, is expired.
   */
  set(input: Silence): string {
    const now = this.#now();
    let sil: Silence = input.startsAt === 0 ? { ...input, startsAt: now } : input;
    const reason = validateSilence(sil);
    if (reason !== undefined) throw new InvalidSilenceError(reason);
    const prev = sil.id === "" ? undefined : this.#st.get(sil.id)?.silence;
    if (sil.id !== "" && prev === undefined) throw new SilenceNotFoundError();
    if (prev !== undefined && canUpdate(prev, sil, now)) {
      this.#store({ ...sil, updatedAt: now });
      return sil.id;
    }
    sil = { ...sil, id: randomUUID(), startsAt: Math.max(sil.startsAt, now), updatedAt: now };
    if (prev !== undefined && silenceState(prev, now) !== "expired") this.#expire(prev.id);
    this.#store(sil);
    return sil.id;
  }

  #store(sil: Silence): void {
    if (!this.#st.has(sil.id)) this.#version++;
    this.#st.set(sil.id, { silence: sil, expiresAt: sil.endsAt + this.#retention });
    this.#mc.delete(sil.id);
  }

  /** Upstream's `Expire`: ends the silence now (a pending one starts and ends now); a no-op when already expired. */
  expire(id: string): void {
    this.#expire(id);
  }

  #expire(id: string): void {
    const sil = this.#st.get(id)?.silence;
    if (sil === undefined) throw new SilenceNotFoundError();
    const now = this.#now();
    switch (silenceState(sil, now)) {
      case "expired":
        return;
      case "active":
        this.#store({ ...sil, endsAt: now, updatedAt: now });
        return;
      case "pending":
        this.#store({ ...sil, startsAt: now, endsAt: now, updatedAt: now });
        return;
    }
  }

  /** The silences satisfying `q`, in no particular order. */
  query(q: SilenceQuery = {}): Silence[] {
    this.#metrics.queriesTotal.inc();
    const end = this.#metrics.queryDuration.startTimer();
    try {
      return this.#query(q, this.#now());
    } catch (err) {
      this.#metrics.queryErrorsTotal.inc();
      throw err;
    } finally {
      end();
    }
  }

  #query(q: SilenceQuery, now: number): Silence[] {
    const base =
      q.ids === undefined
        ? [...this.#st.values()].map((e) => e.silence)
        : q.ids.flatMap((id) => this.#st.get(id)?.silence ?? []);
    this.#metrics.scannedTotal.inc(base.length);
    return base.filter((s) => {
      if (q.states !== undefined && !q.states.includes(silenceState(s, now))) return false;
      return q.matches === undefined || matchersMatch(this.#matchers(s), q.matches);
    });
  }

  #matchers(s: Silence): Matcher[] {
    let ms = this.#mc.get(s.id);
    if (ms === undefined) {
      ms = s.matchers.map((m) => Matcher.create(m.type, m.name, m.pattern));
      this.#mc.set(s.id, ms);
    }
    return ms;
  }

  /** Silences in any of `states`. */
  countState(...states: SilenceState[]): number {
    return this.query({ states }).length;
  }

  /** Runs GC then a snapshot to `file` (when non-empty); returns the snapshot size. */
  maintenance(file: string): Promise<number> {
    return this.#maintenance.runOnce(file);
  }

  /** Starts the periodic maintenance (upstream: every 15 min) writing `file`. */
  startMaintenance(interval: number, file: string): void {
    this.#maintenance.start(interval, file);
  }

  /** Stops the maintenance and writes the shutdown snapshot. */
  stop(): Promise<void> {
    return this.#maintenance.stop();
  }
}

/** Upstream's `canUpdate`: whether `b` may replace `a` in place without rewriting history. */
function canUpdate(a: Silence, b: Silence, now: number): boolean {
  if (!sameMatchers(a.matchers, b.matchers)) return false;
  switch (silenceState(a, now)) {
    case "active":
      return Math.floor(b.startsAt / 1000) === Math.floor(a.startsAt / 1000) && b.endsAt >= now;
    case "pending":
      return b.startsAt >= now;
    case "expired":
      return false;
  }
}
