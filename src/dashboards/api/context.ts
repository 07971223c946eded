/** What the API route modules share. */
import type { Logger } from "../../log/log.ts";
import type { Authenticator } from "../auth/auth.ts";
import type { MigrateOptions } from "../model/migrate.ts";
import { storeMigrateOptions } from "../provisioning/provisioner.ts";
import type { Store } from "../store/store.ts";
import type { ProxyLimits } from "./proxy.ts";

/** The dependencies of the API handlers. */
export interface ApiContext {
  readonly store: Store;
  readonly auth: Authenticator;
  readonly logger: Logger;
  readonly proxyLimits: ProxyLimits;
  /** Largest JSON body accepted (dashboards can be large: default 32 MiB). */
  readonly maxBodyBytes: number;
  /** True when served over TLS: session cookies get `Secure`. */
  readonly secure: boolean;
  /** bcrypt cost for new passwords. */
  readonly bcryptCost: number;
}

/** Migration settings from the current data sources: names resolve to references, and the default. */
export function migrateOptions(ctx: ApiContext): MigrateOptions {
  return storeMigrateOptions(ctx.store);
}
