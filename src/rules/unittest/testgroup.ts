/**
 * One test group of a rule unit test file (upstream's `testGroup.test`):
 * load the rules, evaluate every group at each evaluation interval from time
 * 0 while the input series arrive, compare firing alerts at each
 * `eval_time`, then run the PromQL expression tests over everything stored.
 * Returns the failures in promtool's words (empty when the group passes).
 */

import { formatDuration } from "../../config/units.ts";
import { nopLogger } from "../../log/log.ts";
import type { AlertingRule } from "../alerting.ts";
import type { Group } from "../group.ts";
import { Manager } from "../manager.ts";
import { engineQueryFunc } from "../rule.ts";
import { checkAlerts } from "./alerts.ts";
import { checkExpressions } from "./expressions.ts";
import type { AlertTestCase, TestGroup } from "./file.ts";
import { goTimeDuration } from "./format.ts";
import { LazyLoader } from "./loader.ts";

/** What a test group runs with. */
export interface TestGroupContext {
  readonly evalIntervalMs: number;
  /** Group name → position in `group_eval_order`. */
  readonly groupOrder: ReadonlyMap<string, number>;
  readonly ruleFiles: readonly string[];
  readonly fuzzyCompare: boolean;
  readonly ignoreUnknownFields: boolean;
  readonly experimentalFunctions: boolean;
}

function maxEvalTime(tg: TestGroup): number {
  let max = 0;
  for (const a of tg.alert_rule_test) max = Math.max(max, a.eval_time);
  for (const p of tg.promql_expr_test) max = Math.max(max, p.eval_time);
  return max;
}

/** Runs one test group; returns its failures. */
export async function runTestGroup(tg: TestGroup, ctx: TestGroupContext): Promise<string[]> {
  let loader: LazyLoader;
  try {
    loader = new LazyLoader(tg.input_series, tg.interval, {
      subqueryIntervalMs: ctx.evalIntervalMs,
      experimentalFunctions: ctx.experimentalFunctions,
    });
  } catch (err) {
    return [(err as Error).message];
  }
  const manager = new Manager({
    engine: loader.engine,
    queryable: loader.queryable,
    appendable: loader.appendable,
    notify: () => {},
    logger: nopLogger,
    queryFunc: engineQueryFunc(loader.engine, loader.queryable),
    experimentalFunctions: ctx.experimentalFunctions,
  });
  const loaded = await manager.loadGroups(tg.interval, tg.external_labels, tg.external_url, ctx.ruleFiles, {
    ignoreUnknownFields: ctx.ignoreUnknownFields,
  });
  if (!loaded.ok) return [...loaded.errors];
  const groups = orderedGroups([...loaded.groups.values()], ctx.groupOrder);
  const alertTests = new Map<number, AlertTestCase[]>();
  for (const a of tg.alert_rule_test) {
    if (a.alertname === "") {
      const where = tg.name !== "" ? ` (in TestGroup ${tg.name})` : "";
      return [
        `an item under alert_rule_test misses required attribute alertname at eval_time ${formatDuration(a.eval_time)}${where}`,
      ];
    }
    alertTests.set(a.eval_time, [...(alertTests.get(a.eval_time) ?? []), a]);
  }
  // Alerting rules write their ALERTS series from the start.
  for (const g of groups) for (const r of g.alertingRules()) r.restored = true;
  const errs = await evaluate(tg, ctx, loader, groups, alertTests);
  if (errs.stop) return errs.list;
  errs.list.push(...(await checkExpressions(tg, loader, ctx.fuzzyCompare)));
  return errs.list;
}

/** Upstream's `orderedGroups`: by position in `group_eval_order` (unlisted groups first), else load order. */
function orderedGroups(groups: Group[], order: ReadonlyMap<string, number>): Group[] {
  return groups
    .map((g, i) => ({ g, i }))
    .sort((a, b) => (order.get(a.g.name) ?? 0) - (order.get(b.g.name) ?? 0) || a.i - b.i)
    .map((x) => x.g);
}

/** The evaluation loop; `stop` is set when a rule failed (upstream ends the test there). */
async function evaluate(
  tg: TestGroup,
  ctx: TestGroupContext,
  loader: LazyLoader,
  groups: readonly Group[],
  alertTests: ReadonlyMap<number, AlertTestCase[]>,
): Promise<{ list: string[]; stop: boolean }> {
  const evalTimes = [...alertTests.keys()].sort((a, b) => a - b);
  let curr = 0;
  const errs: string[] = [];
  const maxt = maxEvalTime(tg);
  for (let ts = 0; ts <= maxt; ts += ctx.evalIntervalMs) {
    const evalErrs: string[] = [];
    let loaded = true;
    try {
      loader.appendTill(ts);
    } catch (err) {
      errs.push((err as Error).message);
      loaded = false;
    }
    if (loaded) {
      for (const g of groups) {
        await g.eval(ts);
        for (const r of g.rules) {
          if (r.lastError !== "") {
            evalErrs.push(`    rule: ${r.name}, time: ${goTimeDuration(ts)}, err: ${r.lastError}`);
          }
        }
      }
    }
    errs.push(...evalErrs);
    if (evalErrs.length > 0) return { list: errs, stop: true };
    while (curr < evalTimes.length && ts <= evalTimes[curr]! && evalTimes[curr]! < ts + ctx.evalIntervalMs) {
      const t = evalTimes[curr]!;
      errs.push(...checkAlerts(tg, alertTests.get(t)!, firingRules(groups)));
      curr++;
    }
  }
  return { list: errs, stop: false };
}

function firingRules(groups: readonly Group[]): AlertingRule[] {
  return groups.flatMap((g) => g.alertingRules());
}
