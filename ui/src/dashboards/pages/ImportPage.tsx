/**
 * Import: paste JSON or pick a file; the dashboard's `__inputs` each get a
 * data source (of the input's plugin type) or a value; the server refuses
 * a bad model with its reason, shown here; a uid already used asks for
 * overwrite.
 */
import { useEffect, useState } from "react";
import { isObject, type JsonObject, objects, str } from "../../../../src/dashboards/model/json.ts";
import { useT } from "../../i18n/i18n.ts";
import { navigate } from "../../shell/router.tsx";
import { type DataSource, dataSources, importDashboard } from "../api.ts";

/** The import page. */
export function ImportPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [parsed, setParsed] = useState<JsonObject | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [ds, setDs] = useState<DataSource[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [overwrite, setOverwrite] = useState(false);
  useEffect(() => {
    dataSources().then(setDs, () => undefined);
  }, []);
  const load = (src: string) => {
    setText(src);
    try {
      const d = JSON.parse(src) as unknown;
      if (!isObject(d)) throw new Error(t("dash.notObject"));
      setParsed(d);
      setError(undefined);
      const init: Record<string, string> = {};
      for (const i of objects(d.__inputs)) {
        const first = ds.find((x) => x.type === str(i.pluginId, "prometheus"));
        init[str(i.name)] = i.type === "datasource" ? (first?.uid ?? "") : str(i.value);
      }
      setValues(init);
    } catch (err) {
      setParsed(undefined);
      setError(t("dash.badJson", { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  const submit = async () => {
    if (parsed === undefined) return;
    const inputs = objects(parsed.__inputs).map((i) => ({
      name: str(i.name),
      type: str(i.type, "datasource"),
      pluginId: str(i.pluginId),
      value: values[str(i.name)] ?? "",
    }));
    try {
      const r = await importDashboard(parsed, inputs, overwrite);
      navigate(`/d/${encodeURIComponent(r.uid)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="dash-import" data-testid="import">
      <h1>{t("dash.importTitle")}</h1>
      <label className="button-link">
        {t("dash.uploadFile")}
        <input
          type="file"
          accept=".json,application/json"
          hidden
          onChange={(e) => e.target.files?.[0]?.text().then(load)}
          data-testid="import-file"
        />
      </label>
      <textarea
        className="dash-import-text"
        rows={14}
        value={text}
        placeholder={t("dash.pasteJson")}
        onChange={(e) => load(e.target.value)}
        data-testid="import-json"
      />
      {parsed !== undefined && (
        <div className="card dash-import-opts">
          <div>
            {t("dash.title")}: <strong>{str(parsed.title)}</strong>{" "}
            {parsed.uid ? `(uid ${str(parsed.uid)})` : ""}
          </div>
          {objects(parsed.__inputs).map((i) => (
            // biome-ignore lint/a11y/noLabelWithoutControl: the control is rendered inside the label
            <label key={str(i.name)}>
              {str(i.label, str(i.name))}
              {i.type === "datasource" ? (
                <select
                  data-testid={`input-${str(i.name)}`}
                  value={values[str(i.name)] ?? ""}
                  onChange={(e) => setValues({ ...values, [str(i.name)]: e.target.value })}
                >
                  <option value="">—</option>
                  {ds
                    .filter((d) => d.type === str(i.pluginId, d.type))
                    .map((d) => (
                      <option key={d.uid} value={d.uid}>
                        {d.name}
                      </option>
                    ))}
                </select>
              ) : (
                <input
                  value={values[str(i.name)] ?? ""}
                  onChange={(e) => setValues({ ...values, [str(i.name)]: e.target.value })}
                />
              )}
            </label>
          ))}
          <label>
            <input
              type="checkbox"
              checked={overwrite}
              onChange={(e) => setOverwrite(e.target.checked)}
              data-testid="import-overwrite"
            />{" "}
            {t("dash.overwrite")}
          </label>
        </div>
      )}
      {error !== undefined && (
        <p className="dash-error" data-testid="import-error">
          {error}
        </p>
      )}
      <button
        type="button"
        className="primary"
        disabled={text === ""}
        onClick={submit}
        data-testid="import-submit"
      >
        {t("dash.import")}
      </button>
    </div>
  );
}
