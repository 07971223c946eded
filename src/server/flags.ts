/**
 * `vigil server`'s command line: Prometheus' flags, same names and defaults
 * (`prometheus --help`), turned into {@link ServerOptions}. Flags upstream
 * has and Vigil does not act on are not accepted, so a typo or an
 * unsupported tuning knob is a usage error instead of a silent no-op.
 */

import { parseDuration as parseModelDuration, parseSize } from "../config/units.ts";
import { LOG_FLAGS, type LogFormat, type LogLevel } from "../log/log.ts";

/** Flag specs in `--help` order; shaped for `src/cli/flags.ts` (FlagSpecs). */
export const SERVER_FLAGS = {
  "config.file": { type: "string", default: "prometheus.yml", help: "Prometheus configuration file path." },
  "web.listen-address": {
    type: "string",
    default: "0.0.0.0:9090",
    help: "Address to listen on for UI, API, and telemetry.",
  },
  "web.config.file": {
    type: "string",
    default: "",
    help: "[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication.",
  },
  "web.read-timeout": {
    type: "string",
    default: "5m",
    help: "Maximum duration before timing out read of the request, and closing idle connections.",
  },
  "web.max-connections": {
    type: "string",
    default: "512",
    help: "Maximum number of simultaneous connections.",
  },
  "web.external-url": {
    type: "string",
    default: "",
    help: "The URL under which Vigil is externally reachable (e.g. behind a reverse proxy).",
  },
  "web.route-prefix": {
    type: "string",
    default: "",
    help: "Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.",
  },
  "web.enable-lifecycle": { type: "boolean", help: "Enable shutdown and reload via HTTP request." },
  "web.enable-admin-api": { type: "boolean", help: "Enable API endpoints for admin control actions." },
  "web.enable-remote-write-receiver": {
    type: "boolean",
    help: "Enable API endpoint accepting remote write requests.",
  },
  "web.cors.origin": {
    type: "string",
    default: ".*",
    help: "Regex for CORS origin. It is fully anchored. Example: 'https?://(domain1|domain2)\\.com'",
  },
  "web.page-title": {
    type: "string",
    default: "Vigil Time Series Collection and Processing Server",
    help: "Document title of the web UI.",
  },
  "storage.tsdb.path": { type: "string", default: "data/", help: "Base path for metrics storage." },
  "storage.tsdb.retention.time": {
    type: "string",
    default: "15d",
    help: "How long to retain samples in storage. Units supported: y, w, d, h, m, s, ms.",
  },
  "storage.tsdb.retention.size": {
    type: "string",
    default: "0B",
    help: "Maximum number of bytes that can be stored for blocks. Units: B, KB, MB, GB, TB, PB, EB.",
  },
  "storage.tsdb.min-block-duration": {
    type: "string",
    default: "2h",
    help: "Minimum duration of a data block before being persisted.",
  },
  "storage.tsdb.max-block-duration": {
    type: "string",
    default: "",
    help: "Maximum duration compacted blocks may span. Defaults to 10% of the retention period, at most 31d.",
  },
  "storage.remote.flush-deadline": {
    type: "string",
    default: "1m",
    help: "How long to wait flushing sample on shutdown or config reload.",
  },
  "storage.remote.read-sample-limit": {
    type: "string",
    default: "5e7",
    help: "Maximum overall number of samples to return via the remote read interface, in a single query. 0 means no limit. This limit is ignored for streamed response types.",
  },
  "storage.remote.read-concurrent-limit": {
    type: "string",
    default: "10",
    help: "Maximum number of concurrent remote read calls. 0 means no limit.",
  },
  "storage.remote.read-max-bytes-in-frame": {
    type: "string",
    default: "1048576",
    help: "Maximum number of bytes in a single frame for streaming remote read response types before marshalling. Note that client might have limit on frame size as well. 1MB as recommended by protobuf by default.",
  },
  "query.lookback-delta": {
    type: "string",
    default: "5m",
    help: "The maximum lookback duration for retrieving metrics during expression evaluations.",
  },
  "query.timeout": {
    type: "string",
    default: "2m",
    help: "Maximum time a query may take before being aborted.",
  },
  "query.max-concurrency": {
    type: "string",
    default: "20",
    help: "Maximum number of queries executed concurrently.",
  },
  "query.max-samples": {
    type: "string",
    default: "50000000",
    help: "Maximum number of samples a single query can load into memory.",
  },
  "rules.alert.for-outage-tolerance": {
    type: "string",
    default: "1h",
    help: 'Max time to tolerate prometheus outage for restoring "for" state of alert.',
  },
  "rules.alert.for-grace-period": {
    type: "string",
    default: "10m",
    help: 'Minimum duration between alert and restored "for" state. This is maintained only for alerts with configured "for" time greater than grace period.',
  },
  "rules.alert.resend-delay": {
    type: "string",
    default: "1m",
    help: "Minimum amount of time to wait before resending an alert to Alertmanager.",
  },
  "alertmanager.notification-queue-capacity": {
    type: "string",
    default: "10000",
    help: "The capacity of the queue for pending Alertmanager notifications.",
  },
  "alertmanager.notification-batch-size": {
    type: "string",
    default: "256",
    help: "The maximum number of notifications per batch to send to the Alertmanager.",
  },
  "alertmanager.drain-notification-queue-on-shutdown": {
    type: "boolean",
    help: "Send any outstanding Alertmanager notifications when shutting down (the default).",
  },
  "no-alertmanager.drain-notification-queue-on-shutdown": {
    type: "boolean",
    help: "Drop outstanding Alertmanager notifications when shutting down.",
  },
  "scrape.discovery-reload-interval": {
    type: "string",
    default: "5s",
    help: "Interval used by scrape manager to throttle target groups updates.",
  },
  "enable-feature": {
    type: "string",
    multiple: true,
    help: "Comma separated feature names to enable. Valid options: promql-experimental-functions, promql-delayed-name-removal, …",
  },
  ...LOG_FLAGS,
} as const;

/** Feature flags Vigil knows (`--enable-feature`); upstream's names. Others are warned about and ignored. */
export const KNOWN_FEATURES = [
  "promql-experimental-functions",
  "promql-delayed-name-removal",
  "promql-duration-expr",
  "auto-gomemlimit",
  "auto-gomaxprocs",
  "concurrent-rule-eval",
  "extra-scrape-metrics",
  "created-timestamp-zero-ingestion",
  "memory-snapshot-on-shutdown",
  "metadata-wal-records",
] as const;

/** Everything `vigil server` is configured with from its command line. */
export interface ServerOptions {
  readonly configFile: string;
  readonly listenAddress: string;
  readonly webConfigFile: string;
  readonly readTimeoutMs: number;
  readonly maxConnections: number;
  /** Absolute external URL (default `http://<hostname>:<port>/`). */
  readonly externalUrl: string;
  /** `--web.route-prefix` as given ("" = the external URL's path; the web handler resolves it). */
  readonly routePrefix: string;
  readonly enableLifecycle: boolean;
  readonly enableAdminApi: boolean;
  readonly enableRemoteWriteReceiver: boolean;
  readonly corsOrigin: string;
  readonly pageTitle: string;
  readonly tsdbPath: string;
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly minBlockDurationMs: number;
  readonly maxBlockDurationMs: number | undefined;
  /** `--storage.remote.flush-deadline`: how long remote-write queues flush on shutdown or reload, ms. */
  readonly remoteFlushDeadlineMs: number;
  /** `--storage.remote.read-sample-limit` (0: no limit). */
  readonly remoteReadSampleLimit: number;
  /** `--storage.remote.read-concurrent-limit` (0: no limit). */
  readonly remoteReadConcurrentLimit: number;
  /** `--storage.remote.read-max-bytes-in-frame`. */
  readonly remoteReadMaxBytesInFrame: number;
  readonly lookbackDeltaMs: number;
  readonly queryTimeoutMs: number;
  readonly queryMaxConcurrency: number;
  readonly queryMaxSamples: number;
  readonly discoveryReloadIntervalMs: number;
  readonly outageToleranceMs: number;
  readonly forGracePeriodMs: number;
  readonly resendDelayMs: number;
  readonly notificationQueueCapacity: number;
  readonly notificationBatchSize: number;
  readonly drainNotificationQueue: boolean;
  readonly features: ReadonlySet<string>;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Every flag's value as given or defaulted, for `/api/v1/status/flags`. */
  readonly flagValues: Readonly<Record<string, string>>;
}

type RawFlags = { readonly [K in keyof typeof SERVER_FLAGS]: unknown };

/** Builds {@link ServerOptions} from parsed flags; throws an Error naming the flag on a bad value. */
export function serverOptions(flags: RawFlags, hostname: string): ServerOptions {
  const str = (name: keyof typeof SERVER_FLAGS): string => String(flags[name] ?? "");
  const duration = (name: keyof typeof SERVER_FLAGS): number =>
    flagValue(name, () => parseModelDuration(str(name)));
  const int = (name: keyof typeof SERVER_FLAGS): number =>
    flagValue(name, () => {
      // Number() also reads kingpin's float notation for integers ("5e7").
      const n = str(name).trim() === "" ? Number.NaN : Number(str(name));
      if (!Number.isSafeInteger(n) || n < 0)
        throw new Error(`expected a non-negative integer, got "${str(name)}"`);
      return n;
    });
  const listenAddress = str("web.listen-address");
  const externalUrl = flagValue("web.external-url", () =>
    computeExternalUrl(str("web.external-url"), listenAddress, hostname),
  );
  const features = new Set(
    (flags["enable-feature"] as readonly string[])
      .flatMap((f) => f.split(","))
      .map((f) => f.trim())
      .filter(Boolean),
  );
  return {
    configFile: str("config.file"),
    listenAddress,
    webConfigFile: str("web.config.file"),
    readTimeoutMs: duration("web.read-timeout"),
    maxConnections: int("web.max-connections"),
    externalUrl,
    routePrefix: str("web.route-prefix"),
    enableLifecycle: flags["web.enable-lifecycle"] === true,
    enableAdminApi: flags["web.enable-admin-api"] === true,
    enableRemoteWriteReceiver: flags["web.enable-remote-write-receiver"] === true,
    corsOrigin: str("web.cors.origin"),
    pageTitle: str("web.page-title"),
    tsdbPath: str("storage.tsdb.path"),
    retentionMs: duration("storage.tsdb.retention.time"),
    retentionBytes: flagValue("storage.tsdb.retention.size", () =>
      parseSize(str("storage.tsdb.retention.size")),
    ),
    minBlockDurationMs: duration("storage.tsdb.min-block-duration"),
    maxBlockDurationMs:
      str("storage.tsdb.max-block-duration") === "" ? undefined : duration("storage.tsdb.max-block-duration"),
    remoteFlushDeadlineMs: duration("storage.remote.flush-deadline"),
    remoteReadSampleLimit: int("storage.remote.read-sample-limit"),
    remoteReadConcurrentLimit: int("storage.remote.read-concurrent-limit"),
    remoteReadMaxBytesInFrame: int("storage.remote.read-max-bytes-in-frame"),
    lookbackDeltaMs: duration("query.lookback-delta"),
    queryTimeoutMs: duration("query.timeout"),
    queryMaxConcurrency: int("query.max-concurrency"),
    queryMaxSamples: int("query.max-samples"),
    discoveryReloadIntervalMs: duration("scrape.discovery-reload-interval"),
    outageToleranceMs: duration("rules.alert.for-outage-tolerance"),
    forGracePeriodMs: duration("rules.alert.for-grace-period"),
    resendDelayMs: duration("rules.alert.resend-delay"),
    notificationQueueCapacity: int("alertmanager.notification-queue-capacity"),
    notificationBatchSize: int("alertmanager.notification-batch-size"),
    drainNotificationQueue: flags["no-alertmanager.drain-notification-queue-on-shutdown"] !== true,
    features,
    logLevel: flags["log.level"] as LogLevel,
    logFormat: flags["log.format"] as LogFormat,
    flagValues: Object.fromEntries(
      Object.keys(SERVER_FLAGS).map((name) => {
        const v = flags[name as keyof typeof SERVER_FLAGS];
        return [name, Array.isArray(v) ? v.join(",") : v === undefined ? "false" : String(v)];
      }),
    ),
  };
}

function flagValue<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`invalid value for flag --${name}: ${reason}`, { cause: err });
  }
}

/**
 * Upstream's `computeExternalURL`: empty means `http://<hostname>:<port>/`;
 * a given URL must be absolute http(s); the path keeps no trailing slash.
 */
export function computeExternalUrl(given: string, listenAddress: string, hostname: string): string {
  if (given === "") {
    const port = listenAddress.slice(listenAddress.lastIndexOf(":") + 1);
    return `http://${hostname}:${port}/`;
  }
  if (given.startsWith('"') || given.startsWith("'") || given.endsWith('"') || given.endsWith("'")) {
    throw new Error("URL must not begin or end with quotes");
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new Error(`invalid URL "${given}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`unsupported URL scheme in "${given}"`);
  return url.toString();
}
