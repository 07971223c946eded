import type { Labels } from "../model/labels/labels.ts";

/** The two text formats a Prometheus server scrapes. */
export type Format = "prometheus-text" | "openmetrics";

/**
 * Metric family types. `unknown` is OpenMetrics' name for the classic text
 * format's `untyped`; the writer prints whichever name the target format uses.
 */
export type MetricType =
  | "counter"
  | "gauge"
  | "histogram"
  | "gaugehistogram"
  | "summary"
  | "info"
  | "stateset"
  | "unknown";

/** An exemplar attached to a sample (OpenMetrics only). */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, if the exemplar carried a timestamp. */
  readonly timestampMs?: number;
}

/**
 * One sample line. `name` is the full sample name (`foo_bucket`, `foo_total`,
 * …); `labels` are the labels in braces, without `__name__`.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, if the line carried a timestamp. */
  readonly timestampMs?: number;
  readonly exemplar?: Exemplar;
}

/** A metric family: its metadata and its samples in exposition order. */
export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  /** Unescaped HELP text; undefined when the exposition had no HELP line. */
  readonly help?: string;
  /** OpenMetrics UNIT; undefined when absent. */
  readonly unit?: string;
  readonly samples: readonly Sample[];
}
