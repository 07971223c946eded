/**
 * Warnings and infos a query returns beside its result, with upstream's texts
 * (`util/annotations`): the API and the test scripts compare them verbatim.
 * Each is deduplicated by its text; the API form appends the position of the
 * expression that caused it, `(line:col)`.
 */
import { formatGoFloat } from "../cli/tsdb/format.ts";
import { goQuote } from "../model/labels/strings.ts";
import type { PosRange } from "./parser/ast.ts";

export type AnnotationKind = "warning" | "info";

export interface Annotation {
  kind: AnnotationKind;
  /** The message without position, e.g. `PromQL info: metric might not be a counter, …`. */
  text: string;
  pos: PosRange | null;
}

const WARN = "PromQL warning";
const INFO = "PromQL info";

/** Prometheus 3.5.3 names the metric even when it is empty (`for metric name ""`). */
function withName(base: string, metricName: string): string {
  return `${base} for metric name ${goQuote(metricName)}`;
}

/** Constructors for every annotation upstream's engine emits on float data. */
export const annotations = {
  invalidQuantile: (q: number, pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: `${WARN}: quantile value should be between 0 and 1, got ${formatGoFloat(q)}`,
    pos,
  }),
  invalidRatio: (q: number, to: number, pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: `${WARN}: ratio value should be between -1 and 1, got ${formatGoFloat(q)}, capping to ${formatGoFloat(to)}`,
    pos,
  }),
  rangeTooShort: (pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: `${WARN}: range too short; does not contain enough samples to extrapolate rate`,
    pos,
  }),
  badBucketLabel: (metricName: string, label: string, pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: withName(
      `${WARN}: bucket label "le" is missing or has a malformed value of ${goQuote(label)}`,
      metricName,
    ),
    pos,
  }),
  mixedFloatsHistograms: (metricName: string, pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: `${WARN}: encountered a mix of histograms and floats for metric name ${goQuote(metricName)}`,
    pos,
  }),
  mixedFloatsHistogramsAgg: (pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: `${WARN}: encountered a mix of histograms and floats for aggregation`,
    pos,
  }),
  mixedClassicNativeHistograms: (metricName: string, pos: PosRange | null): Annotation => ({
    kind: "warning",
    text: withName(`${WARN}: vector contains a mix of classic and native histograms`, metricName),
    pos,
  }),
  possibleNonCounter: (metricName: string, pos: PosRange | null): Annotation => ({
    kind: "info",
    text: `${INFO}: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`,
    pos,
  }),
  possibleNonCounterLabel: (metricName: string, typeLabel: string, pos: PosRange | null): Annotation => ({
    kind: "info",
    text: `${INFO}: metric might not be a counter, __type__ label is not set to "counter" or "histogram", got ${goQuote(typeLabel)}: ${goQuote(metricName)}`,
    pos,
  }),
  histogramQuantileForcedMonotonicity: (metricName: string, pos: PosRange | null): Annotation => ({
    kind: "info",
    text: withName(
      `${INFO}: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)`,
      metricName,
    ),
    pos,
  }),
  incompatibleTypesInBinOp: (
    lhsType: string,
    op: string,
    rhsType: string,
    pos: PosRange | null,
  ): Annotation => ({
    kind: "info",
    text: `${INFO}: incompatible sample types encountered for binary operator ${goQuote(op)}: ${lhsType} ${op} ${rhsType}`,
    pos,
  }),
  histogramIgnoredInAggregation: (aggregation: string, pos: PosRange | null): Annotation => ({
    kind: "info",
    text: `${INFO}: ignored histogram in ${aggregation} aggregation`,
    pos,
  }),
  histogramIgnoredInMixedRange: (metricName: string, pos: PosRange | null): Annotation => ({
    kind: "info",
    text: `${INFO}: ignored histograms in a range containing both floats and histograms for metric name ${goQuote(metricName)}`,
    pos,
  }),
};

/** The annotations of one query, deduplicated by text, in the order first raised. */
export class Annotations {
  readonly #byText = new Map<string, Annotation>();

  add(a: Annotation): void {
    if (!this.#byText.has(a.text)) this.#byText.set(a.text, a);
  }

  merge(other: Annotations): void {
    for (const a of other.all()) this.add(a);
  }

  all(): Annotation[] {
    return [...this.#byText.values()];
  }

  get size(): number {
    return this.#byText.size;
  }

  /** Texts of one kind; with `query`, each gets upstream's ` (line:col)` suffix. */
  strings(kind: AnnotationKind, query?: string): string[] {
    const out: string[] = [];
    for (const a of this.#byText.values()) {
      if (a.kind !== kind) continue;
      out.push(
        query !== undefined && a.pos !== null ? `${a.text} (${positionOf(query, a.pos.start)})` : a.text,
      );
    }
    return out;
  }
}

/**
 * `line:col` (1-based) of position `at` (a UTF-16 index, as in `PosRange`) in
 * `query`; the column counts UTF-8 bytes, as upstream's does.
 */
export function positionOf(query: string, at: number): string {
  const before = query.slice(0, at);
  const nl = before.lastIndexOf("\n");
  let line = 1;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) line++;
  const col = Buffer.byteLength(before.slice(nl + 1), "utf8") + 1;
  return `${line}:${col}`;
}
