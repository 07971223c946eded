/**
 * Upstream's `timeinterval.Intervener`: named time intervals from the config,
 * asked whether a route's `mute_time_intervals` / `active_time_intervals`
 * contain an instant (the notification pipeline's time-mute stages).
 */
import { containsTime, type TimeInterval } from "./timeinterval.ts";

/** The result of {@link Intervener.mutes}: whether any named interval contains the instant, and which. */
export interface IntervalMatch {
  readonly matched: boolean;
  /** Names of the intervals that contain the instant, in the order asked (a name once per matching entry). */
  readonly names: readonly string[];
}

/** Named interval lists; immutable, safe to share. */
export class Intervener {
  readonly #intervals: ReadonlyMap<string, readonly TimeInterval[]>;

  constructor(intervals: ReadonlyMap<string, readonly TimeInterval[]>) {
    this.#intervals = intervals;
  }

  /**
   * True when one of the intervals called `names` contains `now`. Throws
   * `time interval X doesn't exist in config` for an unknown name, as upstream.
   */
  mutes(names: readonly string[], now: Date | number): IntervalMatch {
    const matched: string[] = [];
    for (const name of names) {
      const list = this.#intervals.get(name);
      if (list === undefined) throw new Error(`time interval ${name} doesn't exist in config`);
      for (const ti of list) if (containsTime(ti, now)) matched.push(name);
    }
    return { matched: matched.length > 0, names: matched };
  }
}
