/**
 * The rule manager's self-metrics: upstream's `rules.Metrics` names, help
 * texts, types and the `rule_group` label (`<file>;<group>`), registered on
 * the registry the manager is given.
 */
import { Counter, Gauge, type Registry, Summary } from "prom-client";

/** Go's `DefMaxAge` (10 minutes) and `DefAgeBuckets` (5), as upstream's summaries use. */
const SUMMARY_AGE = { maxAgeSeconds: 600, ageBuckets: 5 } as const;

type GroupLabel = "rule_group";

/** Every metric of the rules package. */
export class RuleMetrics {
  readonly evalDuration: Summary;
  readonly iterationDuration: Summary;
  readonly iterationsMissed: Counter<GroupLabel>;
  readonly iterationsScheduled: Counter<GroupLabel>;
  readonly evalTotal: Counter<GroupLabel>;
  readonly evalFailures: Counter<GroupLabel>;
  readonly groupInterval: Gauge<GroupLabel>;
  readonly groupLastEvalTime: Gauge<GroupLabel>;
  readonly groupLastDuration: Gauge<GroupLabel>;
  readonly groupLastRuleDurationSum: Gauge<GroupLabel>;
  readonly groupLastRestoreDuration: Gauge<GroupLabel>;
  readonly groupRules: Gauge<GroupLabel>;
  readonly groupSamples: Gauge<GroupLabel>;

  /** Registers on `registry`; without one the metrics are kept but not exported (unit tests). */
  constructor(registry?: Registry) {
    const registers = registry === undefined ? [] : [registry];
    const perGroup = { labelNames: ["rule_group"] as const, registers };
    const counter = (name: string, help: string) => new Counter({ name, help, ...perGroup });
    const gauge = (name: string, help: string) => new Gauge({ name, help, ...perGroup });
    this.evalDuration = new Summary({
      name: "prometheus_rule_evaluation_duration_seconds",
      help: "The duration for a rule to execute.",
      percentiles: [0.5, 0.9, 0.99],
      ...SUMMARY_AGE,
      registers,
    });
    this.iterationDuration = new Summary({
      name: "prometheus_rule_group_duration_seconds",
      help: "The duration of rule group evaluations.",
      percentiles: [0.01, 0.05, 0.5, 0.9, 0.99],
      ...SUMMARY_AGE,
      registers,
    });
    this.iterationsMissed = counter(
      "prometheus_rule_group_iterations_missed_total",
      "The total number of rule group evaluations missed due to slow rule group evaluation.",
    );
    this.iterationsScheduled = counter(
      "prometheus_rule_group_iterations_total",
      "The total number of scheduled rule group evaluations, whether executed or missed.",
    );
    this.evalTotal = counter("prometheus_rule_evaluations_total", "The total number of rule evaluations.");
    this.evalFailures = counter(
      "prometheus_rule_evaluation_failures_total",
      "The total number of rule evaluation failures.",
    );
    this.groupInterval = gauge("prometheus_rule_group_interval_seconds", "The interval of a rule group.");
    this.groupLastEvalTime = gauge(
      "prometheus_rule_group_last_evaluation_timestamp_seconds",
      "The timestamp of the last rule group evaluation in seconds.",
    );
    this.groupLastDuration = gauge(
      "prometheus_rule_group_last_duration_seconds",
      "The duration of the last rule group evaluation.",
    );
    this.groupLastRuleDurationSum = gauge(
      "prometheus_rule_group_last_rule_duration_sum_seconds",
      "The sum of time in seconds it took to evaluate each rule in the group regardless of concurrency. This should be higher than the group duration if rules are evaluated concurrently.",
    );
    this.groupLastRestoreDuration = gauge(
      "prometheus_rule_group_last_restore_duration_seconds",
      "The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` series.",
    );
    this.groupRules = gauge("prometheus_rule_group_rules", "The number of rules.");
    this.groupSamples = gauge(
      "prometheus_rule_group_last_evaluation_samples",
      "The number of samples returned during the last rule group evaluation.",
    );
  }

  /** Creates a group's series, as upstream's `NewGroup` does, so they show before the first evaluation. */
  initGroup(key: string, rules: number, intervalMs: number): void {
    const l = { rule_group: key };
    for (const c of [this.iterationsMissed, this.iterationsScheduled, this.evalTotal, this.evalFailures])
      c.inc(l, 0);
    for (const g of [
      this.groupLastEvalTime,
      this.groupLastDuration,
      this.groupLastRuleDurationSum,
      this.groupSamples,
    ])
      g.set(l, 0);
    this.groupRules.set(l, rules);
    this.groupInterval.set(l, intervalMs / 1000);
  }

  /** Drops a removed group's series. */
  deleteGroup(key: string): void {
    const l = { rule_group: key };
    for (const m of [
      this.iterationsMissed,
      this.iterationsScheduled,
      this.evalTotal,
      this.evalFailures,
      this.groupInterval,
      this.groupLastEvalTime,
      this.groupLastDuration,
      this.groupLastRuleDurationSum,
      this.groupLastRestoreDuration,
      this.groupRules,
      this.groupSamples,
    ]) {
      m.remove(l);
    }
  }
}
