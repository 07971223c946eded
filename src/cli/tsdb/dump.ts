/**
 * `vigil tsdb dump` and `dump-openmetrics`: every sample of the series
 * matching the selectors in a time range, from the blocks and the WAL, one
 * line each, as promtool prints them.
 */
import type { Labels } from "../../model/labels/labels.ts";
import type { Matcher } from "../../model/labels/matcher.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { emptySeriesSet, type SeriesSet, ValueType } from "../../storage/interface.ts";
import { MergeSeriesSet } from "../../tsdb/querier.ts";
import { formatGoFloat } from "./format.ts";
import { ReadOnlyDB } from "./readonly.ts";
import { parseSeriesSelector } from "./selector.ts";

export type DumpFormat = "promtool" | "openmetrics";

export interface DumpOptions {
  /** Inclusive time range, ms. */
  readonly mint: number;
  readonly maxt: number;
  /** Series selectors; a series matching any is dumped. */
  readonly match: readonly string[];
  readonly format: DumpFormat;
}

/** Output is handed over in pieces of about this many characters. */
const FLUSH_CHARS = 1 << 16;

/** Writes the dump of the database in `dir` through `write`. */
export function dumpSamples(dir: string, opts: DumpOptions, write: (text: string) => void): void {
  const db = ReadOnlyDB.open(dir);
  try {
    const q = db.querier(opts.mint, opts.maxt);
    try {
      const sets = opts.match.map(parseSeriesSelector);
      const select = (sorted: boolean, ms: Matcher[]): SeriesSet =>
        // No matcher at all (`{}`) selects nothing, as upstream's postings lookup does.
        ms.length === 0 ? emptySeriesSet : q.select(sorted, undefined, ...ms);
      const ss =
        sets.length > 1
          ? new MergeSeriesSet(sets.map((ms) => select(true, ms)))
          : select(false, sets[0] ?? []);
      writeSeriesSet(ss, opts.format, write);
    } finally {
      q.close();
    }
  } finally {
    db.close();
  }
}

function writeSeriesSet(ss: SeriesSet, format: DumpFormat, write: (text: string) => void): void {
  let buf = "";
  while (ss.next()) {
    const series = ss.at();
    const it = series.iterator();
    let prefix: string;
    let line: (v: number, t: number) => string;
    if (format === "openmetrics") {
      prefix = `${series.labels.metricName()}${condensed(series.labels.withoutName())} `;
      line = (v, t) => `${prefix}${formatGoFloat(v)} ${(t / 1000).toFixed(3)}\n`;
    } else {
      prefix = `${series.labels.toString()} `;
      line = (v, t) => `${prefix}${formatGoFloat(v)} ${t}\n`;
    }
    while (it.next() === ValueType.Float) {
      buf += line(it.atV(), it.atT());
      if (buf.length >= FLUSH_CHARS) {
        write(buf);
        buf = "";
      }
    }
    const err = it.err();
    if (err !== null) throw err;
  }
  const err = ss.err();
  if (err !== null) throw err;
  if (format === "openmetrics") buf += "# EOF\n";
  if (buf !== "") write(buf);
  const warnings = ss.warnings();
  if (warnings.length > 0) throw new Error(warnings.join("\n"));
}

/** Labels as `{a="1",b="2"}`: no spaces, names unquoted (upstream's `CondensedString`). */
function condensed(ls: Labels): string {
  let out = "{";
  ls.forEach((name, value) => {
    if (out.length > 1) out += ",";
    out += `${name}=${goQuote(value)}`;
  });
  return `${out}}`;
}
