/**
 * One dashboard panel: the header (title with variables, description,
 * links, a menu with "View JSON" and "Inspect"), the queries run when the
 * range, the variables or the refresh tick change, and the body for its
 * type. The panel's state (`ok`, `no data`, `error`, `unsupported`) is on
 * `data-state` for tests; a failing query shows its error here only.
 */
import { useEffect, useRef, useState } from "react";
import { type JsonObject, obj, objects, str } from "../../../src/dashboards/model/json.ts";
import {
  interpolate,
  type ScopedValue,
  type VariableState,
} from "../../../src/dashboards/model/variables/interpolate.ts";
import { useT } from "../i18n/i18n.ts";
import type { DataSource } from "./api.ts";
import { safeLinkUrl } from "./display.ts";
import { Heatmap } from "./panels/Heatmap.tsx";
import { BarGauge, Gauge, Stat } from "./panels/SingleValue.tsx";
import { Table } from "./panels/Table.tsx";
import { Text } from "./panels/Text.tsx";
import { TimeSeries } from "./panels/TimeSeries.tsx";
import { type PanelData, runPanel } from "./query.ts";

/** Panel types drawn here; anything else gets a placeholder naming its type. */
export const SUPPORTED_TYPES: ReadonlySet<string> = new Set([
  "timeseries",
  "stat",
  "gauge",
  "bargauge",
  "table",
  "text",
  "heatmap",
]);

/** A panel's state as tests and the inspector see it. */
export type PanelState = "loading" | "ok" | "nodata" | "error" | "unsupported";

/** Props of {@link Panel}. */
export interface PanelProps {
  readonly panel: JsonObject;
  readonly variables: ReadonlyMap<string, VariableState>;
  readonly range: { readonly from: number; readonly to: number };
  readonly datasources: readonly DataSource[];
  readonly tick: number;
  readonly onZoom: (from: number, to: number) => void;
}

function hasValues(data: PanelData): boolean {
  return data.series.some((s) => s.values.some((v) => v !== null));
}

/** Draws the panel and runs its queries. */
export function Panel(props: PanelProps) {
  const { panel, variables, range, datasources, tick } = props;
  const t = useT();
  const body = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [data, setData] = useState<PanelData | undefined>(undefined);
  const [fatal, setFatal] = useState<string | undefined>(undefined);
  const [menu, setMenu] = useState(false);
  const [fetching, setFetching] = useState(false);
  const [dialog, setDialog] = useState<"json" | "inspect" | undefined>(undefined);
  const type = str(panel.type);
  const supported = SUPPORTED_TYPES.has(type);
  const scoped = obj(panel.scopedVars) as unknown as Record<string, ScopedValue>;
  const title = interpolate(str(panel.title), variables, { scopedVars: scoped, defaultFormat: "text" });
  useEffect(() => {
    const el = body.current;
    if (el === null) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);
  const width = size.w;
  const queryKey = JSON.stringify([
    panel.targets,
    panel.datasource,
    panel.scopedVars,
    panel.interval,
    panel.maxDataPoints,
  ]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: rerun on the query's inputs, not on every render
  useEffect(() => {
    if (!supported || type === "text" || width === 0) return;
    const ctl = new AbortController();
    setFetching(true);
    runPanel(panel, { range, variables, datasources, widthPx: width, signal: ctl.signal }).then(
      (d) => {
        setData(d);
        setFatal(undefined);
        setFetching(false);
      },
      (err: unknown) => {
        if ((err as Error).name === "AbortError") return;
        setFatal(err instanceof Error ? err.message : String(err));
        setFetching(false);
      },
    );
    return () => ctl.abort();
  }, [queryKey, range.from, range.to, variables, datasources, tick, width === 0]);
  let state: PanelState;
  if (!supported) state = "unsupported";
  else if (type === "text") state = "ok";
  else if (fatal !== undefined || (data !== undefined && data.errors.length > 0)) state = "error";
  else if (data === undefined) state = "loading";
  else state = hasValues(data) ? "ok" : "nodata";
  const errorText =
    fatal ??
    data?.errors.map((e) => (data.errors.length > 1 ? `${e.refId}: ${e.message}` : e.message)).join("\n");
  const links = objects(panel.links);
  return (
    <section
      className={`dash-panel dash-panel-${state}`}
      data-testid="panel"
      data-state={state}
      data-fetching={fetching ? "1" : undefined}
      data-type={type}
      data-title={title}
    >
      <header className="dash-panel-head">
        <span className="dash-panel-title" title={str(panel.description)}>
          {title}
        </span>
        {state === "error" && (
          <span className="dash-panel-err" title={errorText} data-testid="panel-error-icon">
            !
          </span>
        )}
        {links.map((l, i) => (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
            key={`${str(l.url)}-${i}`}
            className="dash-panel-link"
            href={safeLinkUrl(
              interpolate(str(l.url), variables, { scopedVars: scoped, defaultFormat: "raw" }),
            )}
            target={l.targetBlank === true ? "_blank" : undefined}
            rel="noreferrer"
          >
            ↗ {str(l.title)}
          </a>
        ))}
        <button
          type="button"
          className="dash-panel-menu-btn"
          aria-label={t("dash.panelMenu")}
          onClick={() => setMenu(!menu)}
          data-testid="panel-menu"
        >
          ⋮
        </button>
        {menu && (
          // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes the dialog; Escape and the close button do too
          <div className="dash-panel-menu" onMouseLeave={() => setMenu(false)}>
            <button
              type="button"
              onClick={() => {
                setDialog("json");
                setMenu(false);
              }}
            >
              {t("dash.viewJson")}
            </button>
            <button
              type="button"
              onClick={() => {
                setDialog("inspect");
                setMenu(false);
              }}
            >
              {t("dash.inspect")}
            </button>
          </div>
        )}
      </header>
      <div className="dash-panel-body" ref={body}>
        {width > 0 && (
          <PanelBody
            {...props}
            state={state}
            data={data}
            errorText={errorText}
            width={width}
            height={size.h}
          />
        )}
      </div>
      {dialog !== undefined && (
        <div
          className="dash-modal"
          role="dialog"
          onClick={() => setDialog(undefined)}
          onKeyDown={(e) => e.key === "Escape" && setDialog(undefined)}
        >
          {/* biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes the dialog; Escape and the close button do too */}
          <div className="dash-modal-box" onClick={(e) => e.stopPropagation()} onKeyDown={() => undefined}>
            <button type="button" className="dash-modal-close" onClick={() => setDialog(undefined)}>
              ×
            </button>
            <pre data-testid="panel-dialog">
              {dialog === "json"
                ? JSON.stringify(panel, null, 2)
                : [
                    `${t("dash.state")}: ${state}`,
                    ...(errorText ? [`${t("dash.error")}: ${errorText}`] : []),
                    ...(data?.requests ?? []).map((r) => `GET ${r}`),
                    `${t("dash.series")}: ${data?.series.length ?? 0}`,
                  ].join("\n")}
            </pre>
          </div>
        </div>
      )}
    </section>
  );
}

function PanelBody(
  p: PanelProps & {
    state: PanelState;
    data: PanelData | undefined;
    errorText: string | undefined;
    width: number;
    height: number;
  },
) {
  const t = useT();
  const { panel, data, state } = p;
  const type = str(panel.type);
  if (state === "unsupported")
    return (
      <div className="dash-placeholder" data-testid="panel-unsupported">
        {t("dash.unsupported", { type })}
      </div>
    );
  if (type === "text") {
    const scoped = obj(panel.scopedVars) as unknown as Record<string, ScopedValue>;
    const content = interpolate(str(obj(panel.options).content, str(panel.content)), p.variables, {
      scopedVars: scoped,
      defaultFormat: "raw",
    });
    return <Text panel={panel} content={content} />;
  }
  if (data === undefined && state !== "error")
    return <div className="dash-placeholder muted">{t("common.loading")}</div>;
  const err =
    state === "error" ? (
      <div className="dash-panel-error" data-testid="panel-error">
        {p.errorText}
      </div>
    ) : null;
  if (data === undefined || (state === "error" && !hasValues(data))) return err;
  if (state === "nodata") return <div className="dash-placeholder muted">{t("dash.noData")}</div>;
  const series = data.series;
  let view: React.ReactNode;
  switch (type) {
    case "timeseries":
      view = (
        <TimeSeries
          panel={panel}
          series={series}
          width={p.width}
          height={p.height}
          range={p.range}
          onZoom={p.onZoom}
        />
      );
      break;
    case "stat":
      view = <Stat panel={panel} series={series} />;
      break;
    case "gauge":
      view = <Gauge panel={panel} series={series} />;
      break;
    case "bargauge":
      view = <BarGauge panel={panel} series={series} />;
      break;
    case "table":
      view = <Table panel={panel} data={data} />;
      break;
    case "heatmap":
      view = <Heatmap series={series} width={p.width} height={p.height} />;
      break;
  }
  return (
    <>
      {err}
      {view}
    </>
  );
}
