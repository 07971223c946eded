import { hostname } from "node:os";
import { Alertmanager } from "../alertmanager/server/alertmanager.ts";
import {
  ALERTMANAGER_FLAGS,
  type AlertmanagerOptions,
  alertmanagerOptions,
  DEFAULT_CLUSTER_ADDRESS,
  ignoredClusterFlags,
  KNOWN_FEATURES,
} from "../alertmanager/server/flags.ts";
import { newLogger } from "../log/log.ts";
import { buildContext, buildInfo, versionInfo } from "../version/info.ts";
import { parseListenAddress } from "../web/listen.ts";
import type { Command } from "./command.ts";
import { parseFlags, UsageError } from "./flags.ts";
import { aborted, goSignalName } from "./signals.ts";

/** Upstream's `featurecontrol.NewFlags` checks. */
function checkFeatures(features: readonly string[]): void {
  for (const f of features) {
    if (!(KNOWN_FEATURES as readonly string[]).includes(f))
      throw new Error(`Unknown option '${f}' for --enable-feature`);
  }
  if (features.includes("classic-mode") && features.includes("utf8-strict-mode"))
    throw new Error("cannot have both classic and UTF-8 modes enabled");
}

function parse(args: readonly string[]): AlertmanagerOptions {
  const flags = parseFlags(ALERTMANAGER_FLAGS, args);
  try {
    const opts = alertmanagerOptions(flags);
    parseListenAddress(opts.listenAddress);
    return opts;
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

/**
 * `vigil alertmanager`: upstream's Alertmanager (alertmanager.yml, routing,
 * grouping, inhibition, silences, notification log, receivers, API v2) with
 * its flags, default port 9093. Reloads on SIGHUP and `POST /-/reload`;
 * stops on SIGINT/SIGTERM, writing the silences and nflog snapshots.
 */
export const alertmanagerCommand: Command = {
  summary: "Route, group, silence and deliver alerts (upstream: alertmanager).",
  description:
    "Run the Alertmanager, a drop-in for Prometheus' Alertmanager: it reads alertmanager.yml, receives\n" +
    "alerts on API v2, groups, inhibits and silences them and notifies receivers (default :9093).",
  flags: ALERTMANAGER_FLAGS,
  async run(args, ctx) {
    const opts = parse(args);
    const logger = newLogger({
      level: opts.logLevel,
      format: opts.logFormat,
      write: (l) => ctx.stderr.write(l),
    });
    const info = buildInfo();
    logger.info("Starting Alertmanager", { version: versionInfo(info) });
    logger.info("Build context", { build_context: buildContext(info) });
    try {
      checkFeatures(opts.features);
    } catch (err) {
      logger.error("error parsing the feature flag list", { err: (err as Error).message });
      return 1;
    }
    for (const f of opts.features) logger.info("Experimental feature enabled", { feature: f });
    if (opts.clusterListenAddress !== "" && opts.clusterListenAddress !== DEFAULT_CLUSTER_ADDRESS) {
      logger.error("unable to initialize gossip mesh", {
        err: 'Vigil runs a single Alertmanager: set --cluster.listen-address to "" (clustering is not supported)',
      });
      return 1;
    }
    logger.info("Clustering is disabled: Vigil runs a single Alertmanager instance (no gossip)");
    for (const f of ignoredClusterFlags(args))
      logger.warn("Ignoring cluster flag: clustering is not supported", { flag: `--${f}` });
    let am: Alertmanager;
    try {
      am = await Alertmanager.start(opts, logger, hostname());
    } catch (err) {
      logger.error("Error starting Alertmanager", { err: (err as Error).message });
      return 1;
    }
    const onHup = (): void => {
      // Already logged by the coordinator.
      am.reload().catch(() => {});
    };
    process.on("SIGHUP", onHup);
    await aborted(ctx.signal);
    process.off("SIGHUP", onHup);
    logger.info("Received SIGTERM, exiting gracefully...", { signal: goSignalName(ctx.signal.reason) });
    await am.close();
    return 0;
  },
};
