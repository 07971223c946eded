/**
 * `/api/datasources`, as Grafana's: list, get (by uid, name or id), add,
 * update, delete, the health "test", and the proxy to the Prometheus API.
 * Reading and querying need Viewer; changing data sources needs Admin.
 */
import { readBody } from "../../web/http.ts";
import { isObject, type JsonObject } from "../model/json.ts";
import { type DataSource, type DataSourceInput, toApi } from "../store/datasources.ts";
import { StoreError } from "../store/errors.ts";
import type { ApiContext } from "./context.ts";
import { callUpstream, checkHealth, ProxyError, proxyTarget } from "./proxy.ts";
import { HttpError, type Route, readJson } from "./router.ts";

/** Request JSON as a data source input; HttpError 400 on wrong field types. */
export function dataSourceInput(body: unknown): DataSourceInput {
  if (!isObject(body)) throw new HttpError(400, "bad request data: expected a JSON object");
  const s = (k: string): string | undefined => {
    const v = body[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new HttpError(400, `bad request data: ${k} must be a string`);
    return v;
  };
  const b = (k: string): boolean | undefined => {
    const v = body[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") throw new HttpError(400, `bad request data: ${k} must be a boolean`);
    return v;
  };
  const jsonData = body.jsonData ?? {};
  const secure = body.secureJsonData ?? {};
  if (!isObject(jsonData)) throw new HttpError(400, "bad request data: jsonData must be an object");
  if (!isObject(secure) || Object.values(secure).some((v) => typeof v !== "string"))
    throw new HttpError(400, "bad request data: secureJsonData must be an object of strings");
  return {
    uid: s("uid"),
    name: s("name") ?? "",
    type: s("type") ?? "",
    url: s("url"),
    access: s("access"),
    basicAuth: b("basicAuth"),
    basicAuthUser: s("basicAuthUser"),
    isDefault: b("isDefault"),
    jsonData: jsonData as JsonObject,
    secureJsonData: secure as Record<string, string>,
  };
}

function find(ctx: ApiContext, params: Readonly<Record<string, string>>): DataSource {
  const ds =
    params.uid !== undefined
      ? ctx.store.datasources.byUid(params.uid)
      : params.name !== undefined
        ? ctx.store.datasources.byName(params.name)
        : ctx.store.datasources.byId(Number(params.id));
  if (ds === undefined) throw new StoreError("not-found", "Data source not found");
  return ds;
}

/** The data source routes. */
export function dataSourceRoutes(ctx: ApiContext): Route[] {
  const get = (path: string): Route => ({
    method: "GET",
    path,
    role: "Viewer",
    handle: ({ params }) => ({ body: toApi(find(ctx, params)) }),
  });
  const del = (path: string): Route => ({
    method: "DELETE",
    path,
    role: "Admin",
    handle({ params }) {
      const ds = ctx.store.datasources.delete(find(ctx, params).uid);
      return { body: { message: "Data source deleted", id: ds.id } };
    },
  });
  const put = (path: string): Route => ({
    method: "PUT",
    path,
    role: "Admin",
    async handle({ req, params }) {
      const ds = ctx.store.datasources.update(
        find(ctx, params).uid,
        dataSourceInput(await readJson(req, 1 << 20)),
      );
      return { body: { datasource: toApi(ds), id: ds.id, message: "Datasource updated", name: ds.name } };
    },
  });
  const proxy: Route = {
    method: "ANY",
    path: "/api/datasources/proxy/uid/:uid/*",
    role: "Viewer",
    async handle({ req, res, url, params }) {
      const method = req.method === "HEAD" ? "GET" : req.method;
      if (method !== "GET" && method !== "POST") throw new ProxyError(405, "only GET and POST are proxied");
      const ds = find(ctx, params);
      const target = proxyTarget(ds, params.rest ?? "", url.search);
      const body = method === "POST" ? await readBody(req, ctx.proxyLimits.maxRequestBytes) : undefined;
      const up = await callUpstream(ds, target, method, body, req.headers["content-type"], ctx.proxyLimits);
      res.statusCode = up.status >= 300 && up.status < 400 ? 502 : up.status;
      res.setHeader("Content-Type", up.contentType);
      res.setHeader("Content-Length", up.body.length);
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.end(req.method === "HEAD" ? undefined : up.body);
      return undefined;
    },
  };
  return [
    {
      method: "GET",
      path: "/api/datasources",
      role: "Viewer",
      handle: () => ({ body: ctx.store.datasources.list().map(toApi) }),
    },
    get("/api/datasources/uid/:uid"),
    get("/api/datasources/name/:name"),
    get("/api/datasources/:id"),
    {
      method: "GET",
      path: "/api/datasources/id/:name",
      role: "Viewer",
      handle: ({ params }) => ({ body: { id: find(ctx, params).id } }),
    },
    {
      method: "POST",
      path: "/api/datasources",
      role: "Admin",
      async handle({ req }) {
        const ds = ctx.store.datasources.add(dataSourceInput(await readJson(req, 1 << 20)));
        return { body: { datasource: toApi(ds), id: ds.id, message: "Datasource added", name: ds.name } };
      },
    },
    put("/api/datasources/uid/:uid"),
    put("/api/datasources/:id"),
    del("/api/datasources/uid/:uid"),
    del("/api/datasources/name/:name"),
    del("/api/datasources/:id"),
    {
      method: "GET",
      path: "/api/datasources/uid/:uid/health",
      role: "Viewer",
      async handle({ params }) {
        const h = await checkHealth(find(ctx, params), ctx.proxyLimits);
        return { status: h.ok ? 200 : 400, body: { status: h.ok ? "OK" : "ERROR", message: h.message } };
      },
    },
    proxy,
  ];
}
