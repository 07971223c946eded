/**
 * A group's evaluation loop (upstream's `Group.run`): wait for the group's
 * next slot (see `schedule.ts`), then evaluate on every tick of a ticker of
 * the group's interval, counting the slots missed when an iteration ran
 * long. On the first load after start, the alerts' `for` state is restored
 * after the second iteration. A removed group marks its series stale two
 * intervals after stopping, unless the whole manager stops first.
 */
import type { Group } from "./group.ts";
import { type RestoreOptions, restoreForState } from "./restore.ts";
import { evalTimestamp, missedIterations, sleep } from "./schedule.ts";

/** What a running group needs from its manager. */
export interface RunContext {
  /** Aborted when the manager stops. */
  readonly managerDone: AbortSignal;
  readonly restore: RestoreOptions;
}

/** Ticks every `intervalMs` from `startMs`; a slow reader gets one late tick, the rest are dropped. */
class Ticker {
  #next: number;
  readonly #interval: number;
  readonly #now: () => number;

  constructor(now: () => number, intervalMs: number) {
    this.#now = now;
    this.#interval = intervalMs;
    this.#next = now() + intervalMs;
  }

  /** Resolves true at the next tick, false when `signal` aborts first. */
  async wait(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    const now = this.#now();
    if (this.#next > now && !(await sleep(this.#next - now, signal))) return false;
    const t = Math.max(this.#now(), this.#next);
    while (this.#next <= t) this.#next += this.#interval;
    return true;
  }
}

/** Runs `g` until `signal` aborts; resolves once the loop has ended. */
export async function runGroup(g: Group, signal: AbortSignal, ctx: RunContext): Promise<void> {
  try {
    await loop(g, signal, ctx);
  } finally {
    if (g.markStale) scheduleStaleCleanup(g, ctx.managerDone);
  }
}

async function loop(g: Group, signal: AbortSignal, ctx: RunContext): Promise<void> {
  const now = g.env.now;
  let slot = evalTimestamp(g.hash, g.intervalMs, now()) + g.intervalMs;
  if (!(await sleep(slot - now(), signal))) return;
  const ticker = new Ticker(now, g.intervalMs);
  await iterate(g, slot);
  if (g.shouldRestore) {
    // The first iteration may lack data the alerts depend on: restore after the second.
    if (!(await ticker.wait(signal))) return;
    slot = advance(g, slot);
    await iterate(g, slot);
    restore(g, ctx);
    g.shouldRestore = false;
  }
  for (;;) {
    if (!(await ticker.wait(signal))) return;
    slot = advance(g, slot);
    await iterate(g, slot);
  }
}

/** The next slot to evaluate, counting the ones skipped. */
function advance(g: Group, slot: number): number {
  const missed = missedIterations(slot, g.env.now(), g.intervalMs);
  if (missed > 0) {
    const l = { rule_group: g.key };
    g.env.metrics.iterationsMissed.inc(l, missed);
    g.env.metrics.iterationsScheduled.inc(l, missed);
  }
  return slot + (missed + 1) * g.intervalMs;
}

/** Upstream's `DefaultEvalIterationFunc`: one evaluation with its bookkeeping. */
export async function iterate(g: Group, slot: number): Promise<void> {
  const m = g.env.metrics;
  const l = { rule_group: g.key };
  m.iterationsScheduled.inc(l);
  const start = g.env.now();
  await g.eval(slot);
  const took = g.env.now() - start;
  m.iterationDuration.observe(took / 1000);
  const ruleSum = g.rules.reduce((s, r) => s + r.evaluationDurationMs, 0);
  m.groupLastRuleDurationSum.set(l, ruleSum / 1000);
  g.evaluationTimeMs = took;
  m.groupLastDuration.set(l, took / 1000);
  g.lastEvaluation = start;
  m.groupLastEvalTime.set(l, start / 1000);
  g.lastEvalTimestamp = slot;
}

function restore(g: Group, ctx: RunContext): void {
  const start = g.env.now();
  restoreForState(g.alertingRules(), g.env.queryable, start, ctx.restore, g.logger);
  const took = (g.env.now() - start) / 1000;
  g.env.metrics.groupLastRestoreDuration.set({ rule_group: g.key }, took);
  g.logger.debug("'for' state restoration completed", { duration_seconds: took });
}

/** After a removed group stops: its series become stale two intervals later. */
function scheduleStaleCleanup(g: Group, managerDone: AbortSignal): void {
  const stoppedAt = g.env.now();
  for (const m of g.seriesInPreviousEval) for (const s of m.values()) g.staleSeries.push(s);
  g.seriesInPreviousEval = g.rules.map(() => new Map());
  // Renamed rules get the chance to write their new series first.
  void sleep(2 * g.intervalMs, managerDone).then((ok) => {
    if (ok) g.cleanupStaleSeries(stoppedAt);
  });
}
