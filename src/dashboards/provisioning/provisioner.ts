/**
 * Provisioning of a `vigil dashboards` instance from a Grafana provisioning
 * directory (`--provisioning.path`): data sources once at start, dashboards
 * at start and then every provider's `updateIntervalSeconds` (the smallest,
 * at least 1 s) until stopped.
 */
import { join } from "node:path";
import type { Logger } from "../../log/log.ts";
import type { MigrateOptions } from "../model/migrate.ts";
import type { Store } from "../store/store.ts";
import { type DashboardProvider, provisionDashboards, readProviders } from "./dashboards.ts";
import { provisionDataSources } from "./datasources.ts";

/** Migration settings from the store's current data sources. */
export function storeMigrateOptions(store: Store): MigrateOptions {
  const all = store.datasources.list();
  const def = store.datasources.defaultSource();
  return {
    lookup: (nameOrUid) => {
      const ds = all.find((d) => d.name === nameOrUid || d.uid === nameOrUid);
      return ds && { type: ds.type, uid: ds.uid };
    },
    ...(def ? { defaultDatasource: { type: def.type, uid: def.uid } } : {}),
  };
}

/** Provisions from `dir` (its `datasources/` and `dashboards/`), then keeps dashboards in sync. */
export class Provisioner {
  private readonly store: Store;
  private readonly dirs: readonly string[];
  private readonly logger: Logger;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private providers: DashboardProvider[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    store: Store,
    dirs: readonly string[],
    logger: Logger,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.store = store;
    this.dirs = dirs;
    this.logger = logger.with({ component: "provisioning" });
    this.env = env;
  }

  /** Applies data sources and dashboards once; throws on a bad provisioning file. */
  start(): void {
    for (const dir of this.dirs) {
      const ds = provisionDataSources(this.store, join(dir, "datasources"), this.env);
      this.logger.info("data sources provisioned", {
        dir,
        added: ds.added.length,
        updated: ds.updated.length,
        deleted: ds.deleted.length,
      });
    }
    this.providers = this.dirs.flatMap((dir) => readProviders(join(dir, "dashboards"), this.env));
    this.sync();
    const interval = Math.max(1, Math.min(...this.providers.map((p) => p.updateIntervalSeconds), 3600));
    if (this.providers.length > 0) {
      this.timer = setInterval(() => this.sync(), interval * 1000);
      this.timer.unref();
    }
  }

  /** Re-reads every provider's dashboards now. */
  sync(): void {
    const r = provisionDashboards(this.store, this.providers, storeMigrateOptions(this.store));
    for (const e of r.errors) this.logger.error("failed to load dashboard", { err: e });
    if (r.saved.length + r.deleted.length > 0)
      this.logger.info("dashboards provisioned", {
        saved: r.saved.length,
        deleted: r.deleted.length,
        unchanged: r.unchanged.length,
      });
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
