/**
 * Dashboard provisioning from `<provisioning>/dashboards/*.yaml` in
 * Grafana's format: `file` providers load every `*.json` under
 * `options.path` (recursively) into `folder`/`folderUid` (or, with
 * `options.foldersFromFilesStructure`, into a folder named after the
 * file's parent directory, as Grafana does), migrated to the current schema. Unchanged files
 * do not add versions; dashboards whose file disappeared are deleted
 * unless `disableDeletion`; `allowUiUpdates: false` makes them read-only
 * in the API. A bad dashboard file is reported and skipped. Files without a
 * uid keep the one given at their first load; data source `__inputs` get
 * the default data source (Vigil extension: Grafana leaves them unresolved).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { applyImportInputs } from "../model/inputs.ts";
import { type JsonObject, num, obj, objects, str } from "../model/json.ts";
import { type MigrateOptions, migrateDashboard } from "../model/migrate.ts";
import { parseDashboard } from "../model/validate.ts";
import type { Store } from "../store/store.ts";
import { configFiles, ProvisioningError, readConfigFile } from "./files.ts";

/** One dashboard provider. */
export interface DashboardProvider {
  readonly name: string;
  readonly folder: string;
  readonly folderUid: string;
  readonly disableDeletion: boolean;
  readonly allowUiUpdates: boolean;
  readonly updateIntervalSeconds: number;
  readonly path: string;
  readonly foldersFromFilesStructure: boolean;
}

/** What a provisioning run did; `errors` name the file and the reason. */
export interface DashboardReport {
  readonly saved: string[];
  readonly unchanged: string[];
  readonly deleted: string[];
  readonly errors: string[];
}

/** The providers of every file in `dir`; ProvisioningError for a bad one. */
export function readProviders(
  dir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DashboardProvider[] {
  const out: DashboardProvider[] = [];
  for (const file of configFiles(dir)) {
    objects(readConfigFile(file, env).providers).forEach((p, i) => {
      const at = `${file}: providers[${i}]`;
      const type = str(p.type, "file");
      if (type !== "file")
        throw new ProvisioningError(`${at}: unsupported provider type ${JSON.stringify(type)}`);
      const path = str(obj(p.options).path);
      if (path === "") throw new ProvisioningError(`${at}: options.path is required`);
      const fromFiles = obj(p.options).foldersFromFilesStructure === true;
      if (fromFiles && (str(p.folder) !== "" || str(p.folderUid) !== ""))
        throw new ProvisioningError(
          `${at}: cannot set foldersFromFilesStructure together with folder or folderUid`,
        );
      out.push({
        name: str(p.name, `provider-${i}`),
        folder: str(p.folder),
        folderUid: str(p.folderUid),
        disableDeletion: p.disableDeletion === true,
        allowUiUpdates: p.allowUiUpdates === true,
        updateIntervalSeconds: num(p.updateIntervalSeconds) ?? 10,
        path: resolve(dirname(file), path),
        foldersFromFilesStructure: fromFiles,
      });
    });
  }
  const names = new Set<string>();
  for (const p of out) {
    if (names.has(p.name))
      throw new ProvisioningError(`dashboard provider name ${JSON.stringify(p.name)} is used more than once`);
    names.add(p.name);
  }
  return out;
}

function jsonFiles(dir: string): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith(".json") ? [join(dir, e.name)] : [],
    );
}

function comparable(d: JsonObject): string {
  const { id: _id, version: _v, ...rest } = d;
  return JSON.stringify(rest);
}

/** Loads one provider's dashboards into the store. */
export function provisionProvider(
  store: Store,
  p: DashboardProvider,
  migrate: MigrateOptions,
): DashboardReport {
  const report: DashboardReport = { saved: [], unchanged: [], deleted: [], errors: [] };
  const seen = new Set<string>();
  for (const file of jsonFiles(p.path)) {
    try {
      const dashboard = migrateDashboard(
        withInputs(parseDashboard(readFileSync(file, "utf8")), migrate),
        migrate,
      );
      delete dashboard.id;
      const folderUid = folderFor(store, p, file);
      if (str(dashboard.uid) === "") {
        // No uid in the file: keep the one given at the first load of this file.
        const prior = store.dashboards.provisionedBy(p.name).find((d) => d.provisionedFile === file);
        if (prior !== undefined) dashboard.uid = prior.uid;
      }
      const uid = str(dashboard.uid);
      const existing = uid === "" ? undefined : store.dashboards.get(uid);
      if (
        existing !== undefined &&
        existing.provisioned === p.name &&
        existing.folderUid === folderUid &&
        comparable(existing.dashboard) === comparable({ ...dashboard, uid, title: existing.title })
      ) {
        report.unchanged.push(file);
        seen.add(uid);
        continue;
      }
      const saved = store.dashboards.save({
        dashboard,
        folderUid,
        overwrite: true,
        message: "provisioned",
        provisioner: { name: p.name, file, allowUiUpdates: p.allowUiUpdates },
      });
      seen.add(saved.uid);
      report.saved.push(file);
    } catch (err) {
      report.errors.push(`${file}: ${(err as Error).message}`);
    }
  }
  if (!p.disableDeletion) {
    for (const d of store.dashboards.provisionedBy(p.name)) {
      if (seen.has(d.uid)) continue;
      store.dashboards.delete(d.uid, true);
      report.deleted.push(d.provisionedFile ?? d.uid);
    }
  }
  return report;
}

/**
 * Vigil extension: a shared dashboard file with data source `__inputs`
 * (which Grafana's provisioning leaves unresolved) gets the default data
 * source for each of them.
 */
function withInputs(d: JsonObject, migrate: MigrateOptions): JsonObject {
  const def = migrate.defaultDatasource;
  const inputs = objects(d.__inputs).filter((i) => i.type === "datasource" && typeof i.name === "string");
  if (def === undefined || inputs.length === 0) return d;
  return applyImportInputs(
    d,
    inputs.map((i) => ({ name: str(i.name), type: "datasource", value: def.uid })),
  );
}

function folderFor(store: Store, p: DashboardProvider, file: string): string | null {
  if (p.foldersFromFilesStructure) {
    if (relative(p.path, dirname(file)) === "") return null;
    return store.folders.ensure(basename(dirname(file)), undefined, p.name).uid;
  }
  if (p.folder === "" && p.folderUid === "") return null;
  return store.folders.ensure(
    p.folder === "" ? p.folderUid : p.folder,
    p.folderUid === "" ? undefined : p.folderUid,
    p.name,
  ).uid;
}

/** Runs every provider of `dir`; reports merged. */
export function provisionDashboards(
  store: Store,
  providers: readonly DashboardProvider[],
  migrate: MigrateOptions,
): DashboardReport {
  const all: DashboardReport = { saved: [], unchanged: [], deleted: [], errors: [] };
  for (const p of providers) {
    const r = provisionProvider(store, p, migrate);
    all.saved.push(...r.saved);
    all.unchanged.push(...r.unchanged);
    all.deleted.push(...r.deleted);
    all.errors.push(...r.errors);
  }
  return all;
}
