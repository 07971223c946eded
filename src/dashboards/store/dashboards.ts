/**
 * Dashboards and their version history. Saving follows Grafana's rules:
 * a save must carry the stored version unless `overwrite` (else
 * `version-mismatch`), a title is unique within a folder (else
 * `name-exists`), provisioned dashboards are read-only through the API
 * unless their provider allows UI updates; each save adds a version.
 * The stored JSON carries its `uid`, `id` and `version`.
 */
import type { JsonObject } from "../model/json.ts";
import { validateDashboard } from "../model/validate.ts";
import { StoreError } from "./errors.ts";
import { type Database, transaction } from "./sqlite.ts";
import { newUid } from "./uid.ts";

/** A stored dashboard. */
export interface DashboardRecord {
  readonly id: number;
  readonly uid: string;
  readonly title: string;
  readonly folderUid: string | null;
  readonly version: number;
  readonly dashboard: JsonObject;
  readonly tags: readonly string[];
  /** The provisioning provider's name, or null when saved through the API. */
  readonly provisioned: string | null;
  readonly provisionedFile: string | null;
  readonly allowUiUpdates: boolean;
  readonly created: number;
  readonly updated: number;
}

/** A save request, as `POST /api/dashboards/db` carries it. */
export interface SaveDashboard {
  readonly dashboard: JsonObject;
  readonly folderUid?: string | null;
  readonly overwrite?: boolean;
  readonly message?: string;
  readonly userId?: number | null;
  /** Set by provisioning: the provider name and file. */
  readonly provisioner?: { readonly name: string; readonly file: string; readonly allowUiUpdates: boolean };
}

/** One entry of a dashboard's history. */
export interface DashboardVersion {
  readonly version: number;
  readonly parentVersion: number;
  readonly message: string;
  readonly created: number;
  readonly createdBy: number | null;
  readonly data?: JsonObject;
}

interface Row {
  id: number;
  uid: string;
  title: string;
  folder_uid: string | null;
  version: number;
  data: string;
  tags: string;
  provisioned: string | null;
  provisioned_file: string | null;
  allow_ui_updates: number;
  created: number;
  updated: number;
}

function record(r: Row): DashboardRecord {
  return {
    id: r.id,
    uid: r.uid,
    title: r.title,
    folderUid: r.folder_uid,
    version: r.version,
    dashboard: JSON.parse(r.data) as JsonObject,
    tags: JSON.parse(r.tags) as string[],
    provisioned: r.provisioned,
    provisionedFile: r.provisioned_file,
    allowUiUpdates: r.allow_ui_updates === 1,
    created: r.created,
    updated: r.updated,
  };
}

/** Dashboard table access. */
export class DashboardRepo {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** The dashboard with `uid`, or undefined. */
  get(uid: string): DashboardRecord | undefined {
    const r = this.db.prepare("SELECT * FROM dashboard WHERE uid = ?").get(uid) as unknown as Row | undefined;
    return r && record(r);
  }

  /** Every dashboard, by title (the search API filters further). */
  list(): DashboardRecord[] {
    return (
      this.db.prepare("SELECT * FROM dashboard ORDER BY title COLLATE NOCASE").all() as unknown as Row[]
    ).map(record);
  }

  /** Dashboards provisioned by provider `name`. */
  provisionedBy(name: string): DashboardRecord[] {
    return (
      this.db.prepare("SELECT * FROM dashboard WHERE provisioned = ?").all(name) as unknown as Row[]
    ).map(record);
  }

  /** Saves (creates or updates) a dashboard; see the module comment for the rules. */
  save(input: SaveDashboard, now = Date.now()): DashboardRecord {
    const d = validateDashboard(structuredClone(input.dashboard));
    const title = (d.title as string).trim();
    const folderUid = input.folderUid === "" || input.folderUid === undefined ? null : input.folderUid;
    return transaction(this.db, () => {
      if (
        folderUid !== null &&
        this.db.prepare("SELECT 1 FROM folder WHERE uid = ?").get(folderUid) === undefined
      )
        throw new StoreError("not-found", "folder not found");
      const uid = typeof d.uid === "string" && d.uid !== "" ? d.uid : newUid();
      const existing = this.get(uid);
      if (existing !== undefined) this.checkUpdate(existing, d, input);
      const sameTitle = this.db
        .prepare("SELECT uid FROM dashboard WHERE title = ? AND IFNULL(folder_uid, '') = ? AND uid != ?")
        .get(title, folderUid ?? "", uid) as { uid: string } | undefined;
      if (sameTitle !== undefined) {
        if (input.overwrite !== true)
          throw new StoreError("name-exists", "A dashboard with the same name in the folder already exists");
        this.db.prepare("DELETE FROM dashboard WHERE uid = ?").run(sameTitle.uid);
      }
      const version = (existing?.version ?? 0) + 1;
      const tags = Array.isArray(d.tags) ? d.tags : [];
      const prov =
        input.provisioner ??
        (existing?.provisioned
          ? {
              name: existing.provisioned,
              file: existing.provisionedFile ?? "",
              allowUiUpdates: existing.allowUiUpdates,
            }
          : undefined);
      let id = existing?.id;
      if (id === undefined) {
        const r = this.db
          .prepare(
            "INSERT INTO dashboard (uid, title, folder_uid, version, data, tags, provisioned, provisioned_file, allow_ui_updates, created, updated, updated_by) VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?)",
          )
          .run(
            uid,
            title,
            folderUid,
            version,
            JSON.stringify(tags),
            prov?.name ?? null,
            prov?.file ?? null,
            prov?.allowUiUpdates ? 1 : 0,
            now,
            now,
            input.userId ?? null,
          );
        id = Number(r.lastInsertRowid);
      }
      const data = { ...d, id, uid, title, version };
      this.db
        .prepare(
          "UPDATE dashboard SET title = ?, folder_uid = ?, version = ?, data = ?, tags = ?, provisioned = ?, provisioned_file = ?, allow_ui_updates = ?, updated = ?, updated_by = ? WHERE id = ?",
        )
        .run(
          title,
          folderUid,
          version,
          JSON.stringify(data),
          JSON.stringify(tags),
          prov?.name ?? null,
          prov?.file ?? null,
          prov?.allowUiUpdates ? 1 : 0,
          now,
          input.userId ?? null,
          id,
        );
      this.db
        .prepare(
          "INSERT INTO dashboard_version (dashboard_id, version, parent_version, data, message, created, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          id,
          version,
          existing?.version ?? 0,
          JSON.stringify(data),
          input.message ?? "",
          now,
          input.userId ?? null,
        );
      return this.get(uid)!;
    });
  }

  private checkUpdate(existing: DashboardRecord, d: JsonObject, input: SaveDashboard): void {
    if (existing.provisioned !== null && !existing.allowUiUpdates && input.provisioner === undefined)
      throw new StoreError("provisioned", "Cannot save provisioned dashboard");
    if (input.overwrite === true || input.provisioner !== undefined) return;
    const given = typeof d.version === "number" ? d.version : 0;
    if (given !== existing.version)
      throw new StoreError("version-mismatch", "The dashboard has been changed by someone else");
  }

  /** Deletes a dashboard; provisioned ones only by their provisioner (`force`). */
  delete(uid: string, force = false): DashboardRecord {
    const existing = this.get(uid);
    if (existing === undefined) throw new StoreError("not-found", "Dashboard not found");
    if (existing.provisioned !== null && !force)
      throw new StoreError("provisioned", "provisioned dashboard cannot be deleted");
    this.db.prepare("DELETE FROM dashboard WHERE id = ?").run(existing.id);
    return existing;
  }

  /** The history of `uid`, newest first (without the JSON). */
  versions(uid: string): DashboardVersion[] {
    const d = this.get(uid);
    if (d === undefined) throw new StoreError("not-found", "Dashboard not found");
    const rows = this.db
      .prepare(
        "SELECT version, parent_version, message, created, created_by FROM dashboard_version WHERE dashboard_id = ? ORDER BY version DESC",
      )
      .all(d.id) as unknown as {
      version: number;
      parent_version: number;
      message: string;
      created: number;
      created_by: number | null;
    }[];
    return rows.map((r) => ({
      version: r.version,
      parentVersion: r.parent_version,
      message: r.message,
      created: r.created,
      createdBy: r.created_by,
    }));
  }

  /** One version of `uid` with its JSON. */
  version(uid: string, version: number): DashboardVersion {
    const d = this.get(uid);
    if (d === undefined) throw new StoreError("not-found", "Dashboard not found");
    const r = this.db
      .prepare("SELECT * FROM dashboard_version WHERE dashboard_id = ? AND version = ?")
      .get(d.id, version) as unknown as
      | {
          version: number;
          parent_version: number;
          message: string;
          created: number;
          created_by: number | null;
          data: string;
        }
      | undefined;
    if (r === undefined) throw new StoreError("not-found", "Dashboard version not found");
    return {
      version: r.version,
      parentVersion: r.parent_version,
      message: r.message,
      created: r.created,
      createdBy: r.created_by,
      data: JSON.parse(r.data) as JsonObject,
    };
  }

  /** Saves version `version`'s JSON as a new version (Grafana's restore). */
  restore(uid: string, version: number, userId: number | null = null): DashboardRecord {
    const old = this.version(uid, version);
    const current = this.get(uid)!;
    return this.save({
      dashboard: { ...old.data, version: current.version },
      folderUid: current.folderUid,
      message: `Restored from version ${version}`,
      userId,
    });
  }
}
