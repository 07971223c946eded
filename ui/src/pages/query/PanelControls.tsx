/** The Graph tab's range, end time, resolution and stacking controls, and a time input. */
import { useEffect, useState } from "react";
import { useT } from "../../i18n/i18n.ts";
import { formatDuration, formatTimestamp, parseDuration } from "../../lib/format.ts";
import { autoStep, type PanelState, stepRange } from "./urlState.ts";

/** A `datetime-local` input in local time or UTC; empty (null) means now. */
export function TimeInput(props: {
  readonly label: string;
  readonly valueMs: number | null;
  readonly utc: boolean;
  readonly onChange: (ms: number | null) => void;
}) {
  const t = useT();
  const value = props.valueMs === null ? "" : formatTimestamp(props.valueMs, props.utc).replace(" ", "T");
  return (
    <label className="control">
      <span>{props.label}</span>
      <input
        type="datetime-local"
        step={1}
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          if (v === "") return props.onChange(null);
          const ms = props.utc ? Date.parse(`${v}Z`) : Date.parse(v);
          if (!Number.isNaN(ms)) props.onChange(ms);
        }}
      />
      {props.valueMs !== null && (
        <button type="button" onClick={() => props.onChange(null)}>
          {t("query.now")}
        </button>
      )}
    </label>
  );
}

/** A text input committed on blur or Enter, reverting when `parse` rejects it. */
function CommitInput(props: {
  readonly value: string;
  readonly placeholder?: string;
  readonly label: string;
  readonly parse: (text: string) => boolean;
}) {
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  const commit = () => {
    if (!props.parse(text)) setText(props.value);
  };
  return (
    <input
      type="text"
      size={7}
      aria-label={props.label}
      value={text}
      placeholder={props.placeholder}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
      }}
    />
  );
}

/** Range −/+, end time, step and stacked toggle for a graph panel. */
export function RangeControls(props: {
  readonly panel: PanelState;
  readonly utc: boolean;
  readonly onChange: (patch: Partial<PanelState>) => void;
}) {
  const t = useT();
  const { panel, onChange } = props;
  return (
    <>
      <span className="control">
        <span>{t("query.range")}</span>
        <button
          type="button"
          title={t("query.shrinkRange")}
          onClick={() => onChange({ rangeMs: stepRange(panel.rangeMs, -1) })}
        >
          −
        </button>
        <CommitInput
          label={t("query.range")}
          value={formatDuration(panel.rangeMs)}
          parse={(s) => {
            const ms = parseDuration(s);
            if (ms !== undefined) onChange({ rangeMs: ms });
            return ms !== undefined;
          }}
        />
        <button
          type="button"
          title={t("query.growRange")}
          onClick={() => onChange({ rangeMs: stepRange(panel.rangeMs, 1) })}
        >
          +
        </button>
      </span>
      <TimeInput
        label={t("query.endTime")}
        valueMs={panel.endMs}
        utc={props.utc}
        onChange={(endMs) => onChange({ endMs })}
      />
      <span className="control">
        <span>{t("query.step")}</span>
        <CommitInput
          label={t("query.step")}
          value={panel.stepS === null ? "" : String(panel.stepS)}
          placeholder={`${t("query.stepAuto")} (${autoStep(panel.rangeMs)}s)`}
          parse={(s) => {
            if (s.trim() === "") {
              onChange({ stepS: null });
              return true;
            }
            const ms = parseDuration(s);
            if (ms !== undefined) onChange({ stepS: ms / 1000 });
            return ms !== undefined;
          }}
        />
      </span>
      <label className="control">
        <input
          type="checkbox"
          checked={panel.stacked}
          onChange={(e) => onChange({ stacked: e.target.checked })}
        />
        <span>{t("query.stacked")}</span>
      </label>
    </>
  );
}
