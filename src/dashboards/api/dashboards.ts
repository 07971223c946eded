/**
 * Dashboards, folders and search, as Grafana's HTTP API: `POST
 * /api/dashboards/db` (save with version/overwrite semantics), `POST
 * /api/dashboards/import` (`__inputs` mapping), `GET|DELETE
 * /api/dashboards/uid/:uid`, versions and restore, `GET /api/search`,
 * `/api/folders`. Vigil extension: `GET /api/dashboards/uid/:uid/export`
 * (the "export for sharing externally" JSON, with `__inputs`).
 * Dashboards are migrated to the current schema when saved (Grafana
 * migrates on load in the browser; storing the migrated model lets every
 * client read the same JSON).
 */
import {
  applyImportInputs,
  DashboardInputMissingError,
  exportDashboard,
  type ImportInput,
} from "../model/inputs.ts";
import { isObject, type JsonObject, objects } from "../model/json.ts";
import { migrateDashboard } from "../model/migrate.ts";
import { validateDashboard } from "../model/validate.ts";
import type { DashboardRecord } from "../store/dashboards.ts";
import { StoreError } from "../store/errors.ts";
import { type ApiContext, migrateOptions } from "./context.ts";
import { HttpError, type Route, readJson } from "./router.ts";

/** Grafana's slug of a title: lower case, runs of other characters as `-`. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function urlOf(d: DashboardRecord): string {
  return `/d/${d.uid}/${slugify(d.title)}`;
}

function folderTitle(ctx: ApiContext, uid: string | null): string {
  return uid === null ? "General" : (ctx.store.folders.get(uid)?.title ?? "");
}

function saveBody(body: unknown): {
  dashboard: JsonObject;
  folderUid: string | null | undefined;
  overwrite: boolean;
  message: string;
} {
  if (!isObject(body)) throw new HttpError(400, "bad request data: expected a JSON object");
  if (!isObject(body.dashboard))
    throw new HttpError(400, "bad request data: dashboard must be a JSON object");
  const folderUid = body.folderUid;
  if (folderUid !== undefined && folderUid !== null && typeof folderUid !== "string")
    throw new HttpError(400, "bad request data: folderUid must be a string");
  return {
    dashboard: body.dashboard,
    folderUid: folderUid as string | null | undefined,
    overwrite: body.overwrite === true,
    message: typeof body.message === "string" ? body.message : "",
  };
}

/** The dashboard, folder and search routes. */
export function dashboardRoutes(ctx: ApiContext): Route[] {
  const byUid = (uid: string): DashboardRecord => {
    const d = ctx.store.dashboards.get(uid);
    if (d === undefined) throw new StoreError("not-found", "Dashboard not found");
    return d;
  };
  return [
    {
      method: "POST",
      path: "/api/dashboards/db",
      role: "Editor",
      async handle({ req, principal }) {
        const b = saveBody(await readJson(req, ctx.maxBodyBytes));
        const migrated = migrateDashboard(validateDashboard(b.dashboard), migrateOptions(ctx));
        const d = ctx.store.dashboards.save({ ...b, dashboard: migrated, userId: principal!.user.id });
        return {
          body: {
            id: d.id,
            uid: d.uid,
            url: urlOf(d),
            status: "success",
            version: d.version,
            slug: slugify(d.title),
          },
        };
      },
    },
    {
      method: "POST",
      path: "/api/dashboards/import",
      role: "Editor",
      async handle({ req, principal }) {
        const body = await readJson(req, ctx.maxBodyBytes);
        const b = saveBody(body);
        const given = importInputs(objects((body as JsonObject).inputs));
        let dashboard: JsonObject;
        try {
          dashboard = applyImportInputs(validateDashboard(b.dashboard), given);
        } catch (err) {
          if (err instanceof DashboardInputMissingError) throw new HttpError(400, err.message);
          throw err;
        }
        const migrated = migrateDashboard(dashboard, migrateOptions(ctx));
        delete migrated.id;
        const existing =
          typeof migrated.uid === "string" ? ctx.store.dashboards.get(migrated.uid) : undefined;
        if (existing !== undefined && b.overwrite) migrated.version = existing.version;
        const d = ctx.store.dashboards.save({
          ...b,
          dashboard: migrated,
          message: "imported",
          userId: principal!.user.id,
        });
        return {
          body: {
            uid: d.uid,
            pluginId: "",
            title: d.title,
            imported: true,
            importedUri: `db/${slugify(d.title)}`,
            importedUrl: urlOf(d),
            slug: slugify(d.title),
            dashboardId: d.id,
            folderUid: d.folderUid ?? "",
            importedRevision: 1,
            revision: 1,
            description: "",
            path: "",
            removed: false,
          },
        };
      },
    },
    {
      method: "GET",
      path: "/api/dashboards/uid/:uid",
      role: "Viewer",
      handle({ params, principal }) {
        const d = byUid(params.uid!);
        const canEdit = principal!.user.role !== "Viewer";
        return {
          body: {
            dashboard: d.dashboard,
            meta: {
              type: "db",
              canSave: canEdit && (d.provisioned === null || d.allowUiUpdates),
              canEdit,
              canAdmin: principal!.user.role === "Admin",
              canStar: false,
              canDelete: canEdit && d.provisioned === null,
              slug: slugify(d.title),
              url: urlOf(d),
              expires: "0001-01-01T00:00:00Z",
              created: new Date(d.created).toISOString(),
              updated: new Date(d.updated).toISOString(),
              version: d.version,
              hasAcl: false,
              isFolder: false,
              folderUid: d.folderUid ?? "",
              folderTitle: folderTitle(ctx, d.folderUid),
              folderUrl: d.folderUid === null ? "" : `/dashboards/f/${d.folderUid}/`,
              provisioned: d.provisioned !== null,
              provisionedExternalId: d.provisionedFile ?? "",
            },
          },
        };
      },
    },
    {
      method: "DELETE",
      path: "/api/dashboards/uid/:uid",
      role: "Editor",
      handle({ params }) {
        const d = ctx.store.dashboards.delete(params.uid!);
        return { body: { title: d.title, message: `Dashboard ${d.title} deleted`, id: d.id } };
      },
    },
    {
      method: "GET",
      path: "/api/dashboards/uid/:uid/versions",
      role: "Viewer",
      handle({ params }) {
        const d = byUid(params.uid!);
        const versions = ctx.store.dashboards.versions(params.uid!).map((v) => ({
          id: v.version,
          dashboardId: d.id,
          dashboardUid: d.uid,
          parentVersion: v.parentVersion,
          restoredFrom: 0,
          version: v.version,
          created: new Date(v.created).toISOString(),
          createdBy: v.createdBy === null ? "" : (ctx.store.users.byId(v.createdBy)?.login ?? ""),
          message: v.message,
        }));
        return { body: { continueToken: "", versions } };
      },
    },
    {
      method: "GET",
      path: "/api/dashboards/uid/:uid/versions/:version",
      role: "Viewer",
      handle({ params }) {
        const v = ctx.store.dashboards.version(params.uid!, Number(params.version));
        return {
          body: {
            version: v.version,
            parentVersion: v.parentVersion,
            message: v.message,
            created: new Date(v.created).toISOString(),
            data: v.data,
          },
        };
      },
    },
    {
      method: "POST",
      path: "/api/dashboards/uid/:uid/restore",
      role: "Editor",
      async handle({ req, params, principal }) {
        const body = await readJson(req, 64 << 10);
        if (!isObject(body) || typeof body.version !== "number")
          throw new HttpError(400, "bad request data: version is required");
        const d = ctx.store.dashboards.restore(params.uid!, body.version, principal!.user.id);
        return {
          body: {
            id: d.id,
            uid: d.uid,
            url: urlOf(d),
            status: "success",
            version: d.version,
            slug: slugify(d.title),
          },
        };
      },
    },
    {
      method: "GET",
      path: "/api/dashboards/uid/:uid/export",
      role: "Viewer",
      handle({ params }) {
        const d = byUid(params.uid!);
        return {
          body: exportDashboard(d.dashboard, (uid) => {
            const ds = ctx.store.datasources.byUid(uid);
            return (
              ds && {
                uid: ds.uid,
                name: ds.name,
                type: ds.type,
                typeName: ds.type === "prometheus" ? "Prometheus" : ds.type,
              }
            );
          }),
        };
      },
    },
    { method: "GET", path: "/api/search", role: "Viewer", handle: ({ url }) => ({ body: search(ctx, url) }) },
    {
      method: "GET",
      path: "/api/folders",
      role: "Viewer",
      handle: () => ({
        body: ctx.store.folders.list().map((f) => ({ id: f.id, uid: f.uid, title: f.title })),
      }),
    },
    {
      method: "GET",
      path: "/api/folders/:uid",
      role: "Viewer",
      handle({ params }) {
        const f = ctx.store.folders.get(params.uid!);
        if (f === undefined) throw new StoreError("not-found", "folder not found");
        return { body: { id: f.id, uid: f.uid, title: f.title, url: `/dashboards/f/${f.uid}/`, version: 1 } };
      },
    },
    {
      method: "POST",
      path: "/api/folders",
      role: "Editor",
      async handle({ req }) {
        const body = await readJson(req, 64 << 10);
        if (!isObject(body) || typeof body.title !== "string")
          throw new HttpError(400, "bad request data: title is required");
        const f = ctx.store.folders.create({
          uid: typeof body.uid === "string" ? body.uid : undefined,
          title: body.title,
        });
        return { body: { id: f.id, uid: f.uid, title: f.title, url: `/dashboards/f/${f.uid}/`, version: 1 } };
      },
    },
    {
      method: "DELETE",
      path: "/api/folders/:uid",
      role: "Editor",
      handle({ params }) {
        const f = ctx.store.folders.get(params.uid!);
        if (f === undefined) throw new StoreError("not-found", "folder not found");
        if (ctx.store.dashboards.list().some((d) => d.folderUid === f.uid && d.provisioned !== null))
          throw new StoreError("provisioned", "folder contains provisioned dashboards and cannot be deleted");
        ctx.store.folders.delete(f.uid);
        return { body: { message: `Folder ${f.title} deleted`, id: f.id } };
      },
    },
  ];
}

function importInputs(list: readonly JsonObject[]): ImportInput[] {
  return list.map((i, k) => {
    if (typeof i.name !== "string" || typeof i.value !== "string")
      throw new HttpError(400, `bad request data: inputs[${k}] needs a name and a value`);
    return {
      name: i.name,
      type: typeof i.type === "string" ? i.type : "datasource",
      value: i.value,
      pluginId: typeof i.pluginId === "string" ? i.pluginId : undefined,
    };
  });
}

/** `GET /api/search`: `query` (case-insensitive substring of the title), `tag` (all given), `type`, `folderUIDs`, `dashboardUIDs`, `limit`. */
function search(ctx: ApiContext, url: URL): unknown[] {
  const q = (url.searchParams.get("query") ?? "").toLowerCase();
  const tags = url.searchParams.getAll("tag");
  const type = url.searchParams.get("type");
  const folders = url.searchParams.getAll("folderUIDs").flatMap((s) => s.split(","));
  const uids = url.searchParams.getAll("dashboardUIDs").flatMap((s) => s.split(","));
  const limit = Math.min(5000, Number(url.searchParams.get("limit") ?? 1000) || 1000);
  const out: unknown[] = [];
  if (type !== "dash-db" && folders.length === 0 && uids.length === 0) {
    for (const f of ctx.store.folders.list()) {
      if (q !== "" && !f.title.toLowerCase().includes(q)) continue;
      if (tags.length > 0) continue;
      out.push({
        id: f.id,
        uid: f.uid,
        title: f.title,
        uri: `db/${slugify(f.title)}`,
        url: `/dashboards/f/${f.uid}/`,
        slug: "",
        type: "dash-folder",
        tags: [],
        isStarred: false,
      });
    }
  }
  if (type !== "dash-folder") {
    for (const d of ctx.store.dashboards.list()) {
      if (q !== "" && !d.title.toLowerCase().includes(q)) continue;
      if (!tags.every((t) => d.tags.includes(t))) continue;
      if (folders.length > 0 && !folders.includes(d.folderUid ?? "general")) continue;
      if (uids.length > 0 && !uids.includes(d.uid)) continue;
      out.push({
        id: d.id,
        uid: d.uid,
        title: d.title,
        uri: `db/${slugify(d.title)}`,
        url: urlOf(d),
        slug: "",
        type: "dash-db",
        tags: d.tags,
        isStarred: false,
        ...(d.folderUid === null
          ? {}
          : {
              folderUid: d.folderUid,
              folderTitle: folderTitle(ctx, d.folderUid),
              folderUrl: `/dashboards/f/${d.folderUid}/`,
            }),
      });
    }
  }
  return out.slice(0, limit);
}
