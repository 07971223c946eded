/**
 * Queriers over blocks: matchers to postings (upstream's rules for matchers
 * that accept the empty string), series to sample iterators, and the merge of
 * several blocks' results into one sorted set with each series once.
 */
import { Labels } from "../model/labels/labels.ts";
import type { Matcher } from "../model/labels/matcher.ts";
import { compareUTF8 } from "../model/labels/strings.ts";
import type {
  LabelHints,
  Querier,
  SampleIterator,
  SelectHints,
  Series,
  SeriesSet,
} from "../storage/interface.ts";
import type {
  BlockReader,
  ChunkMeta,
  ChunkReader,
  IndexReader,
  SeriesEntry,
  TombstoneReader,
} from "./blockreader.ts";
import { intersect, merge, without } from "./index/postings.ts";
import { ChainIterator, ChunkSeriesIterator } from "./iterators.ts";

const EMPTY = new Uint32Array(0);

/** Ids of the series matching every matcher, as upstream's PostingsForMatchers. */
export function postingsForMatchers(ix: IndexReader, matchers: readonly Matcher[]): Uint32Array {
  if (matchers.length === 0) return ix.allPostings();
  const mustBeSet = new Set<string>();
  for (const m of matchers) if (!m.matches("")) mustBeSet.add(m.name);
  const its: Uint32Array[] = [];
  const notIts: Uint32Array[] = [];
  for (const m of matchers) {
    if (m.type === "=~" && m.value === ".*") continue; // Matches everything, set or not.
    if (mustBeSet.has(m.name)) {
      const matchesEmpty = m.matches("");
      const isNot = m.type === "!=" || m.type === "!~";
      if (isNot && matchesEmpty) notIts.push(postingsForMatcher(ix, m.inverse()));
      else if (isNot) its.push(inversePostingsForMatcher(ix, m.inverse()));
      else its.push(postingsForMatcher(ix, m));
    } else {
      // Selects the empty value, so also series without the label: subtract the others.
      notIts.push(inversePostingsForMatcher(ix, m));
    }
    if (its.length > 0 && its[its.length - 1]!.length === 0) return EMPTY;
  }
  let p = its.length === 0 ? ix.allPostings() : its.length === 1 ? its[0]! : intersect(its);
  if (notIts.length > 0 && p.length > 0) p = without(p, notIts.length === 1 ? notIts[0]! : merge(notIts));
  return p;
}

function postingsForMatcher(ix: IndexReader, m: Matcher): Uint32Array {
  if (m.type === "=") return ix.postings(m.name, [m.value]);
  if (m.type === "=~") {
    const set = m.setMatches();
    if (set !== undefined && set.length > 0) return ix.postings(m.name, set);
  }
  const values = ix.labelValues(m.name).filter((v) => m.matches(v));
  return values.length === 0 ? EMPTY : ix.postings(m.name, values);
}

/** Series having the label with a value the matcher rejects. */
function inversePostingsForMatcher(ix: IndexReader, m: Matcher): Uint32Array {
  const values = ix.labelValues(m.name).filter((v) => !m.matches(v));
  return values.length === 0 ? EMPTY : ix.postings(m.name, values);
}

class BlockSeries implements Series {
  readonly labels: Labels;
  private readonly metas: ChunkMeta[];
  private readonly chunks: ChunkReader;
  private readonly mint: number;
  private readonly maxt: number;
  private readonly deleted: readonly number[] | undefined;

  constructor(
    labels: Labels,
    metas: ChunkMeta[],
    chunks: ChunkReader,
    mint: number,
    maxt: number,
    deleted: readonly number[] | undefined,
  ) {
    this.labels = labels;
    this.metas = metas;
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
  }

  iterator(reuse?: SampleIterator): SampleIterator {
    const it = new ChunkSeriesIterator(this.metas, this.chunks, this.mint, this.maxt, this.deleted);
    // Hand the previous series' chunk iterator (and its decode buffers) on.
    if (reuse instanceof ChunkSeriesIterator) it.adoptChunkIterator(reuse);
    return it;
  }
}

class BlockSeriesSet implements SeriesSet {
  private i = -1;
  private cur: Series | null = null;
  private readonly entry: SeriesEntry;
  private readonly postings: Uint32Array;
  private readonly ix: IndexReader;
  private readonly chunks: ChunkReader;
  private readonly tombstones: TombstoneReader;
  private readonly mint: number;
  private readonly maxt: number;
  private readonly limit: number;
  private count = 0;

  constructor(
    postings: Uint32Array,
    ix: IndexReader,
    chunks: ChunkReader,
    tombstones: TombstoneReader,
    mint: number,
    maxt: number,
    limit: number,
  ) {
    this.postings = postings;
    this.ix = ix;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.mint = mint;
    this.maxt = maxt;
    this.limit = limit > 0 ? limit : Infinity;
    this.entry = { labels: undefined as unknown as Labels, chunks: [] };
  }

  next(): boolean {
    if (this.count >= this.limit) return false;
    const e = this.entry;
    while (++this.i < this.postings.length) {
      const ref = this.postings[this.i]!;
      e.chunks = [];
      if (!this.ix.series(ref, e, false, this.mint, this.maxt)) continue;
      const metas = e.chunks.filter((c) => c.maxT >= this.mint && c.minT <= this.maxt);
      if (metas.length === 0) continue;
      const deleted = this.tombstones.get(ref);
      if (deleted !== undefined && fullyDeleted(metas, deleted)) continue;
      this.cur = new BlockSeries(e.labels, metas, this.chunks, this.mint, this.maxt, deleted);
      this.count++;
      return true;
    }
    return false;
  }

  at(): Series {
    return this.cur!;
  }

  err(): Error | null {
    return null;
  }

  warnings(): readonly string[] {
    return [];
  }
}

/** True when the deleted intervals cover every chunk's whole range. */
function fullyDeleted(metas: ChunkMeta[], deleted: readonly number[]): boolean {
  outer: for (const m of metas) {
    for (let i = 0; i < deleted.length; i += 2)
      if (deleted[i]! <= m.minT && deleted[i + 1]! >= m.maxT) continue outer;
    return false;
  }
  return true;
}

/** Reads one block (or the head) over `[mint, maxt]`. */
export class BlockQuerier implements Querier {
  private readonly block: BlockReader;
  private readonly mint: number;
  private readonly maxt: number;
  private readonly onClose: (() => void) | undefined;

  constructor(block: BlockReader, mint: number, maxt: number, onClose?: () => void) {
    this.block = block;
    this.mint = mint;
    this.maxt = maxt;
    this.onClose = onClose;
  }

  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet {
    const ix = this.block.index();
    let p = postingsForMatchers(ix, matchers);
    if (sorted) p = ix.sortedPostings(p);
    const mint = hints !== undefined ? Math.max(this.mint, hints.start) : this.mint;
    const maxt = hints !== undefined ? Math.min(this.maxt, hints.end) : this.maxt;
    return new BlockSeriesSet(
      p,
      ix,
      this.block.chunks(),
      this.block.tombstones(),
      mint,
      maxt,
      hints?.limit ?? 0,
    );
  }

  labelValues(name: string, hints: LabelHints | undefined, ...matchers: Matcher[]): string[] {
    const ix = this.block.index();
    let out: string[];
    if (matchers.length === 0) out = ix.labelValues(name);
    else {
      const seen = new Set<string>();
      const e: SeriesEntry = { labels: undefined as unknown as Labels, chunks: [] };
      for (const ref of postingsForMatchers(ix, matchers)) {
        if (!ix.series(ref, e)) continue;
        const v = e.labels.get(name);
        if (v !== "") seen.add(v);
      }
      out = [...seen].sort(compareUTF8);
    }
    return limit(out, hints?.limit);
  }

  labelNames(hints: LabelHints | undefined, ...matchers: Matcher[]): string[] {
    const ix = this.block.index();
    let out: string[];
    if (matchers.length === 0) out = ix.labelNames();
    else {
      const seen = new Set<string>();
      const e: SeriesEntry = { labels: undefined as unknown as Labels, chunks: [] };
      for (const ref of postingsForMatchers(ix, matchers)) {
        if (!ix.series(ref, e)) continue;
        e.labels.forEach((n) => {
          seen.add(n);
        });
      }
      out = [...seen].sort(compareUTF8);
    }
    return limit(out, hints?.limit);
  }

  close(): void {
    this.onClose?.();
  }
}

function limit(values: string[], n: number | undefined): string[] {
  return n !== undefined && n > 0 && values.length > n ? values.slice(0, n) : values;
}

class ChainedSeries implements Series {
  readonly labels: Labels;
  private readonly parts: Series[];
  constructor(parts: Series[]) {
    this.labels = parts[0]!.labels;
    this.parts = parts;
  }
  iterator(): SampleIterator {
    return new ChainIterator(this.parts.map((p) => p.iterator()));
  }
}

/** K-way merge of sorted series sets; series with equal labels become one chained series. */
export class MergeSeriesSet implements SeriesSet {
  private readonly sets: SeriesSet[];
  private readonly live: boolean[];
  private cur: Series | null = null;

  constructor(sets: SeriesSet[]) {
    this.sets = sets;
    this.live = sets.map((s) => s.next());
  }

  next(): boolean {
    let min: Labels | null = null;
    for (let i = 0; i < this.sets.length; i++) {
      if (!this.live[i]) continue;
      const l = this.sets[i]!.at().labels;
      if (min === null || Labels.compare(l, min) < 0) min = l;
    }
    if (min === null) return false;
    const parts: Series[] = [];
    for (let i = 0; i < this.sets.length; i++) {
      if (!this.live[i]) continue;
      const s = this.sets[i]!.at();
      if (s.labels.equals(min)) {
        parts.push(s);
        this.live[i] = this.sets[i]!.next();
      }
    }
    this.cur = parts.length === 1 ? parts[0]! : new ChainedSeries(parts);
    return true;
  }

  at(): Series {
    return this.cur!;
  }

  err(): Error | null {
    for (const s of this.sets) {
      const e = s.err();
      if (e !== null) return e;
    }
    return null;
  }

  warnings(): readonly string[] {
    return this.sets.flatMap((s) => s.warnings());
  }
}

/** Queries several queriers as one (blocks then head, oldest first). */
export class MergeQuerier implements Querier {
  private readonly queriers: Querier[];
  constructor(queriers: Querier[]) {
    this.queriers = queriers;
  }

  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet {
    if (this.queriers.length === 1) return this.queriers[0]!.select(sorted, hints, ...matchers);
    // Merging needs every part sorted, whatever the caller asked for.
    const set = new MergeSeriesSet(this.queriers.map((q) => q.select(true, hints, ...matchers)));
    const n = hints?.limit ?? 0;
    return n > 0 ? limitSet(set, n) : set;
  }

  labelValues(name: string, hints: LabelHints | undefined, ...matchers: Matcher[]): string[] {
    return limit(
      mergeSorted(this.queriers.map((q) => q.labelValues(name, undefined, ...matchers))),
      hints?.limit,
    );
  }

  labelNames(hints: LabelHints | undefined, ...matchers: Matcher[]): string[] {
    return limit(mergeSorted(this.queriers.map((q) => q.labelNames(undefined, ...matchers))), hints?.limit);
  }

  close(): void {
    for (const q of this.queriers) q.close();
  }
}

function limitSet(set: SeriesSet, n: number): SeriesSet {
  let count = 0;
  return {
    next: () => count++ < n && set.next(),
    at: () => set.at(),
    err: () => set.err(),
    warnings: () => set.warnings(),
  };
}

/** Union of sorted string lists, sorted in Go byte order. */
export function mergeSorted(lists: string[][]): string[] {
  if (lists.length === 1) return lists[0]!;
  const set = new Set<string>();
  for (const l of lists) for (const s of l) set.add(s);
  return [...set].sort(compareUTF8);
}
