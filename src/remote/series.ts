/**
 * Series held in arrays (remote-read results, merged series) as storage
 * `SeriesSet`s, and the merge of a local and remote series sets that the
 * server's Queryable uses when `remote_read` is configured (upstream's
 * fanout storage with chained series merge: samples at equal timestamps are
 * kept once, the first set's winning).
 */
import { Labels } from "../model/labels/labels.ts";
import type { Matcher } from "../model/labels/matcher.ts";
import {
  type Querier,
  type Queryable,
  type SampleIterator,
  type SelectorRange,
  type Series,
  type SeriesSet,
  ValueType,
} from "../storage/interface.ts";

/** A series as arrays. */
export interface ArraySeries {
  readonly labels: Labels;
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
}

class ArrayIterator implements SampleIterator {
  private i = -1;
  private readonly s: ArraySeries;
  constructor(s: ArraySeries) {
    this.s = s;
  }
  next(): ValueType {
    this.i++;
    return this.i < this.s.ts.length ? ValueType.Float : ValueType.None;
  }
  seek(t: number): ValueType {
    if (this.i < 0) this.i = 0;
    while (this.i < this.s.ts.length && this.s.ts[this.i]! < t) this.i++;
    return this.i < this.s.ts.length ? ValueType.Float : ValueType.None;
  }
  atT(): number {
    return this.s.ts[this.i]!;
  }
  atV(): number {
    return this.s.vs[this.i]!;
  }
  err(): Error | null {
    return null;
  }
}

/** A Queryable whose every select answers `series`, whatever the matchers (tests, fixed data). */
export function arrayQueryable(series: readonly ArraySeries[]): Queryable {
  return {
    querier: () => ({
      select: () => arraySeriesSet(series),
      labelValues: () => [],
      labelNames: () => [],
      close: () => {},
    }),
  };
}

/** A SeriesSet over `series` sorted by labels. */
export function arraySeriesSet(series: readonly ArraySeries[]): SeriesSet {
  const sorted = [...series].sort((a, b) => Labels.compare(a.labels, b.labels));
  let i = -1;
  return {
    next: () => ++i < sorted.length,
    at: (): Series => {
      const s = sorted[i]!;
      return { labels: s.labels, iterator: () => new ArrayIterator(s) };
    },
    err: () => null,
    warnings: () => [],
  };
}

function readAll(set: SeriesSet, out: Map<string, ArraySeries[]>): void {
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const ts: number[] = [];
    const vs: number[] = [];
    while (it.next() === ValueType.Float) {
      ts.push(it.atT());
      vs.push(it.atV());
    }
    const key = s.labels.toString();
    const have = out.get(key);
    if (have === undefined) out.set(key, [{ labels: s.labels, ts, vs }]);
    else have.push({ labels: s.labels, ts, vs });
  }
  if (set.err() !== null) throw set.err();
}

function mergeSamples(parts: readonly ArraySeries[]): ArraySeries {
  if (parts.length === 1) return parts[0]!;
  const byT = new Map<number, number>();
  for (const p of parts)
    for (let i = 0; i < p.ts.length; i++) if (!byT.has(p.ts[i]!)) byT.set(p.ts[i]!, p.vs[i]!);
  const ts = [...byT.keys()].sort((a, b) => a - b);
  return { labels: parts[0]!.labels, ts, vs: ts.map((t) => byT.get(t)!) };
}

/**
 * The local Queryable plus remote ones. Selects go to all; when no remote
 * returns a series the local set is passed through untouched, else everything
 * is read, merged by label set and returned sorted. Remote failures surface as
 * warnings, as upstream's secondary queriers do. `prepare` is forwarded to
 * every part that has it (concurrently) and resolves to the fanout of the
 * prepared parts; a remote whose preparation rejects is left out with a
 * warning on every select.
 */
export function fanoutQueryable(primary: Queryable, remotes: () => readonly Queryable[]): Queryable {
  return {
    async prepare(selectors: readonly SelectorRange[], signal?: AbortSignal): Promise<Queryable> {
      const rs = remotes();
      if (rs.length === 0 && primary.prepare === undefined) return primary;
      const [local, ...others] = await Promise.all([
        primary.prepare?.(selectors, signal) ?? primary,
        ...rs.map((r) =>
          r.prepare === undefined
            ? r
            : r.prepare(selectors, signal).catch((err: unknown) => failedQueryable(err)),
        ),
      ]);
      return fanoutQueryable(local!, () => others);
    },
    querier(mint: number, maxt: number): Querier {
      const local = primary.querier(mint, maxt);
      const rs = remotes();
      if (rs.length === 0) return local;
      const others = rs.map((r) => r.querier(mint, maxt));
      return {
        select(sorted, hints, ...ms: Matcher[]): SeriesSet {
          const remoteSeries = new Map<string, ArraySeries[]>();
          const warnings: string[] = [];
          for (const q of others) {
            try {
              readAll(q.select(true, hints, ...ms), remoteSeries);
            } catch (err) {
              warnings.push((err as Error)?.message ?? String(err));
            }
          }
          const localSet = local.select(sorted, hints, ...ms);
          if (remoteSeries.size === 0 && warnings.length === 0) return localSet;
          const all = new Map<string, ArraySeries[]>();
          readAll(localSet, all);
          for (const [k, v] of remoteSeries) {
            const have = all.get(k);
            if (have === undefined) all.set(k, v);
            else have.push(...v);
          }
          const set = arraySeriesSet([...all.values()].map(mergeSamples));
          return { ...set, warnings: () => [...localSet.warnings(), ...warnings] };
        },
        labelValues: (name, hints, ...ms) => local.labelValues(name, hints, ...ms),
        labelNames: (hints, ...ms) => local.labelNames(hints, ...ms),
        close: () => {
          local.close();
          for (const q of others) q.close();
        },
      };
    },
  };
}

/** A remote that could not be prepared: every select fails (a warning in the fanout). */
function failedQueryable(err: unknown): Queryable {
  const text = (err as Error)?.message ?? String(err);
  return {
    querier: () => ({
      select: () => {
        throw new Error(text);
      },
      labelValues: () => [],
      labelNames: () => [],
      close: () => {},
    }),
  };
}
