/** Folders: a flat list of titled groups of dashboards (Grafana's folders without nesting). */

import { StoreError } from "./errors.ts";
import type { Database } from "./sqlite.ts";
import { newUid } from "./uid.ts";

/** A stored folder. */
export interface Folder {
  readonly id: number;
  readonly uid: string;
  readonly title: string;
  readonly provisioned: string | null;
  readonly created: number;
  readonly updated: number;
}

interface Row {
  id: number;
  uid: string;
  title: string;
  provisioned: string | null;
  created: number;
  updated: number;
}

const UID_RE = /^[a-zA-Z0-9\-_]{1,40}$/;

/** Folder table access. */
export class FolderRepo {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** Every folder, by title. */
  list(): Folder[] {
    return this.db.prepare("SELECT * FROM folder ORDER BY title").all() as unknown as Row[];
  }

  /** The folder with `uid`, or undefined. */
  get(uid: string): Folder | undefined {
    return this.db.prepare("SELECT * FROM folder WHERE uid = ?").get(uid) as unknown as Row | undefined;
  }

  /** The folder titled `title`, or undefined. */
  byTitle(title: string): Folder | undefined {
    return this.db.prepare("SELECT * FROM folder WHERE title = ?").get(title) as unknown as Row | undefined;
  }

  /** Creates a folder; throws `name-exists`/`uid-exists`/`invalid` as Grafana refuses them. */
  create(input: { uid?: string; title: string; provisioned?: string | null }, now = Date.now()): Folder {
    const title = input.title.trim();
    if (title === "") throw new StoreError("invalid", "folder title cannot be empty");
    const uid = input.uid === undefined || input.uid === "" ? newUid() : input.uid;
    if (!UID_RE.test(uid)) throw new StoreError("invalid", "invalid uid for folder provided");
    if (this.get(uid)) throw new StoreError("uid-exists", "a folder with the same uid already exists");
    if (this.byTitle(title))
      throw new StoreError("name-exists", "a folder with the same name already exists");
    this.db
      .prepare("INSERT INTO folder (uid, title, provisioned, created, updated) VALUES (?, ?, ?, ?, ?)")
      .run(uid, title, input.provisioned ?? null, now, now);
    return this.get(uid)!;
  }

  /** The folder with `uid` or else titled `title`, created when neither exists (for provisioning). */
  ensure(title: string, uid: string | undefined, provisioned: string): Folder {
    const existing = (uid ? this.get(uid) : undefined) ?? this.byTitle(title);
    return existing ?? this.create({ uid, title, provisioned });
  }

  /** Deletes a folder and, as Grafana does, the dashboards in it. */
  delete(uid: string): void {
    const r = this.db.prepare("DELETE FROM folder WHERE uid = ?").run(uid);
    if (r.changes === 0) throw new StoreError("not-found", "folder not found");
  }
}
