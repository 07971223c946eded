/**
 * Upstream's `nflog`: the notification log. For each aggregation group and
 * receiver integration it records the last successful notification — when,
 * and which alert fingerprints were firing and resolved — so the dedup
 * stage of the pipeline does not send the same thing twice, even across a
 * restart (the log is snapshotted to `<storage.path>/nflog` every 15 min and
 * on shutdown, and loaded at start). Entries expire after the retention.
 *
 * Snapshot format (Vigil's; upstream writes protobuf `MeshEntry` records):
 * `{"format":"vigil-nflog/1","entries":[{"entry":{…, fingerprints as 16 hex digits},"expiresAt":ms}]}`.
 */
import { Counter, Gauge, Histogram, type Registry, Summary } from "prom-client";
import { type Logger, nopLogger } from "../../log/log.ts";
import { readIfExists, writeSnapshot } from "../maintenance/file.ts";
import { deleteExpired, Maintenance } from "../maintenance/maintenance.ts";

/** Upstream's `nflogpb.Receiver`: a receiver's integration, by position. */
export interface NflogReceiver {
  /** The receiver's name. */
  readonly groupName: string;
  /** The integration type, e.g. "webhook". */
  readonly integration: string;
  /** Index of the integration among the receiver's integrations of any type. */
  readonly idx: number;
}

/** Upstream's `nflogpb.Entry`: the last notification of a group to one integration. */
export interface NflogEntry {
  readonly groupKey: string;
  readonly receiver: NflogReceiver;
  /** When the notification was logged, ms since the epoch. */
  readonly timestamp: number;
  /** `hashAlert` hashes of the firing alerts notified. */
  readonly firingAlerts: readonly bigint[];
  /** `hashAlert` hashes of the resolved alerts notified. */
  readonly resolvedAlerts: readonly bigint[];
}

interface MeshEntry {
  readonly entry: NflogEntry;
  readonly expiresAt: number;
}

/** Upstream's `ErrNotFound` of the notification log. */
export class NflogNotFoundError extends Error {
  constructor() {
    super("not found");
    this.name = "NflogNotFoundError";
  }
}

/** Construction options of {@link NotificationLog}. */
export interface NotificationLogOptions {
  /** Milliseconds an entry is kept (`--data.retention`, 120h). */
  readonly retention?: number;
  readonly registry?: Registry;
  readonly logger?: Logger;
  readonly now?: () => number;
}

const FORMAT = "vigil-nflog/1";

/** Upstream's state key `<groupKey>:<receiver>/<integration>/<idx>`. */
export function nflogStateKey(groupKey: string, r: NflogReceiver): string {
  return `${groupKey}:${r.groupName}/${r.integration}/${r.idx}`;
}

/** The notification log. */
export class NotificationLog {
  readonly #st = new Map<string, MeshEntry>();
  readonly #retention: number;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #m: ReturnType<typeof newMetrics>;
  readonly #maintenance: Maintenance;

  constructor(opts: NotificationLogOptions = {}) {
    this.#retention = opts.retention ?? 120 * 3_600_000;
    this.#logger = opts.logger ?? nopLogger;
    this.#now = opts.now ?? Date.now;
    this.#m = newMetrics(opts.registry);
    this.#maintenance = new Maintenance(this, this.#m, this.#logger);
  }

  /**
   * Records a successful notification now. `expiry` (ms, 0 = none) shortens
   * the entry's life below the retention, as upstream. A stored entry with a
   * later timestamp is kept.
   */
  log(
    r: NflogReceiver,
    groupKey: string,
    firing: readonly bigint[],
    resolved: readonly bigint[],
    expiry = 0,
  ): void {
    const now = this.#now();
    const key = nflogStateKey(groupKey, r);
    const prev = this.#st.get(key);
    if (prev !== undefined && prev.entry.timestamp > now) return;
    const life = expiry > 0 && this.#retention > expiry ? expiry : this.#retention;
    const entry: NflogEntry = {
      groupKey,
      receiver: r,
      timestamp: now,
      firingAlerts: [...firing],
      resolvedAlerts: [...resolved],
    };
    this.#st.set(key, { entry, expiresAt: now + life });
  }

  /**
   * Upstream's `Query(QGroupKey, QReceiver)`: the entry of `groupKey` for
   * `receiver`, as a one-element list; throws {@link NflogNotFoundError} when
   * there is none.
   */
  query(groupKey: string, receiver: NflogReceiver): readonly NflogEntry[] {
    this.#m.queries.inc();
    const end = this.#m.queryDuration.startTimer();
    try {
      const e = this.#st.get(nflogStateKey(groupKey, receiver));
      if (e === undefined) {
        this.#m.queryErrors.inc();
        throw new NflogNotFoundError();
      }
      return [e.entry];
    } finally {
      end();
    }
  }

  /** Removes expired entries; returns how many. */
  gc(): number {
    return deleteExpired(this.#st, this.#now(), this.#m.gcDuration);
  }

  /** Writes the log to `file` atomically; returns its size. */
  snapshot(file: string): Promise<number> {
    return writeSnapshot(file, () => encode(this.#st.values()), this.#m.snapshotDuration);
  }

  /** Replaces the log with a snapshot's content; a missing file leaves it empty. */
  async loadSnapshot(file: string): Promise<void> {
    const text = await readIfExists(file);
    if (text === undefined) return;
    const now = this.#now();
    this.#st.clear();
    for (const e of decode(text)) {
      if (e.expiresAt > now) this.#st.set(nflogStateKey(e.entry.groupKey, e.entry.receiver), e);
    }
  }

  /** GC then snapshot (when `file` is non-empty); returns the snapshot size. */
  maintenance(file: string): Promise<number> {
    return this.#maintenance.runOnce(file);
  }

  /** Starts periodic maintenance (upstream: every 15 min). */
  startMaintenance(interval: number, file: string): void {
    this.#maintenance.start(interval, file);
  }

  /** Stops maintenance and writes the shutdown snapshot. */
  stop(): Promise<void> {
    return this.#maintenance.stop();
  }
}

const hex = (fp: bigint): string => fp.toString(16).padStart(16, "0");

function encode(entries: Iterable<MeshEntry>): string {
  const out = [...entries].map((e) => ({
    entry: {
      ...e.entry,
      firingAlerts: e.entry.firingAlerts.map(hex),
      resolvedAlerts: e.entry.resolvedAlerts.map(hex),
    },
    expiresAt: e.expiresAt,
  }));
  return JSON.stringify({ format: FORMAT, entries: out });
}

function decode(text: string): MeshEntry[] {
  let doc: { format?: unknown; entries?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(
      "invalid nflog snapshot: not a Vigil snapshot (upstream's protobuf snapshots are not read)",
    );
  }
  if (doc.format !== FORMAT || !Array.isArray(doc.entries))
    throw new Error("invalid nflog snapshot: unknown format");
  return doc.entries.map((raw: { entry: Record<string, unknown>; expiresAt: number }) => {
    const e = raw.entry;
    const fps = (v: unknown): bigint[] => (v as string[]).map((s) => BigInt(`0x${s}`));
    return {
      entry: {
        groupKey: String(e.groupKey),
        receiver: e.receiver as NflogReceiver,
        timestamp: Number(e.timestamp),
        firingAlerts: fps(e.firingAlerts),
        resolvedAlerts: fps(e.resolvedAlerts),
      },
      expiresAt: Number(raw.expiresAt),
    };
  });
}

function newMetrics(registry: Registry | undefined) {
  const registers = registry === undefined ? [] : [registry];
  new Counter({
    name: "alertmanager_nflog_gossip_messages_propagated_total",
    help: "Number of received gossip messages that have been further gossiped.",
    registers,
  });
  return {
    gcDuration: new Summary({
      name: "alertmanager_nflog_gc_duration_seconds",
      help: "Duration of the last notification log garbage collection cycle.",
      percentiles: [],
      registers,
    }),
    snapshotDuration: new Summary({
      name: "alertmanager_nflog_snapshot_duration_seconds",
      help: "Duration of the last notification log snapshot.",
      percentiles: [],
      registers,
    }),
    snapshotSize: new Gauge({
      name: "alertmanager_nflog_snapshot_size_bytes",
      help: "Size of the last notification log snapshot in bytes.",
      registers,
    }),
    maintenance: new Counter({
      name: "alertmanager_nflog_maintenance_total",
      help: "How many maintenances were executed for the notification log.",
      registers,
    }),
    maintenanceErrors: new Counter({
      name: "alertmanager_nflog_maintenance_errors_total",
      help: "How many maintenances were executed for the notification log that failed.",
      registers,
    }),
    queries: new Counter({
      name: "alertmanager_nflog_queries_total",
      help: "Number of notification log queries were received.",
      registers,
    }),
    queryDuration: new Histogram({
      name: "alertmanager_nflog_query_duration_seconds",
      help: "Duration of notification log query evaluation.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    queryErrors: new Counter({
      name: "alertmanager_nflog_query_errors_total",
      help: "Number notification log received queries that failed.",
      registers,
    }),
  };
}
