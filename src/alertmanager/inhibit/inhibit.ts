/**
 * Upstream's `inhibit` package: inhibition rules mute a target alert while a
 * firing source alert has the same values for the rule's `equal` labels (a
 * missing label counting as the empty value). Each rule caches the source
 * alerts it has seen from the alert store's subscription, indexed by their
 * `equal` values; an alert matching both sides never inhibits another alert
 * matching both sides (so it cannot inhibit itself).
 */
import { type Logger, nopLogger } from "../../log/log.ts";
import type { InhibitRuleConfig } from "../config/types.ts";
import { type LabelSet, Matcher, matchersMatch } from "../matcher/matcher.ts";
import type { AlertStore } from "../provider/alerts.ts";
import { type Alert, type AlertMarker, fingerprint, fingerprintString, resolvedAt } from "../types/types.ts";

/** One inhibition rule with its cache of source alerts. */
export class InhibitRule {
  readonly name: string;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
  /** Source alerts by fingerprint, and fingerprints by `equal` values. */
  readonly #cache = new Map<bigint, Alert>();
  readonly #index = new Map<string, Set<bigint>>();

  constructor(c: InhibitRuleConfig) {
    this.name = c.name;
    this.sourceMatchers = toMatchers(c.source_match, c.source_match_re, c.source_matchers);
    this.targetMatchers = toMatchers(c.target_match, c.target_match_re, c.target_matchers);
    this.equal = [...new Set(c.equal)];
  }

  #key(lset: LabelSet): string {
    return JSON.stringify(this.equal.map((n) => lset[n] ?? ""));
  }

  /** Caches `a` when it matches the source side. */
  observe(a: Alert): void {
    if (!matchersMatch(this.sourceMatchers, a.labels)) return;
    const fp = fingerprint(a.labels);
    const key = this.#key(a.labels);
    this.#cache.set(fp, a);
    let set = this.#index.get(key);
    if (set === undefined) {
      set = new Set();
      this.#index.set(key, set);
    }
    set.add(fp);
  }

  /**
   * Upstream's `hasEqual`: the fingerprint of a firing cached source alert
   * with the same `equal` values as `lset` — skipping alerts matching the
   * target side too when `excludeTwoSided` — or undefined.
   */
  inhibitingAlert(lset: LabelSet, excludeTwoSided: boolean, now: number): bigint | undefined {
    const fps = this.#index.get(this.#key(lset));
    if (fps === undefined) return undefined;
    for (const fp of fps) {
      const a = this.#cache.get(fp);
      if (a === undefined || resolvedAt(a, now)) continue;
      if (excludeTwoSided && matchersMatch(this.targetMatchers, a.labels)) continue;
      return fp;
    }
    return undefined;
  }

  /** Drops resolved source alerts from the cache. */
  gc(now: number): void {
    for (const [fp, a] of this.#cache) {
      if (!resolvedAt(a, now)) continue;
      this.#cache.delete(fp);
      const key = this.#key(a.labels);
      const set = this.#index.get(key);
      set?.delete(fp);
      if (set?.size === 0) this.#index.delete(key);
    }
  }
}

function toMatchers(
  eq: Readonly<Record<string, string>>,
  re: Readonly<Record<string, string>>,
  ms: readonly Matcher[],
): Matcher[] {
  const out: Matcher[] = [];
  for (const [n, v] of Object.entries(eq)) out.push(Matcher.create("=", n, v));
  for (const [n, v] of Object.entries(re)) out.push(Matcher.create("=~", n, `^(?:${v})$`));
  out.push(...ms);
  return out;
}

/** Construction options of {@link Inhibitor}. */
export interface InhibitorOptions {
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Milliseconds between source-cache garbage collections (upstream: 15 min). */
  readonly gcInterval?: number;
}

/** Upstream's `Inhibitor`: a muter for the notification pipeline and the API. */
export class Inhibitor {
  readonly rules: readonly InhibitRule[];
  readonly #marker: AlertMarker;
  readonly #now: () => number;
  readonly #logger: Logger;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    store: AlertStore,
    rules: readonly InhibitRuleConfig[],
    marker: AlertMarker,
    opts: InhibitorOptions = {},
  ) {
    this.rules = rules.map((r) => new InhibitRule(r));
    this.#marker = marker;
    this.#now = opts.now ?? Date.now;
    this.#logger = opts.logger ?? nopLogger;
    this.#unsubscribe = store.subscribe((a) => this.#observe(a));
    this.#timer = setInterval(() => this.gc(), opts.gcInterval ?? 15 * 60_000);
    this.#timer.unref();
  }

  #observe(a: Alert): void {
    for (const r of this.rules) r.observe(a);
  }

  /** Drops resolved alerts from every rule's cache. */
  gc(): void {
    const now = this.#now();
    for (const r of this.rules) r.gc(now);
  }

  /** True when a rule inhibits `lset`; records the inhibiting alert (or none) in the marker. */
  mutes(lset: LabelSet): boolean {
    const fp = fingerprint(lset);
    const now = this.#now();
    for (const r of this.rules) {
      if (!matchersMatch(r.targetMatchers, lset)) continue;
      const by = r.inhibitingAlert(lset, matchersMatch(r.sourceMatchers, lset), now);
      if (by !== undefined) {
        this.#marker.setInhibited(fp, [fingerprintString(by)]);
        this.#logger.debug("Alert inhibited", { alert: fingerprintString(fp), rule: r.name });
        return true;
      }
    }
    this.#marker.setInhibited(fp, []);
    return false;
  }

  /** Unsubscribes from the store and stops the GC timer. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
