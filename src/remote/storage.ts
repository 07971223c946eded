/**
 * Remote storage for `vigil server` (upstream's `remote.Storage`): one
 * {@link QueueManager} per `remote_write` entry and one
 * {@link RemoteReadQueryable} per `remote_read` entry. `applyConfig` keeps the
 * queues whose config (and the external labels) did not change, stops removed
 * ones and starts new ones; a queue is identified by the hash of its config,
 * whose first 6 hex digits name it when `name` is empty.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Registry } from "prom-client";
import type { Config, RemoteWriteConfig } from "../config/types.ts";
import type { Logger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import type { Queryable } from "../storage/interface.ts";
import { remoteMetrics, remoteReadMetrics } from "./metrics.ts";
import { QueueManager, type QueueOptions } from "./queue.ts";
import { RemoteReadQueryable } from "./readclient.ts";
import { fanoutQueryable } from "./series.ts";
import { walDir } from "./watcher.ts";

/** Options of {@link RemoteStorage}. */
export interface RemoteStorageOptions {
  /** The TSDB directory: its `wal/` is tailed, positions go to `remote-write/`. */
  readonly tsdbPath: string;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The local storage's oldest timestamp, for remote read without `read_recent`. */
  localStartTime(): number;
  /** Metadata of scraped families, for `metadata_config`. */
  metadata?: QueueOptions["metadata"];
  /** Save acknowledged WAL positions (default true). */
  readonly savePositions?: boolean;
  /** Flush deadline on shutdown, ms. */
  readonly flushDeadlineMs?: number;
}

/** The hash identifying a remote config (with the external labels it is sent with). */
export function configHash(cfg: unknown, external: Labels): string {
  return createHash("md5")
    .update(JSON.stringify(cfg, (_k, v) => (v instanceof URL ? String(v) : v)))
    .update(external.toString())
    .digest("hex");
}

/** Remote write queues and remote read endpoints. */
export class RemoteStorage {
  private readonly o: RemoteStorageOptions;
  private queues = new Map<string, QueueManager>();
  private readers: RemoteReadQueryable[] = [];

  constructor(o: RemoteStorageOptions) {
    this.o = o;
  }

  /** Applies `remote_write` and `remote_read`; throws (keeping the old queues) when a client cannot be built. */
  async applyConfig(config: Config): Promise<void> {
    const external = Labels.fromObject(config.global.external_labels ?? {});
    const next = new Map<string, QueueManager>();
    const created: QueueManager[] = [];
    try {
      for (const cfg of config.remote_write) {
        const hash = configHash(cfg, external);
        const have = this.queues.get(hash) ?? next.get(hash);
        if (have !== undefined) {
          next.set(hash, have);
          continue;
        }
        const q = this.newQueue(cfg, hash, external);
        created.push(q);
        next.set(hash, q);
      }
    } catch (err) {
      for (const q of created) await q.stop();
      throw err;
    }
    const stopping = [...this.queues].filter(([h]) => !next.has(h)).map(([, q]) => q.stop());
    this.queues = next;
    await Promise.all(stopping);
    for (const q of created) q.start();
    const old = this.readers;
    const readMetrics = remoteReadMetrics(this.o.registry);
    this.readers = config.remote_read.map((cfg) => {
      const name = cfg.name !== "" ? cfg.name : configHash(cfg, external).slice(0, 6);
      return new RemoteReadQueryable(cfg, external, this.o.localStartTime, { metrics: readMetrics, name });
    });
    // Queries prepared with the old readers may still be reading: close in the background.
    for (const r of old) void r.close().catch(() => {});
  }

  private newQueue(cfg: RemoteWriteConfig, hash: string, external: Labels): QueueManager {
    const name = cfg.name !== "" && cfg.name !== undefined ? cfg.name : hash.slice(0, 6);
    return new QueueManager(cfg, {
      walDir: walDir(this.o.tsdbPath),
      positionFile:
        this.o.savePositions === false ? undefined : join(this.o.tsdbPath, "remote-write", `${hash}.json`),
      externalLabels: external,
      metrics: remoteMetrics(this.o.registry),
      logger: this.o.logger.with({ component: "remote", remote_name: name, url: String(cfg.url) }),
      name,
      metadata: this.o.metadata,
      flushDeadlineMs: this.o.flushDeadlineMs,
    });
  }

  /** `local` plus the remote-read endpoints (only `local` while none is configured). */
  queryable(local: Queryable): Queryable {
    return fanoutQueryable(local, () => this.readers);
  }

  /** Stops every queue (flushing what it can). */
  async close(): Promise<void> {
    const qs = [...this.queues.values()];
    this.queues.clear();
    const rs = this.readers;
    this.readers = [];
    await Promise.all([...qs.map((q) => q.stop()), ...rs.map((r) => r.close(true))]);
  }
}
