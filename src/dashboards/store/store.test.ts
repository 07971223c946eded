import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DashboardValidationError } from "../model/validate.ts";
import { StoreError } from "./errors.ts";
import { MIGRATIONS, migrateSchema, SchemaTooNewError } from "./schema.ts";
import { openDatabase } from "./sqlite.ts";
import { Store } from "./store.ts";

function kind(k: string) {
  return (err: unknown) => err instanceof StoreError && err.kind === k;
}

describe("schema migrations", () => {
  it("a new database reaches the latest version; reopening applies nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-dash-"));
    try {
      const s = Store.open(dir);
      s.dashboards.save({ dashboard: { title: "kept" } });
      assert.equal(
        (s.db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
        MIGRATIONS.length,
      );
      s.close();
      const again = Store.open(dir);
      assert.equal(again.dashboards.list()[0]!.title, "kept");
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("applies only the missing migrations, in order", () => {
    const db = openDatabase(":memory:");
    const extra = [...MIGRATIONS, "CREATE TABLE extra (x INTEGER)"];
    assert.equal(migrateSchema(db, extra), extra.length);
    db.prepare("INSERT INTO extra VALUES (1)").run();
    assert.equal(migrateSchema(db, extra), extra.length);
    assert.throws(() => migrateSchema(db, MIGRATIONS), SchemaTooNewError);
  });
  it("a failing migration is rolled back and named", () => {
    const db = openDatabase(":memory:");
    assert.throws(
      () => migrateSchema(db, [...MIGRATIONS, "CREATE TABLE y (a); CREATE TABLE folder (x)"]),
      /database migration 3 failed/,
    );
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'y'").get(), undefined);
    assert.equal(
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      MIGRATIONS.length,
    );
  });
});

describe("dashboards", () => {
  it("create, update with version, mismatch, overwrite, history, restore, delete", () => {
    const s = Store.open(":memory:");
    const a = s.dashboards.save({ dashboard: { title: "A", uid: "a", panels: [] }, message: "first" });
    assert.deepEqual([a.version, a.dashboard.version, a.dashboard.uid, a.dashboard.id], [1, 1, "a", a.id]);
    const b = s.dashboards.save({ dashboard: { ...a.dashboard, tags: ["x"] } });
    assert.equal(b.version, 2);
    assert.deepEqual(b.tags, ["x"]);
    assert.throws(() => s.dashboards.save({ dashboard: { ...a.dashboard } }), kind("version-mismatch"));
    const c = s.dashboards.save({ dashboard: { ...a.dashboard, title: "A2" }, overwrite: true });
    assert.equal(c.version, 3);
    assert.deepEqual(
      s.dashboards.versions("a").map((v) => [v.version, v.parentVersion, v.message]),
      [
        [3, 2, ""],
        [2, 1, ""],
        [1, 0, "first"],
      ],
    );
    assert.equal(s.dashboards.version("a", 1).data!.title, "A");
    const r = s.dashboards.restore("a", 1);
    assert.deepEqual([r.version, r.title], [4, "A"]);
    assert.throws(() => s.dashboards.version("a", 99), kind("not-found"));
    s.dashboards.delete("a");
    assert.equal(s.dashboards.get("a"), undefined);
    assert.throws(() => s.dashboards.delete("a"), kind("not-found"));
  });
  it("titles are unique per folder; generated uids; unknown folder refused", () => {
    const s = Store.open(":memory:");
    const f = s.folders.create({ title: "F" });
    const one = s.dashboards.save({ dashboard: { title: "Same" } });
    assert.match(one.uid, /^[a-zA-Z0-9]{14}$/);
    assert.throws(() => s.dashboards.save({ dashboard: { title: "Same" } }), kind("name-exists"));
    s.dashboards.save({ dashboard: { title: "Same" }, folderUid: f.uid });
    assert.throws(
      () => s.dashboards.save({ dashboard: { title: "X" }, folderUid: "nope" }),
      kind("not-found"),
    );
    const replaced = s.dashboards.save({ dashboard: { title: "Same", uid: "new" }, overwrite: true });
    assert.equal(s.dashboards.get(one.uid), undefined);
    assert.equal(replaced.uid, "new");
  });
  it("refuses invalid JSON models with the reason, storing nothing", () => {
    const s = Store.open(":memory:");
    assert.throws(
      () => s.dashboards.save({ dashboard: { title: "" } }),
      (e: unknown) =>
        e instanceof DashboardValidationError && /title cannot be empty/.test((e as Error).message),
    );
    assert.equal(s.dashboards.list().length, 0);
  });
  it("provisioned dashboards are read-only through the API unless allowUiUpdates", () => {
    const s = Store.open(":memory:");
    const p = s.dashboards.save({
      dashboard: { title: "P", uid: "p" },
      provisioner: { name: "prov", file: "/x.json", allowUiUpdates: false },
    });
    assert.throws(() => s.dashboards.save({ dashboard: p.dashboard }), kind("provisioned"));
    assert.throws(() => s.dashboards.delete("p"), kind("provisioned"));
    s.dashboards.save({
      dashboard: { title: "Q", uid: "q" },
      provisioner: { name: "prov", file: "/q.json", allowUiUpdates: true },
    });
    assert.equal(s.dashboards.save({ dashboard: { ...s.dashboards.get("q")!.dashboard } }).version, 2);
    assert.deepEqual(
      s.dashboards
        .provisionedBy("prov")
        .map((d) => d.uid)
        .sort(),
      ["p", "q"],
    );
  });
  it("deleting a folder deletes its dashboards", () => {
    const s = Store.open(":memory:");
    const f = s.folders.create({ title: "F", uid: "f" });
    s.dashboards.save({ dashboard: { title: "in", uid: "in" }, folderUid: f.uid });
    assert.throws(() => s.folders.create({ title: "F" }), kind("name-exists"));
    assert.throws(() => s.folders.create({ title: "G", uid: "f" }), kind("uid-exists"));
    s.folders.delete("f");
    assert.equal(s.dashboards.get("in"), undefined);
  });
});

describe("data sources", () => {
  it("CRUD, one default, secure fields kept on update, read-only refused", () => {
    const s = Store.open(":memory:");
    const a = s.datasources.add({
      name: "A",
      type: "prometheus",
      url: "http://a:9090",
      isDefault: true,
      secureJsonData: { basicAuthPassword: "pw" },
    });
    const b = s.datasources.add({ name: "B", type: "prometheus", url: "http://b:9090", isDefault: true });
    assert.equal(s.datasources.byUid(a.uid)!.isDefault, false);
    assert.equal(s.datasources.defaultSource()!.uid, b.uid);
    assert.throws(() => s.datasources.add({ name: "A", type: "prometheus" }), kind("conflict"));
    assert.throws(
      () => s.datasources.add({ name: "C", type: "prometheus", url: "file:///etc/passwd" }),
      kind("invalid"),
    );
    assert.throws(() => s.datasources.add({ name: "", type: "prometheus" }), /Name is required/);
    const u = s.datasources.update(a.uid, { name: "A2", type: "prometheus", url: "http://a2:9090" });
    assert.deepEqual([u.name, u.version, u.secureJsonData.basicAuthPassword], ["A2", 2, "pw"]);
    const ro = s.datasources.add({ name: "RO", type: "prometheus", readOnly: true });
    assert.throws(() => s.datasources.delete(ro.uid), kind("provisioned"));
    s.datasources.delete(ro.uid, true);
    assert.deepEqual(
      s.datasources.list().map((d) => d.name),
      ["A2", "B"],
    );
  });
});

describe("users and sessions", () => {
  it("creates users with roles, stores sessions, expires them", () => {
    const s = Store.open(":memory:");
    const u = s.users.create({ login: "ann", passwordHash: "h", role: "Editor" });
    assert.throws(
      () => s.users.create({ login: "ann", passwordHash: "h", role: "Viewer" }),
      kind("name-exists"),
    );
    assert.throws(
      () => s.users.create({ login: "bob", passwordHash: "h", role: "Root" as never }),
      kind("invalid"),
    );
    s.users.setRole(u.id, "Admin");
    assert.equal(s.users.byLogin("ann")!.role, "Admin");
    s.users.createSession({
      tokenHash: "t1",
      userId: u.id,
      csrfToken: "c",
      created: 0,
      seen: 100,
      expires: 1000,
    });
    s.users.createSession({
      tokenHash: "t2",
      userId: u.id,
      csrfToken: "c",
      created: 0,
      seen: 900,
      expires: 1000,
    });
    assert.equal(s.users.deleteExpired(500, 200), 1);
    assert.equal(s.users.session("t1"), undefined);
    assert.equal(s.users.session("t2")!.userId, u.id);
    s.users.delete(u.id);
    assert.equal(s.users.session("t2"), undefined);
  });
});
