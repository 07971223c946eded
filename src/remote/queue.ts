/**
 * One `remote_write` endpoint (upstream's `QueueManager`): a WAL watcher feeds
 * samples into shards (by series reference modulo the shard count); each
 * shard sends a request once it holds `max_samples_per_send` samples or its
 * oldest sample waited `batch_send_deadline`; recoverable failures are retried
 * for ever with exponential backoff (`min_backoff` doubling to `max_backoff`,
 * or the server's Retry-After), others dropped. Every 10 s the shard count is
 * recomputed with upstream's formula and the queue resharded (flush, then
 * restart) between `min_shards` and `max_shards`. While the shards hold more
 * than `capacity` samples each, the watcher pauses: an outage fills the
 * queue, then the WAL holds the rest.
 *
 * Deviation: the WAL position up to which every sample was acknowledged is
 * saved (`<data>/remote-write/<hash>.json`) after each successful send, and a
 * restart resumes from it; upstream starts from the end of the WAL.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { compressSync } from "snappy";
import type { RemoteWriteConfig } from "../config/types.ts";
import type { Logger } from "../log/log.ts";
import type { Labels } from "../model/labels/labels.ts";
import type { RefSamples, RefSeries } from "../tsdb/record/record.ts";
import { type SampleBatch, SeriesTable, V1Encoder, V2Encoder } from "./encode.ts";
import type { RemoteMetrics } from "./metrics.ts";
import { PROTO_V2 } from "./receiver.ts";
import { desiredShards, Ewma } from "./resharding.ts";
import { ShardQueue } from "./shard.ts";
import { type WalPosition, Watcher, type WatcherSink } from "./watcher.ts";
import { WriteClient } from "./writeclient.ts";

/** Everything a queue needs besides its config. */
export interface QueueOptions {
  readonly walDir: string;
  /** Where the acknowledged position is saved; undefined: not saved (upstream's behaviour). */
  readonly positionFile?: string;
  readonly externalLabels: Labels;
  readonly metrics: RemoteMetrics;
  readonly logger: Logger;
  /** `remote_name` label value (the config's name or the first 6 hex digits of its hash). */
  readonly name: string;
  /** Metadata of scraped families, for `metadata_config` (1.0 only). */
  metadata?(): Iterable<{ metric: string; type: string; help: string; unit: string }>;
  /** Flush deadline on stop, ms (`--storage.remote.flush-deadline`, default 1 m). */
  readonly flushDeadlineMs?: number;
  /** Interval of the shard recalculation, ms (default 10 s). */
  readonly reshardIntervalMs?: number;
}

/** How often at most the acknowledged WAL position is written to disk. */
const POSITION_SAVE_INTERVAL_MS = 1000;

const METADATA_TYPES: Record<string, number> = {
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
};

/** A running remote-write queue. */
export class QueueManager implements WatcherSink {
  readonly cfg: RemoteWriteConfig;
  private readonly o: QueueOptions;
  private readonly client: WriteClient;
  private readonly table: SeriesTable;
  private readonly encoder: V1Encoder | V2Encoder;
  private readonly watcher: Watcher;
  private readonly labels: { remote_name: string; url: string };
  private shards: ShardQueue[] = [];
  private running: Promise<void>[] = [];
  private stopping = false;
  private hardStop = false;
  /** Aborted at the flush deadline: in-flight sends and backoff sleeps end at once. */
  private readonly abort = new AbortController();
  private flushing = false;
  private resharding = false;
  private nextSeq = 0;
  private markers: { seq: number; pos: WalPosition }[] = [];
  private savedPos: WalPosition | undefined;
  private saveTimer: NodeJS.Timeout | null = null;
  private lastSaveAt = 0;
  private timers: NodeJS.Timeout[] = [];
  private lastSendFailure = 0;
  private highestIn = 0;
  private highestSent = 0;
  private readonly inRate = new Ewma();
  private readonly outRate = new Ewma();
  private readonly droppedRate = new Ewma();
  private readonly durRate = new Ewma();
  private counts = { in: 0, out: 0, dropped: 0, durMs: 0 };

  constructor(cfg: RemoteWriteConfig, o: QueueOptions) {
    this.cfg = cfg;
    this.o = o;
    this.client = new WriteClient(cfg);
    this.table = new SeriesTable(o.externalLabels, cfg.write_relabel_configs ?? []);
    this.encoder = cfg.protobuf_message === PROTO_V2 ? new V2Encoder() : new V1Encoder();
    this.labels = { remote_name: o.name, url: this.client.url };
    const consumer = o.name;
    this.watcher = new Watcher({
      dir: o.walDir,
      sink: this,
      logger: o.logger,
      from: this.loadPosition(),
      onRecord: (type) => o.metrics.watcherRecords.inc({ consumer, type }),
      onSegment: (seg) => o.metrics.watcherSegment.set({ consumer }, seg),
    });
  }

  private get q(): RemoteWriteConfig["queue_config"] {
    return this.cfg.queue_config;
  }

  /** Starts the shards (min_shards), the watcher and the timers. */
  start(): void {
    const m = this.o.metrics;
    m.shardsMin.set(this.labels, this.q.min_shards);
    m.shardsMax.set(this.labels, this.q.max_shards);
    m.shardCapacity.set(this.labels, this.q.capacity);
    m.maxSamplesPerSend.set(this.labels, this.q.max_samples_per_send);
    this.startShards(Math.max(1, this.q.min_shards));
    this.watcher.start();
    this.every(this.o.reshardIntervalMs ?? 10_000, () => this.updateShards());
    const md = this.cfg.metadata_config;
    if (md.send && this.cfg.protobuf_message !== PROTO_V2 && this.o.metadata !== undefined) {
      this.every(md.send_interval, () => void this.sendMetadata());
    }
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Stops reading the WAL, flushes what is queued (until the flush deadline), saves the position. */
  async stop(): Promise<void> {
    this.watcher.stop();
    for (const t of this.timers) clearInterval(t);
    this.stopping = true;
    this.flushing = true;
    for (const s of this.shards) s.notify();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => {
      timer = setTimeout(r, this.o.flushDeadlineMs ?? 60_000);
    });
    await Promise.race([Promise.all(this.running), deadline]);
    clearTimeout(timer);
    this.hardStop = true;
    this.abort.abort();
    for (const s of this.shards) s.notify();
    await Promise.all(this.running);
    this.savePosition();
    await this.client.close();
  }

  // --- WatcherSink ---

  storeSeries(series: readonly RefSeries[], segment: number): void {
    this.table.store(series, segment);
  }

  seriesReset(segment: number): void {
    this.table.reset(segment);
  }

  ready(): boolean {
    if (this.resharding || this.stopping) return false;
    const cap = this.q.capacity;
    for (const s of this.shards)
      if (s.length - s.inFlight >= cap) {
        this.o.metrics.enqueueRetries.inc(this.labels);
        return false;
      }
    return true;
  }

  append(s: RefSamples, pos: WalPosition, minT: number): void {
    const now = Date.now();
    const shards = this.shards;
    const n = shards.length;
    const ageLimit = this.q.sample_age_limit ?? 0;
    const oldest = ageLimit > 0 ? now - ageLimit : Number.NEGATIVE_INFINITY;
    let dropped = 0;
    let kept = 0;
    for (let i = 0; i < s.n; i++) {
      const t = s.ts[i]!;
      if (t <= minT) continue;
      if (t > this.highestIn) this.highestIn = t;
      const ref = s.refs[i]!;
      if (t < oldest || this.table.get(ref) === undefined) {
        dropped++;
        continue;
      }
      shards[ref % n]!.push(ref, t, s.vs[i]!, this.nextSeq++, now);
      kept++;
    }
    this.counts.in += kept + dropped;
    this.counts.dropped += dropped;
    const m = this.o.metrics;
    m.samplesIn.inc(kept + dropped);
    if (dropped > 0) m.samplesDropped.inc(this.labels, dropped);
    m.highestTimestampIn.set(this.highestIn / 1000);
    m.samplesPending.inc(this.labels, kept);
    this.markers.push({ seq: this.nextSeq, pos });
    if (kept === 0) this.advancePosition();
    const max = this.q.max_samples_per_send;
    for (const sh of shards) if (sh.length - sh.inFlight >= max) sh.notify();
  }

  // --- shards ---

  private startShards(n: number): void {
    this.shards = Array.from({ length: n }, () => new ShardQueue(Math.min(this.q.capacity, 1 << 16)));
    this.running = this.shards.map((s) => this.runShard(s));
    this.o.metrics.shards.set(this.labels, n);
  }

  private async runShard(sh: ShardQueue): Promise<void> {
    const max = this.q.max_samples_per_send;
    const deadline = this.q.batch_send_deadline;
    while (!this.hardStop) {
      const pending = sh.length;
      if (pending === 0) {
        if (this.stopping || this.flushing) return;
        await sh.wait(Number.POSITIVE_INFINITY);
        continue;
      }
      const waited = Date.now() - sh.since;
      if (pending >= max || waited >= deadline || this.flushing) {
        await this.sendBatch(sh, Math.min(pending, max));
        continue;
      }
      await sh.wait(deadline - waited);
    }
  }

  private async sendBatch(sh: ShardQueue, k: number): Promise<void> {
    sh.inFlight = k;
    const batch: SampleBatch = { refs: sh.refs, ts: sh.ts, vs: sh.vs, from: sh.head, to: sh.head + k };
    let highest = 0;
    for (let i = batch.from; i < batch.to; i++) if (sh.ts[i]! > highest) highest = sh.ts[i]!;
    const { bytes, samples } = this.encoder.encode(this.table, batch);
    const body = compressSync(bytes);
    const m = this.o.metrics;
    let backoff = this.q.min_backoff;
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      const r = await this.client.store(body, attempt, this.abort.signal);
      const dur = performance.now() - t0;
      this.counts.durMs += dur;
      m.sentBatchDuration.observe(this.labels, dur / 1000);
      if (r.ok) {
        m.samplesTotal.inc(this.labels, samples);
        m.bytesTotal.inc(this.labels, body.length);
        this.counts.out += samples;
        if (highest > this.highestSent) {
          this.highestSent = highest;
          m.queueHighestSent.set(this.labels, highest / 1000);
        }
        break;
      }
      if (!r.recoverable) {
        this.o.logger.error("non-recoverable error", { count: samples, exemplarCount: 0, err: r.error });
        m.samplesFailed.inc(this.labels, samples);
        break;
      }
      this.lastSendFailure = Date.now();
      m.samplesRetried.inc(this.labels, samples);
      if (this.hardStop) {
        sh.inFlight = 0;
        return;
      }
      const sleep = r.retryAfterMs ?? backoff;
      this.o.logger.warn("Failed to send batch, retrying", { err: r.error });
      await this.sleep(sleep);
      backoff = Math.min(backoff * 2, this.q.max_backoff);
      if (this.hardStop) {
        sh.inFlight = 0;
        return;
      }
    }
    m.samplesPending.dec(this.labels, k);
    sh.ack(k, Date.now());
    this.advancePosition();
  }

  // --- acknowledged position ---

  private advancePosition(): void {
    let low = Number.POSITIVE_INFINITY;
    for (const s of this.shards) low = Math.min(low, s.oldestSeq());
    if (low === Number.POSITIVE_INFINITY) low = this.nextSeq;
    let i = 0;
    let pos: WalPosition | undefined;
    while (i < this.markers.length && this.markers[i]!.seq <= low) pos = this.markers[i++]!.pos;
    if (i > 0) this.markers.splice(0, i);
    if (pos !== undefined) {
      this.savedPos = pos;
      this.savePositionSoon();
    }
  }

  /**
   * Saves the acknowledged position at most once a second (a write and a
   * rename per batch cost a tenth of the sending CPU); `stop` saves the
   * last one. A crash re-sends at most that second, which receivers take
   * as duplicates of what they hold.
   */
  private savePositionSoon(): void {
    if (this.saveTimer !== null) return;
    const wait = this.lastSaveAt + POSITION_SAVE_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.savePosition();
      return;
    }
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.savePosition();
    }, wait);
    this.saveTimer.unref();
  }

  private loadPosition(): WalPosition | undefined {
    if (this.o.positionFile === undefined) return undefined;
    try {
      const p = JSON.parse(readFileSync(this.o.positionFile, "utf8")) as WalPosition;
      if (Number.isInteger(p.segment) && Number.isInteger(p.offset)) return p;
    } catch {}
    return undefined;
  }

  private savePosition(): void {
    if (this.saveTimer !== null) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    this.lastSaveAt = Date.now();
    const file = this.o.positionFile;
    if (file === undefined || this.savedPos === undefined) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify({ ...this.savedPos, url: this.client.url }));
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      this.o.logger.warn("Could not save remote write position", { err, file });
    }
  }

  // --- resharding ---

  private updateShards(): void {
    const secs = (this.o.reshardIntervalMs ?? 10_000) / 1000;
    const c = this.counts;
    this.inRate.tick(c.in / secs);
    this.outRate.tick(c.out / secs);
    this.droppedRate.tick(c.dropped / secs);
    this.durRate.tick(c.durMs / 1000 / secs);
    this.counts = { in: 0, out: 0, dropped: 0, durMs: 0 };
    const want = desiredShards({
      current: this.shards.length,
      min: this.q.min_shards,
      max: this.q.max_shards,
      inRate: this.inRate.rate,
      outRate: this.outRate.rate,
      droppedRate: this.droppedRate.rate,
      outDuration: this.durRate.rate,
      delaySeconds: Math.max(0, (this.highestIn - this.highestSent) / 1000),
    });
    this.o.metrics.shardsDesired.set(this.labels, want);
    if (want === this.shards.length || this.resharding || this.stopping) return;
    if (Date.now() - this.lastSendFailure < 2 * this.q.batch_send_deadline) return;
    void this.reshard(want);
  }

  private async reshard(n: number): Promise<void> {
    this.o.logger.info("Remote storage resharding", { from: this.shards.length, to: n });
    this.resharding = true;
    this.flushing = true;
    for (const s of this.shards) s.notify();
    await Promise.all(this.running);
    this.flushing = false;
    if (!this.stopping) this.startShards(n);
    this.resharding = false;
  }

  // --- metadata ---

  private async sendMetadata(): Promise<void> {
    const { encodeWriteV1 } = await import("./prompb.ts");
    const all = [...(this.o.metadata?.() ?? [])].map((md) => ({
      type: METADATA_TYPES[md.type] ?? 0,
      family: md.metric,
      help: md.help,
      unit: md.unit,
    }));
    const per = this.cfg.metadata_config.max_samples_per_send || all.length;
    const m = this.o.metrics;
    for (let i = 0; i < all.length; i += per) {
      const part = all.slice(i, i + per);
      const body = compressSync(encodeWriteV1([], part));
      let backoff = this.q.min_backoff;
      for (let attempt = 0; attempt < 5; attempt++) {
        const r = await this.client.store(body, attempt, this.abort.signal);
        if (r.ok) {
          m.metadataTotal.inc(this.labels, part.length);
          m.metadataBytes.inc(this.labels, body.length);
          break;
        }
        if (!r.recoverable || attempt === 4 || this.stopping) {
          m.metadataFailed.inc(this.labels, part.length);
          break;
        }
        m.metadataRetried.inc(this.labels, part.length);
        await this.sleep(r.retryAfterMs ?? backoff);
        backoff = Math.min(backoff * 2, this.q.max_backoff);
      }
    }
  }

  /** Waits `ms`, or less when the flush deadline passes meanwhile. */
  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
