/**
 * What one query fetched from a remote-read endpoint ahead of evaluation
 * (readclient.ts `prepare`), as a synchronous Queryable: a select finds its
 * selector's read by matchers and returns the series cut to the querier's
 * time range. A failed read is thrown by the selects that need it.
 */
import type { Matcher } from "../model/labels/matcher.ts";
import type { Querier, Queryable, SeriesSet } from "../storage/interface.ts";
import { emptySeriesSet } from "../storage/interface.ts";
import type { ReadSeries } from "./readproto.ts";
import { arraySeriesSet } from "./series.ts";

/** One selector's read over `[mint, maxt]`: its series, or the error text. */
export type Fetched = {
  readonly matchers: readonly Matcher[];
  readonly mint: number;
  readonly maxt: number;
} & ({ readonly series: readonly ReadSeries[] } | { readonly error: string });

/** The key a selector's read is found by: its matchers, in order. */
export function selectorKey(ms: readonly Matcher[]): string {
  return ms.map((m) => `${m.name}\xff${m.type}\xff${m.value}`).join("\xfe");
}

/** What {@link PreparedRemoteQueryable} needs of the endpoint it was prepared from. */
export interface PreparedSource {
  matchesRequired(ms: readonly Matcher[]): boolean;
}

/** The remote series one query fetched, answered synchronously. */
export class PreparedRemoteQueryable implements Queryable {
  private readonly source: PreparedSource;
  private readonly local: number;
  private readonly fetched: ReadonlyMap<string, Fetched>;

  /** `local`: the time selects are clamped to (the local start time without `read_recent`). */
  constructor(source: PreparedSource, local: number, fetched: ReadonlyMap<string, Fetched>) {
    this.source = source;
    this.local = local;
    this.fetched = fetched;
  }

  querier(mint: number, maxt: number): Querier {
    const end = Math.min(maxt, this.local);
    return {
      select: (_sorted, _hints, ...ms) => (mint > end ? emptySeriesSet : this.select(mint, end, ms)),
      labelValues: () => [],
      labelNames: () => [],
      close: () => {},
    };
  }

  private select(mint: number, maxt: number, ms: Matcher[]): SeriesSet {
    if (!this.source.matchesRequired(ms)) return emptySeriesSet;
    const f = this.fetched.get(selectorKey(ms));
    if (f === undefined) return warningSet("remote_read: selector was not prepared, remote data skipped");
    if ("error" in f) throw new Error(f.error);
    const series: ReadSeries[] = [];
    for (const s of f.series) {
      const from = lowerBound(s.ts, mint);
      const to = lowerBound(s.ts, maxt + 1);
      if (from >= to) continue;
      series.push(
        from === 0 && to === s.ts.length
          ? s
          : { labels: s.labels, ts: slice(s.ts, from, to), vs: slice(s.vs, from, to) },
      );
    }
    const set = arraySeriesSet(series);
    if (mint >= f.mint && maxt <= f.maxt) return set;
    return {
      ...set,
      warnings: () => [`remote_read: range [${mint}, ${maxt}] was not prepared, remote data may be partial`],
    };
  }
}

function warningSet(text: string): SeriesSet {
  return { ...emptySeriesSet, warnings: () => [text] };
}

/** The first index whose timestamp is `>= t` in ascending `ts`. */
function lowerBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function slice(a: ArrayLike<number>, from: number, to: number): number[] {
  const out: number[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = a[i]!;
  return out;
}
