/**
 * The in-memory storage of one test group (upstream's `promqltest.LazyLoader`):
 * input series in the test-script notation (`0+10x5 _ stale`) with samples
 * every `interval` from time 0, appended only up to the time being evaluated
 * (`appendTill`), so rules see the data as a live server would. Rule results
 * are appended to the same head.
 */
import type { Labels } from "../../model/labels/labels.ts";
import { Engine } from "../../promql/engine.ts";
import { FLOAT, HISTOGRAM, parseSeriesDesc, type SequenceValues } from "../../promql/promqltest/series.ts";
import type { Appendable, Queryable } from "../../storage/interface.ts";
import { Head } from "../../tsdb/head/head.ts";
import { RangeHead } from "../../tsdb/head/reader.ts";
import { BlockQuerier } from "../../tsdb/querier.ts";
import type { InputSeries } from "./file.ts";

interface Pending {
  readonly labels: Labels;
  readonly values: SequenceValues;
  /** Next slot to append. */
  next: number;
  ref: number;
}

/** Engine settings of upstream's lazy loader. */
export interface LoaderOptions {
  /** Default step of subqueries, ms (the file's evaluation interval). */
  readonly subqueryIntervalMs: number;
  readonly experimentalFunctions?: boolean;
}

export class LazyLoader {
  /** A 24h chunk range, as upstream's test storage, so long tests stay in order. */
  readonly head = new Head({ chunkRange: 24 * 3600_000 });
  readonly queryable: Queryable = {
    querier: (mint, maxt) => new BlockQuerier(new RangeHead(this.head, mint, maxt), mint, maxt),
  };
  readonly appendable: Appendable = { appender: () => this.head.appender() };
  readonly engine: Engine;
  readonly #series: Pending[];
  readonly #stepMs: number;

  /** Parses the input series; throws an Error describing a malformed one. */
  constructor(input: readonly InputSeries[], stepMs: number, opts: LoaderOptions) {
    this.#stepMs = stepMs;
    this.#series = input.map((s) => {
      const desc = parseSeriesDesc(`${s.series} ${s.values}`);
      if (desc.values.hasHistograms())
        throw new Error(`native histogram samples are not supported: ${s.series}`);
      return { labels: desc.labels, values: desc.values, next: 0, ref: 0 };
    });
    // As upstream's lazy loader: at most 10000 samples per query, 100s timeout.
    this.engine = new Engine({
      maxSamples: 10_000,
      timeoutMs: 100_000,
      noStepSubqueryIntervalMs: opts.subqueryIntervalMs,
      experimentalFunctions: opts.experimentalFunctions === true,
    });
  }

  /** Appends every input sample with a timestamp ≤ `ts` not appended yet. */
  appendTill(ts: number): void {
    const app = this.head.appender();
    try {
      for (const s of this.#series) {
        const v = s.values;
        for (; s.next < v.length; s.next++) {
          const t = s.next * this.#stepMs;
          if (t > ts) break;
          const kind = v.kinds[s.next];
          if (kind === FLOAT) s.ref = app.append(s.ref, s.labels, t, v.floats[s.next]!);
          else if (kind === HISTOGRAM) throw new Error("native histogram samples are not supported");
        }
      }
    } catch (err) {
      app.rollback();
      throw err;
    }
    app.commit();
  }
}
