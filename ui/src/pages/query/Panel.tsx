/** One query panel: editor, Table/Graph tabs with their controls, the result and its statistics. */
import { useEffect, useState } from "react";
import { apiGet } from "../../api/client.ts";
import type { QueryData } from "../../api/types.ts";
import { useT } from "../../i18n/i18n.ts";
import { formatSeconds } from "../../lib/format.ts";
import { PromQLEditor } from "./Editor.tsx";
import { GraphView } from "./GraphView.tsx";
import { addToHistory } from "./history.ts";
import { RangeControls, TimeInput } from "./PanelControls.tsx";
import { TableView } from "./TableView.tsx";
import { autoStep, type PanelState } from "./urlState.ts";

/** A finished query: what was asked and what came back. */
type Outcome =
  | { readonly state: "idle" }
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly message: string }
  | {
      readonly state: "ok";
      readonly data: QueryData;
      readonly warnings: readonly string[];
      readonly loadMs: number;
      readonly startS: number;
      readonly endS: number;
      readonly stepS: number;
    };

/** Props of {@link Panel}. */
export interface PanelProps {
  readonly panel: PanelState;
  readonly utc: boolean;
  readonly history: readonly string[];
  readonly onChange: (next: PanelState) => void;
  readonly onRemove?: () => void;
  readonly onHistory: (history: string[]) => void;
}

function seriesCount(d: QueryData): number {
  return d.resultType === "vector" || d.resultType === "matrix" ? d.result.length : 1;
}

/** A query panel. */
export function Panel(props: PanelProps) {
  const t = useT();
  const { panel, onChange } = props;
  const [draft, setDraft] = useState(panel.expr);
  const [runs, setRuns] = useState(panel.expr === "" ? 0 : 1);
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });
  const set = (patch: Partial<PanelState>) => onChange({ ...panel, ...patch });
  const run = () => {
    props.onHistory(addToHistory(draft));
    onChange({ ...panel, expr: draft });
    setRuns((n) => n + 1);
  };

  useEffect(() => {
    if (runs === 0 || panel.expr.trim() === "") return;
    const ctl = new AbortController();
    const endMs = panel.endMs ?? Date.now();
    const began = performance.now();
    setOutcome({ state: "loading" });
    const graph = panel.tab === "graph";
    const stepS = panel.stepS ?? autoStep(panel.rangeMs);
    const endS = Math.floor(endMs / 1000);
    const startS = endS - Math.floor(panel.rangeMs / 1000);
    const req = graph
      ? apiGet<QueryData>(
          "query_range",
          { query: panel.expr, start: String(startS), end: String(endS), step: String(stepS), stats: "all" },
          ctl.signal,
        )
      : apiGet<QueryData>(
          "query",
          { query: panel.expr, time: String(endMs / 1000), stats: "all" },
          ctl.signal,
        );
    req.then(
      (r) =>
        setOutcome({
          state: "ok",
          data: r.data,
          warnings: r.warnings,
          loadMs: Math.round(performance.now() - began),
          startS,
          endS,
          stepS,
        }),
      (err: unknown) => {
        if (!ctl.signal.aborted) setOutcome({ state: "error", message: (err as Error).message });
      },
    );
    return () => ctl.abort();
  }, [runs, panel.expr, panel.tab, panel.rangeMs, panel.endMs, panel.stepS]);

  return (
    <section className="card panel" data-testid="query-panel">
      <div className="panel-editor">
        <PromQLEditor value={draft} placeholder={t("query.placeholder")} onChange={setDraft} onRun={run} />
        <button type="button" className="primary" onClick={run} data-testid="execute">
          {t("query.execute")}
        </button>
        {props.onRemove !== undefined && (
          <button
            type="button"
            className="icon-button"
            title={t("query.removePanel")}
            onClick={props.onRemove}
          >
            ✕
          </button>
        )}
      </div>
      <div className="panel-tools">
        <select
          aria-label={t("query.history")}
          value=""
          onChange={(e) => {
            if (e.target.value !== "") setDraft(e.target.value);
          }}
        >
          <option value="">{t("query.history")}</option>
          {props.history.length === 0 && <option disabled>{t("query.historyEmpty")}</option>}
          {props.history.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
        <Stats outcome={outcome} />
      </div>
      <div className="tabs" role="tablist">
        {(["table", "graph"] as const).map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={panel.tab === tab}
            className={panel.tab === tab ? "tab active" : "tab"}
            onClick={() => set({ tab })}
            data-testid={`tab-${tab}`}
          >
            {t(tab === "table" ? "query.table" : "query.graph")}
          </button>
        ))}
      </div>
      <div className="panel-controls">
        {panel.tab === "graph" ? (
          <RangeControls panel={panel} utc={props.utc} onChange={set} />
        ) : (
          <TimeInput
            label={t("query.evalTime")}
            valueMs={panel.endMs}
            utc={props.utc}
            onChange={(endMs) => set({ endMs })}
          />
        )}
      </div>
      <Result outcome={outcome} panel={panel} utc={props.utc} onChange={set} />
    </section>
  );
}

function Stats({ outcome }: { readonly outcome: Outcome }) {
  const t = useT();
  if (outcome.state !== "ok") return null;
  const evalS = outcome.data.stats?.timings?.evalTotalTime;
  const samples = outcome.data.stats?.samples?.totalQueryableSamples;
  return (
    <span className="muted stats" data-testid="query-stats">
      {t("query.stats", {
        load: outcome.loadMs,
        eval: evalS === undefined ? "–" : formatSeconds(evalS),
        series: seriesCount(outcome.data),
      })}
      {samples !== undefined && ` · ${t("query.statsSamples", { samples: samples.toLocaleString() })}`}
    </span>
  );
}

function Result(props: {
  readonly outcome: Outcome;
  readonly panel: PanelState;
  readonly utc: boolean;
  readonly onChange: (patch: Partial<PanelState>) => void;
}) {
  const t = useT();
  const { outcome, panel } = props;
  if (outcome.state === "idle") return <p className="muted">{t("query.noExpr")}</p>;
  if (outcome.state === "loading") return <p className="muted">{t("common.loading")}</p>;
  if (outcome.state === "error") {
    return (
      <div className="alert error" role="alert" data-testid="query-error">
        {t("common.error", { message: outcome.message })}
      </div>
    );
  }
  const warnings = outcome.warnings.map((w) => (
    <div key={w} className="alert warn">
      {t("query.warning", { message: w })}
    </div>
  ));
  const d = outcome.data;
  if (panel.tab === "graph" && d.resultType === "matrix") {
    if (d.result.length === 0) return <p className="muted">{t("query.noData")}</p>;
    return (
      <>
        {warnings}
        <GraphView
          series={d.result}
          startS={outcome.startS}
          endS={outcome.endS}
          stepS={outcome.stepS}
          stacked={panel.stacked}
          utc={props.utc}
          timeLabel={t("query.time")}
          onZoom={(startMs, endMs) => props.onChange({ rangeMs: Math.max(endMs - startMs, 1000), endMs })}
        />
      </>
    );
  }
  return (
    <>
      {warnings}
      <TableView result={d} />
    </>
  );
}
