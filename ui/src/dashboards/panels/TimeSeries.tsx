/**
 * The time series panel on uPlot: lines, bars or points per field config,
 * fill opacity, stacking (normal / percent), null gaps or `spanNulls`,
 * negative-Y, thresholds as lines or areas, a y axis in the unit, a
 * tooltip (single / all), a legend as a list or a table with calcs whose
 * entries hide series, and drag-to-zoom.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { type JsonObject, num, obj, objects, str } from "../../../../src/dashboards/model/json.ts";
import { useTheme } from "../../shell/theme.ts";
import { cssColor, type FieldConfig, fieldColor, fieldConfig } from "../display.ts";
import { CALCS, reduce, type Series } from "../frames.ts";
import { formatAbsolute } from "../timeRange.ts";
import { formatUnit } from "../units.ts";

/** Props: the series, the panel, the size and the zoom callback (ms). */
export interface TimeSeriesProps {
  readonly panel: JsonObject;
  readonly series: readonly Series[];
  readonly width: number;
  readonly height: number;
  readonly range: { readonly from: number; readonly to: number };
  readonly onZoom: (from: number, to: number) => void;
}

interface Prepared {
  readonly xs: number[];
  readonly fields: {
    readonly s: Series;
    readonly cfg: FieldConfig;
    readonly color: string;
    readonly ys: (number | null)[];
  }[];
}

function prepare(panel: JsonObject, series: readonly Series[]): Prepared {
  const times = [...new Set(series.flatMap((s) => s.times))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const fields = series.map((s, i) => {
    const cfg = fieldConfig(panel, { name: s.name, refId: s.refId });
    const ys: (number | null)[] = new Array(times.length).fill(null);
    const neg = cfg.custom.transform === "negative-Y" ? -1 : 1;
    s.times.forEach((t, k) => {
      const v = s.values[k] ?? null;
      ys[index.get(t)!] = v === null ? null : v * neg;
    });
    const last = reduce(s.values, "lastNotNull");
    return { s: { ...s, name: cfg.displayName ?? s.name }, cfg, color: fieldColor(cfg, i, last), ys };
  });
  return { xs: times.map((t) => t / 1000), fields };
}

/** Cumulative sums per stacking group (percent mode: shares of the group's total). */
function stack(fields: Prepared["fields"], hidden: ReadonlySet<number>): (number | null)[][] {
  const out = fields.map((f) => [...f.ys]);
  const groups = new Map<string, number[]>();
  fields.forEach((f, i) => {
    const mode = str(obj(f.cfg.custom.stacking).mode, "none");
    if (mode === "none" || hidden.has(i)) return;
    const key = `${mode}:${str(obj(f.cfg.custom.stacking).group, "A")}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const [key, members] of groups) {
    const n = fields[0]?.ys.length ?? 0;
    for (let k = 0; k < n; k++) {
      const total = key.startsWith("percent")
        ? members.reduce((a, i) => a + Math.abs(fields[i]!.ys[k] ?? 0), 0)
        : 1;
      let acc = 0;
      for (const i of members) {
        const v = fields[i]!.ys[k];
        if (v === null || v === undefined) continue;
        acc += key.startsWith("percent") ? (total === 0 ? 0 : v / total) : v;
        out[i]![k] = acc;
      }
    }
  }
  return out;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function alpha(color: string, opacity: number): string {
  if (/^#[0-9a-f]{6}$/i.test(color))
    return `${color}${Math.round(opacity * 255)
      .toString(16)
      .padStart(2, "0")}`;
  return color;
}

/** Draws the panel. */
export function TimeSeries(props: TimeSeriesProps) {
  const { panel, series, width, height, range } = props;
  const host = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const zoom = useRef(props.onZoom);
  zoom.current = props.onZoom;
  const theme = useTheme();
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const prepared = useMemo(() => prepare(panel, series), [panel, series]);
  const legend = obj(obj(panel.options).legend);
  const tooltip = obj(obj(panel.options).tooltip);
  const showLegend = legend.showLegend !== false && legend.displayMode !== "hidden";
  const asTable = legend.displayMode === "table";
  const right = legend.placement === "right";
  const calcs = Array.isArray(legend.calcs) ? (legend.calcs as string[]) : [];
  const legendRows = showLegend
    ? asTable
      ? Math.min(prepared.fields.length, 6) + 1
      : Math.min(3, Math.ceil(prepared.fields.length / 3))
    : 0;
  const plotH = Math.max(60, height - (right ? 0 : legendRows * 20 + 6));
  const plotW = Math.max(100, right && showLegend ? width * 0.65 : width);
  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the data, the size or the theme change
  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const f0 = prepared.fields[0]?.cfg;
    const unit = f0?.unit ?? "";
    const decimals = f0?.decimals;
    const stacked = stack(prepared.fields, hidden);
    const axis = {
      stroke: cssVar("--fg-muted"),
      grid: { stroke: cssVar("--border"), width: 1 },
      ticks: { show: false },
    };
    const mins = prepared.fields.map((f) => f.cfg.min).filter((v): v is number => v !== undefined);
    const maxs = prepared.fields.map((f) => f.cfg.max).filter((v): v is number => v !== undefined);
    const softMin = num(prepared.fields[0]?.cfg.custom.axisSoftMin);
    const softMax = num(prepared.fields[0]?.cfg.custom.axisSoftMax);
    const thresholds = f0 === undefined ? [] : objects(f0.thresholds.steps);
    const tStyle = str(obj(f0?.custom.thresholdsStyle).mode, "off");
    const opts: uPlot.Options = {
      width: plotW,
      height: plotH,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      scales: {
        x: { time: true, range: () => [range.from / 1000, range.to / 1000] },
        y: {
          range: (_u, dmin, dmax) => {
            let lo = mins.length > 0 ? Math.min(...mins) : Math.min(dmin, softMin ?? dmin);
            let hi = maxs.length > 0 ? Math.max(...maxs) : Math.max(dmax, softMax ?? dmax);
            if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
            if (lo === hi) {
              lo -= Math.abs(lo) * 0.1 || 1;
              hi += Math.abs(hi) * 0.1 || 1;
            }
            const pad = mins.length > 0 && maxs.length > 0 ? 0 : (hi - lo) * 0.05;
            return [
              mins.length > 0 ? lo : lo - (lo < 0 || lo - pad < 0 ? pad : 0),
              maxs.length > 0 ? hi : hi + pad,
            ];
          },
        },
      },
      axes: [
        axis,
        { ...axis, size: 70, values: (_u, vals) => vals.map((v) => formatUnit(v, unit, decimals)) },
      ],
      series: [
        {},
        ...prepared.fields.map((f, i) => {
          const c = f.cfg.custom;
          const draw = str(c.drawStyle, "line");
          const fill = (num(c.fillOpacity) ?? 0) / 100;
          const showPoints = str(c.showPoints, "auto");
          const present = f.ys.filter((v) => v !== null).length;
          const sparse = present <= 40;
          return {
            label: f.s.name,
            show: !hidden.has(i),
            stroke: f.color,
            width: draw === "points" ? 0 : (num(c.lineWidth) ?? 1),
            fill:
              fill > 0 || draw === "bars"
                ? alpha(f.color, draw === "bars" ? Math.max(fill, 0.8) : fill)
                : undefined,
            spanGaps: c.spanNulls === true,
            paths: draw === "bars" ? uPlot.paths.bars?.({ size: [0.6, 100] }) : undefined,
            points: {
              // A lone sample (a young server) would draw nothing as a line.
              show:
                draw === "points" ||
                showPoints === "always" ||
                present <= 2 ||
                (showPoints === "auto" && sparse),
              size: num(c.pointSize) ?? 4,
            },
          } as uPlot.Series;
        }),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width <= 2) return;
            const min = u.posToVal(u.select.left, "x");
            const max = u.posToVal(u.select.left + u.select.width, "x");
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(min * 1000, max * 1000);
          },
        ],
        draw: [
          (u) => {
            if (tStyle === "off" || thresholds.length === 0) return;
            const ctx = u.ctx;
            ctx.save();
            for (let k = 0; k < thresholds.length; k++) {
              const s = thresholds[k]!;
              const from = num(s.value) ?? Number.NEGATIVE_INFINITY;
              const next = num(thresholds[k + 1]?.value) ?? Number.POSITIVE_INFINITY;
              const color = cssColor(str(s.color, "green"));
              const y0 = u.valToPos(Math.max(from, u.scales.y!.min!), "y", true);
              const y1 = u.valToPos(Math.min(next, u.scales.y!.max!), "y", true);
              if (tStyle.includes("area") && y1 < y0) {
                ctx.fillStyle = alpha(color, 0.12);
                ctx.fillRect(u.bbox.left, y1, u.bbox.width, y0 - y1);
              }
              if ((tStyle.includes("line") || tStyle === "dashed") && Number.isFinite(from)) {
                ctx.strokeStyle = color;
                ctx.setLineDash(tStyle === "dashed" ? [6, 4] : []);
                ctx.beginPath();
                ctx.moveTo(u.bbox.left, y0);
                ctx.lineTo(u.bbox.left + u.bbox.width, y0);
                ctx.stroke();
              }
            }
            ctx.restore();
          },
        ],
        setCursor: [
          (u) => {
            const t = tip.current;
            if (t === null) return;
            const idx = u.cursor.idx;
            if (
              idx === null ||
              idx === undefined ||
              u.cursor.left === undefined ||
              u.cursor.left < 0 ||
              tooltip.mode === "none"
            ) {
              t.style.display = "none";
              return;
            }
            const rows = prepared.fields
              .map((f, i) => ({ f, i, v: f.ys[idx] ?? null }))
              .filter((r) => !hidden.has(r.i) && r.v !== null);
            let shown = rows;
            if (tooltip.mode === "single") {
              const top = u.cursor.top ?? 0;
              const near = rows.sort(
                (a, b) =>
                  Math.abs(u.valToPos(stacked[a.i]![idx] ?? 0, "y") - top) -
                  Math.abs(u.valToPos(stacked[b.i]![idx] ?? 0, "y") - top),
              );
              shown = near.slice(0, 1);
            } else if (tooltip.sort === "desc") shown = rows.sort((a, b) => (b.v ?? 0) - (a.v ?? 0));
            else if (tooltip.sort === "asc") shown = rows.sort((a, b) => (a.v ?? 0) - (b.v ?? 0));
            t.replaceChildren();
            const head = document.createElement("div");
            head.className = "dash-tip-time";
            head.textContent = formatAbsolute(prepared.xs[idx]! * 1000);
            t.append(head);
            for (const r of shown.slice(0, 20)) {
              const row = document.createElement("div");
              const dot = document.createElement("span");
              dot.className = "dash-dot";
              dot.style.background = r.f.color;
              row.append(dot, `${r.f.s.name}: ${formatUnit(r.v, r.f.cfg.unit, r.f.cfg.decimals)}`);
              t.append(row);
            }
            t.style.display = shown.length > 0 ? "block" : "none";
            const left = u.cursor.left + 12;
            t.style.left = `${Math.min(left, plotW - 220)}px`;
            t.style.top = `${(u.cursor.top ?? 0) + 12}px`;
          },
        ],
      },
    };
    const plot = new uPlot(opts, [prepared.xs, ...stacked] as uPlot.AlignedData, el);
    return () => plot.destroy();
  }, [prepared, plotW, plotH, theme, hidden, range.from, range.to]);
  const toggle = (i: number) => {
    const next = new Set(hidden);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setHidden(next);
  };
  return (
    <div className={right ? "dash-ts dash-ts-right" : "dash-ts"}>
      <div className="dash-plot" ref={host} data-testid="timeseries">
        <div className="dash-tip" ref={tip} />
      </div>
      {showLegend && prepared.fields.length > 0 && (
        <div
          className={asTable ? "dash-legend dash-legend-table" : "dash-legend"}
          style={{ maxHeight: right ? plotH : legendRows * 20 + 4 }}
        >
          {asTable ? (
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  {calcs.map((c) => (
                    <th key={c}>{CALCS[c] ?? c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {prepared.fields.map((f, i) => (
                  <tr
                    // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
                    key={`${f.s.refId}-${f.s.name}-${i}`}
                    className={hidden.has(i) ? "off" : ""}
                    onClick={() => toggle(i)}
                  >
                    <td>
                      <span className="dash-dot" style={{ background: f.color }} />
                      {f.s.name}
                    </td>
                    {calcs.map((c) => (
                      <td key={c}>{formatUnit(reduce(f.s.values, c), f.cfg.unit, f.cfg.decimals)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            prepared.fields.map((f, i) => (
              <button
                type="button"
                // biome-ignore lint/suspicious/noArrayIndexKey: series are positional; names may repeat
                key={`${f.s.refId}-${f.s.name}-${i}`}
                className={hidden.has(i) ? "dash-legend-item off" : "dash-legend-item"}
                onClick={() => toggle(i)}
              >
                <span className="dash-dot" style={{ background: f.color }} />
                {f.s.name}
                {calcs
                  .map(
                    (c) =>
                      ` ${CALCS[c] ?? c}: ${formatUnit(reduce(f.s.values, c), f.cfg.unit, f.cfg.decimals)}`,
                  )
                  .join("")}
              </button>
            ))
          )}
        </div>
      )}
    </div>
  );
}
