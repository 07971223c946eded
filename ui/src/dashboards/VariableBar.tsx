/**
 * The template variable bar: a select per single-value variable, a checkbox
 * list for multi-value ones (choosing "All" clears the others and the
 * reverse), a text field for textbox variables; hidden variables (`hide: 2`)
 * are not shown, `hide: 1` hides the label. A query error shows on the
 * variable.
 */
import { type JsonObject, str } from "../../../src/dashboards/model/json.ts";
import { ALL_VALUE } from "../../../src/dashboards/model/variables/interpolate.ts";
import type { ResolvedVariable } from "../../../src/dashboards/model/variables/resolve.ts";

/** Props: the variables' definitions and their evaluation, and the change callback. */
export interface VariableBarProps {
  readonly list: readonly JsonObject[];
  readonly resolved: ReadonlyMap<string, ResolvedVariable>;
  readonly onChange: (name: string, value: string | string[]) => void;
}

function values(v: ResolvedVariable): string[] {
  const c = v.current.value;
  return typeof c === "string" ? [c] : [...c];
}

/** Draws the bar. */
export function VariableBar({ list, resolved, onChange }: VariableBarProps) {
  return (
    <div className="dash-vars" data-testid="variables">
      {list.map((def) => {
        const name = str(def.name);
        const v = resolved.get(name);
        if (v === undefined || def.hide === 2 || def.type === "constant") return null;
        const label = def.hide === 1 ? "" : str(def.label) || name;
        let control: React.ReactNode;
        if (def.type === "textbox")
          control = (
            <input
              defaultValue={values(v)[0] ?? ""}
              data-testid={`var-${name}`}
              onKeyDown={(e) => e.key === "Enter" && onChange(name, e.currentTarget.value)}
              onBlur={(e) =>
                e.currentTarget.value !== (values(v)[0] ?? "") && onChange(name, e.currentTarget.value)
              }
            />
          );
        else if (v.multi) {
          const selected = new Set(values(v));
          const text = selected.has(ALL_VALUE)
            ? "All"
            : v.options
                .filter((o) => selected.has(o.value))
                .map((o) => o.text)
                .join(" + ");
          control = (
            <details className="dash-multi" data-testid={`var-${name}`}>
              <summary>{text || "None"}</summary>
              <div className="dash-multi-list">
                {v.options.map((o) => (
                  <label key={o.value}>
                    <input
                      type="checkbox"
                      checked={selected.has(o.value)}
                      onChange={(e) => {
                        let next = new Set(selected);
                        if (o.value === ALL_VALUE) next = e.target.checked ? new Set([ALL_VALUE]) : new Set();
                        else {
                          next.delete(ALL_VALUE);
                          if (e.target.checked) next.add(o.value);
                          else next.delete(o.value);
                        }
                        onChange(name, [...next]);
                      }}
                    />
                    {o.text}
                  </label>
                ))}
              </div>
            </details>
          );
        } else
          control = (
            <select
              data-testid={`var-${name}`}
              value={values(v)[0] ?? ""}
              onChange={(e) => onChange(name, e.target.value)}
            >
              {v.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.text}
                </option>
              ))}
            </select>
          );
        return (
          <div key={name} className="dash-var" title={v.error}>
            {label !== "" && <span className="dash-var-label">{label}</span>}
            {control}
            {v.error !== undefined && <span className="dash-var-err">!</span>}
          </div>
        );
      })}
    </div>
  );
}
