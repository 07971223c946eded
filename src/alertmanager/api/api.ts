/**
 * Alertmanager API v2 on node:http, as upstream's go-swagger server answers:
 * the routes of `openapi.yaml`, `Cache-Control: no-store` and `Vary: Origin`
 * on every answer, permissive CORS (`cors.Default()`), go-openapi's 404, 405,
 * 415 and 422 error bodies.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getAlertGroups, getAlerts, newAlertsMetrics, postAlerts } from "./alerts.ts";
import { RequestError } from "./decode.ts";
import type { APIv2Deps } from "./deps.ts";
import { apiErrorJSON, dateTime, labelSetJSON, plainJSONString } from "./json.ts";
import { jsonReply, type Reply } from "./reply.ts";
import { deleteSilence, getSilence, getSilences, postSilences } from "./silences.ts";

const PREFIX = "/api/v2";
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

type Route = { readonly methods: readonly string[]; readonly match: (p: string) => string[] | undefined };

const ROUTES: readonly Route[] = [
  { methods: ["GET", "POST"], match: (p) => (p === "/alerts" ? [] : undefined) },
  { methods: ["GET"], match: (p) => (p === "/alerts/groups" ? [] : undefined) },
  { methods: ["GET", "POST"], match: (p) => (p === "/silences" ? [] : undefined) },
  {
    methods: ["DELETE", "GET"],
    match: (p) => {
      const m = /^\/silence\/([^/]+)$/.exec(p);
      return m === null ? undefined : [decodeURIComponent(m[1]!)];
    },
  },
  { methods: ["GET"], match: (p) => (p === "/status" ? [] : undefined) },
  { methods: ["GET"], match: (p) => (p === "/receivers" ? [] : undefined) },
];

function statusJSON(deps: APIv2Deps): string {
  const v = deps.versionInfo;
  const vi =
    `{"branch":${plainJSONString(v.branch)},"buildDate":${plainJSONString(v.buildDate)},"buildUser":${plainJSONString(v.buildUser)}` +
    `,"goVersion":${plainJSONString(v.goVersion)},"revision":${plainJSONString(v.revision)},"version":${plainJSONString(v.version)}}`;
  return (
    `{"cluster":{"peers":[],"status":"disabled"},"config":{"original":${plainJSONString(deps.current().original)}}` +
    `,"uptime":"${dateTime(deps.uptime)}","versionInfo":${vi}}`
  );
}

function receiversJSON(deps: APIv2Deps): string {
  const rs = deps.current().config.receivers;
  return `[${rs.map((r) => `{"labels":${labelSetJSON(r.labels, false)},"name":${plainJSONString(r.name)}}`).join(",")}]`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function contentTypeOK(req: IncomingMessage): Reply | undefined {
  const ct = req.headers["content-type"];
  if (ct === undefined) return undefined;
  const mt = ct.split(";")[0]!.trim().toLowerCase();
  if (mt === "application/json") return undefined;
  return {
    status: 415,
    body: apiErrorJSON(415, `unsupported media type "${mt}", only [application/json] are allowed`),
  };
}

function write(res: ServerResponse, r: Reply): void {
  res.setHeader("Cache-Control", "no-store");
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  if (r.body !== undefined) res.setHeader("Content-Type", "application/json");
  res.statusCode = r.status;
  res.end(r.body);
}

/** `cors.Default()`: any origin, GET/POST/HEAD, preflights answered with 204. Returns true when answered. */
function cors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
    res.setHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    const m = String(req.headers["access-control-request-method"]).toUpperCase();
    if (origin !== undefined && ["GET", "POST", "HEAD"].includes(m)) {
      res.setHeader("Access-Control-Allow-Methods", m);
      res.setHeader("Access-Control-Allow-Origin", "*");
    }
    res.statusCode = 204;
    res.end();
    return true;
  }
  res.setHeader("Vary", "Origin");
  if (origin !== undefined) res.setHeader("Access-Control-Allow-Origin", "*");
  return false;
}

/**
 * The API v2 handler: answers requests under `/api/v2/` and resolves true;
 * resolves false, touching nothing, for any other path.
 */
export function createAPIv2Handler(
  deps: APIv2Deps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const metrics = newAlertsMetrics(deps);
  const now = deps.now ?? Date.now;

  async function dispatch(req: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> {
    const method = req.method ?? "GET";
    for (const route of ROUTES) {
      const args = route.match(path);
      if (args === undefined) continue;
      if (!route.methods.includes(method)) {
        const allowed = route.methods.join(",");
        return {
          status: 405,
          headers: { Allow: allowed },
          body: apiErrorJSON(405, `method ${method} is not allowed, but [${allowed}] are`),
        };
      }
      if (method === "POST") {
        const bad = contentTypeOK(req);
        if (bad !== undefined) return bad;
      }
      if (args.length > 0 && !UUID.test(args[0]!)) {
        return {
          status: 422,
          body: apiErrorJSON(601, `silenceID in path must be of type uuid: ${JSON.stringify(args[0])}`),
        };
      }
      return handle(req, method, path, args, query);
    }
    return { status: 404, body: apiErrorJSON(404, `path ${PREFIX}${path} was not found`) };
  }

  async function handle(
    req: IncomingMessage,
    method: string,
    path: string,
    args: string[],
    q: URLSearchParams,
  ) {
    const t = now();
    switch (`${method} ${path.startsWith("/silence/") ? "/silence/{id}" : path}`) {
      case "GET /alerts":
        return getAlerts(deps, q, t);
      case "POST /alerts":
        return postAlerts(deps, metrics, await readBody(req), t);
      case "GET /alerts/groups":
        return getAlertGroups(deps, q);
      case "GET /silences":
        return getSilences(deps, q, t);
      case "POST /silences":
        return postSilences(deps, await readBody(req), t);
      case "GET /silence/{id}":
        return getSilence(deps, args[0]!, t);
      case "DELETE /silence/{id}":
        return deleteSilence(deps, args[0]!);
      case "GET /status":
        return jsonReply(200, statusJSON(deps));
      default:
        return jsonReply(200, receiversJSON(deps));
    }
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return false;
    if (cors(req, res)) return true;
    let reply: Reply;
    try {
      reply = await dispatch(req, url.pathname.slice(PREFIX.length), url.searchParams);
    } catch (err) {
      if (err instanceof RequestError)
        reply = { status: err.status, body: apiErrorJSON(err.code, err.message) };
      else {
        deps.logger?.error("API v2 request failed", { path: url.pathname, err: String(err) });
        reply = { status: 500, body: `${plainJSONString(String(err))}\n` };
      }
    }
    write(res, reply);
    return true;
  };
}
