/**
 * The Query page's state in the URL, upstream's encoding: `g<i>.expr`,
 * `g<i>.tab` (`table`/`graph`, 2.x's `0`/`1` accepted), `g<i>.range_input`,
 * `g<i>.end_input` (`YYYY-MM-DD HH:mm:ss`, UTC; `moment_input` read too),
 * `g<i>.res_step` (seconds; 2.x's `step_input` read too) and
 * `g<i>.display_mode` (`lines`/`stacked`).
 */
import { formatDuration, formatTimestamp, parseDuration } from "../../lib/format.ts";

/** One query panel. */
export interface PanelState {
  readonly expr: string;
  readonly tab: "table" | "graph";
  /** The graph's range, ms. */
  readonly rangeMs: number;
  /** The graph's end and the table's evaluation time, ms; null for now. */
  readonly endMs: number | null;
  /** The graph's step, s; null for automatic. */
  readonly stepS: number | null;
  readonly stacked: boolean;
}

/** A new, empty panel. */
export const DEFAULT_PANEL: PanelState = {
  expr: "",
  tab: "table",
  rangeMs: 3600_000,
  endMs: null,
  stepS: null,
  stacked: false,
};

function parseTime(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const ms = Date.parse(`${text.trim().replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? null : ms;
}

function parsePanel(p: URLSearchParams, i: number): PanelState {
  const get = (k: string) => p.get(`g${i}.${k}`);
  const tab = get("tab");
  const step = Number(get("res_step") ?? get("step_input") ?? "");
  return {
    expr: get("expr") ?? "",
    tab: tab === "graph" || tab === "0" ? "graph" : "table",
    rangeMs: parseDuration(get("range_input") ?? "") ?? DEFAULT_PANEL.rangeMs,
    endMs: parseTime(get("end_input") ?? get("moment_input")),
    stepS: Number.isFinite(step) && step > 0 ? step : null,
    stacked: get("display_mode") === "stacked" || get("stacked") === "1",
  };
}

/** The panels a query string describes; one empty panel when it names none. */
export function parsePanels(search: string): PanelState[] {
  const p = new URLSearchParams(search);
  const panels: PanelState[] = [];
  for (let i = 0; p.has(`g${i}.expr`) || p.has(`g${i}.tab`); i++) panels.push(parsePanel(p, i));
  return panels.length === 0 ? [DEFAULT_PANEL] : panels;
}

/** The query string (with `?`) for `panels`. */
export function panelsToSearch(panels: readonly PanelState[]): string {
  const p = new URLSearchParams();
  panels.forEach((panel, i) => {
    const set = (k: string, v: string) => p.set(`g${i}.${k}`, v);
    set("expr", panel.expr);
    set("tab", panel.tab);
    set("range_input", formatDuration(panel.rangeMs));
    if (panel.endMs !== null) set("end_input", formatTimestamp(panel.endMs, true));
    if (panel.stepS !== null) {
      set("res_type", "fixed");
      set("res_step", String(panel.stepS));
    }
    set("display_mode", panel.stacked ? "stacked" : "lines");
  });
  return `?${p.toString()}`;
}

/** Upstream's automatic step: range/250, at least 1s. */
export function autoStep(rangeMs: number): number {
  return Math.max(Math.floor(rangeMs / 250_000), 1);
}

const RANGE_STEPS = [
  "1m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "6h",
  "12h",
  "1d",
  "2d",
  "1w",
  "2w",
  "4w",
  "8w",
  "1y",
].map((s) => parseDuration(s) ?? 0);

/** The next preset range above (`dir` 1) or below (`dir` -1) `rangeMs`. */
export function stepRange(rangeMs: number, dir: 1 | -1): number {
  if (dir > 0) return RANGE_STEPS.find((r) => r > rangeMs) ?? rangeMs;
  return [...RANGE_STEPS].reverse().find((r) => r < rangeMs) ?? rangeMs;
}
