/**
 * The storage a test script runs against: a fresh in-memory TSDB head per file
 * and after each `clear`. `load` appends float samples at `i × step` ms after
 * the epoch; histogram samples cannot be stored yet, so their series are only
 * recorded (`histogramSeries`) for the runner to skip evals touching them.
 * `load_with_nhcb` also records the custom-bucket histogram series its
 * classic-histogram conversion would create.
 */
import { type Labels, LabelsBuilder } from "../../model/labels/labels.ts";
import type { Queryable } from "../../storage/interface.ts";
import { Head } from "../../tsdb/head/head.ts";
import { RangeHead } from "../../tsdb/head/reader.ts";
import { BlockQuerier } from "../../tsdb/querier.ts";
import { parseGoFloat } from "../strconv.ts";
import { type LoadCmd, labelsKey } from "./script.ts";
import { FLOAT, HISTOGRAM } from "./series.ts";

const CLASSIC_SUFFIXES = ["_bucket", "_count", "_sum"] as const;

/**
 * As upstream's test storage: 24h head chunks, so a series can still be
 * loaded from time 0 after another one was loaded up to 12h later (the head
 * accepts samples down to maxT − chunkRange/2).
 */
function newHead(): Head {
  return new Head({ chunkRange: 24 * 3600_000 });
}

export class TestStorage {
  head = newHead();
  readonly queryable: Queryable = {
    querier: (mint, maxt) => new BlockQuerier(new RangeHead(this.head, mint, maxt), mint, maxt),
  };
  /** Series holding native-histogram samples since the last clear, by label-set key. */
  readonly histogramSeries = new Map<string, Labels>();

  /** Drops everything: a brand-new head. */
  clear(): void {
    this.head = newHead();
    this.histogramSeries.clear();
  }

  /** Appends a `load` command's samples in one batch; throws (and stores nothing) on an append error. */
  load(cmd: LoadCmd): void {
    const app = this.head.appender();
    try {
      for (const s of cmd.series) {
        const v = s.values;
        let ref = 0;
        for (let i = 0; i < v.length; i++) {
          const kind = v.kinds[i];
          if (kind === FLOAT) ref = app.append(ref, s.labels, i * cmd.stepMs, v.floats[i]!);
          else if (kind === HISTOGRAM) this.markHistogram(s.labels);
        }
      }
    } catch (e) {
      app.rollback();
      throw e;
    }
    app.commit();
    if (cmd.withNHCB) for (const l of nhcbSeries(cmd)) this.markHistogram(l);
  }

  private markHistogram(l: Labels): void {
    this.histogramSeries.set(labelsKey(l), l);
  }
}

/**
 * Label sets of the custom-bucket histograms `load_with_nhcb` derives: a
 * series `X_bucket` with a numeric, non-NaN `le`, or `X_count` / `X_sum`,
 * contributes to the histogram `X` with the same labels minus `le`.
 */
export function nhcbSeries(cmd: LoadCmd): Labels[] {
  const out = new Map<string, Labels>();
  for (const s of cmd.series) {
    if (!s.values.kinds.subarray(0, s.values.length).includes(FLOAT)) continue;
    const name = s.labels.metricName();
    const suffix = CLASSIC_SUFFIXES.find((x) => name.endsWith(x));
    if (suffix === undefined) continue;
    if (suffix === "_bucket") {
      const le = parseGoFloat(s.labels.get("le"));
      if (le === null || Number.isNaN(le)) continue;
    }
    const base = new LabelsBuilder(s.labels)
      .del("le")
      .set("__name__", name.slice(0, -suffix.length))
      .labels();
    if (base.size > 0) out.set(labelsKey(base), base);
  }
  return [...out.values()];
}
