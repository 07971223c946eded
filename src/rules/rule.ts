/**
 * What recording and alerting rules share (upstream's `rules.Rule`): a name,
 * a PromQL expression, static labels, the health of the last evaluation, and
 * `eval`, which returns the samples to append. Queries go through a
 * {@link QueryFunc}; {@link engineQueryFunc} builds one over the engine.
 */
import type { Logger } from "../log/log.ts";
import type { Labels } from "../model/labels/labels.ts";
import { Labels as L } from "../model/labels/labels.ts";
import type { Engine } from "../promql/engine.ts";
import type { Expr } from "../promql/parser/index.ts";
import type { Queryable } from "../storage/interface.ts";
import type { LabelPairs } from "./pairs.ts";

/** Rule health as upstream names it. */
export type RuleHealth = "ok" | "err" | "unknown";

/** One sample of a rule's result (the output vector). */
export interface RuleSample {
  readonly labels: Labels;
  /** ms. */
  readonly t: number;
  readonly v: number;
}

/**
 * Evaluates an expression (parsed, or as text for templates' `query`) at `ts` (ms)
 * and returns an instant vector; a scalar becomes one sample without labels.
 * Throws what the engine throws.
 */
export type QueryFunc = (expr: Expr | string, ts: number) => Promise<RuleSample[]>;

/** Upstream's `EngineQueryFunc`: instant queries over `queryable`. */
export function engineQueryFunc(engine: Pick<Engine, "instantQuery">, queryable: Queryable): QueryFunc {
  return async (expr, ts) => {
    const res = await engine.instantQuery(queryable, expr, ts);
    const v = res.value;
    if (v.type === "vector") return v.samples.map((s) => ({ labels: s.metric, t: s.t, v: s.f }));
    if (v.type === "scalar") return [{ labels: L.EMPTY, t: v.t, v: v.v }];
    throw new Error("rule result is not a vector or scalar");
  };
}

/** What a rule needs to evaluate. */
export interface EvalEnv {
  readonly query: QueryFunc;
  /** For the templates' `externalURL` and `pathPrefix`. */
  readonly externalURL: URL | null;
  readonly logger: Logger;
}

/** A recording or alerting rule. */
export interface Rule {
  readonly kind: "recording" | "alerting";
  readonly name: string;
  readonly expr: Expr;
  /** The expression as upstream prints it. */
  readonly query: string;
  /** Static labels (group labels overridden by the rule's), empty values kept. */
  readonly labels: LabelPairs;
  /**
   * Evaluates at `ts` (ms), querying at `ts - queryOffsetMs`; `limit` > 0 caps
   * the series (or alerts). Returns the samples to append. Throws on failure.
   */
  eval(ts: number, queryOffsetMs: number, env: EvalEnv, limit: number): Promise<RuleSample[]>;
  /** A text that is equal for equal definitions (upstream compares `String()`). */
  definition(): string;
  health: RuleHealth;
  lastError: string;
  /** How long the last evaluation took, ms. */
  evaluationDurationMs: number;
  /** Wall-clock start of the last evaluation, ms; null before the first. */
  evaluationTimestamp: number | null;
}

/** The state every rule starts with. */
export function initialRuleState(): Pick<
  Rule,
  "health" | "lastError" | "evaluationDurationMs" | "evaluationTimestamp"
> {
  return { health: "unknown", lastError: "", evaluationDurationMs: 0, evaluationTimestamp: null };
}

/** True when two samples' label sets repeat (upstream's `Vector.ContainsSameLabelset`). */
export function hasDuplicateLabelsets(samples: readonly RuleSample[]): boolean {
  if (samples.length < 2) return false;
  const seen = new Map<number, Labels[]>();
  for (const s of samples) {
    const h = s.labels.hash();
    const bucket = seen.get(h);
    if (bucket === undefined) seen.set(h, [s.labels]);
    else if (bucket.some((l) => l.equals(s.labels))) return true;
    else bucket.push(s.labels);
  }
  return false;
}
