/**
 * Authentication and authorisation of `vigil dashboards`: logins checked
 * against bcrypt hashes with brute-force limits, session cookies
 * (`grafana_session`: random 32 bytes, HttpOnly, SameSite=Lax, Secure over
 * TLS; stored hashed; 7 days idle / 30 days at most, as Grafana's
 * defaults), HTTP basic auth for scripts, the Viewer < Editor < Admin role
 * check, and CSRF protection of writes.
 *
 * CSRF: every cookie-authenticated request with a method other than
 * GET/HEAD/OPTIONS must send the session's token in `X-CSRF-Token` (the
 * token is returned by `POST /login` and `GET /api/user`); in addition any
 * write whose `Origin` header names another host is refused, whatever the
 * credentials. Basic-auth requests need no token (a cross-site page cannot
 * set `Authorization`), but the Origin check still applies to them.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Store } from "../store/store.ts";
import { ROLES, type Role, type User } from "../store/users.ts";
import { verifyPassword } from "./password.ts";
import type { LoginLimiter } from "./ratelimit.ts";

/** Grafana's session cookie name. */
export const SESSION_COOKIE = "grafana_session";
/** The header carrying the CSRF token. */
export const CSRF_HEADER = "x-csrf-token";
const IDLE_MS = 7 * 24 * 3600_000;
const MAX_MS = 30 * 24 * 3600_000;

/** Why a request is refused; `status` is the HTTP status to answer with. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly status: 401 | 403 | 429;
  constructor(status: 401 | 403 | 429, message: string) {
    super(message);
    this.status = status;
  }
}

/** The authenticated caller of a request. */
export interface Principal {
  readonly user: User;
  /** Set for cookie sessions: the session's token hash and CSRF token. */
  readonly session?: { readonly tokenHash: string; readonly csrfToken: string };
}

/** A new session, as login returns it. */
export interface NewSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly user: User;
  readonly expires: number;
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** True when `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Login, sessions and request authentication over a {@link Store}. */
export class Authenticator {
  private readonly store: Store;
  private readonly limiter: LoginLimiter;
  private readonly now: () => number;

  constructor(store: Store, limiter: LoginLimiter, now: () => number = Date.now) {
    this.store = store;
    this.limiter = limiter;
    this.now = now;
  }

  /** Checks a login/password (rate-limited); the user on success, AuthError 401/429 otherwise. */
  async checkPassword(login: string, password: string, address: string): Promise<User> {
    if (this.limiter.blocked(login, address))
      throw new AuthError(
        429,
        "Too many consecutive incorrect login attempts for user - login for user temporarily blocked",
      );
    const user = this.store.users.byLogin(login);
    const ok = user !== undefined && (await verifyPassword(password, user.passwordHash));
    if (!ok || user === undefined) {
      this.limiter.fail(login, address);
      throw new AuthError(401, "Invalid username or password");
    }
    this.limiter.succeed(login);
    return user;
  }

  /** Logs in and creates a session. */
  async login(login: string, password: string, address: string): Promise<NewSession> {
    const user = await this.checkPassword(login, password, address);
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    const now = this.now();
    const expires = now + MAX_MS;
    this.store.users.createSession({
      tokenHash: sha256(token),
      userId: user.id,
      csrfToken,
      created: now,
      seen: now,
      expires,
    });
    this.store.users.deleteExpired(now, now - IDLE_MS);
    return { token, csrfToken, user, expires };
  }

  /** Ends the session of `token` (no-op when unknown). */
  logout(token: string): void {
    this.store.users.deleteSession(sha256(token));
  }

  /**
   * The caller of `req` from its session cookie or basic auth; AuthError 401
   * when neither is valid. Does not check roles or CSRF (see {@link authorize}).
   */
  async authenticate(req: IncomingMessage): Promise<Principal> {
    const token = cookie(req.headers.cookie, SESSION_COOKIE);
    if (token !== undefined) {
      const hash = sha256(token);
      const s = this.store.users.session(hash);
      const now = this.now();
      if (s !== undefined && s.expires > now && s.seen > now - IDLE_MS) {
        const user = this.store.users.byId(s.userId);
        if (user !== undefined) {
          if (now - s.seen > 60_000) this.store.users.touchSession(hash, now);
          return { user, session: { tokenHash: hash, csrfToken: s.csrfToken } };
        }
      }
    }
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0) {
        const user = await this.checkPassword(
          decoded.slice(0, colon),
          decoded.slice(colon + 1),
          address(req),
        );
        return { user };
      }
    }
    throw new AuthError(401, "Unauthorized");
  }

  /**
   * Authenticates `req`, then checks the caller has `role` and, for writes,
   * the Origin and CSRF rules of the module comment.
   */
  async authorize(req: IncomingMessage, role: Role): Promise<Principal> {
    const write = !["GET", "HEAD", "OPTIONS"].includes(req.method ?? "GET");
    if (write) checkOrigin(req);
    const p = await this.authenticate(req);
    if (write && p.session !== undefined) {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== "string" || !safeEqual(given, p.session.csrfToken))
        throw new AuthError(
          403,
          "CSRF token missing or invalid: send the session's token in the X-CSRF-Token header",
        );
    }
    if (!hasRole(p.user.role, role)) throw new AuthError(403, "Permission denied");
    return p;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Refuses a request whose `Origin` header is present and names another host than `Host`. */
export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined || origin === "") return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AuthError(403, "origin not allowed");
  }
  if (host !== req.headers.host) throw new AuthError(403, "origin not allowed");
}

/** The value of cookie `name` in a `Cookie` header. */
export function cookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The `Set-Cookie` value of a session (or of its removal when `token` is empty). */
export function sessionCookie(token: string, secure: boolean, maxAgeS = MAX_MS / 1000): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${token === "" ? 0 : maxAgeS}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** The client address of a request (the socket's). */
export function address(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "";
}
