/**
 * Data sources, shaped as Grafana's `/api/datasources` objects. Only one
 * can be the default (setting one clears the others). `secureJsonData`
 * (passwords, header values) is stored but never returned by {@link toApi}:
 * the API shows which keys are set in `secureJsonFields`, as Grafana does.
 * Deviation: Grafana encrypts secure fields with its secret key; Vigil
 * relies on the database file's permissions (0600).
 */
import type { JsonObject } from "../model/json.ts";
import { StoreError } from "./errors.ts";
import { type Database, transaction } from "./sqlite.ts";
import { newUid } from "./uid.ts";

/** A stored data source. */
export interface DataSource {
  readonly id: number;
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly url: string;
  readonly access: string;
  readonly basicAuth: boolean;
  readonly basicAuthUser: string;
  readonly isDefault: boolean;
  readonly jsonData: JsonObject;
  readonly secureJsonData: Readonly<Record<string, string>>;
  readonly readOnly: boolean;
  /** The provisioning file that created it, or null. */
  readonly provisioned: string | null;
  readonly version: number;
}

/** Fields accepted on create/update (Grafana's `AddDataSourceCommand`). */
export interface DataSourceInput {
  readonly uid?: string;
  readonly name: string;
  readonly type: string;
  readonly url?: string;
  readonly access?: string;
  readonly basicAuth?: boolean;
  readonly basicAuthUser?: string;
  readonly isDefault?: boolean;
  readonly jsonData?: JsonObject;
  /** New secure values; keys absent keep their stored value on update. */
  readonly secureJsonData?: Readonly<Record<string, string>>;
  readonly readOnly?: boolean;
  readonly provisioned?: string | null;
}

interface Row {
  id: number;
  uid: string;
  name: string;
  type: string;
  url: string;
  access: string;
  basic_auth: number;
  basic_auth_user: string;
  is_default: number;
  json_data: string;
  secure_json_data: string;
  read_only: number;
  provisioned: string | null;
  version: number;
}

function fromRow(r: Row): DataSource {
  return {
    id: r.id,
    uid: r.uid,
    name: r.name,
    type: r.type,
    url: r.url,
    access: r.access,
    basicAuth: r.basic_auth === 1,
    basicAuthUser: r.basic_auth_user,
    isDefault: r.is_default === 1,
    jsonData: JSON.parse(r.json_data) as JsonObject,
    secureJsonData: JSON.parse(r.secure_json_data) as Record<string, string>,
    readOnly: r.read_only === 1,
    provisioned: r.provisioned,
    version: r.version,
  };
}

/** A data source as the API returns it: secure values replaced by `secureJsonFields`. */
export function toApi(ds: DataSource): JsonObject {
  return {
    id: ds.id,
    uid: ds.uid,
    orgId: 1,
    name: ds.name,
    type: ds.type,
    typeName: ds.type === "prometheus" ? "Prometheus" : ds.type,
    access: ds.access,
    url: ds.url,
    user: "",
    database: "",
    basicAuth: ds.basicAuth,
    basicAuthUser: ds.basicAuthUser,
    withCredentials: false,
    isDefault: ds.isDefault,
    jsonData: ds.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(ds.secureJsonData).map((k) => [k, true])),
    version: ds.version,
    readOnly: ds.readOnly,
  };
}

const UID_RE = /^[a-zA-Z0-9\-_]{1,40}$/;

function validate(input: DataSourceInput): void {
  if (typeof input.name !== "string" || input.name.trim() === "")
    throw new StoreError("invalid", "Name is required");
  if (typeof input.type !== "string" || input.type === "")
    throw new StoreError("invalid", "Type is required");
  if (input.uid !== undefined && input.uid !== "" && !UID_RE.test(input.uid))
    throw new StoreError("invalid", "Failed to add datasource: invalid uid");
  if (input.url !== undefined && input.url !== "") {
    let u: URL;
    try {
      u = new URL(input.url);
    } catch {
      throw new StoreError("invalid", `Failed to add datasource: invalid URL ${JSON.stringify(input.url)}`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:")
      throw new StoreError("invalid", "Failed to add datasource: the URL must be http or https");
  }
  if (input.access !== undefined && input.access !== "proxy" && input.access !== "direct")
    throw new StoreError("invalid", `invalid access ${JSON.stringify(input.access)}: must be "proxy"`);
}

/** Data source table access. */
export class DataSourceRepo {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  list(): DataSource[] {
    return (this.db.prepare("SELECT * FROM data_source ORDER BY name").all() as unknown as Row[]).map(
      fromRow,
    );
  }

  byUid(uid: string): DataSource | undefined {
    const r = this.db.prepare("SELECT * FROM data_source WHERE uid = ?").get(uid) as unknown as
      | Row
      | undefined;
    return r && fromRow(r);
  }

  byName(name: string): DataSource | undefined {
    const r = this.db.prepare("SELECT * FROM data_source WHERE name = ?").get(name) as unknown as
      | Row
      | undefined;
    return r && fromRow(r);
  }

  byId(id: number): DataSource | undefined {
    const r = this.db.prepare("SELECT * FROM data_source WHERE id = ?").get(id) as unknown as Row | undefined;
    return r && fromRow(r);
  }

  /** The default data source: the one marked so, else the first Prometheus one. */
  defaultSource(): DataSource | undefined {
    const all = this.list();
    return all.find((d) => d.isDefault) ?? all.find((d) => d.type === "prometheus");
  }

  /** Adds a data source; `name-exists`/`uid-exists` when taken. */
  add(input: DataSourceInput): DataSource {
    validate(input);
    return transaction(this.db, () => {
      if (this.byName(input.name))
        throw new StoreError("conflict", "data source with the same name already exists");
      const uid = input.uid === undefined || input.uid === "" ? newUid() : input.uid;
      if (this.byUid(uid)) throw new StoreError("conflict", "data source with the same uid already exists");
      if (input.isDefault === true) this.db.exec("UPDATE data_source SET is_default = 0");
      const now = Date.now();
      this.db
        .prepare(
          "INSERT INTO data_source (uid, name, type, url, access, basic_auth, basic_auth_user, is_default, json_data, secure_json_data, read_only, provisioned, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          uid,
          input.name.trim(),
          input.type,
          input.url ?? "",
          input.access ?? "proxy",
          input.basicAuth ? 1 : 0,
          input.basicAuthUser ?? "",
          input.isDefault ? 1 : 0,
          JSON.stringify(input.jsonData ?? {}),
          JSON.stringify(input.secureJsonData ?? {}),
          input.readOnly ? 1 : 0,
          input.provisioned ?? null,
          now,
          now,
        );
      return this.byUid(uid)!;
    });
  }

  /** Replaces the data source `uid` (secure keys not given are kept); refuses read-only ones unless `force`. */
  update(uid: string, input: DataSourceInput, force = false): DataSource {
    validate(input);
    return transaction(this.db, () => {
      const old = this.byUid(uid);
      if (old === undefined) throw new StoreError("not-found", "Data source not found");
      if (old.readOnly && !force) throw new StoreError("provisioned", "Cannot update read-only data source");
      const clash = this.byName(input.name);
      if (clash !== undefined && clash.uid !== uid)
        throw new StoreError("conflict", "data source with the same name already exists");
      if (input.isDefault === true) this.db.exec("UPDATE data_source SET is_default = 0");
      const secure = { ...old.secureJsonData, ...(input.secureJsonData ?? {}) };
      this.db
        .prepare(
          "UPDATE data_source SET name = ?, type = ?, url = ?, access = ?, basic_auth = ?, basic_auth_user = ?, is_default = ?, json_data = ?, secure_json_data = ?, read_only = ?, provisioned = ?, version = version + 1, updated = ? WHERE uid = ?",
        )
        .run(
          input.name.trim(),
          input.type,
          input.url ?? "",
          input.access ?? "proxy",
          input.basicAuth ? 1 : 0,
          input.basicAuthUser ?? "",
          input.isDefault ? 1 : 0,
          JSON.stringify(input.jsonData ?? {}),
          JSON.stringify(secure),
          input.readOnly ? 1 : 0,
          input.provisioned === undefined ? old.provisioned : input.provisioned,
          Date.now(),
          uid,
        );
      return this.byUid(uid)!;
    });
  }

  /** Deletes the data source `uid`; refuses read-only ones unless `force`. */
  delete(uid: string, force = false): DataSource {
    const old = this.byUid(uid);
    if (old === undefined) throw new StoreError("not-found", "Data source not found");
    if (old.readOnly && !force) throw new StoreError("provisioned", "Cannot delete read-only data source");
    this.db.prepare("DELETE FROM data_source WHERE uid = ?").run(uid);
    return old;
  }
}
