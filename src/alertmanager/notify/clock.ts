/**
 * Time as the dispatcher and the pipeline see it: a {@link Clock} to read
 * and to schedule on, the system one, and a {@link FakeClock} tests advance
 * by hand so group_wait, group_interval and retries run without sleeping.
 */

/** A scheduled callback; `cancel` is idempotent. */
export interface Timer {
  cancel(): void;
}

/** Reads the time (ms since the epoch) and schedules callbacks. */
export interface Clock {
  now(): number;
  /** Calls `fn` once, `ms` from now (at once for ms ≤ 0, on a later turn of the event loop). */
  timer(ms: number, fn: () => void): Timer;
}

/** The wall clock and `setTimeout`. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  timer(ms, fn) {
    const h = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(h) };
  },
};

/** Resolves after `ms` on `clock`, or rejects with `signal.reason` once `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      t.cancel();
      reject(signal.reason);
    };
    const t = clock.timer(ms, () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A manual clock: timers fire only inside {@link FakeClock.advance}, in time order. */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  timer(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#pending.push(p);
    return {
      cancel: () => {
        p.cancelled = true;
      },
    };
  }

  /**
   * Moves time forward by `ms`, firing due timers in order; after each one
   * (and before the first) lets pending promise chains settle, so code that
   * awaits between timers keeps up.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      this.#pending = this.#pending.filter((p) => !p.cancelled);
      const next = this.#pending.reduce<Pending | undefined>(
        (best, p) =>
          best === undefined || p.at < best.at || (p.at === best.at && p.seq < best.seq) ? p : best,
        undefined,
      );
      if (next === undefined || next.at > end) break;
      this.#now = Math.max(this.#now, next.at);
      next.cancelled = true;
      next.fn();
      await settle();
    }
    this.#now = end;
  }
}

/** Lets queued microtasks and immediate callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
