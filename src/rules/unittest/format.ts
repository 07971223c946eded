/**
 * The texts promtool's rule unit tests print: Go's `time.Duration` and
 * `strconv.FormatFloat(v, 'E', -1, 64)`, the indented alert lists and the
 * sample lists of a failed comparison.
 */
import { type LabelPairs, pairsString } from "../pairs.ts";

/** Go's `time.Duration.String()` of whole milliseconds: `0s`, `500ms`, `1m0s`, `1h2m3.5s`, `-1m0s`. */
export function goTimeDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 0) return `-${goTimeDuration(-ms)}`;
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  let out = "";
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  return `${out}${s}s`;
}

/** Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `3.75E-01`, `2E+00`, `NaN`, `+Inf`. */
export function formatFloatUpperE(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const [mantissa, exp = "+0"] = v.toExponential().split("e");
  const sign = exp[0] === "-" ? "-" : "+";
  const digits = exp.replace(/^[+-]/, "").padStart(2, "0");
  return `${Object.is(v, -0) ? "-" : ""}${mantissa}E${sign}${digits}`;
}

/** Upstream's `indentLines`: `indent` in front of every line but the first. */
export function indentLines(lines: string, indent: string): string {
  return lines.split("\n").join(`\n${indent}`);
}

/** An alert's labels and annotations, as compared by alert tests. */
export interface LabelsAndAnnotations {
  readonly labels: LabelPairs;
  readonly annotations: LabelPairs;
}

function alertString(a: LabelsAndAnnotations): string {
  return `Labels:${pairsString(a.labels)}\nAnnotations:${pairsString(a.annotations)}`;
}

/** Upstream's `labelsAndAnnotations.String()`. */
export function alertsString(list: readonly LabelsAndAnnotations[]): string {
  if (list.length === 0) return "[]";
  const items = list.map((a, i) => `${i}:${indentLines(`\n${alertString(a)}`, "  ")}`);
  return `[\n${items.join(",\n")}\n]`;
}

/** A sample of a PromQL expression test. */
export interface ParsedSample {
  readonly labels: LabelPairs;
  readonly value: number;
}

/** Upstream's `parsedSamplesString`: `nil` or `{…} 1E+00, {…} 2E+00`. */
export function samplesString(list: readonly ParsedSample[]): string {
  if (list.length === 0) return "nil";
  return list.map((s) => `${pairsString(s.labels)} ${formatFloatUpperE(s.value)}`).join(", ");
}
