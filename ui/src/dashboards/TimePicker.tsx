/**
 * The time picker: quick ranges, absolute from/to (Grafana's text:
 * `now-6h`, dates), zoom out, refresh now, and the auto-refresh interval.
 */
import { useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { describeRange, QUICK_RANGES, type RawRange, REFRESH_INTERVALS, resolveRange } from "./timeRange.ts";

/** Props of {@link TimePicker}. */
export interface TimePickerProps {
  readonly raw: RawRange;
  readonly refresh: string;
  readonly onRange: (r: RawRange) => void;
  readonly onZoomOut: () => void;
  readonly onRefresh: () => void;
  readonly onAutoRefresh: (interval: string) => void;
}

/** Draws the picker. */
export function TimePicker(p: TimePickerProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(p.raw.from);
  const [to, setTo] = useState(p.raw.to);
  const [error, setError] = useState<string | undefined>(undefined);
  const apply = () => {
    const r = resolveRange({ from, to }, Date.now());
    if ("error" in r) {
      setError(r.error);
      return;
    }
    setError(undefined);
    setOpen(false);
    p.onRange({ from, to });
  };
  return (
    <div className="dash-time">
      <button
        type="button"
        data-testid="time-picker"
        onClick={() => {
          setFrom(p.raw.from);
          setTo(p.raw.to);
          setOpen(!open);
        }}
      >
        {describeRange(p.raw)}
      </button>
      <button type="button" title={t("dash.zoomOut")} data-testid="zoom-out" onClick={p.onZoomOut}>
        ⊖
      </button>
      <button type="button" title={t("dash.refresh")} data-testid="refresh" onClick={p.onRefresh}>
        ⟳
      </button>
      <select
        value={p.refresh}
        aria-label={t("dash.autoRefresh")}
        data-testid="auto-refresh"
        onChange={(e) => p.onAutoRefresh(e.target.value)}
      >
        <option value="">{t("dash.off")}</option>
        {REFRESH_INTERVALS.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {open && (
        <div className="dash-time-pop" data-testid="time-pop">
          <div className="dash-time-abs">
            <label>
              {t("dash.from")}
              <input value={from} data-testid="time-from" onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              {t("dash.to")}
              <input value={to} data-testid="time-to" onChange={(e) => setTo(e.target.value)} />
            </label>
            {error !== undefined && <div className="dash-error">{error}</div>}
            <button type="button" className="primary" data-testid="time-apply" onClick={apply}>
              {t("dash.applyRange")}
            </button>
          </div>
          <div className="dash-time-quick">
            {QUICK_RANGES.map((q) => (
              <button
                type="button"
                key={q.display}
                onClick={() => {
                  setOpen(false);
                  p.onRange({ from: q.from, to: q.to });
                }}
              >
                {q.display}
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
