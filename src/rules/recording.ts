/**
 * A recording rule (upstream's `rules.RecordingRule`): evaluates its
 * expression and renames the result to the rule's name, with its labels.
 */
import { LabelsBuilder } from "../model/labels/labels.ts";
import type { Expr } from "../promql/parser/index.ts";
import { exprToString } from "../promql/parser/index.ts";
import type { LabelPairs } from "./pairs.ts";
import {
  type EvalEnv,
  hasDuplicateLabelsets,
  initialRuleState,
  type Rule,
  type RuleHealth,
  type RuleSample,
} from "./rule.ts";

/** Records `expr` as the series named `name`. */
export class RecordingRule implements Rule {
  readonly kind = "recording" as const;
  readonly name: string;
  readonly expr: Expr;
  readonly query: string;
  readonly labels: LabelPairs;
  health: RuleHealth;
  lastError: string;
  evaluationDurationMs: number;
  evaluationTimestamp: number | null;

  constructor(name: string, expr: Expr, labels: LabelPairs) {
    this.name = name;
    this.expr = expr;
    this.query = exprToString(expr);
    this.labels = labels;
    const s = initialRuleState();
    this.health = s.health;
    this.lastError = s.lastError;
    this.evaluationDurationMs = s.evaluationDurationMs;
    this.evaluationTimestamp = s.evaluationTimestamp;
  }

  /** Upstream's `RecordingRule.Eval`. */
  async eval(ts: number, queryOffsetMs: number, env: EvalEnv, limit: number): Promise<RuleSample[]> {
    const vector = await env.query(this.expr, ts - queryOffsetMs);
    const lb = new LabelsBuilder();
    const out = vector.map((s) => {
      lb.reset(s.labels).set("__name__", this.name);
      for (const [n, v] of this.labels) lb.set(n, v);
      return { labels: lb.labels(), t: s.t, v: s.v };
    });
    if (hasDuplicateLabelsets(out)) {
      throw new Error("vector contains metrics with the same labelset after applying rule labels");
    }
    if (limit > 0 && out.length > limit) {
      throw new Error(`exceeded limit of ${limit} with ${out.length} series`);
    }
    return out;
  }

  definition(): string {
    return JSON.stringify(["record", this.name, this.query, this.labels]);
  }
}
