/**
 * Opens the dashboards database with Node's built-in SQLite (`node:sqlite`),
 * silencing its "experimental" warning only around the import (it is not
 * the user's concern), and brings the schema up to date.
 */
import type { DatabaseSync as DatabaseSyncType } from "node:sqlite";
import { migrateSchema } from "./schema.ts";

const emitWarning = process.emitWarning;
process.emitWarning = () => {};
let sqlite: typeof import("node:sqlite");
try {
  sqlite = await import("node:sqlite");
} finally {
  process.emitWarning = emitWarning;
}

/** A synchronous SQLite connection (`node:sqlite`'s `DatabaseSync`). */
export type Database = DatabaseSyncType;

/**
 * Opens (creating when missing) the database at `path` (`":memory:"` for
 * tests), enables foreign keys and WAL, and applies pending schema
 * migrations. Throws when the file belongs to a newer Vigil.
 */
export function openDatabase(path: string): Database {
  const db = new sqlite.DatabaseSync(path);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA busy_timeout = 5000");
  if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
  migrateSchema(db);
  return db;
}

/** Runs `fn` in a transaction: committed when it returns, rolled back when it throws. */
export function transaction<T>(db: Database, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}
