/**
 * Writes metric families in the Prometheus text format (0.0.4) or
 * OpenMetrics 1.0, byte for byte as upstream's `expfmt` encoders do for the
 * same data (prometheus/common `text_create.go`, `openmetrics_create.go`).
 *
 * Names, labels and samples are written as given, in the given order: the
 * writer does not regroup, sort, add `_total`/`+Inf` buckets or drop
 * anything a parser produced, so parse → write → parse is the identity for
 * everything the target format can carry. What a format cannot carry:
 *
 * - Prometheus text: no `# UNIT` and no exemplars (both dropped, as upstream
 *   has no syntax for them); OpenMetrics-only types are written as the
 *   Python client (OpenMetrics' reference implementation) writes them:
 *   `info` and `stateset` as `gauge`, `gaugehistogram` as `histogram`,
 *   `unknown` as `untyped`. Timestamps are integer milliseconds.
 * - OpenMetrics: timestamps are seconds (`ms / 1000` as an OpenMetrics
 *   float); the body ends with `# EOF`.
 *
 * Like expfmt's OpenMetrics writer, a counter family in the classic shape
 * (a sample named exactly like the family) gets OpenMetrics metadata: the
 * `_total` suffix is dropped from the `# HELP`/`# TYPE`/`# UNIT` name, and a
 * counter without `_total` is typed `unknown`. Histogram/summary counts
 * (`_bucket`, `_count`, `_gcount`) that are non-negative integers are written
 * as integers (`17`, not `17.0`), as expfmt's `writeUint` does.
 */

import type { Labels } from "../model/labels/labels.ts";
import {
  type EscapingScheme,
  escapeHelp,
  escapeLabelValue,
  escapeName,
  formatFloat,
  formatInt,
  formatOpenMetricsFloat,
  isLegacyMetricName,
  quoteLabelName,
  quoteMetricName,
} from "./escape.ts";
import type { Exemplar, Format, MetricFamily, MetricType, Sample } from "./types.ts";

/** Options of `writeFamilies`. */
export interface WriteOptions {
  /**
   * How names that are not legacy-valid are written: `allow-utf-8` (the
   * default) quotes them (`{"my.metric","a.b"="v"}`); the other schemes
   * rewrite them as upstream's `model.EscapeName`. Use the scheme `negotiate`
   * returned so the body matches the Content-Type's `escaping=`.
   */
  readonly escaping?: EscapingScheme;
}

/** The OpenMetrics terminator line. */
export const OPENMETRICS_EOF = "# EOF\n";

const TEXT_TYPE: Readonly<Record<MetricType, string>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  gaugehistogram: "histogram",
  summary: "summary",
  info: "gauge",
  stateset: "gauge",
  unknown: "untyped",
};

/** Largest integer (exclusive) written by `writeUint` upstream. */
const TWO_POW_64 = 2 ** 64;

/**
 * Writes `families` in `format`. The OpenMetrics body ends with `# EOF\n`;
 * the Prometheus text body has no terminator (empty input gives `""`).
 */
export function writeFamilies(
  families: readonly MetricFamily[],
  format: Format,
  options: WriteOptions = {},
): string {
  let out = "";
  for (const family of families) out += writeFamily(family, format, options);
  return format === "openmetrics" ? out + OPENMETRICS_EOF : out;
}

/**
 * Writes one family (metadata lines, then one line per sample), without the
 * OpenMetrics `# EOF` line, for callers that stream families one by one.
 */
export function writeFamily(family: MetricFamily, format: Format, options: WriteOptions = {}): string {
  const scheme = options.escaping ?? "allow-utf-8";
  return format === "openmetrics" ? writeOpenMetricsFamily(family, scheme) : writeTextFamily(family, scheme);
}

function writeTextFamily(family: MetricFamily, scheme: EscapingScheme): string {
  const name = quoteMetricName(escapeName(family.name, scheme));
  let out = "";
  if (family.help !== undefined) out += `# HELP ${name} ${escapeHelp(family.help, "prometheus-text")}\n`;
  out += `# TYPE ${name} ${TEXT_TYPE[family.type]}\n`;
  for (const s of family.samples) {
    out += `${series(sampleName(s.name, family.name, scheme), s.labels, scheme)} ${formatFloat(s.value)}`;
    out += s.timestampMs === undefined ? "\n" : ` ${formatInt(s.timestampMs)}\n`;
  }
  return out;
}

function writeOpenMetricsFamily(family: MetricFamily, scheme: EscapingScheme): string {
  let metaName = family.name;
  let type: MetricType = family.type;
  if (type === "counter" && family.samples.some((s) => s.name === family.name)) {
    if (metaName.endsWith("_total")) metaName = metaName.slice(0, -"_total".length);
    else type = "unknown";
  }
  const name = quoteMetricName(escapeName(metaName, scheme));
  let out = "";
  if (family.help !== undefined) out += `# HELP ${name} ${escapeHelp(family.help, "openmetrics")}\n`;
  out += `# TYPE ${name} ${type}\n`;
  if (family.unit !== undefined) out += `# UNIT ${name} ${escapeHelp(family.unit, "openmetrics")}\n`;
  const counts = integerSampleNames(family);
  for (const s of family.samples) out += openMetricsSample(s, family.name, counts, scheme);
  return out;
}

function openMetricsSample(
  s: Sample,
  familyName: string,
  counts: readonly string[],
  scheme: EscapingScheme,
): string {
  const v = s.value;
  const isCount = counts.includes(s.name) && Number.isInteger(v) && v >= 0 && v < TWO_POW_64;
  let out = `${series(sampleName(s.name, familyName, scheme), s.labels, scheme)} `;
  out += isCount ? formatInt(v) : formatOpenMetricsFloat(v);
  if (s.timestampMs !== undefined) out += ` ${formatOpenMetricsFloat(secondsFor(s.timestampMs))}`;
  if (s.exemplar !== undefined) out += exemplar(s.exemplar, scheme);
  return `${out}\n`;
}

/** ` # {labels} value [timestamp]`; the braces are written even when empty, as the grammar requires. */
function exemplar(e: Exemplar, scheme: EscapingScheme): string {
  let out = ` # {${labelPairs(e.labels, scheme)}} ${formatOpenMetricsFloat(e.value)}`;
  if (e.timestampMs !== undefined) out += ` ${formatOpenMetricsFloat(secondsFor(e.timestampMs))}`;
  return out;
}

/** Sample names whose integral values OpenMetrics writes as integers. */
function integerSampleNames(family: MetricFamily): readonly string[] {
  const n = family.name;
  switch (family.type) {
    case "histogram":
      return [`${n}_bucket`, `${n}_count`];
    case "gaugehistogram":
      return [`${n}_bucket`, `${n}_gcount`];
    case "summary":
      return [`${n}_count`];
    default:
      return [];
  }
}

/**
 * The escaped sample name. Upstream escapes the family name and appends the
 * suffix (`_bucket`, …), so under `dots`/`values` the suffix's `_` stays
 * single; the same is done here when the sample name extends the family name.
 */
function sampleName(name: string, familyName: string, scheme: EscapingScheme): string {
  if (scheme === "allow-utf-8" || isLegacyMetricName(name)) return name;
  if (name.startsWith(familyName) && isLegacyMetricName(`_${name.slice(familyName.length)}`)) {
    return escapeName(familyName, scheme) + name.slice(familyName.length);
  }
  return escapeName(name, scheme);
}

/** `name{labels}`, or `{"name",labels}` when the name is not legacy-valid. */
function series(name: string, labels: Labels, scheme: EscapingScheme): string {
  const pairs = labelPairs(labels, scheme);
  if (!isLegacyMetricName(name)) return `{${quoteMetricName(name)}${pairs === "" ? "" : ","}${pairs}}`;
  return pairs === "" ? name : `${name}{${pairs}}`;
}

/** `a="1",b="2"` (no braces). */
function labelPairs(labels: Labels, scheme: EscapingScheme): string {
  let out = "";
  for (let i = 0; i < labels.size; i++) {
    if (i > 0) out += ",";
    out += `${quoteLabelName(escapeName(labels.nameAt(i), scheme, true))}="${escapeLabelValue(labels.valueAt(i))}"`;
  }
  return out;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * Seconds to write for an integer millisecond timestamp so that a reader
 * doing Go's `int64(seconds * 1000)` (Prometheus' OpenMetrics parser
 * truncates) gets `ms` back: `ms / 1000` itself, or the next double away from
 * zero when the product falls just short (1001 ms: 1.001 * 1000 = 1000.9999…).
 */
export function secondsFor(ms: number): number {
  let s = ms / 1000;
  for (let k = 0; k < 4 && Math.trunc(s * 1000) !== ms; k++) {
    f64[0] = s;
    u64[0] += 1n; // one ulp away from zero, whatever the sign
    s = f64[0];
  }
  return s;
}
