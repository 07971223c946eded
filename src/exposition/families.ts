import { newParser } from "./newparser.ts";
import { Entry, ParseError, type Parser, type ParserLimits } from "./parser.ts";
import type { Exemplar, Format, MetricFamily, MetricType, Sample } from "./types.ts";
import { OpenMetricsValidator } from "./validate/openmetrics.ts";
import { TextValidator } from "./validate/text.ts";

/**
 * How strictly to read an exposition:
 * - `scrape`: what the Prometheus 3.5 scraper accepts (an empty body is an
 *   empty scrape, semantic rules of OpenMetrics are not enforced);
 * - `strict`: the specification — the OpenMetrics 1.0 rules, and for the
 *   classic format the rules of the reference Go parser (`expfmt`).
 */
export type ParseMode = "scrape" | "strict";

export interface ParseFamiliesOptions extends ParserLimits {
  readonly mode?: ParseMode;
}

/** Events a strict validator sees, in exposition order. */
export interface ExpositionValidator {
  metadata(p: Parser, kind: "type" | "help" | "unit", name: string): void;
  sample(p: Parser, sample: Sample): void;
  end(): void;
}

/** Sample-name suffixes each type's family may carry ("" is the bare name). */
const SUFFIXES: Record<Format, Partial<Record<MetricType, readonly string[]>>> = {
  openmetrics: {
    counter: ["_total", "_created"],
    histogram: ["_bucket", "_count", "_sum", "_created"],
    gaugehistogram: ["_bucket", "_gcount", "_gsum"],
    summary: ["", "_count", "_sum", "_created"],
    info: ["_info"],
  },
  "prometheus-text": {
    histogram: ["_bucket", "_count", "_sum"],
    summary: ["", "_count", "_sum"],
  },
};

/** Whether a sample named `sample` belongs to family `family` of type `type`. */
export function belongsToFamily(format: Format, family: string, type: MetricType, sample: string): boolean {
  const suffixes = SUFFIXES[format][type] ?? [""];
  for (const s of suffixes) {
    if (sample.length === family.length + s.length && sample.startsWith(family) && sample.endsWith(s))
      return true;
  }
  return false;
}

interface MutableFamily {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  samples: Sample[];
  /** Whether TYPE/HELP/UNIT declared it (else inferred from a sample name). */
  declared: boolean;
}

/**
 * Parses a whole exposition into metric families, in order of first
 * appearance. Samples of a family that appear apart are gathered into it, as
 * the reference Go parser does. Throws `ParseError` only.
 */
export function parseFamilies(
  body: Uint8Array,
  format: Format,
  opts: ParseFamiliesOptions = {},
): MetricFamily[] {
  const mode = opts.mode ?? "scrape";
  if (mode === "scrape" && body.length === 0) return [];
  const p = newParser(body, format, {
    ...opts,
    expfmt: mode === "strict",
    strict: mode === "strict",
    normalizeFloatLabels: mode !== "strict",
  });
  const validator: ExpositionValidator | undefined =
    mode === "strict"
      ? format === "openmetrics"
        ? new OpenMetricsValidator()
        : new TextValidator(body)
      : undefined;
  const byName = new Map<string, MutableFamily>();
  const out: MutableFamily[] = [];
  let current: MutableFamily | undefined;

  const familyFor = (name: string, declared: boolean): MutableFamily => {
    let f = byName.get(name);
    if (f === undefined) {
      f = { name, type: "unknown", samples: [], declared };
      byName.set(name, f);
      out.push(f);
    }
    f.declared ||= declared;
    return f;
  };

  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    switch (e) {
      case Entry.Type:
      case Entry.Help:
      case Entry.Unit: {
        const name = p.familyName();
        const kind = e === Entry.Type ? "type" : e === Entry.Help ? "help" : "unit";
        validator?.metadata(p, kind, name);
        current = familyFor(name, true);
        if (kind === "type") current.type = p.type;
        else if (kind === "help") current.help = p.text();
        else current.unit = p.text();
        break;
      }
      case Entry.Series: {
        const sample = readSample(p);
        validator?.sample(p, sample);
        if (current === undefined || !belongsToFamily(format, current.name, current.type, sample.name)) {
          current = findFamily(format, byName, sample.name) ?? familyFor(sample.name, false);
        }
        current.samples.push(sample);
        break;
      }
      case Entry.Comment:
        break;
    }
  }
  validator?.end();
  return out.map(freeze);
}

/** A declared family elsewhere in the exposition that this sample name belongs to. */
function findFamily(
  format: Format,
  byName: Map<string, MutableFamily>,
  sample: string,
): MutableFamily | undefined {
  const exact = byName.get(sample);
  if (exact !== undefined && belongsToFamily(format, exact.name, exact.type, sample)) return exact;
  const us = sample.lastIndexOf("_");
  if (us <= 0) return undefined;
  const base = byName.get(sample.slice(0, us));
  if (base !== undefined && belongsToFamily(format, base.name, base.type, sample)) return base;
  return undefined;
}

/** The current series entry of `p` as a Sample. */
export function readSample(p: Parser): Sample {
  // labels() refuses duplicate label names, as the scraper does.
  const all = p.labels();
  const name = all.metricName();
  const labels = all.withoutName();
  let exemplar: Exemplar | undefined;
  if (p.hasExemplar()) {
    exemplar =
      p.exemplarTimestampMs === undefined
        ? { labels: p.exemplarLabels(), value: p.exemplarValue }
        : { labels: p.exemplarLabels(), value: p.exemplarValue, timestampMs: p.exemplarTimestampMs };
  }
  const base: Sample =
    p.timestampMs === undefined
      ? { name, labels, value: p.value }
      : { name, labels, value: p.value, timestampMs: p.timestampMs };
  return exemplar === undefined ? base : { ...base, exemplar };
}

function freeze(f: MutableFamily): MetricFamily {
  const fam: { -readonly [K in keyof MetricFamily]: MetricFamily[K] } = {
    name: f.name,
    type: f.type,
    samples: f.samples,
  };
  if (f.help !== undefined) fam.help = f.help;
  if (f.unit !== undefined) fam.unit = f.unit;
  return fam;
}

/** Builds a ParseError positioned at the parser's current entry. */
export function entryError(p: Parser, detail: string): ParseError {
  return new ParseError(p.currentLine(), 1, detail);
}
