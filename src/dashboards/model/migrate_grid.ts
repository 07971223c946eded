/**
 * Schema 16: the pre-Grafana-5 layout (`rows[]` of panels sized by `span`
 * out of 12 and rows by pixel `height`) becomes the 24-column grid of
 * `panels[]` with `gridPos`, rows becoming `row` panels when any row shows a
 * title, collapses or repeats (as Grafana's `upgradeToGridLayout`).
 * Browser-safe: no Node imports.
 */
import { isObject, type JsonObject, num, objects } from "./json.ts";

/** Grafana's grid: 24 columns, cells 30 px high with an 8 px margin. */
export const GRID_COLUMN_COUNT = 24;
const GRID_CELL_HEIGHT = 30;
const GRID_CELL_VMARGIN = 8;
const DEFAULT_ROW_HEIGHT = 250;
const MIN_PANEL_HEIGHT = GRID_CELL_HEIGHT * 3;
const DEFAULT_PANEL_SPAN = 4;

/** Pixel height (number or `"250px"`) to grid units, at least 3 cells' worth. */
export function gridHeight(height: unknown): number {
  let px = typeof height === "string" ? Number.parseInt(height.replace("px", ""), 10) : num(height);
  if (px === undefined || Number.isNaN(px)) px = DEFAULT_ROW_HEIGHT;
  if (px < MIN_PANEL_HEIGHT) px = MIN_PANEL_HEIGHT;
  return Math.ceil(px / (GRID_CELL_HEIGHT + GRID_CELL_VMARGIN));
}

/** Places panels of one row left to right, wrapping below the lowest panel of the line. */
class RowArea {
  private readonly used: { x: number; w: number; bottom: number }[] = [];
  private x = 0;
  private lineY: number;
  constructor(y: number) {
    this.lineY = y;
  }
  place(w: number, h: number): { x: number; y: number } {
    if (this.x + w > GRID_COLUMN_COUNT) {
      this.lineY = Math.max(this.lineY, ...this.used.map((u) => u.bottom));
      this.used.length = 0;
      this.x = 0;
    }
    const pos = { x: this.x, y: this.lineY };
    this.used.push({ x: this.x, w, bottom: this.lineY + h });
    this.x += w;
    return pos;
  }
  bottom(): number {
    return Math.max(this.lineY, ...this.used.map((u) => u.bottom));
  }
}

/** Moves `d.rows` into `d.panels` with grid positions; no-op when the dashboard has no rows. */
export function upgradeToGridLayout(d: JsonObject): void {
  const rows = objects(d.rows);
  delete d.rows;
  if (rows.length === 0) return;
  const panels: JsonObject[] = objects(d.panels);
  let nextId = Math.max(0, ...rows.flatMap((r) => objects(r.panels).map((p) => num(p.id) ?? 0))) + 1;
  const showRows = rows.some((r) => r.collapse === true || r.showTitle === true || isSet(r.repeat));
  let y = 0;
  for (const row of rows) {
    if (isSet(row.repeatIteration)) continue;
    const rowH = gridHeight(row.height ?? DEFAULT_ROW_HEIGHT);
    let rowPanel: JsonObject | undefined;
    const collapsed = row.collapse === true;
    if (showRows) {
      rowPanel = {
        id: nextId++,
        type: "row",
        title: typeof row.title === "string" ? row.title : "",
        collapsed,
        gridPos: { x: 0, y, w: GRID_COLUMN_COUNT, h: 1 },
        panels: [],
      };
      if (isSet(row.repeat)) rowPanel.repeat = row.repeat ?? null;
      panels.push(rowPanel);
      y++;
    }
    const area = new RowArea(y);
    for (const panel of objects(row.panels)) {
      const span = num(panel.span) ?? DEFAULT_PANEL_SPAN;
      const w = Math.min(GRID_COLUMN_COUNT, Math.floor(span) * (GRID_COLUMN_COUNT / 12)) || 1;
      const h = panel.height !== undefined && panel.height !== null ? gridHeight(panel.height) : rowH;
      const pos = area.place(w, h);
      panel.gridPos = { x: pos.x, y: pos.y, w, h };
      const minSpan = num(panel.minSpan);
      if (minSpan !== undefined) panel.minSpan = Math.min(GRID_COLUMN_COUNT, 2 * minSpan);
      delete panel.span;
      delete panel.height;
      if (rowPanel !== undefined && collapsed) (rowPanel.panels as JsonObject[]).push(panel);
      else panels.push(panel);
    }
    if (!(rowPanel !== undefined && collapsed)) y = area.bottom();
  }
  d.panels = panels;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "" && v !== false;
}

/** Schema 17: a panel's `minSpan` becomes `maxPerRow` (the largest factor of 24 that fits). */
export function minSpanToMaxPerRow(panel: JsonObject): void {
  const minSpan = num(panel.minSpan);
  if (minSpan === undefined) return;
  const max = GRID_COLUMN_COUNT / minSpan;
  const factors = [1, 2, 3, 4, 6, 8, 12, 24].filter((f) => f <= max);
  panel.maxPerRow = factors[factors.length - 1] ?? 1;
  delete panel.minSpan;
}

/** Every panel of the dashboard, including those nested in collapsed rows. */
export function allPanels(d: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  for (const p of objects(d.panels)) {
    out.push(p);
    if (p.type === "row" && isObject(p) && Array.isArray(p.panels)) out.push(...objects(p.panels));
  }
  return out;
}
