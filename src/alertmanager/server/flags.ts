/**
 * `vigil alertmanager`'s command line: Alertmanager 0.33's flags (names,
 * defaults and help of `alertmanager --help`), turned into
 * {@link AlertmanagerOptions}. The gossip cluster flags are accepted so
 * existing manifests start, but Vigil runs a single instance.
 */
import { LOG_FLAGS, type LogFormat, type LogLevel } from "../../log/log.ts";
import { parseGoDuration } from "../config/common.ts";
import { type MatcherParserMode, modeFromFeatures } from "../matcher/compat.ts";

/** Upstream's default `--cluster.listen-address`. */
export const DEFAULT_CLUSTER_ADDRESS = "0.0.0.0:9094";

/** Upstream's `featurecontrol.AllowedFlags`. */
export const KNOWN_FEATURES = [
  "alert-names-in-metrics",
  "receiver-name-in-metrics",
  "group-key-in-metrics",
  "classic-mode",
  "utf8-strict-mode",
  "auto-gomemlimit",
  "event-recorder",
] as const;

const clusterFlag = (help: string, def?: string) =>
  ({ type: "string", help, ...(def === undefined ? {} : { default: def }) }) as const;

/** The `--cluster.*` flags other than `--cluster.listen-address`: accepted, ignored with a warning. */
export const IGNORED_CLUSTER_FLAGS = {
  "cluster.advertise-address": clusterFlag("Explicit address to advertise in cluster."),
  "cluster.peer-name": clusterFlag("Explicit name of the peer, rather than generating a random one"),
  "cluster.peer": { type: "string", multiple: true, help: "Initial peers (may be repeated)." },
  "cluster.peer-timeout": clusterFlag("Time to wait between peers to send notifications.", "15s"),
  "cluster.peers-resolve-timeout": clusterFlag("Time to resolve peers.", "15s"),
  "cluster.gossip-interval": clusterFlag("Interval between sending gossip messages.", "200ms"),
  "cluster.pushpull-interval": clusterFlag("Interval for gossip state syncs.", "1m0s"),
  "cluster.tcp-timeout": clusterFlag("Timeout for establishing a stream connection.", "10s"),
  "cluster.probe-timeout": clusterFlag("Timeout to wait for an ack from a probed node.", "500ms"),
  "cluster.probe-interval": clusterFlag("Interval between random node probes.", "1s"),
  "cluster.settle-timeout": clusterFlag("Maximum time to wait for cluster connections to settle.", "1m0s"),
  "cluster.reconnect-interval": clusterFlag("Interval between attempting to reconnect to lost peers.", "10s"),
  "cluster.reconnect-timeout": clusterFlag(
    "Length of time to attempt to reconnect to a lost peer.",
    "6h0m0s",
  ),
  "cluster.tls-config": clusterFlag("[EXPERIMENTAL] Path to config yaml file for gossip mutual TLS.", ""),
  "cluster.allow-insecure-public-advertise-address-discovery": {
    type: "boolean",
    help: "[EXPERIMENTAL] Allow alertmanager to discover and listen on a public IP address.",
  },
  "cluster.label": clusterFlag("The cluster label to include on each packet and stream.", ""),
} as const;

/** Flag specs in `--help` order, shaped for `src/cli/flags.ts` (FlagSpecs). */
export const ALERTMANAGER_FLAGS = {
  "config.file": {
    type: "string",
    default: "alertmanager.yml",
    help: "Alertmanager configuration file name.",
  },
  "storage.path": { type: "string", default: "data/", help: "Base path for data storage." },
  "data.retention": { type: "string", default: "120h", help: "How long to keep data for." },
  "data.maintenance-interval": {
    type: "string",
    default: "15m",
    help: "Interval between garbage collection and snapshotting to disk of the silences and the notification logs.",
  },
  "alerts.gc-interval": { type: "string", default: "30m", help: "Interval between alert GC." },
  "dispatch.maintenance-interval": {
    type: "string",
    default: "30s",
    help: "Interval between maintenance of aggregation groups in the dispatcher.",
  },
  "web.listen-address": {
    type: "string",
    default: ":9093",
    help: "Address on which to expose metrics and web interface.",
  },
  "web.config.file": {
    type: "string",
    default: "",
    help: "Path to configuration file that can enable TLS or authentication.",
  },
  "web.external-url": {
    type: "string",
    default: "",
    help: "The URL under which Alertmanager is externally reachable (for example, if Alertmanager is served via a reverse proxy).",
  },
  "web.route-prefix": {
    type: "string",
    default: "",
    help: "Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.",
  },
  "web.get-concurrency": {
    type: "string",
    default: "0",
    help: "Maximum number of GET requests processed concurrently. If negative or zero, the limit is the CPU count or 8, whichever is larger.",
  },
  "web.timeout": {
    type: "string",
    default: "0",
    help: "Timeout for HTTP requests. If negative or zero, no timeout is set.",
  },
  "cluster.listen-address": clusterFlag(
    "Listen address for cluster. Set to empty string to disable HA mode (Vigil: clustering is not supported).",
    DEFAULT_CLUSTER_ADDRESS,
  ),
  ...IGNORED_CLUSTER_FLAGS,
  "enable-feature": {
    type: "string",
    default: "",
    help: `Comma-separated experimental features to enable. Valid options: ${KNOWN_FEATURES.join(", ")}`,
  },
  ...LOG_FLAGS,
} as const;

/** Everything the Alertmanager process is started with; durations in ms. */
export interface AlertmanagerOptions {
  readonly configFile: string;
  readonly storagePath: string;
  readonly retentionMs: number;
  readonly maintenanceIntervalMs: number;
  readonly alertGCIntervalMs: number;
  readonly dispatchMaintenanceIntervalMs: number;
  readonly listenAddress: string;
  readonly webConfigFile: string;
  /** `--web.external-url` as given ("" = derived from the host name and port). */
  readonly externalURL: string;
  /** `--web.route-prefix` as given ("" = the external URL's path). */
  readonly routePrefix: string;
  /** Concurrent GET limit; 0 or less = max(CPU count, 8). */
  readonly getConcurrency: number;
  /** Request timeout, ms; 0 or less = none. */
  readonly webTimeoutMs: number;
  readonly clusterListenAddress: string;
  readonly features: readonly string[];
  readonly matcherMode: MatcherParserMode;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/** Parsed flag values, as `parseFlags(ALERTMANAGER_FLAGS, args)` returns them. */
export type AlertmanagerFlagValues = {
  readonly [K in keyof typeof ALERTMANAGER_FLAGS]?: string | boolean | readonly string[];
};

function flagError(name: string, value: string, err: unknown): Error {
  return new Error(`invalid value "${value}" for flag --${name}: ${(err as Error).message}`);
}

/**
 * Turns parsed flags into options. Throws (to be shown as a usage error)
 * for a malformed duration or number, as kingpin refuses those.
 */
export function alertmanagerOptions(flags: AlertmanagerFlagValues): AlertmanagerOptions {
  const str = (name: keyof typeof ALERTMANAGER_FLAGS): string => {
    const v = flags[name];
    return typeof v === "string" ? v : "";
  };
  const duration = (name: keyof typeof ALERTMANAGER_FLAGS): number => {
    try {
      return parseGoDuration(str(name));
    } catch (err) {
      throw flagError(name, str(name), err);
    }
  };
  const int = (name: keyof typeof ALERTMANAGER_FLAGS): number => {
    const v = str(name);
    if (!/^[+-]?\d+$/.test(v)) throw flagError(name, v, new Error("invalid syntax"));
    return Number(v);
  };
  const features = str("enable-feature")
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
  return {
    configFile: str("config.file"),
    storagePath: str("storage.path"),
    retentionMs: duration("data.retention"),
    maintenanceIntervalMs: duration("data.maintenance-interval"),
    alertGCIntervalMs: duration("alerts.gc-interval"),
    dispatchMaintenanceIntervalMs: duration("dispatch.maintenance-interval"),
    listenAddress: str("web.listen-address"),
    webConfigFile: str("web.config.file"),
    externalURL: str("web.external-url"),
    routePrefix: str("web.route-prefix"),
    getConcurrency: int("web.get-concurrency"),
    webTimeoutMs: duration("web.timeout"),
    clusterListenAddress: str("cluster.listen-address"),
    features,
    matcherMode: modeFromFeatures(features),
    logLevel: (str("log.level") || "info") as LogLevel,
    logFormat: (str("log.format") || "logfmt") as LogFormat,
  };
}

/**
 * Flag values from `--name=value` arguments over the defaults, without the
 * CLI's checks (for tests and for embedding, e.g. `vigil start`'s own use).
 * Unknown names throw.
 */
export function flagValues(args: readonly string[]): AlertmanagerFlagValues {
  const out: Record<string, string | boolean | string[]> = {};
  for (const [name, spec] of Object.entries(ALERTMANAGER_FLAGS) as [string, { default?: string }][])
    if (spec.default !== undefined) out[name] = spec.default;
  for (const a of args) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(a);
    if (m === null || !Object.hasOwn(ALERTMANAGER_FLAGS, m[1]!)) throw new Error(`unknown flag '${a}'`);
    out[m[1]!] = m[2] ?? true;
  }
  return out as AlertmanagerFlagValues;
}

/** The `--cluster.*` flags given on the command line that Vigil ignores. */
export function ignoredClusterFlags(args: readonly string[]): string[] {
  const names = new Set(Object.keys(IGNORED_CLUSTER_FLAGS));
  const given = args
    .map((a) => /^--([^=]+)/.exec(a)?.[1])
    .filter((n): n is string => n !== undefined && names.has(n));
  return [...new Set(given)];
}
