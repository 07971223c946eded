/** The filter bar of list pages: a text box and toggles for states. */
import { useT } from "../i18n/i18n.ts";

/** One state toggle: its value, shown text and how many items have it. */
export interface StateOption {
  readonly value: string;
  readonly label: string;
  readonly count?: number;
}

/** A text filter plus state toggles; `selected` empty means all states. */
export function FilterBar(props: {
  readonly text: string;
  readonly onText: (text: string) => void;
  readonly states?: readonly StateOption[];
  readonly selected?: ReadonlySet<string>;
  readonly onToggle?: (value: string) => void;
}) {
  const t = useT();
  return (
    <div className="filter-bar">
      {props.states?.map((s) => (
        <label key={s.value} className="chip">
          <input
            type="checkbox"
            checked={props.selected?.has(s.value) ?? false}
            onChange={() => props.onToggle?.(s.value)}
            data-testid={`state-${s.value}`}
          />
          {s.label}
          {s.count !== undefined && ` (${s.count})`}
        </label>
      ))}
      <input
        type="search"
        className="filter-text"
        placeholder={t("common.filter")}
        aria-label={t("common.filter")}
        value={props.text}
        onChange={(e) => props.onText(e.target.value)}
      />
    </div>
  );
}

/** True when `text` (case-insensitive) occurs in any of `fields`. */
export function matchesText(text: string, ...fields: readonly string[]): boolean {
  const needle = text.trim().toLowerCase();
  return needle === "" || fields.some((f) => f.toLowerCase().includes(needle));
}

/** Toggles `value` in a set, returning a new set. */
export function toggled(set: ReadonlySet<string>, value: string): Set<string> {
  const next = new Set(set);
  if (!next.delete(value)) next.add(value);
  return next;
}
