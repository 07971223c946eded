/**
 * Users (login, role, bcrypt hash) and login sessions (stored by the
 * SHA-256 of their token, so a leaked database does not leak live cookies,
 * with the session's CSRF token). Hashing of passwords is the caller's
 * (`src/dashboards/auth/`); this layer stores what it is given.
 */
import { StoreError } from "./errors.ts";
import type { Database } from "./sqlite.ts";

/** Grafana's organisation roles, weakest first. */
export const ROLES = ["Viewer", "Editor", "Admin"] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** A stored user. */
export interface User {
  readonly id: number;
  readonly login: string;
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly isGrafanaAdmin: boolean;
}

/** A stored session. */
export interface Session {
  readonly tokenHash: string;
  readonly userId: number;
  readonly csrfToken: string;
  readonly created: number;
  readonly seen: number;
  readonly expires: number;
}

interface UserRow {
  id: number;
  login: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  is_grafana_admin: number;
}

function user(r: UserRow): User {
  return {
    id: r.id,
    login: r.login,
    email: r.email,
    name: r.name,
    passwordHash: r.password_hash,
    role: r.role,
    isGrafanaAdmin: r.is_grafana_admin === 1,
  };
}

/** User and session table access. */
export class UserRepo {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  list(): User[] {
    return (this.db.prepare("SELECT * FROM user ORDER BY login").all() as unknown as UserRow[]).map(user);
  }

  byLogin(login: string): User | undefined {
    const r = this.db
      .prepare("SELECT * FROM user WHERE login = ? OR (email != '' AND email = ?)")
      .get(login, login) as unknown as UserRow | undefined;
    return r && user(r);
  }

  byId(id: number): User | undefined {
    const r = this.db.prepare("SELECT * FROM user WHERE id = ?").get(id) as unknown as UserRow | undefined;
    return r && user(r);
  }

  /** Creates a user; `name-exists` when the login is taken. */
  create(input: {
    login: string;
    email?: string;
    name?: string;
    passwordHash: string;
    role: Role;
    isGrafanaAdmin?: boolean;
  }): User {
    if (input.login.trim() === "") throw new StoreError("invalid", "login is required");
    if (!ROLES.includes(input.role))
      throw new StoreError("invalid", `invalid role ${JSON.stringify(input.role)}`);
    if (this.byLogin(input.login))
      throw new StoreError("name-exists", "User with same login or email already exists");
    const now = Date.now();
    const r = this.db
      .prepare(
        "INSERT INTO user (login, email, name, password_hash, role, is_grafana_admin, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        input.login.trim(),
        input.email ?? "",
        input.name ?? "",
        input.passwordHash,
        input.role,
        input.isGrafanaAdmin ? 1 : 0,
        now,
        now,
      );
    return this.byId(Number(r.lastInsertRowid))!;
  }

  setRole(id: number, role: Role): void {
    if (!ROLES.includes(role)) throw new StoreError("invalid", `invalid role ${JSON.stringify(role)}`);
    if (
      this.db.prepare("UPDATE user SET role = ?, updated = ? WHERE id = ?").run(role, Date.now(), id)
        .changes === 0
    )
      throw new StoreError("not-found", "user not found");
  }

  setPasswordHash(id: number, hash: string): void {
    if (
      this.db.prepare("UPDATE user SET password_hash = ?, updated = ? WHERE id = ?").run(hash, Date.now(), id)
        .changes === 0
    )
      throw new StoreError("not-found", "user not found");
  }

  delete(id: number): void {
    if (this.db.prepare("DELETE FROM user WHERE id = ?").run(id).changes === 0)
      throw new StoreError("not-found", "user not found");
  }

  createSession(s: Session): void {
    this.db
      .prepare(
        "INSERT INTO session (token_hash, user_id, csrf_token, created, seen, expires) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(s.tokenHash, s.userId, s.csrfToken, s.created, s.seen, s.expires);
  }

  session(tokenHash: string): Session | undefined {
    const r = this.db.prepare("SELECT * FROM session WHERE token_hash = ?").get(tokenHash) as unknown as
      | {
          token_hash: string;
          user_id: number;
          csrf_token: string;
          created: number;
          seen: number;
          expires: number;
        }
      | undefined;
    return (
      r && {
        tokenHash: r.token_hash,
        userId: r.user_id,
        csrfToken: r.csrf_token,
        created: r.created,
        seen: r.seen,
        expires: r.expires,
      }
    );
  }

  touchSession(tokenHash: string, seen: number): void {
    this.db.prepare("UPDATE session SET seen = ? WHERE token_hash = ?").run(seen, tokenHash);
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare("DELETE FROM session WHERE token_hash = ?").run(tokenHash);
  }

  /** Removes sessions past `expires` or idle since before `idleBefore`; returns how many. */
  deleteExpired(now: number, idleBefore: number): number {
    return Number(
      this.db.prepare("DELETE FROM session WHERE expires <= ? OR seen < ?").run(now, idleBefore).changes,
    );
  }
}
