/**
 * The heatmap panel from classic histogram buckets: series with an `le`
 * label, sorted by bound, made non-cumulative (each bucket minus the one
 * below), drawn as cells coloured by count; series without `le` are rows
 * as they are.
 */
import { useEffect, useRef } from "react";
import type { Series } from "../frames.ts";

/** Buckets (bottom to top) with their per-step counts. */
export function heatmapBuckets(series: readonly Series[]): { label: string; values: (number | null)[] }[] {
  const withLe = series.filter((s) => s.labels.le !== undefined);
  if (withLe.length === 0) return series.map((s) => ({ label: s.name, values: [...s.values] }));
  const byLe = new Map<string, (number | null)[]>();
  for (const s of withLe) {
    const prev = byLe.get(s.labels.le!);
    byLe.set(
      s.labels.le!,
      prev === undefined ? [...s.values] : prev.map((v, i) => (v ?? 0) + (s.values[i] ?? 0)),
    );
  }
  const bound = (le: string) => (le === "+Inf" ? Infinity : Number(le));
  const sorted = [...byLe].sort((a, b) => bound(a[0]) - bound(b[0]));
  return sorted.map(([le, values], k) => ({
    label: le,
    values: values.map((v, i) => {
      const below = k === 0 ? 0 : (sorted[k - 1]![1][i] ?? 0);
      return v === null ? null : Math.max(0, v - below);
    }),
  }));
}

/** Draws the heatmap on a canvas. */
export function Heatmap({
  series,
  width,
  height,
}: {
  readonly series: readonly Series[];
  readonly width: number;
  readonly height: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (c === null || ctx === null || ctx === undefined) return;
    const buckets = heatmapBuckets(series);
    const n = Math.max(0, ...buckets.map((b) => b.values.length));
    const left = 48;
    c.width = width;
    c.height = height;
    ctx.clearRect(0, 0, width, height);
    const max = Math.max(1, ...buckets.flatMap((b) => b.values.map((v) => v ?? 0)));
    const cw = (width - left) / Math.max(1, n);
    const ch = height / Math.max(1, buckets.length);
    ctx.font = "10px sans-serif";
    ctx.fillStyle = getComputedStyle(c).color;
    buckets.forEach((b, row) => {
      const y = height - (row + 1) * ch;
      if (ch >= 10) ctx.fillText(b.label.slice(0, 7), 2, y + ch / 2 + 3);
      b.values.forEach((v, i) => {
        if (v === null || v === 0) return;
        const t = Math.sqrt(v / max);
        ctx.fillStyle = `hsl(${30 - t * 30}, 90%, ${85 - t * 45}%)`;
        ctx.fillRect(left + i * cw, y, Math.ceil(cw), Math.ceil(ch) - 1);
      });
    });
  }, [series, width, height]);
  return <canvas ref={canvas} className="dash-heatmap" data-testid="heatmap" />;
}
