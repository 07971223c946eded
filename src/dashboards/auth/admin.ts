/**
 * The initial admin user, as Grafana creates it: on first start (no users
 * yet) a user with login `--security.admin-user` (env `GF_SECURITY_ADMIN_USER`,
 * default `admin`) and password `--security.admin-password` (env
 * `GF_SECURITY_ADMIN_PASSWORD`, default `admin`), stored hashed. Later
 * starts leave it alone: change the password through the API.
 */
import type { Store } from "../store/store.ts";
import type { User } from "../store/users.ts";
import { DEFAULT_BCRYPT_COST, hashPassword } from "./password.ts";

/** The initial admin's credentials. */
export interface AdminSettings {
  readonly user: string;
  readonly password: string;
}

/** Flag value, else environment variable, else Grafana's default `admin`/`admin`. */
export function adminSettings(
  flags: { user?: string; password?: string },
  env: Readonly<Record<string, string | undefined>> = process.env,
): AdminSettings {
  return {
    user: nonEmpty(flags.user) ?? nonEmpty(env.GF_SECURITY_ADMIN_USER) ?? "admin",
    password: nonEmpty(flags.password) ?? nonEmpty(env.GF_SECURITY_ADMIN_PASSWORD) ?? "admin",
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === "" ? undefined : s;
}

/** Creates the admin when the database has no user; returns it when created. */
export async function ensureAdmin(
  store: Store,
  settings: AdminSettings,
  cost = DEFAULT_BCRYPT_COST,
): Promise<User | undefined> {
  if (store.users.list().length > 0) return undefined;
  const passwordHash = await hashPassword(settings.password, cost);
  return store.users.create({
    login: settings.user,
    passwordHash,
    role: "Admin",
    isGrafanaAdmin: true,
    email: "admin@localhost",
  });
}
