import type { Labels } from "../../model/labels/labels.ts";
import { type ExpositionValidator, entryError } from "../families.ts";
import { ParseError, type Parser } from "../parser.ts";
import type { MetricType, Sample } from "../types.ts";

/** Sample-name suffixes per OpenMetrics type; "" is the bare family name. */
const OM_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ["_total", "_created"],
  gauge: [""],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
  summary: ["", "_count", "_sum", "_created"],
  info: ["_info"],
  stateset: [""],
  unknown: [""],
};

/** OpenMetrics `realnumber`, or the exact spellings of the special values. */
const OM_NUMBER = /^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]Inf|NaN)$/;
const MAX_EXEMPLAR_RUNES = 128;

interface Family {
  readonly name: string;
  type: MetricType;
  hasType: boolean;
  hasHelp: boolean;
  hasUnit: boolean;
  unit: string;
  hasSamples: boolean;
  /** Keys of the metric points (label sets) seen, to refuse interleaving. */
  readonly points: Set<string>;
  point: Point | undefined;
}

/** One MetricPoint: the samples of one label set (le/quantile/state aside). */
interface Point {
  readonly key: string;
  buckets: number; // count of _bucket samples
  lastLe: number;
  lastBucket: number;
  infBucket: number | undefined;
  negativeBucket: boolean;
  count: number | undefined;
  sum: number | undefined;
  /** Per series (sample name + all labels): last timestamp, or null when none. */
  readonly series: Map<string, number | null>;
}

/**
 * The semantic rules of OpenMetrics 1.0 that the Prometheus scraper does not
 * enforce: family grouping and name clashes, metadata placement, per-type
 * sample names, labels and values, histogram consistency, exemplar placement
 * and size, and timestamp order. Errors name the line.
 */
export class OpenMetricsValidator implements ExpositionValidator {
  private fam: Family | undefined;
  private readonly seen = new Set<string>();
  /** Sample names a family owns (`a_total` for counter `a`) → that family. */
  private readonly claimed = new Map<string, string>();
  private p: Parser | undefined;

  metadata(p: Parser, kind: "type" | "help" | "unit", name: string): void {
    this.p = p;
    let f = this.fam;
    if (f === undefined || f.name !== name) f = this.open(name);
    else if (f.hasSamples) this.fail(`${kind.toUpperCase()} for metric family "${name}" after its samples`);
    if (kind === "type") {
      if (f.hasType) this.fail(`second TYPE line for metric family "${name}"`);
      f.hasType = true;
      f.type = p.type;
      for (const s of OM_SUFFIXES[f.type]) this.claim(name + s, name);
    } else if (kind === "help") {
      if (f.hasHelp) this.fail(`second HELP line for metric family "${name}"`);
      f.hasHelp = true;
    } else {
      if (f.hasUnit) this.fail(`second UNIT line for metric family "${name}"`);
      f.hasUnit = true;
      f.unit = p.text();
    }
    if (f.unit !== "" && (f.type === "info" || f.type === "stateset")) {
      this.fail(`metric family "${name}" of type ${f.type} cannot have a unit`);
    }
  }

  sample(p: Parser, s: Sample): void {
    this.p = p;
    let f = this.fam;
    if (f === undefined || !OM_SUFFIXES[f.type].some((x) => s.name === f!.name + x)) {
      f = this.open(s.name);
    }
    f.hasSamples = true;
    const suffix = s.name.slice(f.name.length);
    this.checkSample(f, suffix, s);
    this.track(f, suffix, s);
  }

  end(): void {
    this.close();
  }

  private open(name: string): Family {
    this.close();
    if (this.seen.has(name)) this.fail(`metric family "${name}" appears again after other families`);
    const owner = this.claimed.get(name);
    if (owner !== undefined && owner !== name)
      this.fail(`metric name "${name}" clashes with metric family "${owner}"`);
    this.seen.add(name);
    this.claim(name, name);
    const f: Family = {
      name,
      type: "unknown",
      hasType: false,
      hasHelp: false,
      hasUnit: false,
      unit: "",
      hasSamples: false,
      points: new Set(),
      point: undefined,
    };
    this.fam = f;
    return f;
  }

  private claim(sampleName: string, family: string): void {
    const owner = this.claimed.get(sampleName);
    if (owner !== undefined && owner !== family) {
      this.fail(`metric name "${sampleName}" clashes with metric family "${owner}"`);
    }
    this.claimed.set(sampleName, family);
  }

  private checkSample(f: Family, suffix: string, s: Sample): void {
    const v = s.value;
    const counterLike = (what: string) => {
      if (Number.isNaN(v) || v < 0)
        this.fail(`${what} of "${f.name}" must be a non-negative number, got ${v}`);
    };
    switch (f.type) {
      case "counter":
        if (suffix === "_total") counterLike("counter value");
        break;
      case "histogram":
      case "gaugehistogram":
        if (suffix === "_bucket") {
          const le = s.labels.get("le");
          if (!s.labels.has("le") || !OM_NUMBER.test(le))
            this.fail(`bucket of "${f.name}" needs a numeric "le" label`);
          counterLike("bucket value");
        } else if (suffix === "_count" || suffix === "_gcount") counterLike("count");
        else if (suffix === "_sum" && Number.isNaN(v)) this.fail(`sum of "${f.name}" must not be NaN`);
        else if (suffix === "_gsum" && Number.isNaN(v)) this.fail(`sum of "${f.name}" must not be NaN`);
        break;
      case "summary":
        if (suffix === "") {
          const q = s.labels.get("quantile");
          const qv = Number(q);
          if (!s.labels.has("quantile") || !OM_NUMBER.test(q) || !(qv >= 0 && qv <= 1)) {
            this.fail(`quantile sample of "${f.name}" needs a "quantile" label between 0 and 1`);
          }
          if (v < 0) this.fail(`quantile value of "${f.name}" must not be negative`);
        } else if (suffix === "_count" || suffix === "_sum") counterLike(suffix.slice(1));
        break;
      case "info":
        if (v !== 1) this.fail(`info metric "${f.name}" must have the value 1, got ${v}`);
        break;
      case "stateset":
        if (!s.labels.has(f.name)) this.fail(`stateset "${f.name}" sample needs a "${f.name}" label`);
        if (v !== 0 && v !== 1) this.fail(`stateset "${f.name}" value must be 0 or 1, got ${v}`);
        break;
    }
    if (s.exemplar !== undefined) {
      const allowed =
        (f.type === "counter" && suffix === "_total") ||
        ((f.type === "histogram" || f.type === "gaugehistogram") && suffix === "_bucket");
      if (!allowed) this.fail(`exemplar not allowed on "${s.name}" of type ${f.type}`);
      if (runes(s.exemplar.labels) > MAX_EXEMPLAR_RUNES) {
        this.fail(`exemplar labels of "${s.name}" exceed ${MAX_EXEMPLAR_RUNES} characters`);
      }
    }
  }

  /** Metric-point grouping, timestamps and histogram consistency. */
  private track(f: Family, suffix: string, s: Sample): void {
    const ignore = f.type === "stateset" ? f.name : f.type === "summary" ? "quantile" : "le";
    const key = pointKey(s.labels, ignore);
    let pt = f.point;
    if (pt === undefined || pt.key !== key) {
      this.closePoint(f);
      if (f.points.has(key)) this.fail(`samples of "${f.name}" with labels ${key} are not grouped together`);
      f.points.add(key);
      pt = {
        key,
        buckets: 0,
        lastLe: Number.NEGATIVE_INFINITY,
        lastBucket: 0,
        infBucket: undefined,
        negativeBucket: false,
        count: undefined,
        sum: undefined,
        series: new Map(),
      };
      f.point = pt;
    }
    const seriesKey = `${s.name}${s.labels.toString()}`;
    const ts = s.timestampMs ?? null;
    if (pt.series.has(seriesKey)) {
      const last = pt.series.get(seriesKey)!;
      if ((last === null) !== (ts === null))
        this.fail(`"${s.name}" mixes samples with and without timestamps`);
      if (last !== null && ts !== null && ts < last) this.fail(`timestamps of "${s.name}" go backwards`);
    }
    pt.series.set(seriesKey, ts);
    if (f.type !== "histogram" && f.type !== "gaugehistogram") return;
    if (suffix === "_bucket") {
      const le = Number(
        s.labels
          .get("le")
          .replace(/^\+?Inf$/, "Infinity")
          .replace(/^-Inf$/, "-Infinity"),
      );
      if (!(le > pt.lastLe)) this.fail(`buckets of "${f.name}" are not in increasing "le" order`);
      if (pt.buckets > 0 && s.value < pt.lastBucket) this.fail(`bucket values of "${f.name}" decrease`);
      pt.lastLe = le;
      pt.lastBucket = s.value;
      pt.buckets++;
      if (le < 0) pt.negativeBucket = true;
      if (le === Number.POSITIVE_INFINITY) pt.infBucket = s.value;
    } else if (suffix === "_count" || suffix === "_gcount") pt.count = s.value;
    else if (suffix === "_sum" || suffix === "_gsum") pt.sum = s.value;
  }

  private closePoint(f: Family): void {
    const pt = f.point;
    f.point = undefined;
    if (pt === undefined || (f.type !== "histogram" && f.type !== "gaugehistogram")) return;
    if (pt.infBucket === undefined) this.fail(`histogram "${f.name}" has no "+Inf" bucket`);
    if ((pt.count === undefined) !== (pt.sum === undefined)) {
      this.fail(`histogram "${f.name}" must have both or neither of its count and sum`);
    }
    if (pt.count !== undefined && pt.count !== pt.infBucket) {
      this.fail(`count of histogram "${f.name}" differs from its "+Inf" bucket`);
    }
    if (pt.sum !== undefined) {
      if (f.type === "histogram" && pt.negativeBucket)
        this.fail(`histogram "${f.name}" with negative buckets has a sum`);
      if (pt.sum < 0 && !pt.negativeBucket)
        this.fail(`sum of "${f.name}" is negative without negative buckets`);
    }
  }

  private close(): void {
    if (this.fam !== undefined) this.closePoint(this.fam);
  }

  private fail(detail: string): never {
    throw this.p === undefined ? new ParseError(1, 1, detail) : entryError(this.p, detail);
  }
}

function pointKey(labels: Labels, ignore: string): string {
  if (!labels.has(ignore)) return labels.toString();
  return labels.without(ignore).toString();
}

function runes(labels: Labels): number {
  let n = 0;
  labels.forEach((name, value) => {
    for (const _ of name) n++;
    for (const _ of value) n++;
  });
  return n;
}
