/**
 * The stat, gauge and bar gauge panels: each series reduced by
 * `reduceOptions.calcs` (default last non-null), shown with the unit,
 * decimals, value mappings and threshold / fixed colours; stat panels draw
 * a sparkline (`graphMode: area`) and colour the value or the background.
 */
import { type JsonObject, obj, str } from "../../../../src/dashboards/model/json.ts";
import { applyMappings, fieldColor, fieldConfig, thresholdColor } from "../display.ts";
import { reduce, type Series } from "../frames.ts";
import { formatValue } from "../units.ts";

interface Shown {
  readonly name: string;
  readonly value: number | null;
  readonly text: string;
  readonly suffix: string;
  readonly color: string;
  readonly min: number;
  readonly max: number;
  readonly series: Series;
}

/** The reduced, formatted values of a single-value panel. */
export function shownValues(panel: JsonObject, series: readonly Series[]): Shown[] {
  const ro = obj(obj(panel.options).reduceOptions);
  const calc = Array.isArray(ro.calcs) && typeof ro.calcs[0] === "string" ? ro.calcs[0] : "lastNotNull";
  return series.map((s, i) => {
    const cfg = fieldConfig(panel, { name: s.name, refId: s.refId });
    const value = reduce(s.values, calc);
    const mapped = applyMappings(value, cfg.mappings);
    const f = formatValue(value, cfg.unit, cfg.decimals);
    const mode = str(cfg.color.mode, "thresholds");
    const color =
      mapped?.color ?? (mode === "thresholds" ? thresholdColor(value, cfg) : fieldColor(cfg, i, value));
    return {
      name: cfg.displayName ?? s.name,
      value,
      text: mapped?.text ?? f.text,
      suffix: mapped?.text !== undefined ? "" : f.suffix,
      color,
      min: cfg.min ?? 0,
      max: cfg.max ?? 100,
      series: s,
    };
  });
}

function Sparkline({ s, color }: { readonly s: Series; readonly color: string }) {
  const pts = s.values
    .map((v, i) => [i, v] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null);
  if (pts.length < 2) return null;
  const lo = Math.min(...pts.map((p) => p[1]));
  const hi = Math.max(...pts.map((p) => p[1]));
  const n = s.values.length - 1 || 1;
  const line = pts.map(([i, v]) => `${(i / n) * 100},${40 - ((v - lo) / (hi - lo || 1)) * 36}`).join(" ");
  return (
    <svg className="dash-spark" viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true">
      <polygon points={`0,40 ${line} 100,40`} fill={color} opacity={0.25} />
      <polyline
        points={line}
        fill="none"
        stroke={color}
        strokeWidth={1.5}
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}

/** The stat panel. */
export function Stat({ panel, series }: { readonly panel: JsonObject; readonly series: readonly Series[] }) {
  const o = obj(panel.options);
  const colorMode = str(o.colorMode, "value");
  const textMode = str(o.textMode, "auto");
  const values = shownValues(panel, series);
  const showName =
    textMode === "value_and_name" || textMode === "name" || (textMode === "auto" && values.length > 1);
  return (
    <div className="dash-stat-grid">
      {values.map((v, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
          key={`${v.name}-${i}`}
          className="dash-stat"
          style={
            colorMode === "background" || colorMode === "background_solid"
              ? { background: v.color, color: "#fff" }
              : {}
          }
        >
          {str(o.graphMode, "area") === "area" && (
            <Sparkline s={v.series} color={colorMode === "background" ? "#ffffff" : v.color} />
          )}
          {showName && <div className="dash-stat-name">{v.name}</div>}
          {textMode !== "name" && textMode !== "none" && (
            <div className="dash-stat-value" style={colorMode === "value" ? { color: v.color } : {}}>
              {v.text}
              <span className="dash-stat-suffix">{v.suffix}</span>
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

/** The gauge panel: an arc from min to max per value. */
export function Gauge({ panel, series }: { readonly panel: JsonObject; readonly series: readonly Series[] }) {
  return (
    <div className="dash-stat-grid">
      {shownValues(panel, series).map((v, i) => {
        const frac =
          v.value === null ? 0 : Math.max(0, Math.min(1, (v.value - v.min) / (v.max - v.min || 1)));
        const a0 = Math.PI * 0.75;
        const a1 = a0 + frac * Math.PI * 1.5;
        const pt = (a: number) => `${50 + 40 * Math.cos(a)} ${55 + 40 * Math.sin(a)}`;
        const arc = (from: number, to: number) =>
          `M ${pt(from)} A 40 40 0 ${to - from > Math.PI ? 1 : 0} 1 ${pt(to)}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
          <div key={`${v.name}-${i}`} className="dash-gauge">
            <svg viewBox="0 0 100 90" aria-label={v.name}>
              <path d={arc(a0, a0 + Math.PI * 1.5)} stroke="var(--border)" strokeWidth={8} fill="none" />
              {frac > 0 && <path d={arc(a0, a1)} stroke={v.color} strokeWidth={8} fill="none" />}
              <text x={50} y={60} textAnchor="middle" fill={v.color} fontSize={14}>
                {v.text}
                {v.suffix}
              </text>
            </svg>
            {series.length > 1 && <div className="dash-stat-name">{v.name}</div>}
          </div>
        );
      })}
    </div>
  );
}

/** The bar gauge panel: one bar per value, horizontal unless `orientation: vertical`. */
export function BarGauge({
  panel,
  series,
}: {
  readonly panel: JsonObject;
  readonly series: readonly Series[];
}) {
  const vertical = obj(panel.options).orientation === "vertical";
  return (
    <div className={vertical ? "dash-bars dash-bars-v" : "dash-bars"}>
      {shownValues(panel, series).map((v, i) => {
        const frac =
          v.value === null ? 0 : Math.max(0, Math.min(1, (v.value - v.min) / (v.max - v.min || 1)));
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
          <div key={`${v.name}-${i}`} className="dash-bar">
            <div className="dash-bar-name">{v.name}</div>
            <div className="dash-bar-track">
              <div
                className="dash-bar-fill"
                style={
                  vertical
                    ? { height: `${frac * 100}%`, background: v.color }
                    : { width: `${frac * 100}%`, background: v.color }
                }
              />
            </div>
            <div className="dash-bar-value" style={{ color: v.color }}>
              {v.text}
              {v.suffix}
            </div>
          </div>
        );
      })}
    </div>
  );
}
