/** Turns a range-query result into uPlot's aligned columns, stacked on request. */
import type { MatrixSeries } from "../../api/types.ts";

/** uPlot's data: x (unix seconds) then one y column per series (null where absent). */
export interface GraphData {
  readonly xs: number[];
  /** The values as returned, per series. */
  readonly raw: (number | null)[][];
  /** What is drawn: `raw`, or running sums over the series when stacked. */
  readonly drawn: (number | null)[][];
}

/** Aligns `series` on the step grid `startS`…`endS`; stacking sums the series in order. */
export function toGraphData(
  series: readonly MatrixSeries[],
  startS: number,
  endS: number,
  stepS: number,
  stacked: boolean,
): GraphData {
  const n = Math.max(Math.floor((endS - startS) / stepS) + 1, 0);
  const xs = Array.from({ length: n }, (_, i) => startS + i * stepS);
  const raw = series.map((s) => {
    const col: (number | null)[] = new Array(n).fill(null);
    for (const [ts, v] of s.values) {
      const i = Math.round((ts - startS) / stepS);
      if (i >= 0 && i < n) col[i] = Number(v);
    }
    return col;
  });
  if (!stacked) return { xs, raw, drawn: raw };
  const sums: number[] = new Array(n).fill(0);
  const drawn = raw.map((col) =>
    col.map((v, i) => {
      if (v === null || !Number.isFinite(v)) return null;
      sums[i] += v;
      return sums[i];
    }),
  );
  return { xs, raw, drawn };
}

const PALETTE = [
  "#3b82f6",
  "#ef4444",
  "#10b981",
  "#f59e0b",
  "#8b5cf6",
  "#ec4899",
  "#14b8a6",
  "#f97316",
  "#6366f1",
  "#84cc16",
];

/** The colour of the `i`-th series. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}
