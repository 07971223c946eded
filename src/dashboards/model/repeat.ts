/**
 * Repeat by variable, as Grafana lays it out: a panel with `repeat: "var"`
 * is copied once per selected value (side by side with `repeatDirection`
 * `h`, at most `maxPerRow` per line, or stacked with `v`); a row with
 * `repeat` is copied with all its panels. Each copy carries `scopedVars`
 * (`{ var: { text, value } }`) for interpolation, and the panels below move
 * down. Pure and browser-safe (the front end calls it on every variable
 * change); the input is not modified.
 */
import { clone, type JsonObject, num, obj, objects, str } from "./json.ts";
import { GRID_COLUMN_COUNT } from "./migrate_grid.ts";

/** The selected values of each variable by name (already expanded for "All"). */
export type VariableSelections = Readonly<Record<string, readonly { text: string; value: string }[]>>;

interface Pos {
  x: number;
  y: number;
  w: number;
  h: number;
}

function pos(p: JsonObject): Pos {
  const g = obj(p.gridPos);
  return { x: num(g.x) ?? 0, y: num(g.y) ?? 0, w: num(g.w) ?? 12, h: num(g.h) ?? 8 };
}

/**
 * Returns the dashboard's top-level panels with repeats expanded, in grid
 * order. Panels whose variable has no selection are kept once, unscoped.
 */
export function expandRepeats(panels: readonly JsonObject[], selections: VariableSelections): JsonObject[] {
  const out: JsonObject[] = [];
  let shift = 0;
  let nextId = Math.max(0, ...panels.map((p) => num(p.id) ?? 0)) * 1000;
  const sorted = [...panels].sort((a, b) => pos(a).y - pos(b).y || pos(a).x - pos(b).x);
  for (let i = 0; i < sorted.length; i++) {
    const panel = sorted[i]!;
    const p = pos(panel);
    const values = selections[str(panel.repeat)] ?? [];
    if (panel.type === "row" && values.length > 0) {
      const end = sorted.findIndex((q, j) => j > i && q.type === "row");
      const members =
        panel.collapsed === true ? objects(panel.panels) : sorted.slice(i + 1, end === -1 ? undefined : end);
      const rowH = Math.max(1, ...members.map((m) => pos(m).y + pos(m).h - p.y));
      values.forEach((v, k) => {
        const dy = shift + k * (panel.collapsed === true ? 1 : rowH);
        const scoped = { [str(panel.repeat)]: { text: v.text, value: v.value } };
        const row = { ...clone(panel), scopedVars: scoped, gridPos: { ...p, y: p.y + dy } } as JsonObject;
        if (k > 0) row.id = ++nextId;
        const copies = members.map((m) => {
          const c = clone(m);
          c.scopedVars = { ...obj(m.scopedVars), ...scoped };
          c.gridPos = { ...pos(m), y: pos(m).y + dy };
          if (k > 0) c.id = ++nextId;
          return c;
        });
        if (panel.collapsed === true) row.panels = copies;
        out.push(row, ...(panel.collapsed === true ? [] : copies));
      });
      shift += (values.length - 1) * (panel.collapsed === true ? 1 : rowH);
      if (panel.collapsed !== true) i = end === -1 ? sorted.length : end - 1;
      continue;
    }
    if (panel.type !== "row" && values.length > 0) {
      const copies = repeatPanel(panel, p, values, shift, () => ++nextId);
      out.push(...copies);
      const bottom = Math.max(...copies.map((c) => pos(c).y + pos(c).h));
      shift = bottom - (p.y + p.h);
      continue;
    }
    out.push({ ...clone(panel), gridPos: { ...p, y: p.y + shift } });
  }
  return out;
}

function repeatPanel(
  panel: JsonObject,
  p: Pos,
  values: VariableSelections[string],
  shift: number,
  newId: () => number,
): JsonObject[] {
  const name = str(panel.repeat);
  const vertical = panel.repeatDirection === "v";
  const maxPerRow = num(panel.maxPerRow) ?? 4;
  const w = vertical ? p.w : Math.max(GRID_COLUMN_COUNT / values.length, GRID_COLUMN_COUNT / maxPerRow);
  const perLine = Math.max(1, Math.floor(GRID_COLUMN_COUNT / w));
  return values.map((v, k) => {
    const c = clone(panel);
    c.scopedVars = { ...obj(panel.scopedVars), [name]: { text: v.text, value: v.value } };
    c.gridPos = vertical
      ? { x: p.x, y: p.y + shift + k * p.h, w: p.w, h: p.h }
      : { x: (k % perLine) * w, y: p.y + shift + Math.floor(k / perLine) * p.h, w, h: p.h };
    if (k > 0) {
      c.id = newId();
      c.repeatPanelId = num(panel.id) ?? 0;
    }
    return c;
  });
}
