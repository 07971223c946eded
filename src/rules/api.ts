/**
 * The rules and alerts in the shapes `/api/v1/rules` and `/api/v1/alerts`
 * encode (`src/web/api/v1/deps.ts`), as upstream's API reads them from its
 * rule manager: durations in seconds, alerts without the resolved ones.
 */
import type { AlertInfo, RuleGroupInfo, RuleInfo } from "../web/api/v1/deps.ts";
import type { RuleAlert } from "./alert.ts";
import { AlertingRule } from "./alerting.ts";
import type { Group } from "./group.ts";
import { pairsToLabels } from "./pairs.ts";
import type { Rule } from "./rule.ts";

function dateOf(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** One alert as the API shows it. */
export function alertInfo(a: RuleAlert): AlertInfo {
  return {
    labels: a.labels,
    annotations: pairsToLabels(a.annotations),
    state: a.state,
    activeAt: new Date(a.activeAt),
    keepFiringSince: dateOf(a.keepFiringSince),
    value: a.value,
  };
}

/** One rule as the API shows it. */
export function ruleInfo(r: Rule): RuleInfo {
  const common = {
    name: r.name,
    query: r.query,
    labels: pairsToLabels(r.labels),
    health: r.health,
    lastError: r.lastError,
    evaluationTime: r.evaluationDurationMs / 1000,
    lastEvaluation: dateOf(r.evaluationTimestamp),
  };
  if (!(r instanceof AlertingRule)) return { ...common, type: "recording" };
  return {
    ...common,
    type: "alerting",
    state: r.state(),
    duration: r.holdDurationMs / 1000,
    keepFiringFor: r.keepFiringForMs / 1000,
    annotations: pairsToLabels(r.annotations),
    alerts: r.activeAlerts().map(alertInfo),
  };
}

/** One group as the API shows it. */
export function groupInfo(g: Group): RuleGroupInfo {
  return {
    name: g.name,
    file: g.file,
    rules: g.rules.map(ruleInfo),
    interval: g.intervalMs / 1000,
    limit: g.limit,
    evaluationTime: g.evaluationTimeMs / 1000,
    lastEvaluation: dateOf(g.lastEvaluation),
  };
}
