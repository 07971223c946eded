/**
 * A small router for the dashboards API: routes are a method, a path
 * pattern with `:name` parameters (and a trailing `*` for the rest), and the
 * role the caller needs (or `public`). JSON in and out; errors become
 * Grafana's `{ "message": … }` bodies with the status from {@link statusOf}.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, readBody } from "../../web/http.ts";
import { AuthError, type Principal } from "../auth/auth.ts";
import { DashboardValidationError } from "../model/validate.ts";
import { StoreError } from "../store/errors.ts";
import type { Role } from "../store/users.ts";
import { ProxyError } from "./proxy.ts";

/** What a handler receives. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** The caller; undefined on public routes. */
  readonly principal: Principal | undefined;
}

/** A handler's answer: a JSON body and status, or `undefined` when it wrote the response itself. */
export type RouteResult =
  | { readonly status?: number; readonly body: unknown; readonly headers?: Record<string, string> }
  | undefined;

/** One API route. */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "ANY";
  readonly path: string;
  readonly role: Role | "public";
  handle(r: RouteRequest): Promise<RouteResult> | RouteResult;
}

/** A request error with a status, for handlers to throw. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly extra: Readonly<Record<string, unknown>>;
  constructor(status: number, message: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

/** The one place error kinds become HTTP statuses. */
export function statusOf(err: unknown): number {
  if (err instanceof HttpError || err instanceof AuthError || err instanceof ProxyError) return err.status;
  if (err instanceof DashboardValidationError) return 400;
  if (err instanceof BodyTooLargeError) return 413;
  if (err instanceof StoreError) {
    switch (err.kind) {
      case "not-found":
        return 404;
      case "version-mismatch":
      case "name-exists":
        return 412;
      case "uid-exists":
        return 409;
      case "provisioned":
      case "invalid":
        return 400;
      case "conflict":
        return 409;
    }
  }
  return 500;
}

/** The JSON error body: Grafana's `{ message }`, plus `status` for the save conflicts. */
export function errorBody(err: unknown): Record<string, unknown> {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof StoreError && (err.kind === "version-mismatch" || err.kind === "name-exists"))
    return { status: err.kind, message };
  if (err instanceof HttpError) return { message, ...err.extra };
  return { message };
}

/** A compiled route table. */
export class Router {
  private readonly routes: { route: Route; re: RegExp; names: string[] }[] = [];

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const names: string[] = [];
      const pattern = route.path
        .split("/")
        .map((seg) => {
          if (seg === "*") {
            names.push("rest");
            return "(.*)";
          }
          if (seg.startsWith(":")) {
            names.push(seg.slice(1));
            return "([^/]+)";
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      this.routes.push({ route, re: new RegExp(`^${pattern}$`), names });
    }
  }

  /** The route for `method` and `path`, with its parameters; `allowed` lists methods when only the path matched. */
  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const { route, re, names } of this.routes) {
      const m = re.exec(path);
      if (!m) continue;
      const want = method === "HEAD" ? "GET" : method;
      if (route.method !== "ANY" && route.method !== want) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((n, i) => {
        params[n] = n === "rest" ? m[i + 1]! : safeDecode(m[i + 1]!);
      });
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

/** `decodeURIComponent`, keeping the text as it is when it is not valid percent-encoding. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(res.req.method === "HEAD" ? undefined : text);
}

/** Reads a JSON request body (at most `maxBytes`); HttpError 400 with the parse error when malformed. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (body.length === 0) throw new HttpError(400, "bad request data: empty body");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw new HttpError(400, `bad request data: invalid JSON: ${(err as Error).message}`);
  }
}
