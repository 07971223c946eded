/**
 * Schemas 33 and 36: data sources given by name (strings) become references
 * `{ type, uid }`, and panels, targets and query variables without a data
 * source get an explicit reference, as Grafana's migrator does. The lookup
 * of names is injected (the server passes its data source table); a name it
 * does not know becomes `{ uid: name }`, as in Grafana.
 * Browser-safe: no Node imports.
 */
import { isObject, type Json, type JsonObject, objects } from "./json.ts";

/** A data source reference in a dashboard model. */
export interface DataSourceRef {
  readonly type?: string;
  readonly uid: string;
}

/** Resolves a data source name or uid to its reference; undefined when unknown. */
export type DataSourceLookup = (nameOrUid: string) => DataSourceRef | undefined;

/** The "-- Mixed --" pseudo data source of panels whose targets each name their own. */
export const MIXED_DATASOURCE = "-- Mixed --";

/** Grafana's built-in data source ("-- Grafana --") used by the default annotation. */
export const GRAFANA_DATASOURCE: DataSourceRef = { type: "datasource", uid: "grafana" };

/** `ds` (null, a name, a `$var` or a reference) as a reference; null stays null (the default). */
export function toRef(ds: Json | undefined, lookup: DataSourceLookup): Json {
  if (ds === undefined || ds === null) return null;
  if (isObject(ds)) return ds;
  if (typeof ds !== "string") return null;
  if (ds === MIXED_DATASOURCE) return { type: "datasource", uid: MIXED_DATASOURCE };
  if (ds === "-- Grafana --" || ds === "grafana") return { ...GRAFANA_DATASOURCE };
  if (ds.startsWith("$")) return { uid: ds };
  const found = lookup(ds);
  return found === undefined ? { uid: ds } : { ...found };
}

/** Schema 33 for one panel: its and its targets' string data sources become references. */
export function panelDatasourceRefs(panel: JsonObject, lookup: DataSourceLookup): void {
  if (panel.datasource !== undefined) panel.datasource = toRef(panel.datasource, lookup);
  for (const t of objects(panel.targets)) {
    if (t.datasource !== undefined) t.datasource = toRef(t.datasource, lookup);
  }
}

/**
 * Schema 36 for one panel: a panel with targets but no data source gets the
 * default one; targets without one inherit the panel's (unless it is Mixed).
 */
export function panelDefaultDatasource(panel: JsonObject, defaultRef: DataSourceRef | undefined): void {
  const targets = objects(panel.targets);
  if (panel.type === "row" || targets.length === 0) return;
  if (panel.datasource === undefined || panel.datasource === null) {
    if (defaultRef === undefined) return;
    panel.datasource = { ...defaultRef };
  }
  const ref = panel.datasource;
  if (!isObject(ref) || ref.uid === MIXED_DATASOURCE) return;
  for (const t of targets) {
    if (t.datasource === undefined || t.datasource === null) t.datasource = { ...ref };
  }
}
