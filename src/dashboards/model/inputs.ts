/**
 * Import and export of shareable dashboards, as Grafana's dashboard import
 * and "Export for sharing externally": a shared dashboard declares
 * `__inputs` (e.g. `DS_PROMETHEUS`, a data source chosen at import) and
 * uses `${DS_PROMETHEUS}` in its strings; import replaces each with the
 * value given; export does the reverse. Browser-safe: no Node imports.
 */
import { isObject, type Json, type JsonObject, objects, str } from "./json.ts";
import { allPanels } from "./migrate_grid.ts";

/** One value for an `__inputs` entry, as `POST /api/dashboards/import` receives it. */
export interface ImportInput {
  readonly name: string;
  readonly type: string;
  readonly pluginId?: string;
  /** A data source uid for `datasource` inputs; the text for `constant` inputs. */
  readonly value: string;
}

/** An `__inputs` entry has no value among the import inputs. */
export class DashboardInputMissingError extends Error {
  override readonly name = "DashboardInputMissingError";
}

/**
 * Returns the dashboard with every `${NAME}` of its `__inputs` replaced by
 * the matching input's value in all strings, and `__inputs` removed.
 * Throws {@link DashboardInputMissingError} when an input is not provided.
 */
export function applyImportInputs(dashboard: JsonObject, inputs: readonly ImportInput[]): JsonObject {
  const values = new Map<string, string>();
  for (const declared of objects(dashboard.__inputs)) {
    const name = str(declared.name);
    if (name === "") continue;
    const given = inputs.find((i) => i.name === name);
    if (given === undefined) throw new DashboardInputMissingError(`dashboard input missing: ${name}`);
    values.set(name, given.value);
  }
  const out = replaceStrings(dashboard, (s) =>
    s.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => values.get(name) ?? whole),
  ) as JsonObject;
  delete out.__inputs;
  return out;
}

function replaceStrings(v: Json | undefined, f: (s: string) => string): Json | undefined {
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) return v.map((x) => replaceStrings(x, f) ?? null);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = replaceStrings(x, f);
  return out;
}

/** What export needs to know of a data source a dashboard references. */
export interface ExportDataSource {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly typeName?: string;
}

/**
 * The dashboard made shareable: references to real data sources become
 * `${DS_<NAME>}` with a matching `__inputs` entry, `__requires` lists the
 * panel and data source plugins, the id is cleared and query variables lose
 * their current values. `resolve` maps a reference uid to its data source
 * (undefined for `$variables` and unknown uids, which are left alone).
 */
export function exportDashboard(
  dashboard: JsonObject,
  resolve: (uid: string) => ExportDataSource | undefined,
): JsonObject {
  const d = JSON.parse(JSON.stringify(dashboard)) as JsonObject;
  const inputs = new Map<string, JsonObject>();
  const requires = new Map<string, JsonObject>();
  const templateize = (ref: Json | undefined): Json | undefined => {
    if (!isObject(ref) || typeof ref.uid !== "string" || ref.uid.startsWith("$")) return ref;
    const ds = resolve(ref.uid);
    if (ds === undefined) return ref;
    const name = `DS_${ds.name.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}`;
    inputs.set(name, {
      name,
      label: ds.name,
      description: "",
      type: "datasource",
      pluginId: ds.type,
      pluginName: ds.typeName ?? ds.type,
    });
    requires.set(`datasource/${ds.type}`, {
      type: "datasource",
      id: ds.type,
      name: ds.typeName ?? ds.type,
      version: "1.0.0",
    });
    return { type: ds.type, uid: `\${${name}}` };
  };
  for (const p of allPanels(d)) {
    if (p.datasource !== undefined) p.datasource = templateize(p.datasource) ?? null;
    for (const t of objects(p.targets))
      if (t.datasource !== undefined) t.datasource = templateize(t.datasource) ?? null;
    if (typeof p.type === "string" && p.type !== "row")
      requires.set(`panel/${p.type}`, { type: "panel", id: p.type, name: p.type, version: "" });
  }
  for (const v of objects((d.templating as JsonObject | undefined)?.list)) {
    if (v.datasource !== undefined) v.datasource = templateize(v.datasource) ?? null;
    if (v.type === "query") {
      v.current = {};
      v.options = [];
    }
  }
  for (const a of objects((d.annotations as JsonObject | undefined)?.list))
    if (a.datasource !== undefined) a.datasource = templateize(a.datasource) ?? null;
  requires.set("grafana", { type: "grafana", id: "grafana", name: "Grafana", version: "11.6.0" });
  d.id = null;
  return {
    __inputs: [...inputs.values()],
    __elements: {},
    __requires: [...requires.values()].sort((a, b) => str(a.id).localeCompare(str(b.id))),
    ...d,
  };
}
