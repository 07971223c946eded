/**
 * Upstream's `prometheus_remote_storage_*`, `prometheus_wal_watcher_*` and
 * `prometheus_remote_read_client_*` metrics (storage/remote/queue_manager.go,
 * wlog/watcher.go, storage/remote/client.go as of 3.5), per queue or read
 * endpoint labelled `remote_name` and `url`. Registered once per registry;
 * queues and readers created by a reload reuse them.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

type Q = "remote_name" | "url";
const Q_LABELS = ["remote_name", "url"] as const;

/** The remote-write metrics. */
export interface RemoteMetrics {
  readonly samplesTotal: Counter<Q>;
  readonly samplesFailed: Counter<Q>;
  readonly samplesRetried: Counter<Q>;
  readonly samplesDropped: Counter<Q>;
  readonly samplesPending: Gauge<Q>;
  readonly samplesIn: Counter;
  readonly bytesTotal: Counter<Q>;
  readonly metadataTotal: Counter<Q>;
  readonly metadataFailed: Counter<Q>;
  readonly metadataRetried: Counter<Q>;
  readonly metadataBytes: Counter<Q>;
  readonly enqueueRetries: Counter<Q>;
  readonly sentBatchDuration: Histogram<Q>;
  readonly highestTimestampIn: Gauge;
  readonly queueHighestSent: Gauge<Q>;
  readonly shards: Gauge<Q>;
  readonly shardsMin: Gauge<Q>;
  readonly shardsMax: Gauge<Q>;
  readonly shardsDesired: Gauge<Q>;
  readonly shardCapacity: Gauge<Q>;
  readonly maxSamplesPerSend: Gauge<Q>;
  readonly watcherRecords: Counter<"consumer" | "type">;
  readonly watcherSegment: Gauge<"consumer">;
}

const cache = new WeakMap<Registry, RemoteMetrics>();

function counter(registry: Registry, name: string, help: string): Counter<Q> {
  return new Counter({ name, help, labelNames: Q_LABELS, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge<Q> {
  return new Gauge({ name, help, labelNames: Q_LABELS, registers: [registry] });
}

/** The metrics on `registry`, registered on first use. */
export function remoteMetrics(registry: Registry): RemoteMetrics {
  const have = cache.get(registry);
  if (have !== undefined) return have;
  const p = "prometheus_remote_storage_";
  const m: RemoteMetrics = {
    samplesTotal: counter(registry, `${p}samples_total`, "Total number of samples sent to remote storage."),
    samplesFailed: counter(
      registry,
      `${p}samples_failed_total`,
      "Total number of samples which failed on send to remote storage, non-recoverable errors.",
    ),
    samplesRetried: counter(
      registry,
      `${p}samples_retried_total`,
      "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.",
    ),
    samplesDropped: counter(
      registry,
      `${p}samples_dropped_total`,
      "Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling, due to being too old or unintentionally because of an unknown reference ID.",
    ),
    samplesPending: gauge(
      registry,
      `${p}samples_pending`,
      "The number of samples pending in the queues shards to be sent to the remote storage.",
    ),
    samplesIn: new Counter({
      name: `${p}samples_in_total`,
      help: "Samples in to remote storage, compare to samples out for queue managers.",
      registers: [registry],
    }),
    bytesTotal: counter(
      registry,
      `${p}bytes_total`,
      "The total number of bytes of data (not metadata) sent by the queue after compression. Note that when exemplars over remote write is enabled the exemplars included in a remote write request count towards this metric.",
    ),
    metadataTotal: counter(
      registry,
      `${p}metadata_total`,
      "Total number of metadata entries sent to remote storage.",
    ),
    metadataFailed: counter(
      registry,
      `${p}metadata_failed_total`,
      "Total number of metadata entries which failed on send to remote storage, non-recoverable errors.",
    ),
    metadataRetried: counter(
      registry,
      `${p}metadata_retried_total`,
      "Total number of metadata entries which failed on send to remote storage but were retried because the send error was recoverable.",
    ),
    metadataBytes: counter(
      registry,
      `${p}metadata_bytes_total`,
      "The total number of bytes of metadata sent by the queue after compression.",
    ),
    enqueueRetries: counter(
      registry,
      `${p}enqueue_retries_total`,
      "Total number of times enqueue has failed because a shards queue was full.",
    ),
    sentBatchDuration: new Histogram({
      name: `${p}sent_batch_duration_seconds`,
      help: "Duration of send calls to the remote storage.",
      labelNames: Q_LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300],
      registers: [registry],
    }),
    highestTimestampIn: new Gauge({
      name: `${p}highest_timestamp_in_seconds`,
      help: "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch. Initialized to 0 when no data has been received yet.",
      registers: [registry],
    }),
    queueHighestSent: gauge(
      registry,
      `${p}queue_highest_sent_timestamp_seconds`,
      "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch. Initialized to 0 when no data has been sent yet.",
    ),
    shards: gauge(
      registry,
      `${p}shards`,
      "The number of shards used for parallel sending to the remote storage.",
    ),
    shardsMin: gauge(
      registry,
      `${p}shards_min`,
      "The minimum number of shards that the queue is allowed to run.",
    ),
    shardsMax: gauge(
      registry,
      `${p}shards_max`,
      "The maximum number of shards that the queue is allowed to run.",
    ),
    shardsDesired: gauge(
      registry,
      `${p}shards_desired`,
      "The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.",
    ),
    shardCapacity: gauge(
      registry,
      `${p}shard_capacity`,
      "The capacity of each shard of the queue used for parallel sending to the remote storage.",
    ),
    maxSamplesPerSend: gauge(
      registry,
      `${p}max_samples_per_send`,
      "The maximum number of samples to be sent, in a single request, to the remote storage. Note that, when sending of exemplars over remote write is enabled, exemplars count towards this limt.",
    ),
    watcherRecords: new Counter({
      name: "prometheus_wal_watcher_records_read_total",
      help: "Number of records read by the WAL watcher from the WAL.",
      labelNames: ["consumer", "type"] as const,
      registers: [registry],
    }),
    watcherSegment: new Gauge({
      name: "prometheus_wal_watcher_current_segment",
      help: "Current segment the WAL watcher is reading records from.",
      labelNames: ["consumer"] as const,
      registers: [registry],
    }),
  };
  cache.set(registry, m);
  return m;
}

type R = Q | "response_type";

/**
 * Upstream's remote-read client metrics (storage/remote/client.go as of 3.5,
 * `prometheus_remote_read_client_*`). As upstream, only 2xx answers are
 * counted and timed (`response_type` `sampled` or `unsupported`, `code` the
 * status); failed requests and error statuses change only the in-flight gauge.
 */
export interface RemoteReadMetrics {
  readonly queries: Gauge<Q>;
  readonly queriesTotal: Counter<R | "code">;
  readonly requestDuration: Histogram<R>;
}

const readCache = new WeakMap<Registry, RemoteReadMetrics>();

/** The remote-read client metrics on `registry`, registered on first use. */
export function remoteReadMetrics(registry: Registry): RemoteReadMetrics {
  const have = readCache.get(registry);
  if (have !== undefined) return have;
  const p = "prometheus_remote_read_client_";
  const m: RemoteReadMetrics = {
    queries: gauge(registry, `${p}queries`, "The number of in-flight remote read queries."),
    queriesTotal: new Counter({
      name: `${p}queries_total`,
      help: "The total number of remote read queries.",
      labelNames: [...Q_LABELS, "response_type", "code"] as const,
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: `${p}request_duration_seconds`,
      help: "Histogram of the latency for remote read requests. Note that for streamed responses this is only the duration of the initial call and does not include the processing of the stream.",
      labelNames: [...Q_LABELS, "response_type"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
      registers: [registry],
    }),
  };
  readCache.set(registry, m);
  return m;
}
