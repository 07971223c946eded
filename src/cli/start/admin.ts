import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The dashboards' admin account for `vigil start`: `GF_SECURITY_ADMIN_USER`
 * and `GF_SECURITY_ADMIN_PASSWORD` when set; otherwise user `admin` with a
 * random password generated on first start and kept (mode 0600) in
 * `<data>/vigil-start/dashboards-admin-password`, so a fresh stack never
 * listens with Grafana's well-known `admin`/`admin`.
 */
export function startAdmin(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
): { user: string; password: string; file: string } {
  const user = env.GF_SECURITY_ADMIN_USER || "admin";
  if (env.GF_SECURITY_ADMIN_PASSWORD) {
    return { user, password: env.GF_SECURITY_ADMIN_PASSWORD, file: "$GF_SECURITY_ADMIN_PASSWORD" };
  }
  const dir = join(dataDir, "vigil-start");
  const file = join(dir, "dashboards-admin-password");
  if (existsSync(file)) return { user, password: readFileSync(file, "utf8").trim(), file };
  mkdirSync(dir, { recursive: true });
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { user, password, file };
}
