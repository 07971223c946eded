/**
 * A rule file as upstream's `model/rulefmt` reads it: groups of recording
 * and alerting rules. Keys keep the YAML spelling, as `src/config/types.ts`
 * does; durations are milliseconds. Maps keep the order they were written in
 * (upstream's Go maps have none; Vigil sorts where the order shows).
 */

/** One rule: exactly one of `record` and `alert` is set (else the file fails validation). */
export interface Rule {
  readonly record: string;
  readonly alert: string;
  readonly expr: string;
  /** `for`, ms (0 when unset). */
  readonly for: number;
  /** `keep_firing_for`, ms (0 when unset). */
  readonly keep_firing_for: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A list of rules evaluated in order at one interval. */
export interface RuleGroup {
  readonly name: string;
  /** ms; 0 means "the global evaluation interval". */
  readonly interval: number;
  /** ms; undefined means "the global `rule_query_offset`". */
  readonly query_offset: number | undefined;
  /** Most series (recording) or alerts (alerting) a rule may produce; 0 means no limit. */
  readonly limit: number;
  readonly rules: readonly Rule[];
  readonly labels: Readonly<Record<string, string>>;
}

/** The contents of one rule file. */
export interface RuleGroups {
  readonly groups: readonly RuleGroup[];
}

/** A 1-based line and column; 0:0 for a node that was not written (as yaml.v3 reports it). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a rule's `record`, `alert` and `expr` values were written, for validation messages. */
export interface RulePositions {
  readonly record: Position;
  readonly alert: Position;
  readonly expr: Position;
}

/** The position of a node that is absent. */
export const NO_POSITION: Position = { line: 0, column: 0 };
