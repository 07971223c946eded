/**
 * The dashboards database: one SQLite file (`<storage.path>/vigil-dashboards.db`)
 * holding folders, dashboards with their versions, data sources, users and
 * sessions, with a repository object per table.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { DashboardRepo } from "./dashboards.ts";
import { DataSourceRepo } from "./datasources.ts";
import { FolderRepo } from "./folders.ts";
import { type Database, openDatabase } from "./sqlite.ts";
import { UserRepo } from "./users.ts";

/** The database file name under the storage path. */
export const DATABASE_FILE = "vigil-dashboards.db";

/** An open dashboards database. */
export class Store {
  readonly db: Database;
  readonly folders: FolderRepo;
  readonly dashboards: DashboardRepo;
  readonly datasources: DataSourceRepo;
  readonly users: UserRepo;

  private constructor(db: Database) {
    this.db = db;
    this.folders = new FolderRepo(db);
    this.dashboards = new DashboardRepo(db);
    this.datasources = new DataSourceRepo(db);
    this.users = new UserRepo(db);
  }

  /** Opens (creating) the database in directory `dir`, or in memory for `":memory:"`. */
  static open(dir: string): Store {
    if (dir === ":memory:") return new Store(openDatabase(":memory:"));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, DATABASE_FILE);
    const store = new Store(openDatabase(file));
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not ours to change (a mounted volume); the data is still written.
    }
    return store;
  }

  close(): void {
    this.db.close();
  }
}
