/**
 * `vigil tsdb analyze`: churn and label cardinality of one block, and with
 * `--extended` the distribution of samples and bytes per chunk, in
 * promtool's layout. Lists are sorted by their number, largest first; equal
 * numbers are ordered by key (promtool leaves their order unspecified).
 */
import type { Labels } from "../../model/labels/labels.ts";
import type { Matcher } from "../../model/labels/matcher.ts";
import { compareUTF8 } from "../../model/labels/strings.ts";
import type { Block } from "../../tsdb/block.ts";
import type { ChunkMeta } from "../../tsdb/blockreader.ts";
import { Encoding } from "../../tsdb/chunkenc/xor.ts";
import { intersect } from "../../tsdb/index/postings.ts";
import { postingsForMatchers } from "../../tsdb/querier.ts";
import { formatDuration } from "./format.ts";
import { ReadOnlyDB } from "./readonly.ts";
import { parseSeriesSelector } from "./selector.ts";

export interface AnalyzeOptions {
  /** How many entries each list shows. */
  readonly limit: number;
  /** Add the chunk statistics. */
  readonly extended: boolean;
  /** A series selector restricting the analysis, as written. */
  readonly match?: string;
}

/** Analyses block `blockID` (default: the newest) of the database in `dir`; returns the report. */
export function analyzeBlock(dir: string, blockID: string | undefined, opts: AnalyzeOptions): string {
  const match = opts.match ?? "";
  const selectors = match !== "" ? parseSeriesSelector(match) : undefined;
  const db = ReadOnlyDB.open(dir);
  try {
    const block = db.block(blockID ?? db.lastBlockID());
    return analyze(block, selectors, match, opts);
  } finally {
    db.close();
  }
}

interface Entry {
  key: string;
  n: number;
}

function analyze(
  block: Block,
  selectors: Matcher[] | undefined,
  match: string,
  opts: AnalyzeOptions,
): string {
  const meta = block.meta;
  const span = meta.maxTime - meta.minTime;
  const out: string[] = [];
  out.push(
    `Block ID: ${meta.ulid}`,
    `Duration: ${formatDuration(span)}`,
    `Total Series: ${meta.stats.numSeries}`,
  );
  if (selectors !== undefined) out.push(`Matcher: ${match}`);

  const ix = block.index();
  // With a selector, names and values come from the matching series only.
  const refs = selectors === undefined ? ix.allPostings() : matching(block, selectors);
  const valuesByName = selectors === undefined ? undefined : labelValuesOf(block, refs);
  const labelNames =
    valuesByName === undefined ? ix.labelNames() : [...valuesByName.keys()].sort(compareUTF8);
  const labelValues = (name: string): string[] =>
    valuesByName === undefined ? ix.labelValues(name) : [...(valuesByName.get(name) ?? [])].sort(compareUTF8);
  out.push(`Label names: ${labelNames.length}`);
  if (selectors !== undefined) out.push(`Matched series: ${refs.length}`);

  const namesUncovered = new Map<string, number>();
  const pairsUncovered = new Map<string, number>();
  const pairsCount = new Map<string, number>();
  let entries = 0;
  const entry: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
  for (const ref of refs) {
    if (!ix.series(ref, entry)) continue;
    const chunks = entry.chunks;
    // How much of the block's time range this series does not cover.
    const covered = chunks.length > 0 ? chunks[chunks.length - 1]!.maxT - chunks[0]!.minT : 0;
    const uncovered = span - covered;
    entry.labels!.forEach((name, value) => {
      const key = `${name}=${value}`;
      namesUncovered.set(name, (namesUncovered.get(name) ?? 0) + uncovered);
      pairsUncovered.set(key, (pairsUncovered.get(key) ?? 0) + uncovered);
      pairsCount.set(key, (pairsCount.get(key) ?? 0) + 1);
      entries++;
    });
  }
  out.push(`Postings (unique label pairs): ${pairsUncovered.size}`);
  out.push(`Postings entries (total label pairs): ${entries}`);

  const perSpan = (m: Map<string, number>): Entry[] =>
    Array.from(m, ([key, n]) => ({ key, n: Math.trunc(n / span) }));
  section(out, "Label pairs most involved in churning:", perSpan(pairsUncovered), opts.limit);
  section(out, "Label names most involved in churning:", perSpan(namesUncovered), opts.limit);
  section(
    out,
    "Most common label pairs:",
    Array.from(pairsCount, ([key, n]) => ({ key, n })),
    opts.limit,
  );
  section(
    out,
    "Label names with highest cumulative label value length:",
    labelNames.map((key) => ({
      key,
      n: labelValues(key).reduce((sum, v) => sum + Buffer.byteLength(v), 0),
    })),
    opts.limit,
  );
  section(
    out,
    "Highest cardinality labels:",
    labelNames.map((key) => ({ key, n: labelValues(key).length })),
    opts.limit,
  );
  section(
    out,
    "Highest cardinality metric names:",
    labelValues("__name__").map((key) => {
      const p = ix.postings("__name__", [key]);
      return { key, n: selectors === undefined ? p.length : intersect([p, refs]).length };
    }),
    opts.limit,
  );
  let text = `${out.join("\n")}\n`;
  if (opts.extended) text += compactionAnalysis(block, refs);
  return text;
}

/** The block's series matching every matcher; none for an empty selector (`{}`), as upstream. */
function matching(block: Block, selectors: Matcher[]): Uint32Array {
  return selectors.length === 0 ? new Uint32Array(0) : postingsForMatchers(block.index(), selectors);
}

/** Label values by name over the series `refs`. */
function labelValuesOf(block: Block, refs: Uint32Array): Map<string, Set<string>> {
  const ix = block.index();
  const out = new Map<string, Set<string>>();
  const entry: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
  for (const ref of refs) {
    if (!ix.series(ref, entry)) continue;
    entry.labels!.forEach((name, value) => {
      let set = out.get(name);
      if (set === undefined) out.set(name, (set = new Set()));
      set.add(value);
    });
  }
  return out;
}

/** A titled list after a blank line: the `limit` largest, as `<n> <key>`. */
function section(out: string[], title: string, list: Entry[], limit: number): void {
  out.push("", title);
  list.sort((a, b) => b.n - a.n || compareUTF8(a.key, b.key));
  for (let i = 0; i < list.length && i < limit; i++) out.push(`${list[i]!.n} ${list[i]!.key}`);
}

/** `--extended`: samples and bytes per chunk, as text histograms. */
function compactionAnalysis(block: Block, refs: Uint32Array): string {
  const ix = block.index();
  const cr = block.chunks();
  const floatSamples: number[] = [];
  const floatBytes: number[] = [];
  const histSamples: number[] = [];
  const histBytes: number[] = [];
  let total = 0;
  const entry: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
  for (const ref of refs) {
    if (!ix.series(ref, entry, true)) continue;
    for (const m of entry.chunks) {
      const c = cr.chunk(m);
      if (c === null) throw new Error(`chunk ${m.ref} of series ${ref} not found`);
      // Every chunk encoding starts with its sample count, big-endian.
      const samples = (c.data[0]! << 8) | c.data[1]!;
      if (c.encoding === Encoding.XOR) {
        floatSamples.push(samples);
        floatBytes.push(c.data.length);
      } else {
        histSamples.push(samples);
        histBytes.push(c.data.length);
      }
      total++;
    }
  }
  let out = "\nCompaction analysis:\n\n";
  out += histogram("samples per float chunk", floatSamples, total);
  out += histogram("bytes per float chunk", floatBytes, total);
  out += histogram("samples per histogram chunk", histSamples, total);
  out += histogram("bytes per histogram chunk", histBytes, total);
  // Vigil stores no native histograms: their bucket counts are never needed.
  out += histogram("buckets per histogram chunk", [], total);
  return out;
}

/** A text histogram of `data` in ten-ish equal buckets; bars are percentages of `total`. */
export function histogram(what: string, data: number[], total: number): string {
  if (data.length === 0) return `${what}: N/A\n\n`;
  data.sort((a, b) => a - b);
  const min = data[0]!;
  const max = data[data.length - 1]!;
  const { start, end, step } = bucketLayout(min, max);
  const buckets = new Array<number>(Math.trunc((end - start) / step) + 1).fill(0);
  let sum = 0;
  let maxCount = 0;
  for (const c of data) {
    sum += c;
    const b = Math.trunc((c - start) / step);
    buckets[b]!++;
    if (buckets[b]! > maxCount) maxCount = buckets[b]!;
  }
  const avg = Math.trunc(sum / data.length);
  let out = `${what} (min/avg/max): ${min}/${avg}/${max}\n`;
  const lw = String(end).length;
  const rw = String(end + step).length;
  const cw = String(maxCount).length;
  buckets.forEach((count, b) => {
    const lo = String(b * step + start + 1).padStart(lw);
    const hi = String((b + 1) * step + start).padStart(rw);
    const bar = "#".repeat(Math.trunc((100 * count) / total));
    out += `[${lo}, ${hi}]: ${String(count).padStart(cw)} ${bar}\n`;
  });
  return `${out}\n`;
}

/** Bucket width a power of ten (at least 10) near a tenth of the range, and aligned bounds. */
function bucketLayout(min: number, max: number): { start: number; end: number; step: number } {
  const tenth = Math.trunc((max - min) / 10);
  let step = 10;
  while (step < tenth && step <= 10000) step *= 10;
  return { start: min - (min % step), end: max - (max % step) + step, step };
}
