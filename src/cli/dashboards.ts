import { adminSettings } from "../dashboards/auth/admin.ts";
import { startDashboards } from "../dashboards/dashboards.ts";
import { LOG_FLAGS, type LogFormat, type LogLevel, newLogger } from "../log/log.ts";
import { ListenAddressError, parseListenAddress } from "../web/listen.ts";
import type { Command } from "./command.ts";
import { parseFlags, UsageError } from "./flags.ts";

/** Flags of `vigil dashboards`: Grafana's settings as flags (`--security.admin-password` for `[security] admin_password`). */
export const DASHBOARDS_FLAGS = {
  "web.listen-address": {
    type: "string",
    default: ":3000",
    help: "Address to listen on for the UI and API.",
  },
  "web.config.file": {
    type: "string",
    default: "",
    help: "Path to configuration file that can enable TLS or authentication.",
  },
  "storage.path": {
    type: "string",
    default: "data/dashboards",
    help: "Directory of the dashboards database.",
  },
  "provisioning.path": {
    type: "string",
    multiple: true,
    help: "Grafana provisioning directory (with datasources/ and dashboards/). Repeatable. (env GF_PATHS_PROVISIONING)",
  },
  "security.admin-user": {
    type: "string",
    default: "",
    help: "Login of the initial admin (env GF_SECURITY_ADMIN_USER; default admin).",
  },
  "security.admin-password": {
    type: "string",
    default: "",
    help: "Password of the initial admin, used when the database has no user yet (env GF_SECURITY_ADMIN_PASSWORD; default admin).",
  },
  ...LOG_FLAGS,
} as const;

/**
 * `vigil dashboards`: Grafana-compatible dashboards on port 3000 — the
 * dashboard, data source, folder, search and user API, provisioning from
 * Grafana's YAML, and the UI. Runs until `ctx.signal` aborts.
 */
export const dashboardsCommand: Command = {
  summary: "Run the dashboards server on :3000 (upstream: grafana).",
  description:
    "Serve Grafana-compatible dashboards: import Grafana dashboard JSON, Prometheus data sources\n" +
    "queried through a server-side proxy, provisioning from Grafana's YAML files, users and roles.",
  flags: DASHBOARDS_FLAGS,
  async run(args, ctx) {
    const f = parseFlags(DASHBOARDS_FLAGS, args);
    try {
      parseListenAddress(f["web.listen-address"]);
    } catch (err) {
      if (err instanceof ListenAddressError) throw new UsageError(err.message);
      throw err;
    }
    const logger = newLogger({
      level: f["log.level"] as LogLevel,
      format: f["log.format"] as LogFormat,
      write: (line) => ctx.stderr.write(line),
    });
    const env = process.env;
    const provisioning =
      f["provisioning.path"].length > 0
        ? f["provisioning.path"]
        : env.GF_PATHS_PROVISIONING
          ? [env.GF_PATHS_PROVISIONING]
          : [];
    let running: Awaited<ReturnType<typeof startDashboards>>;
    try {
      running = await startDashboards({
        listenAddress: f["web.listen-address"],
        storagePath: f["storage.path"],
        provisioningPaths: provisioning,
        admin: adminSettings({ user: f["security.admin-user"], password: f["security.admin-password"] }, env),
        logger,
        webConfigFile: f["web.config.file"],
      });
    } catch (err) {
      logger.error("Error starting dashboards server", { err });
      return 1;
    }
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await running.close();
    return 0;
  },
};
