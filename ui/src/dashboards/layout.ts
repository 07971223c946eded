/**
 * The dashboard grid: Grafana's 24 columns, rows that collapse (a collapsed
 * row keeps its panels in `row.panels`), and vertical compaction (each
 * panel moves up until it meets one above, as react-grid-layout does).
 * Pure.
 */
import { type JsonObject, num, obj, objects } from "../../../src/dashboards/model/json.ts";

/** A panel placed on the grid (grid units). */
export interface Placed {
  readonly panel: JsonObject;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** For rows: whether it is shown collapsed. */
  readonly collapsed?: boolean;
}

function gp(p: JsonObject): { x: number; y: number; w: number; h: number } {
  const g = obj(p.gridPos);
  const w = Math.min(24, Math.max(1, num(g.w) ?? 12));
  return {
    x: Math.min(24 - w, Math.max(0, num(g.x) ?? 0)),
    y: num(g.y) ?? 0,
    w,
    h: Math.max(1, num(g.h) ?? 8),
  };
}

/** A row's key for the collapse state (its id, else its title). */
export function rowKey(row: JsonObject): string {
  return String(row.id ?? row.title ?? "");
}

/**
 * The panels to show: rows with the panels under them, except those of
 * collapsed rows; `toggled` flips a row's saved `collapsed` state.
 */
export function visiblePanels(panels: readonly JsonObject[], toggled: ReadonlySet<string>): Placed[] {
  const sorted = [...panels].sort((a, b) => gp(a).y - gp(b).y || gp(a).x - gp(b).x);
  const out: { panel: JsonObject; pos: ReturnType<typeof gp>; collapsed?: boolean }[] = [];
  let hiding = false;
  for (const p of sorted) {
    if (p.type !== "row") {
      if (!hiding) out.push({ panel: p, pos: gp(p) });
      continue;
    }
    const saved = p.collapsed === true;
    const collapsed = toggled.has(rowKey(p)) ? !saved : saved;
    out.push({ panel: p, pos: { ...gp(p), x: 0, w: 24, h: 1 }, collapsed });
    hiding = collapsed && !saved;
    if (!collapsed && saved) {
      const base = gp(p).y + 1;
      const inner = objects(p.panels);
      const top = Math.min(...inner.map((q) => gp(q).y));
      for (const q of inner) out.push({ panel: q, pos: { ...gp(q), y: base + gp(q).y - top + 0.5 } });
    }
  }
  return compact(
    out.map((o) => ({
      panel: o.panel,
      ...o.pos,
      ...(o.collapsed !== undefined ? { collapsed: o.collapsed } : {}),
    })),
  );
}

/** Moves every item up as far as the items above it allow, keeping the order. */
export function compact(items: readonly Placed[]): Placed[] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const placed: Placed[] = [];
  for (const it of sorted) {
    let y = 0;
    for (const p of placed) if (p.x < it.x + it.w && it.x < p.x + p.w) y = Math.max(y, p.y + p.h);
    placed.push({ ...it, y });
  }
  return placed;
}
