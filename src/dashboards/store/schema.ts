/**
 * The dashboards database schema as an ordered list of migrations; the
 * applied count is SQLite's `user_version`. Never edit a released
 * migration: append a new one.
 */
import type { DatabaseSync } from "node:sqlite";

/** Migration scripts; index + 1 is the schema version each one produces. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE folder (
     id INTEGER PRIMARY KEY,
     uid TEXT NOT NULL UNIQUE,
     title TEXT NOT NULL UNIQUE,
     provisioned TEXT,
     created INTEGER NOT NULL,
     updated INTEGER NOT NULL
   );
   CREATE TABLE dashboard (
     id INTEGER PRIMARY KEY,
     uid TEXT NOT NULL UNIQUE,
     title TEXT NOT NULL,
     folder_uid TEXT REFERENCES folder(uid) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     data TEXT NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]',
     provisioned TEXT,
     provisioned_file TEXT,
     allow_ui_updates INTEGER NOT NULL DEFAULT 0,
     created INTEGER NOT NULL,
     updated INTEGER NOT NULL,
     updated_by INTEGER
   );
   CREATE UNIQUE INDEX dashboard_title_folder ON dashboard(title, IFNULL(folder_uid, ''));
   CREATE TABLE dashboard_version (
     dashboard_id INTEGER NOT NULL REFERENCES dashboard(id) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     parent_version INTEGER NOT NULL,
     data TEXT NOT NULL,
     message TEXT NOT NULL DEFAULT '',
     created INTEGER NOT NULL,
     created_by INTEGER,
     PRIMARY KEY (dashboard_id, version)
   );
   CREATE TABLE data_source (
     id INTEGER PRIMARY KEY,
     uid TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     url TEXT NOT NULL DEFAULT '',
     access TEXT NOT NULL DEFAULT 'proxy',
     basic_auth INTEGER NOT NULL DEFAULT 0,
     basic_auth_user TEXT NOT NULL DEFAULT '',
     is_default INTEGER NOT NULL DEFAULT 0,
     json_data TEXT NOT NULL DEFAULT '{}',
     secure_json_data TEXT NOT NULL DEFAULT '{}',
     read_only INTEGER NOT NULL DEFAULT 0,
     provisioned TEXT,
     version INTEGER NOT NULL DEFAULT 1,
     created INTEGER NOT NULL,
     updated INTEGER NOT NULL
   );
   CREATE TABLE user (
     id INTEGER PRIMARY KEY,
     login TEXT NOT NULL UNIQUE,
     email TEXT NOT NULL DEFAULT '',
     name TEXT NOT NULL DEFAULT '',
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('Viewer', 'Editor', 'Admin')),
     is_grafana_admin INTEGER NOT NULL DEFAULT 0,
     created INTEGER NOT NULL,
     updated INTEGER NOT NULL
   );
   CREATE TABLE session (
     token_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
     csrf_token TEXT NOT NULL,
     created INTEGER NOT NULL,
     seen INTEGER NOT NULL,
     expires INTEGER NOT NULL
   );`,
  // 2: the message of a version is searchable; sessions looked up by user on logout-all.
  `CREATE INDEX session_user ON session(user_id);
   CREATE INDEX dashboard_folder ON dashboard(folder_uid);`,
];

/** The schema version of a database written by a newer Vigil. */
export class SchemaTooNewError extends Error {
  override readonly name = "SchemaTooNewError";
}

/** Applies the migrations the database lacks, each in its own transaction. */
export function migrateSchema(db: DatabaseSync, migrations: readonly string[] = MIGRATIONS): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  const current = row.user_version;
  if (current > migrations.length)
    throw new SchemaTooNewError(
      `database schema version ${current} is newer than this Vigil's (${migrations.length}): upgrade Vigil`,
    );
  for (let v = current; v < migrations.length; v++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(migrations[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw new Error(`database migration ${v + 1} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return migrations.length;
}
