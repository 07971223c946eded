/**
 * Login, logout and users: `POST /login` (`{user, password}` → session
 * cookie and the CSRF token), `GET|POST /logout`, `GET /api/user`,
 * `GET /api/users`, `POST /api/admin/users`, `PATCH /api/org/users/:id`
 * (role), `PUT /api/user/password`, `DELETE /api/admin/users/:id`.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { address, cookie, SESSION_COOKIE, sessionCookie } from "../auth/auth.ts";
import { hashPassword, PasswordError, verifyPassword } from "../auth/password.ts";
import { isObject } from "../model/json.ts";
import { ROLES, type Role, type User } from "../store/users.ts";
import type { ApiContext } from "./context.ts";
import { HttpError, type Route, readJson, sendJson } from "./router.ts";

function userJson(u: User): Record<string, unknown> {
  return {
    id: u.id,
    login: u.login,
    email: u.email,
    name: u.name,
    orgId: 1,
    role: u.role,
    isGrafanaAdmin: u.isGrafanaAdmin,
  };
}

function field(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw new HttpError(400, `bad request data: ${key} is required`);
  return v;
}

/** The login and user routes. */
export function userRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: "POST",
      path: "/login",
      role: "public",
      async handle({ req, res }) {
        const body = await readJson(req, 64 << 10);
        if (!isObject(body)) throw new HttpError(400, "bad request data");
        const s = await ctx.auth.login(field(body, "user"), field(body, "password"), address(req));
        ctx.logger.info("Successful Login", { user: s.user.login });
        sendJson(
          res,
          200,
          { message: "Logged in", redirectUrl: "/", csrfToken: s.csrfToken },
          {
            "Set-Cookie": sessionCookie(s.token, ctx.secure || isTls(req)),
          },
        );
        return undefined;
      },
    },
    ...(["GET", "POST"] as const).map(
      (method): Route => ({
        method,
        path: "/logout",
        role: "public",
        handle({ req, res }) {
          const token = cookie(req.headers.cookie, SESSION_COOKIE);
          if (token !== undefined) ctx.auth.logout(token);
          res.setHeader("Set-Cookie", sessionCookie("", ctx.secure || isTls(req)));
          res.statusCode = 302;
          res.setHeader("Location", "/login");
          res.end();
          return undefined;
        },
      }),
    ),
    {
      method: "GET",
      path: "/api/user",
      role: "Viewer",
      handle: ({ principal }) => ({
        body: {
          ...userJson(principal!.user),
          ...(principal!.session ? { csrfToken: principal!.session.csrfToken } : {}),
        },
      }),
    },
    {
      method: "PUT",
      path: "/api/user/password",
      role: "Viewer",
      async handle({ req, principal }) {
        const body = await readJson(req, 64 << 10);
        if (!isObject(body)) throw new HttpError(400, "bad request data");
        if (!(await verifyPassword(field(body, "oldPassword"), principal!.user.passwordHash)))
          throw new HttpError(401, "Invalid old password");
        ctx.store.users.setPasswordHash(
          principal!.user.id,
          await hash(field(body, "newPassword"), ctx.bcryptCost),
        );
        return { body: { message: "User password changed" } };
      },
    },
    {
      method: "GET",
      path: "/api/users",
      role: "Admin",
      handle: () => ({ body: ctx.store.users.list().map(userJson) }),
    },
    {
      method: "POST",
      path: "/api/admin/users",
      role: "Admin",
      async handle({ req }) {
        const body = await readJson(req, 64 << 10);
        if (!isObject(body)) throw new HttpError(400, "bad request data");
        const role = (typeof body.role === "string" ? body.role : "Viewer") as Role;
        if (!ROLES.includes(role)) throw new HttpError(400, `invalid role ${JSON.stringify(role)}`);
        const u = ctx.store.users.create({
          login: field(body, "login"),
          email: typeof body.email === "string" ? body.email : "",
          name: typeof body.name === "string" ? body.name : "",
          passwordHash: await hash(field(body, "password"), ctx.bcryptCost),
          role,
        });
        return { body: { id: u.id, message: "User created" } };
      },
    },
    {
      method: "PATCH",
      path: "/api/org/users/:id",
      role: "Admin",
      async handle({ req, params }) {
        const body = await readJson(req, 64 << 10);
        if (!isObject(body) || typeof body.role !== "string")
          throw new HttpError(400, "bad request data: role is required");
        ctx.store.users.setRole(Number(params.id), body.role as Role);
        return { body: { message: "Organization user updated" } };
      },
    },
    {
      method: "DELETE",
      path: "/api/admin/users/:id",
      role: "Admin",
      handle({ params, principal }) {
        if (Number(params.id) === principal!.user.id) throw new HttpError(400, "cannot delete yourself");
        ctx.store.users.delete(Number(params.id));
        return { body: { message: "User deleted" } };
      },
    },
  ];
}

/** True for a request that came over TLS (the web config file enabled HTTPS). */
function isTls(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).encrypted === true;
}

async function hash(password: string, cost: number): Promise<string> {
  try {
    return await hashPassword(password, cost);
  } catch (err) {
    if (err instanceof PasswordError) throw new HttpError(400, err.message);
    throw err;
  }
}
