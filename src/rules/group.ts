/**
 * A rule group (upstream's `rules.Group`): rules evaluated in order at one
 * interval. `eval(ts)` is one iteration: each rule is evaluated, alerts are
 * handed to the notifier, results appended, and series a rule stopped
 * producing get a staleness marker. Scheduling lives in `group_run.ts`.
 */
import type { Logger } from "../log/log.ts";
import type { Labels } from "../model/labels/labels.ts";
import { STALE_NAN } from "../model/value/value.ts";
import { QueryError } from "../promql/errors.ts";
import { isSampleError } from "../storage/errors.ts";
import type { Appendable, Appender, Queryable } from "../storage/interface.ts";
import { AlertingRule, type NotifyFunc } from "./alerting.ts";
import { type RunContext, runGroup } from "./group_run.ts";
import type { RuleMetrics } from "./metrics.ts";
import { pairsString } from "./pairs.ts";
import type { EvalEnv, Rule, RuleSample } from "./rule.ts";
import { groupHash } from "./schedule.ts";

/** What every group of a manager shares. */
export interface GroupEnv extends EvalEnv {
  readonly appendable: Appendable;
  readonly queryable: Queryable;
  readonly notify: NotifyFunc;
  /** `--rules.alert.resend-delay`, ms. */
  readonly resendDelayMs: number;
  /** The global `rule_query_offset`, ms, for groups without `query_offset`. */
  readonly defaultQueryOffsetMs: () => number;
  readonly metrics: RuleMetrics;
  /** Wall clock, ms. */
  readonly now: () => number;
}

/** How a group is made. */
export interface GroupOptions {
  readonly name: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly limit: number;
  /** undefined: the global default. */
  readonly queryOffsetMs: number | undefined;
  readonly rules: readonly Rule[];
  /** Restore alerts' `for` state after the second evaluation (first load after start). */
  readonly shouldRestore: boolean;
}

/** Upstream's `GroupKey`: `<file>;<name>` (names need not be unique across files). */
export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}

export class Group {
  readonly name: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly limit: number;
  readonly queryOffsetMs: number | undefined;
  readonly rules: readonly Rule[];
  readonly key: string;
  readonly hash: bigint;
  readonly env: GroupEnv;
  readonly logger: Logger;
  shouldRestore: boolean;
  /** Set when the group is removed: its series get staleness markers after it stops. */
  markStale = false;
  /** Per rule: the series it appended last time, by label-set text. */
  seriesInPreviousEval: Map<string, Labels>[];
  /** Series of rules no longer configured, to mark stale. */
  staleSeries: Labels[] = [];
  /** Duration of the last iteration, ms. */
  evaluationTimeMs = 0;
  /** Wall-clock start of the last iteration; null before the first. */
  lastEvaluation: number | null = null;
  /** The slot (evaluation timestamp) of the last iteration. */
  lastEvalTimestamp: number | null = null;
  /** Set once the group is told to stop; rules not yet evaluated are skipped. */
  stopped = false;
  readonly #abort = new AbortController();
  #terminated: Promise<void> | null = null;

  constructor(o: GroupOptions, env: GroupEnv, logger: Logger) {
    this.name = o.name;
    this.file = o.file;
    this.intervalMs = o.intervalMs;
    this.limit = o.limit;
    this.queryOffsetMs = o.queryOffsetMs;
    this.rules = o.rules;
    this.shouldRestore = o.shouldRestore;
    this.key = groupKey(o.file, o.name);
    this.hash = groupHash(o.file, o.name);
    this.env = env;
    this.logger = logger.with({ file: o.file, group: o.name });
    this.seriesInPreviousEval = o.rules.map(() => new Map());
    env.metrics.initGroup(this.key, o.rules.length, o.intervalMs);
  }

  /** Starts the evaluation loop (see `group_run.ts`); later calls do nothing. */
  start(ctx: RunContext): void {
    if (this.#terminated === null && !this.stopped)
      this.#terminated = runGroup(this, this.#abort.signal, ctx);
  }

  /** Stops the loop and resolves once the current iteration has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.#abort.abort();
    await this.#terminated;
  }

  /** The alerting rules, in file order. */
  alertingRules(): AlertingRule[] {
    return this.rules.filter((r): r is AlertingRule => r instanceof AlertingRule);
  }

  /** Upstream's `QueryOffset`: the group's own, else the global default. */
  queryOffset(): number {
    return this.queryOffsetMs ?? this.env.defaultQueryOffsetMs();
  }

  /** One iteration at `ts` (ms): every rule in order, then leftover stale series. */
  async eval(ts: number): Promise<void> {
    const offset = this.queryOffset();
    let samples = 0;
    for (let i = 0; i < this.rules.length; i++) {
      if (this.stopped) return;
      samples += await this.#evalRule(i, ts, offset);
    }
    this.env.metrics.groupSamples.set({ rule_group: this.key }, samples);
    this.cleanupStaleSeries(ts);
  }

  /** Evaluates rule `i`; returns how many samples it produced. */
  async #evalRule(i: number, ts: number, offset: number): Promise<number> {
    const rule = this.rules[i]!;
    const m = this.env.metrics;
    const started = this.env.now();
    const logger = this.logger.with({ name: rule.name, index: i });
    m.evalTotal.inc({ rule_group: this.key });
    try {
      let vector: RuleSample[];
      try {
        vector = await rule.eval(ts, offset, this.env, this.limit);
      } catch (err) {
        rule.health = "err";
        rule.lastError = errorText(err);
        m.evalFailures.inc({ rule_group: this.key });
        if (!(err instanceof QueryError && err.type === "canceled")) {
          logger.warn("Evaluating rule failed", { rule: rule.query, err: rule.lastError });
        }
        return 0;
      }
      rule.health = "ok";
      rule.lastError = "";
      if (rule instanceof AlertingRule) {
        rule.sendAlerts(ts, this.env.resendDelayMs, this.intervalMs, this.env.notify);
      }
      this.#append(i, rule, vector, ts - offset, logger);
      return vector.length;
    } finally {
      const took = this.env.now() - started;
      m.evalDuration.observe(took / 1000);
      rule.evaluationDurationMs = took;
      rule.evaluationTimestamp = started;
    }
  }

  /** Appends a rule's result and staleness markers for the series it no longer returns. */
  #append(i: number, rule: Rule, vector: readonly RuleSample[], staleTs: number, logger: Logger): void {
    const app = this.env.appendable.appender();
    const returned = new Map<string, Labels>();
    const dropped = { out_of_order: 0, too_old: 0, duplicate_sample: 0 };
    for (const s of vector) {
      try {
        app.append(0, s.labels, s.t, s.v);
        returned.set(s.labels.toString(), s.labels);
      } catch (err) {
        rule.health = "err";
        rule.lastError = errorText(err);
        const kind = isSampleError(err) ? err.kind : "";
        if (kind in dropped) dropped[kind as keyof typeof dropped]++;
        const attrs = { err: errorText(err), sample: `${s.labels.toString()} => ${s.v} @[${s.t}]` };
        if (kind in dropped) logger.debug("Rule evaluation result discarded", attrs);
        else logger.warn("Rule evaluation result discarded", attrs);
      }
    }
    logDropped(logger, dropped);
    for (const [key, lset] of this.seriesInPreviousEval[i]!) {
      if (!returned.has(key)) appendStale(app, lset, staleTs, logger, "Adding stale sample failed");
    }
    try {
      app.commit();
      this.seriesInPreviousEval[i] = returned;
    } catch (err) {
      rule.health = "err";
      rule.lastError = errorText(err);
      this.env.metrics.evalFailures.inc({ rule_group: this.key });
      logger.warn("Rule sample appending failed", { err: rule.lastError });
    }
  }

  /** Staleness markers for the series of rules no longer configured (upstream's `cleanupStaleSeries`). */
  cleanupStaleSeries(ts: number): void {
    if (this.staleSeries.length === 0) return;
    const app = this.env.appendable.appender();
    const t = ts - this.queryOffset();
    for (const s of this.staleSeries) {
      appendStale(app, s, t, this.logger, "Adding stale sample for previous configuration failed");
    }
    try {
      app.commit();
      this.staleSeries = [];
    } catch (err) {
      this.logger.warn("Stale sample appending for previous configuration failed", { err: errorText(err) });
    }
  }

  /**
   * Upstream's `CopyState`: takes over the alerts and appended series of the
   * rules of `from` with the same name and labels (first with first when
   * repeated); series of unmatched old rules become stale series.
   */
  copyState(from: Group): void {
    this.evaluationTimeMs = from.evaluationTimeMs;
    this.lastEvaluation = from.lastEvaluation;
    const byIdentity = new Map<string, number[]>();
    from.rules.forEach((r, fi) => {
      const k = identity(r);
      byIdentity.set(k, [...(byIdentity.get(k) ?? []), fi]);
    });
    this.rules.forEach((r, i) => {
      const k = identity(r);
      const indexes = byIdentity.get(k) ?? [];
      const fi = indexes[0];
      if (fi === undefined) return;
      this.seriesInPreviousEval[i] = from.seriesInPreviousEval[fi] ?? new Map();
      byIdentity.set(k, indexes.slice(1));
      const old = from.rules[fi];
      if (r instanceof AlertingRule && old instanceof AlertingRule) {
        for (const [fp, a] of old.active) r.active.set(fp, a);
      }
    });
    this.staleSeries = [...from.staleSeries];
    from.rules.forEach((r, fi) => {
      if ((byIdentity.get(identity(r)) ?? []).length === 0) return;
      for (const s of from.seriesInPreviousEval[fi]?.values() ?? []) this.staleSeries.push(s);
    });
  }

  /** Upstream's `Equals`: same identity, settings and rule definitions. */
  equals(o: Group): boolean {
    if (this.name !== o.name || this.file !== o.file) return false;
    if (this.intervalMs !== o.intervalMs || this.limit !== o.limit) return false;
    if (this.queryOffsetMs !== o.queryOffsetMs) return false;
    if (this.rules.length !== o.rules.length) return false;
    return this.rules.every((r, i) => r.definition() === o.rules[i]!.definition());
  }
}

function identity(r: Rule): string {
  return r.name + pairsString(r.labels);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Appends a staleness marker; sample errors are expected (another rule may own the series). */
function appendStale(app: Appender, lset: Labels, t: number, logger: Logger, msg: string): void {
  try {
    app.append(0, lset, t, STALE_NAN);
  } catch (err) {
    if (!isSampleError(err)) logger.warn(msg, { sample: lset.toString(), err: errorText(err) });
  }
}

function logDropped(
  logger: Logger,
  d: { out_of_order: number; too_old: number; duplicate_sample: number },
): void {
  if (d.out_of_order > 0) {
    logger.warn("Error on ingesting out-of-order result from rule evaluation", {
      num_dropped: d.out_of_order,
    });
  }
  if (d.too_old > 0) {
    logger.warn("Error on ingesting too old result from rule evaluation", { num_dropped: d.too_old });
  }
  if (d.duplicate_sample > 0) {
    logger.warn("Error on ingesting results from rule evaluation with different value but same timestamp", {
      num_dropped: d.duplicate_sample,
    });
  }
}
