/**
 * Data source provisioning from `<provisioning>/datasources/*.yaml` in
 * Grafana's format: `deleteDatasources` (by name) first, then each of
 * `datasources` inserted or updated by name (`editable: false`, the default,
 * makes it read-only in the API), at most one `isDefault` across all
 * files, and with `prune: true` data sources provisioned from this
 * directory that are no longer in any of its files are removed. Every file
 * is read and checked before anything changes.
 */
import { dirname, resolve } from "node:path";
import { type JsonObject, objects } from "../model/json.ts";
import type { DataSourceInput } from "../store/datasources.ts";
import type { Store } from "../store/store.ts";
import { configFiles, ProvisioningError, readConfigFile } from "./files.ts";

/** What a data source provisioning run changed. */
export interface DataSourceReport {
  readonly added: string[];
  readonly updated: string[];
  readonly deleted: string[];
}

function input(ds: JsonObject, file: string, i: number): DataSourceInput {
  const at = `${file}: datasources[${i}]`;
  if (typeof ds.name !== "string" || ds.name === "") throw new ProvisioningError(`${at}: name is required`);
  const secure = ds.secureJsonData ?? {};
  if (typeof secure !== "object" || secure === null || Array.isArray(secure))
    throw new ProvisioningError(`${at}: secureJsonData must be a mapping`);
  return {
    name: ds.name,
    type: typeof ds.type === "string" ? ds.type : "prometheus",
    uid: typeof ds.uid === "string" ? ds.uid : undefined,
    url: typeof ds.url === "string" ? ds.url : "",
    access: typeof ds.access === "string" ? ds.access : "proxy",
    basicAuth: ds.basicAuth === true,
    basicAuthUser: typeof ds.basicAuthUser === "string" ? ds.basicAuthUser : "",
    isDefault: ds.isDefault === true,
    jsonData: (typeof ds.jsonData === "object" && ds.jsonData !== null && !Array.isArray(ds.jsonData)
      ? ds.jsonData
      : {}) as JsonObject,
    secureJsonData: Object.fromEntries(Object.entries(secure).map(([k, v]) => [k, String(v ?? "")])),
    readOnly: ds.editable !== true,
    provisioned: file,
  };
}

/** Applies every data source file of `dir`; throws ProvisioningError naming the file for a bad one (nothing applied). */
export function provisionDataSources(
  store: Store,
  dir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DataSourceReport {
  const files = configFiles(dir).map((f) => ({ file: f, config: readConfigFile(f, env) }));
  const wanted = files.flatMap(({ file, config }) =>
    objects(config.datasources).map((ds, i) => input(ds, file, i)),
  );
  const defaults = wanted.filter((d) => d.isDefault);
  if (defaults.length > 1)
    throw new ProvisioningError(
      `datasource.yaml config is invalid. Only one datasource per organization can be marked as default (${defaults.map((d) => d.name).join(", ")})`,
    );
  const report: DataSourceReport = { added: [], updated: [], deleted: [] };
  for (const { config } of files) {
    for (const del of objects(config.deleteDatasources)) {
      const name = typeof del.name === "string" ? del.name : "";
      const ds = store.datasources.byName(name);
      if (ds === undefined) continue;
      store.datasources.delete(ds.uid, true);
      report.deleted.push(name);
    }
  }
  for (const ds of wanted) {
    const existing =
      store.datasources.byName(ds.name) ?? (ds.uid ? store.datasources.byUid(ds.uid) : undefined);
    if (existing === undefined) {
      store.datasources.add(ds);
      report.added.push(ds.name);
    } else {
      store.datasources.update(existing.uid, ds, true);
      report.updated.push(ds.name);
    }
  }
  if (files.some(({ config }) => config.prune === true)) {
    const names = new Set(wanted.map((d) => d.name));
    const here = resolve(dir);
    for (const ds of store.datasources.list()) {
      // Only data sources provisioned from this directory: other provisioning directories keep theirs.
      if (ds.provisioned === null || dirname(resolve(ds.provisioned)) !== here || names.has(ds.name))
        continue;
      store.datasources.delete(ds.uid, true);
      report.deleted.push(ds.name);
    }
  }
  return report;
}
