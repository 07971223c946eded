import { hostname } from "node:os";
import { join } from "node:path";
import { Alertmanager } from "../../alertmanager/server/alertmanager.ts";
import { ALERTMANAGER_FLAGS, alertmanagerOptions } from "../../alertmanager/server/flags.ts";
import {
  BUILTIN_PROVISIONING_PATH,
  type DashboardsServer,
  startDashboards,
} from "../../dashboards/dashboards.ts";
import { LOG_FLAGS, type Logger, newLogger } from "../../log/log.ts";
import { type RunningPushgateway, startPushgateway } from "../../pushgateway/pushgateway.ts";
import { SERVER_FLAGS, serverOptions } from "../../server/flags.ts";
import { Server } from "../../server/server.ts";
import { buildContext, buildInfo, versionInfo } from "../../version/info.ts";
import { browseUrl, ListenAddressError, parseListenAddress } from "../../web/listen.ts";
import type { Command } from "../command.ts";
import { type FlagSpecs, parseFlags, UsageError } from "../flags.ts";
import { nodeExporterCommand } from "../nodeexporter.ts";
import { aborted, goSignalName } from "../signals.ts";
import { startAdmin } from "./admin.ts";
import { formatBanner } from "./components.ts";
import {
  defaultConfigPath,
  dialTarget,
  listening,
  writeDefaultAlertmanagerConfig,
  writeDefaultConfig,
} from "./defaults.ts";

const FLAGS = {
  "web.listen-address": {
    type: "string",
    default: ":9090",
    help: "Address of the server's UI, API and telemetry (host:port; an empty host means every interface).",
  },
  "node-exporter.listen-address": {
    type: "string",
    default: ":9100",
    help: "Address of the node exporter; when something already listens there, it is scraped instead.",
  },
  "pushgateway.listen-address": {
    type: "string",
    default: ":9091",
    help: "Address of the Pushgateway; when something already listens there, it is scraped instead.",
  },
  "alertmanager.listen-address": {
    type: "string",
    default: ":9093",
    help: "Address of the Alertmanager; when something already listens there, alerts are sent to it instead.",
  },
  "alertmanager.config.file": {
    type: "string",
    default: "",
    help: "Alertmanager configuration file; default: one written to <storage.tsdb.path>/vigil-start/ (a receiver that notifies nobody).",
  },
  "dashboards.listen-address": {
    type: "string",
    default: ":3000",
    help: "Address of the dashboards (Grafana's port); when something already listens there, no dashboards are started.",
  },
  "storage.tsdb.path": {
    type: "string",
    default: "data/",
    help: "Base path for metrics storage; the Alertmanager keeps its state in <path>/alertmanager.",
  },
  "config.file": {
    type: "string",
    default: "",
    help: "Prometheus configuration file; default: one written to <storage.tsdb.path>/vigil-start/ that scrapes the stack.",
  },
  ...LOG_FLAGS,
} as const satisfies FlagSpecs;

/**
 * `vigil start`: the whole stack in one process (DESIGN.md, "One command"):
 * the server, scraping itself and this machine's node exporter (Vigil's own,
 * unless one already listens on its port), the Pushgateway and the
 * Alertmanager (same rule), the default alert rules sending to it, with data
 * in `./data` (the Alertmanager's in `./data/alertmanager`). The banner
 * on stdout says where to look and lists the components not built yet. Runs
 * until `ctx.signal` aborts or `/-/quit` is called.
 */
export const startCommand: Command = {
  summary:
    "Run the whole stack in one process: server, alertmanager, pushgateway, node exporter, dashboards.",
  description:
    "Run every Vigil component that exists in one process, each on its upstream default port:\n" +
    "the server (Prometheus, :9090) scraping itself and the node exporter (:9100), the Pushgateway (:9091)\n" +
    "and the Alertmanager (:9093) receiving the default alert rules' alerts, the dashboards (:3000) with\n" +
    "built-in dashboards on the server, data in ./data. The banner says where to look.",
  flags: FLAGS,
  async run(args, ctx) {
    const flags = parseFlags(FLAGS, args);
    usage(() => parseListenAddress(flags["web.listen-address"]));
    const nodeAddress = flags["node-exporter.listen-address"];
    usage(() => parseListenAddress(nodeAddress));
    usage(() => parseListenAddress(flags["alertmanager.listen-address"]));
    usage(() => parseListenAddress(flags["dashboards.listen-address"]));
    const logger = newLogger({
      level: flags["log.level"],
      format: flags["log.format"],
      write: (line) => ctx.stderr.write(line),
    });
    const info = buildInfo();
    logger.info("Starting Vigil", { mode: "start", version: versionInfo(info) });
    logger.info("operational information", { build_context: buildContext(info) });

    const stop = new AbortController();
    const nodeTarget = dialTarget(nodeAddress);
    let nodeExporter: Promise<number> | null = null;
    if (await listening(nodeTarget)) {
      logger.info("A node exporter already listens, scraping it", { address: nodeTarget });
    } else {
      const logFlags = [`--log.level=${flags["log.level"]}`, `--log.format=${flags["log.format"]}`];
      nodeExporter = nodeExporterCommand.run([`--web.listen-address=${nodeAddress}`, ...logFlags], {
        ...ctx,
        signal: stop.signal,
      });
    }
    const pushAddress = flags["pushgateway.listen-address"];
    const pushTarget = dialTarget(pushAddress);
    let pushgateway: RunningPushgateway | null = null;
    if (await listening(pushTarget)) {
      logger.info("A Pushgateway already listens, scraping it", { address: pushTarget });
    } else {
      try {
        pushgateway = await startPushgateway({
          listenAddresses: [pushAddress],
          persistenceFile: join(flags["storage.tsdb.path"], "pushgateway.json"),
          logger: logger.with({ component: "pushgateway" }),
        });
      } catch (err) {
        logger.error("Error starting the Pushgateway, exiting gracefully...", { err });
        stop.abort();
        await nodeExporter;
        return 1;
      }
    }

    const amAddress = flags["alertmanager.listen-address"];
    const amTarget = dialTarget(amAddress);
    let alertmanager: Alertmanager | null = null;
    let amConfigFile = "";
    if (await listening(amTarget)) {
      logger.info("An Alertmanager already listens, sending alerts to it", { address: amTarget });
    } else {
      try {
        amConfigFile =
          flags["alertmanager.config.file"] || writeDefaultAlertmanagerConfig(flags["storage.tsdb.path"]);
        alertmanager = await startAlertmanager(amAddress, amConfigFile, flags, logger);
      } catch (err) {
        logger.error("Error starting the Alertmanager, exiting gracefully...", { err });
        stop.abort();
        await Promise.all([nodeExporter, pushgateway?.close()]);
        return 1;
      }
    }

    const serverFlags = parseFlags(SERVER_FLAGS, [
      `--web.listen-address=${flags["web.listen-address"]}`,
      `--storage.tsdb.path=${flags["storage.tsdb.path"]}`,
      `--log.level=${flags["log.level"]}`,
      `--log.format=${flags["log.format"]}`,
      ...(flags["config.file"] === "" ? [] : [`--config.file=${flags["config.file"]}`]),
    ]);
    let configFile = flags["config.file"];
    const opts = serverOptions(serverFlags, hostname());
    let server: Server;
    try {
      server = await Server.start(
        { ...opts, configFile: configFile === "" ? defaultConfigPath(opts.tsdbPath) : configFile },
        logger.with({ component: "server" }),
        {
          onListening: (address) => {
            if (configFile !== "") return;
            configFile = writeDefaultConfig(opts.tsdbPath, {
              server: dialTarget(address),
              nodeExporter: nodeTarget,
              pushgateway: pushTarget,
              alertmanager: amTarget,
            });
          },
        },
      );
    } catch (err) {
      logger.error("Error starting server, exiting gracefully...", { err });
      stop.abort();
      await Promise.all([nodeExporter, pushgateway?.close(), alertmanager?.close()]);
      return 1;
    }
    const bound = parseListenAddress(server.address);
    const url = browseUrl(bound.host ?? "0.0.0.0", bound.port);

    const dashAddress = flags["dashboards.listen-address"];
    const dashTarget = dialTarget(dashAddress);
    let dashboards: DashboardsServer | null = null;
    let admin: { user: string; password: string; file: string } | null = null;
    if (await listening(dashTarget)) {
      logger.info("Something already listens on the dashboards' address; not starting dashboards", {
        address: dashTarget,
      });
    } else {
      try {
        admin = startAdmin(opts.tsdbPath, process.env);
        dashboards = await startDashboards({
          listenAddress: dashAddress,
          storagePath: join(opts.tsdbPath, "dashboards"),
          provisioningPaths: [BUILTIN_PROVISIONING_PATH],
          admin,
          logger,
          env: { ...process.env, VIGIL_SERVER_URL: `http://${dialTarget(server.address)}` },
        });
      } catch (err) {
        logger.error("Error starting the dashboards, exiting gracefully...", { err });
        stop.abort();
        await Promise.all([server.close(), nodeExporter, pushgateway?.close(), alertmanager?.close()]);
        return 1;
      }
    }
    const urls = {
      server: url,
      nodeExporter: `http://${nodeTarget}`,
      pushgateway: `http://${pushTarget}`,
      alertmanager: `http://${amTarget}`,
      configFile,
      alertmanagerConfigFile: amConfigFile,
      dashboards: `http://${dashTarget}`,
      dashboardsLogin: admin === null ? "" : `${admin.user} / password in ${admin.file}`,
    };
    ctx.stdout.write(`${formatBanner(info.version, urls)}\n`);
    const reason = await Promise.race([
      aborted(ctx.signal).then(() => "signal" as const),
      server.quitSignal().then(() => "quit" as const),
    ]);
    if (reason === "signal")
      logger.warn("Received an OS signal, exiting gracefully...", {
        signal: goSignalName(ctx.signal.reason),
      });
    else logger.warn("Received termination request via web service, exiting gracefully...");
    stop.abort();
    await Promise.all([
      dashboards?.close(),
      server.close(),
      nodeExporter,
      pushgateway?.close(),
      alertmanager?.close(),
    ]);
    logger.info("See you next time!");
    return 0;
  },
};

/** Vigil's Alertmanager with upstream's defaults, its state under `<storage.tsdb.path>/alertmanager`. */
function startAlertmanager(
  address: string,
  configFile: string,
  flags: {
    readonly "storage.tsdb.path": string;
    readonly "log.level": string;
    readonly "log.format": string;
  },
  logger: Logger,
): Promise<Alertmanager> {
  const opts = alertmanagerOptions(
    parseFlags(ALERTMANAGER_FLAGS, [
      `--config.file=${configFile}`,
      `--storage.path=${join(flags["storage.tsdb.path"], "alertmanager")}`,
      `--web.listen-address=${address}`,
      "--cluster.listen-address=",
      `--log.level=${flags["log.level"]}`,
      `--log.format=${flags["log.format"]}`,
    ]),
  );
  return Alertmanager.start(opts, logger.with({ component: "alertmanager" }), hostname());
}

/** Runs `fn`, reporting a malformed listen address as a usage error. */
function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ListenAddressError) throw new UsageError(err.message);
    throw err;
  }
}
