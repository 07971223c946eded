/**
 * Data sources (admins): list them with their URL, add a Prometheus-type
 * one (URL, basic auth, one custom header, default), "Test" it through
 * `GET /api/datasources/uid/<uid>/health`, delete it.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import type { MessageKey } from "../../i18n/en.ts";
import { useT } from "../../i18n/i18n.ts";
import { gapi } from "../api.ts";
import { type DataSourceDraft as Draft, dataSourceBody, EMPTY_DRAFT as EMPTY } from "../datasource.ts";

interface DataSourceRow {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly url: string;
  readonly isDefault: boolean;
}

interface Health {
  readonly status: string;
  readonly message: string;
}

/** Lists, adds, tests and deletes data sources. */
export function DataSourcesPage() {
  const t = useT();
  const [rows, setRows] = useState<DataSourceRow[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [health, setHealth] = useState<Record<string, Health>>({});
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const fail = useCallback((err: unknown) => setError(err instanceof Error ? err.message : String(err)), []);
  const reload = useCallback(() => {
    gapi<DataSourceRow[]>("api/datasources").then((r) => {
      setRows(r);
      setError(undefined);
    }, fail);
  }, [fail]);
  useEffect(() => reload(), [reload]);

  const test = (uid: string) => {
    gapi<Health>(`api/datasources/uid/${encodeURIComponent(uid)}/health`).then(
      (h) => setHealth((m) => ({ ...m, [uid]: h })),
      (err: unknown) =>
        setHealth((m) => ({
          ...m,
          [uid]: { status: "ERROR", message: err instanceof Error ? err.message : "" },
        })),
    );
  };
  const remove = (uid: string) => {
    gapi(`api/datasources/uid/${encodeURIComponent(uid)}`, { method: "DELETE" }).then(reload, fail);
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    gapi("api/datasources", { method: "POST", body: dataSourceBody(draft) }).then(() => {
      setDraft(EMPTY);
      reload();
    }, fail);
  };
  const field = (key: keyof Draft, label: MessageKey, type = "text") => (
    <label>
      {t(label)}
      <input
        type={type}
        value={String(draft[key])}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={`ds-${key}`}
      />
    </label>
  );

  return (
    <div className="dash-home" data-testid="datasources">
      <h1>{t("dash.datasources")}</h1>
      {error !== undefined && <p className="dash-error">{error}</p>}
      <section className="card">
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("dash.dsName")}</th>
              <th>{t("dash.dsUrl")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((ds) => (
              <tr key={ds.uid} data-testid="ds-row">
                <td>
                  {ds.name} {ds.isDefault && <span className="dash-tag">{t("dash.dsDefault")}</span>}
                </td>
                <td className="mono">{ds.url}</td>
                <td>
                  <button type="button" onClick={() => test(ds.uid)} data-testid="ds-test">
                    {t("dash.dsTest")}
                  </button>{" "}
                  <button type="button" onClick={() => remove(ds.uid)}>
                    {t("dash.dsDelete")}
                  </button>
                  {health[ds.uid] !== undefined && (
                    <span
                      className={health[ds.uid]!.status === "OK" ? "muted" : "dash-error"}
                      data-testid="ds-health"
                    >
                      {" "}
                      {health[ds.uid]!.message}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <form className="card dash-form" onSubmit={add}>
        <h2>{t("dash.dsAdd")}</h2>
        {field("name", "dash.dsName")}
        {field("url", "dash.dsUrl")}
        {field("basicAuthUser", "dash.dsBasicUser")}
        {field("basicAuthPassword", "dash.dsBasicPassword", "password")}
        {field("headerName", "dash.dsHeaderName")}
        {field("headerValue", "dash.dsHeaderValue", "password")}
        <label>
          <input
            type="checkbox"
            checked={draft.isDefault}
            onChange={(e) => setDraft({ ...draft, isDefault: e.target.checked })}
          />{" "}
          {t("dash.dsDefault")}
        </label>
        <button type="submit" data-testid="ds-save">
          {t("dash.dsSave")}
        </button>
      </form>
    </div>
  );
}
