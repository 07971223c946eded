/**
 * `alert_rule_test`: the firing alerts of the named alerting rules (across
 * all groups) against the expected ones, compared as sorted lists of labels
 * and annotations, reported in promtool's `exp:`/`got:` layout.
 */
import { formatDuration } from "../../config/units.ts";
import type { AlertingRule } from "../alerting.ts";
import { comparePairs, pairsFromMaps, pairsOf } from "../pairs.ts";
import type { AlertTestCase, TestGroup } from "./file.ts";
import { alertsString, indentLines, type LabelsAndAnnotations } from "./format.ts";

function compareAlerts(a: LabelsAndAnnotations, b: LabelsAndAnnotations): number {
  return comparePairs(a.labels, b.labels) || comparePairs(a.annotations, b.annotations);
}

function sameAlerts(a: readonly LabelsAndAnnotations[], b: readonly LabelsAndAnnotations[]): boolean {
  return a.length === b.length && a.every((x, i) => compareAlerts(x, b[i]!) === 0);
}

/** The firing alerts per alert name, for the names the test cases ask about. */
function gotAlerts(
  rules: readonly AlertingRule[],
  names: ReadonlySet<string>,
): Map<string, LabelsAndAnnotations[]> {
  const got = new Map<string, LabelsAndAnnotations[]>();
  for (const r of rules) {
    if (!names.has(r.name)) continue;
    const list = got.get(r.name) ?? [];
    for (const a of r.activeAlerts()) {
      if (a.state === "firing") list.push({ labels: pairsOf(a.labels), annotations: a.annotations });
    }
    got.set(r.name, list);
  }
  return got;
}

/** Checks the test cases of one `eval_time` against the rules' current alerts. */
export function checkAlerts(
  tg: TestGroup,
  cases: readonly AlertTestCase[],
  rules: readonly AlertingRule[],
): string[] {
  const got = gotAlerts(rules, new Set(cases.map((c) => c.alertname)));
  const errs: string[] = [];
  for (const c of cases) {
    const have = [...(got.get(c.alertname) ?? [])].sort(compareAlerts);
    const want = c.exp_alerts
      .map((a) => ({
        labels: pairsFromMaps(a.exp_labels, { alertname: c.alertname }),
        annotations: pairsFromMaps(a.exp_annotations),
      }))
      .sort(compareAlerts);
    if (sameAlerts(want, have)) continue;
    const name = tg.name !== "" ? `    name: ${tg.name},\n` : "";
    const exp = indentLines(alertsString(want), "            ");
    const gotText = indentLines(alertsString(have), "            ");
    errs.push(
      `${name}    alertname: ${c.alertname}, time: ${formatDuration(c.eval_time)}, \n        exp:${exp}, \n        got:${gotText}`,
    );
  }
  return errs;
}
