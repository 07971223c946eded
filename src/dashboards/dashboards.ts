/**
 * `vigil dashboards` as a library, for its command and for `vigil start`:
 * opens the database under the storage path, creates the initial admin,
 * provisions from Grafana provisioning directories, and serves the API.
 */
import { fileURLToPath } from "node:url";
import type { Logger } from "../log/log.ts";
import { versionInfo } from "../version/info.ts";
import { listenAndServe, type RunningServer } from "../web/toolkit/serve.ts";
import { createDashboardsHandler, type UiHook } from "./api/server.ts";
import { type AdminSettings, ensureAdmin } from "./auth/admin.ts";
import { Authenticator } from "./auth/auth.ts";
import { DEFAULT_BCRYPT_COST } from "./auth/password.ts";
import { LoginLimiter } from "./auth/ratelimit.ts";
import { Provisioner } from "./provisioning/provisioner.ts";
import { Store } from "./store/store.ts";

/** The provisioning directory of Vigil's built-in dashboards (data source `vigil` → the local server). */
export const BUILTIN_PROVISIONING_PATH = fileURLToPath(new URL("./builtin/provisioning/", import.meta.url));

/** Settings of a dashboards server. */
export interface DashboardsOptions {
  /** `host:port`, default `:3000`. */
  readonly listenAddress: string;
  /** Directory of the database (`--storage.path`), or `":memory:"`. */
  readonly storagePath: string;
  /** Grafana provisioning directories (each with `datasources/` and `dashboards/`). */
  readonly provisioningPaths: readonly string[];
  readonly admin: AdminSettings;
  readonly logger: Logger;
  /** exporter-toolkit web config file (TLS, basic auth), "" for none. */
  readonly webConfigFile?: string;
  readonly serveUI?: UiHook;
  readonly bcryptCost?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A running dashboards server. */
export interface DashboardsServer {
  readonly store: Store;
  readonly server: RunningServer;
  readonly provisioner: Provisioner;
  close(): Promise<void>;
}

/** Starts a dashboards server; rejects on a bad provisioning file or a listen error (nothing left open). */
export async function startDashboards(opts: DashboardsOptions): Promise<DashboardsServer> {
  const logger = opts.logger.with({ component: "dashboards" });
  const store = Store.open(opts.storagePath);
  const provisioner = new Provisioner(store, opts.provisioningPaths, logger, opts.env);
  try {
    const cost = opts.bcryptCost ?? DEFAULT_BCRYPT_COST;
    const admin = await ensureAdmin(store, opts.admin, cost);
    if (admin !== undefined) logger.info("Created default admin", { user: admin.login });
    provisioner.start();
    const auth = new Authenticator(store, new LoginLimiter());
    const handler = createDashboardsHandler({
      store,
      auth,
      logger,
      bcryptCost: cost,
      version: versionInfo(),
      secure: false,
      ...(opts.serveUI ? { serveUI: opts.serveUI } : {}),
    });
    const server = await listenAndServe(handler, opts.listenAddress, logger, opts.webConfigFile ?? "");
    return {
      store,
      server,
      provisioner,
      async close() {
        provisioner.stop();
        await server.close();
        store.close();
      },
    };
  } catch (err) {
    provisioner.stop();
    store.close();
    throw err;
  }
}
