/**
 * A dashboard at `/d/<uid>`: title bar (save, export, settings JSON), the
 * variable bar, the time picker, and the panels on the 24-column grid with
 * collapsible rows and repeats expanded by the model. The time range
 * (`from`, `to`), the refresh interval and the variables (`var-<name>`) live
 * in the URL like Grafana's.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { type JsonObject, obj, objects, str } from "../../../../src/dashboards/model/json.ts";
import { expandRepeats, type VariableSelections } from "../../../../src/dashboards/model/repeat.ts";
import {
  ALL_VALUE,
  interpolate,
  type ScopedValue,
} from "../../../../src/dashboards/model/variables/interpolate.ts";
import {
  type ResolvedVariable,
  resolveVariables,
} from "../../../../src/dashboards/model/variables/resolve.ts";
import { useT } from "../../i18n/i18n.ts";
import { navigate, useRoute } from "../../shell/router.tsx";
import { type DashboardResponse, type DataSource, dataSources, getDashboard, saveDashboard } from "../api.ts";
import { rowKey, visiblePanels } from "../layout.ts";
import { Panel } from "../Panel.tsx";
import { pickDataSource, variableClient } from "../query.ts";
import { TimePicker } from "../TimePicker.tsx";
import { type RawRange, refreshMs, resolveRange, zoomOut } from "../timeRange.ts";
import { VariableBar } from "../VariableBar.tsx";

const CELL = 30;
const GAP = 8;

function urlParams(search: string): URLSearchParams {
  return new URLSearchParams(search);
}

function selectionsOf(resolved: ReadonlyMap<string, ResolvedVariable>): VariableSelections {
  const out: Record<string, { text: string; value: string }[]> = {};
  for (const [name, v] of resolved) {
    const vals = typeof v.current.value === "string" ? [v.current.value] : [...v.current.value];
    const expanded = vals.includes(ALL_VALUE)
      ? v.options.filter((o) => o.value !== ALL_VALUE).map((o) => o.value)
      : vals;
    out[name] = expanded.map((value) => ({
      value,
      text: v.options.find((o) => o.value === value)?.text ?? value,
    }));
  }
  return out;
}

/** The dashboard page. */
export function DashboardPage() {
  const t = useT();
  const route = useRoute();
  const uid = decodeURIComponent(route.path.split("/")[2] ?? "");
  const params = urlParams(route.search);
  const [loaded, setLoaded] = useState<DashboardResponse | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [ds, setDs] = useState<readonly DataSource[]>([]);
  const [resolved, setResolved] = useState<ReadonlyMap<string, ResolvedVariable> | undefined>(undefined);
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [tick, setTick] = useState(0);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [showJson, setShowJson] = useState(false);
  const [resolving, setResolving] = useState(false);
  const dash = loaded?.dashboard;
  const time = obj(dash?.time);
  const raw: RawRange = {
    from: params.get("from") ?? str(time.from, "now-6h"),
    to: params.get("to") ?? str(time.to, "now"),
  };
  const refresh = params.get("refresh") ?? str(dash?.refresh);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the range is recomputed on each refresh tick
  const range = useMemo(() => {
    const r = resolveRange(raw, Date.now());
    return "error" in r ? { from: Date.now() - 6 * 3_600_000, to: Date.now() } : r;
  }, [raw.from, raw.to, tick]);

  useEffect(() => {
    setLoaded(undefined);
    setLoadError(undefined);
    Promise.all([getDashboard(uid), dataSources()]).then(
      ([d, list]) => {
        setDs(list);
        setLoaded(d);
      },
      (err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)),
    );
  }, [uid]);

  const setParams = useCallback(
    (change: (p: URLSearchParams) => void) => {
      const p = urlParams(location.search);
      change(p);
      const q = p.toString();
      navigate(`${route.path}${q === "" ? "" : `?${q}`}`, true);
    },
    [route.path],
  );

  const varList = useMemo(() => objects(obj(dash?.templating).list), [dash]);
  const selectedKey = [...params]
    .filter(([k]) => k.startsWith("var-"))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-evaluated when the selections in the URL or the range change
  useEffect(() => {
    if (dash === undefined) return;
    const selected: Record<string, string[]> = {};
    for (const [k, v] of params)
      if (k.startsWith("var-")) selected[k.slice(4)] = [...(selected[k.slice(4)] ?? []), v];
    let cancelled = false;
    setResolving(true);
    resolveVariables(varList, {
      range,
      datasources: ds,
      client: (uidOrUndefined) => variableClient(pickDataSource(uidOrUndefined, new Map(), ds)),
      selected: Object.fromEntries(Object.entries(selected).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
    }).then(
      (r) => {
        if (cancelled) return;
        setResolved(r);
        setResolving(false);
      },
      (err: unknown) => !cancelled && setLoadError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [dash, ds, selectedKey, varList, raw.from, raw.to]);

  useEffect(() => {
    const ms = refreshMs(refresh);
    if (ms === 0) return;
    const id = setInterval(() => setTick((n) => n + 1), Math.max(ms, 5000));
    return () => clearInterval(id);
  }, [refresh]);

  const onZoom = useCallback(
    (from: number, to: number) =>
      setParams((p) => {
        p.set("from", String(Math.round(from)));
        p.set("to", String(Math.round(to)));
      }),
    [setParams],
  );

  if (loadError !== undefined)
    return (
      <p className="dash-error" data-testid="dashboard-error">
        {loadError}
      </p>
    );
  if (dash === undefined || resolved === undefined) return <p className="muted">{t("common.loading")}</p>;

  const panels = expandRepeats(objects(dash.panels), selectionsOf(resolved));
  const placed = visiblePanels(panels, toggled);
  const rows = Math.max(1, ...placed.map((p) => p.y + p.h));

  const save = async () => {
    const copy = JSON.parse(JSON.stringify(dash)) as JsonObject;
    copy.time = { from: raw.from, to: raw.to };
    for (const v of objects(obj(copy.templating).list)) {
      const r = resolved.get(str(v.name));
      if (r !== undefined)
        v.current = { text: r.current.text as JsonObject["x"], value: r.current.value as JsonObject["x"] };
    }
    try {
      const r = await saveDashboard(copy, {
        folderUid: loaded?.meta.folderUid || undefined,
        message: "saved from the UI",
      });
      setStatus(t("dash.saved", { version: r.version }));
      const fresh = await getDashboard(uid);
      setLoaded(fresh);
    } catch (err) {
      setStatus(t("common.error", { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  return (
    <div
      className="dash-page"
      data-testid="dashboard"
      data-uid={uid}
      data-version={loaded?.meta.version}
      data-busy={resolving ? "1" : undefined}
    >
      <div className="dash-bar">
        <h1 className="dash-title">
          {loaded?.meta.folderTitle ? <span className="muted">{loaded.meta.folderTitle} / </span> : null}
          {str(dash.title)}
        </h1>
        <div className="dash-actions">
          <TimePicker
            raw={raw}
            refresh={refresh}
            onRange={(r) =>
              setParams((p) => {
                p.set("from", r.from);
                p.set("to", r.to);
              })
            }
            onZoomOut={() => {
              const z = zoomOut(range, Date.now());
              setParams((p) => {
                p.set("from", z.from);
                p.set("to", z.to);
              });
            }}
            onRefresh={() => setTick((n) => n + 1)}
            onAutoRefresh={(r) => setParams((p) => (r === "" ? p.delete("refresh") : p.set("refresh", r)))}
          />
          {loaded?.meta.canSave && (
            <button type="button" data-testid="save" onClick={save}>
              {t("dash.save")}
            </button>
          )}
          <a
            className="button-link"
            href={`api/dashboards/uid/${encodeURIComponent(uid)}/export`}
            download={`${uid}.json`}
            data-testid="export"
          >
            {t("dash.export")}
          </a>
          <button type="button" onClick={() => setShowJson(!showJson)} data-testid="json-model">
            {t("dash.jsonModel")}
          </button>
        </div>
      </div>
      {status !== undefined && (
        <div className="dash-status" data-testid="save-status">
          {status}
        </div>
      )}
      {showJson && <pre className="dash-json">{JSON.stringify(dash, null, 2)}</pre>}
      <VariableBar
        list={varList}
        resolved={resolved}
        onChange={(name, value) =>
          setParams((p) => {
            p.delete(`var-${name}`);
            for (const v of typeof value === "string" ? [value] : value) p.append(`var-${name}`, v);
          })
        }
      />
      <div className="dash-grid" style={{ gridTemplateRows: `repeat(${rows}, ${CELL}px)`, gap: `${GAP}px` }}>
        {placed.map((p, i) => {
          const style = { gridColumn: `${p.x + 1} / span ${p.w}`, gridRow: `${p.y + 1} / span ${p.h}` };
          if (p.panel.type === "row") {
            const key = rowKey(p.panel);
            return (
              <button
                type="button"
                // biome-ignore lint/suspicious/noArrayIndexKey: repeated rows may share an id; the position is the identity
                key={`row-${key}-${i}`}
                className="dash-row"
                style={style}
                data-testid="row"
                onClick={() => {
                  const next = new Set(toggled);
                  if (next.has(key)) next.delete(key);
                  else next.add(key);
                  setToggled(next);
                }}
              >
                {p.collapsed ? "▸" : "▾"}{" "}
                {interpolate(str(p.panel.title), resolved, {
                  scopedVars: obj(p.panel.scopedVars) as unknown as Record<string, ScopedValue>,
                  defaultFormat: "text",
                })}
              </button>
            );
          }
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity (names may repeat)
            <div key={`${String(p.panel.id)}-${i}`} style={style} className="dash-cell">
              <Panel
                panel={p.panel}
                variables={resolved}
                range={range}
                datasources={ds}
                tick={tick}
                onZoom={onZoom}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
