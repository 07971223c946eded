/**
 * The table panel: the targets' frames (`format: table` as Time, labels,
 * `Value #A`; time series as one frame each), the panel's transformations,
 * then one frame shown with units, mappings, threshold colours per cell
 * (`cellOptions.type` color-text / color-background) and column sorting.
 */
import { useState } from "react";
import { type JsonObject, obj, objects, str } from "../../../../src/dashboards/model/json.ts";
import { applyMappings, fieldConfig, thresholdColor } from "../display.ts";
import type { PanelData } from "../query.ts";
import { formatAbsolute } from "../timeRange.ts";
import { applyTransformations, type Frame, seriesFrames, tableFrame } from "../transform.ts";
import { formatUnit } from "../units.ts";

/** The frames a table shows for `data`, transformed; `skipped` names transformations not applied. */
export function tableFrames(panel: JsonObject, data: PanelData): { frames: Frame[]; skipped: string[] } {
  const frames: Frame[] = [];
  const multi = data.targets.length > 1;
  for (const t of data.targets) {
    const own = data.series.filter((s) => s.refId === t.refId);
    if (t.format === "table" || t.instant)
      frames.push(tableFrame(own, t.refId, multi ? `Value #${t.refId}` : "Value"));
    else frames.push(...seriesFrames(own));
  }
  return applyTransformations(frames, objects(panel.transformations));
}

/** Draws the table. */
export function Table({ panel, data }: { readonly panel: JsonObject; readonly data: PanelData }) {
  const { frames } = tableFrames(panel, data);
  const [pick, setPick] = useState(0);
  const [sort, setSort] = useState<{ col: number; desc: boolean } | undefined>(undefined);
  const frame = frames[Math.min(pick, frames.length - 1)];
  if (frame === undefined) return null;
  const rows = frame.fields[0]?.values.map((_, r) => r) ?? [];
  if (sort !== undefined) {
    const vals = frame.fields[sort.col]?.values ?? [];
    rows.sort((a, b) => {
      const x = vals[a] ?? "";
      const y = vals[b] ?? "";
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.desc ? -c : c;
    });
  }
  const cfgs = frame.fields.map((f) => fieldConfig(panel, { name: f.name, refId: frame.refId }));
  return (
    <div className="dash-table-wrap">
      {frames.length > 1 && (
        <select className="dash-frame-pick" value={pick} onChange={(e) => setPick(Number(e.target.value))}>
          {frames.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
            <option key={`${f.refId}-${i}`} value={i}>
              {f.fields.find((x) => x.type === "number")?.name ?? f.refId}
            </option>
          ))}
        </select>
      )}
      <table className="dash-table">
        <thead>
          <tr>
            {frame.fields.map((f, c) => (
              <th
                // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
                key={`${f.name}-${c}`}
                onClick={() =>
                  setSort(
                    sort?.col === c
                      ? sort.desc
                        ? undefined
                        : { col: c, desc: true }
                      : { col: c, desc: false },
                  )
                }
              >
                {cfgs[c]?.displayName ?? f.name}
                {sort?.col === c ? (sort.desc ? " ↓" : " ↑") : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 500).map((r) => (
            <tr key={r}>
              {frame.fields.map((f, c) => {
                const v = f.values[r] ?? null;
                const cfg = cfgs[c]!;
                const mapped = applyMappings(v, cfg.mappings);
                const text =
                  mapped?.text ??
                  (f.type === "time" && typeof v === "number"
                    ? formatAbsolute(v)
                    : typeof v === "number"
                      ? formatUnit(v, cfg.unit, cfg.decimals)
                      : String(v ?? ""));
                const cell = str(obj(cfg.custom.cellOptions).type, str(cfg.custom.displayMode, "auto"));
                const color = mapped?.color ?? (typeof v === "number" ? thresholdColor(v, cfg) : undefined);
                const style =
                  cell === "color-background" && color !== undefined
                    ? { background: color, color: "#fff" }
                    : cell === "color-text" && color !== undefined
                      ? { color }
                      : {};
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
                  <td key={`${f.name}-${c}`} style={style} className={typeof v === "number" ? "num" : ""}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
