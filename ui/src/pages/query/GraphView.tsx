/**
 * The Graph tab: uPlot lines (or stacked areas), a legend that toggles series
 * and shows hover values, and drag-to-zoom that narrows the panel's range.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { MatrixSeries } from "../../api/types.ts";
import { formatSeries, formatTimestamp } from "../../lib/format.ts";
import { useTheme } from "../../shell/theme.ts";
import { seriesColor, toGraphData } from "./graphData.ts";

/** Props of {@link GraphView}; times in unix seconds. */
export interface GraphProps {
  readonly series: readonly MatrixSeries[];
  readonly startS: number;
  readonly endS: number;
  readonly stepS: number;
  readonly stacked: boolean;
  readonly utc: boolean;
  /** The legend's name for the time column. */
  readonly timeLabel: string;
  /** Called with the dragged range, ms. */
  readonly onZoom: (startMs: number, endMs: number) => void;
}

/** Series with at most this many samples are drawn with points. */
const SPARSE_POINTS = 60;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function options(
  p: GraphProps,
  width: number,
  raw: (number | null)[][],
  zoom: { current: GraphProps["onZoom"] },
) {
  const sparse = raw.map((col) => col.filter((v) => v !== null).length <= SPARSE_POINTS);
  const axis = {
    stroke: cssVar("--fg-muted"),
    grid: { stroke: cssVar("--border"), width: 1 },
    ticks: { show: false },
  };
  const opts: uPlot.Options = {
    width,
    height: 320,
    tzDate: p.utc ? (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") : undefined,
    cursor: { drag: { x: true, y: false, setScale: false } },
    legend: { live: true },
    scales: { x: { time: true } },
    axes: [axis, { ...axis, size: 60 }],
    series: [
      { label: p.timeLabel, value: (_u, v) => (v === null ? "" : formatTimestamp(v * 1000, p.utc)) },
      ...p.series.map((s, i) => ({
        label: formatSeries(s.metric),
        stroke: seriesColor(i),
        width: 1.5,
        fill: p.stacked ? `${seriesColor(i)}55` : undefined,
        spanGaps: false,
        // Sparse series (a fresh server, a short-lived target) would draw nothing as lines alone.
        points: { show: sparse[i], size: 4 },
        value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
          idx === null ? "" : String(raw[i][idx] ?? ""),
      })),
    ],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width <= 1) return;
          const min = u.posToVal(u.select.left, "x");
          const max = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          zoom.current(min * 1000, max * 1000);
        },
      ],
    },
  };
  return opts;
}

/** Draws a range-query result. */
export function GraphView(props: GraphProps) {
  const host = useRef<HTMLDivElement>(null);
  const zoom = useRef(props.onZoom);
  zoom.current = props.onZoom;
  const theme = useTheme();
  const { series, startS, endS, stepS, stacked, utc, timeLabel } = props;
  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the data, the mode, the language or the theme changes
  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const data = toGraphData(series, startS, endS, stepS, stacked);
    const p = { ...props, series, startS, endS, stepS, stacked, utc, timeLabel };
    const plot = new uPlot(options(p, el.clientWidth || 600, data.raw, zoom), [data.xs, ...data.drawn], el);
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 320 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [series, startS, endS, stepS, stacked, utc, timeLabel, theme]);
  return <div className="graph" ref={host} data-testid="graph" />;
}
