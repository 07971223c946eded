/**
 * Creating (`/silences/new`, pre-filled from `?filter=`) and editing
 * (`/silences/<id>/edit`; an expired silence is recreated) a silence:
 * matchers editor, start/duration/end, creator (remembered) and comment,
 * a preview of the alerts it would silence, then `POST api/v2/silences`.
 */
import { useEffect, useState } from "react";
import type { Loaded } from "../../api/useApi.ts";
import { LabelBadges } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { useT } from "../../i18n/i18n.ts";
import { navigate, useRoute } from "../../shell/router.tsx";
import { type AmAlert, type Silence, v2Call } from "../api.ts";
import { formatMatcher, type Matcher, type MatchOp, parseFilter } from "../matchers.ts";
import {
  type FormField,
  filledMatchers,
  formFromSilence,
  newForm,
  type SilenceForm,
  validate,
  withDuration,
  withEnd,
  withStart,
} from "../silenceForm.ts";

const CREATOR_KEY = "vigil.am.creator";
const OPS: readonly MatchOp[] = ["=", "!=", "=~", "!~"];

/** The silence id of `/silences/<id>/edit`, or undefined for `/silences/new`. */
function editedId(path: string): string | undefined {
  const m = /^\/silences\/([^/]+)\/edit$/.exec(path);
  return m === null ? undefined : decodeURIComponent(m[1]);
}

/** The `/silences/new` and `/silences/<id>/edit` page. */
export function SilenceFormPage() {
  const t = useT();
  const route = useRoute();
  const id = editedId(route.path);
  const filter = new URLSearchParams(route.search).get("filter") ?? "";
  const [form, setForm] = useState<Loaded<SilenceForm>>({ state: "loading" });
  useEffect(() => {
    const creator = localStorage.getItem(CREATOR_KEY) ?? "";
    if (id === undefined) {
      const parsed = parseFilter(filter);
      const data = newForm(Date.now(), parsed.ok ? parsed.matchers : [], creator);
      setForm({ state: "ok", result: { data, warnings: [] } });
      return;
    }
    const ctl = new AbortController();
    v2Call<Silence>("GET", `silence/${encodeURIComponent(id)}`, { signal: ctl.signal }).then(
      (s) => setForm({ state: "ok", result: { data: formFromSilence(s, Date.now()), warnings: [] } }),
      (err: unknown) => {
        if (!ctl.signal.aborted) setForm({ state: "error", message: (err as Error).message });
      },
    );
    return () => ctl.abort();
  }, [id, filter]);
  const editing = form.state === "ok" && form.result.data.id !== undefined;
  return (
    <div className="page" data-testid="page-silence-form">
      <h1>{t(editing ? "am.editSilence" : "am.newSilence")}</h1>
      <Loader loaded={form}>
        {(f) => (
          <Editor
            form={f}
            onChange={(next) => setForm({ state: "ok", result: { data: next, warnings: [] } })}
          />
        )}
      </Loader>
    </div>
  );
}

function Editor(props: { readonly form: SilenceForm; readonly onChange: (f: SilenceForm) => void }) {
  const t = useT();
  const { form } = props;
  const [errors, setErrors] = useState<Partial<Record<FormField, MessageKey>>>({});
  // Once errors are shown, they follow the edits (a fixed field loses its message).
  const onChange = (next: SilenceForm) => {
    props.onChange(next);
    if (Object.keys(errors).length === 0) return;
    const v = validate(next);
    setErrors(v.ok ? {} : v.errors);
  };
  const [apiError, setApiError] = useState<string | undefined>();
  const [preview, setPreview] = useState<Loaded<readonly AmAlert[]> | undefined>();
  const [busy, setBusy] = useState(false);
  const setMatcher = (i: number, m: Partial<Matcher>) =>
    onChange({ ...form, matchers: form.matchers.map((x, j) => (j === i ? { ...x, ...m } : x)) });
  const fieldError = (f: FormField) =>
    errors[f] === undefined ? null : (
      <div className="error-text" data-testid={`error-${f}`}>
        {t(errors[f])}
      </div>
    );
  const runPreview = async () => {
    const matchers = filledMatchers(form);
    if (matchers.length === 0) {
      setErrors({ matchers: "am.form.errMatchers" });
      return;
    }
    setPreview({ state: "loading" });
    try {
      const alerts = await v2Call<AmAlert[]>("GET", "alerts", {
        params: {
          filter: matchers.map(formatMatcher),
          active: "true",
          silenced: "true",
          inhibited: "true",
          muted: "true",
        },
      });
      setPreview({ state: "ok", result: { data: alerts, warnings: [] } });
    } catch (err) {
      setPreview({ state: "error", message: (err as Error).message });
    }
  };
  const submit = async () => {
    const v = validate(form);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    setErrors({});
    setApiError(undefined);
    setBusy(true);
    try {
      localStorage.setItem(CREATOR_KEY, v.silence.createdBy);
      const res = await v2Call<{ readonly silenceID: string }>("POST", "silences", { body: v.silence });
      navigate(`/silences/${res.silenceID}`);
    } catch (err) {
      setApiError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="card silence-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset>
        <legend>{t("am.form.matchers")}</legend>
        <p className="muted small">{t("am.form.matchersHelp")}</p>
        {form.matchers.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
          <div key={i} className="matcher-row">
            <input
              className="mono"
              aria-label={t("am.form.labelName")}
              placeholder={t("am.form.labelName")}
              data-testid={`matcher-name-${i}`}
              value={m.name}
              onChange={(e) => setMatcher(i, { name: e.target.value })}
            />
            <select
              aria-label={t("am.form.operator")}
              data-testid={`matcher-op-${i}`}
              value={m.op}
              onChange={(e) => setMatcher(i, { op: e.target.value as MatchOp })}
            >
              {OPS.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
            <input
              className="mono"
              aria-label={t("am.form.labelValue")}
              placeholder={t("am.form.labelValue")}
              data-testid={`matcher-value-${i}`}
              value={m.value}
              onChange={(e) => setMatcher(i, { value: e.target.value })}
            />
            <button
              type="button"
              aria-label={t("am.removeMatcher")}
              disabled={form.matchers.length === 1}
              onClick={() => onChange({ ...form, matchers: form.matchers.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          data-testid="add-matcher"
          onClick={() =>
            onChange({ ...form, matchers: [...form.matchers, { name: "", op: "=", value: "" }] })
          }
        >
          {t("am.form.addMatcher")}
        </button>
        {fieldError("matchers")}
      </fieldset>
      <div className="form-grid">
        <label>
          <span>{t("am.form.start")}</span>
          <input
            className="mono"
            data-testid="silence-start"
            value={form.startsAt}
            onChange={(e) => onChange(withStart(form, e.target.value))}
          />
          {fieldError("startsAt")}
        </label>
        <label>
          <span>{t("am.form.duration")}</span>
          <input
            className="mono"
            data-testid="silence-duration"
            value={form.duration}
            onChange={(e) => onChange(withDuration(form, e.target.value))}
          />
          {fieldError("duration")}
        </label>
        <label>
          <span>{t("am.form.end")}</span>
          <input
            className="mono"
            data-testid="silence-end"
            value={form.endsAt}
            onChange={(e) => onChange(withEnd(form, e.target.value))}
          />
          {fieldError("endsAt")}
        </label>
        <label>
          <span>{t("am.form.creator")}</span>
          <input
            data-testid="silence-creator"
            value={form.createdBy}
            onChange={(e) => onChange({ ...form, createdBy: e.target.value })}
          />
          {fieldError("createdBy")}
        </label>
      </div>
      <label className="block">
        <span>{t("am.form.comment")}</span>
        <textarea
          data-testid="silence-comment"
          rows={3}
          value={form.comment}
          onChange={(e) => onChange({ ...form, comment: e.target.value })}
        />
        {fieldError("comment")}
      </label>
      {apiError !== undefined && (
        <div className="alert error" role="alert" data-testid="api-error">
          {t("common.error", { message: apiError })}
        </div>
      )}
      <div className="form-actions">
        <button type="button" data-testid="silence-preview" onClick={() => void runPreview()}>
          {t("am.form.preview")}
        </button>
        <button type="submit" className="primary" data-testid="silence-submit" disabled={busy}>
          {t(form.id === undefined ? "am.form.create" : "am.form.update")}
        </button>
      </div>
      {preview !== undefined && (
        <section className="preview" data-testid="silence-preview-result">
          <Loader loaded={preview}>
            {(alerts) => (
              <>
                <h2>{t("am.form.affected", { count: alerts.length })}</h2>
                {alerts.map((a) => (
                  <div key={a.fingerprint} className="am-alert">
                    <LabelBadges labels={a.labels} />
                  </div>
                ))}
              </>
            )}
          </Loader>
        </section>
      )}
    </form>
  );
}
