/**
 * A batch of appends to the head. Samples are validated as they arrive and
 * held in the batch; `commit` writes the batch to the WAL and only then
 * applies it, all in one synchronous step, so no reader ever sees part of it.
 */
import type { Labels } from "../../model/labels/labels.ts";
import { StorageError } from "../../storage/errors.ts";
import type { Appender, SeriesRef } from "../../storage/interface.ts";
import { SampleBuf } from "../../storage/samplebuf.ts";
import { Encbuf } from "../encoding/encbuf.ts";
import { encodeSamples, encodeSeries } from "../record/record.ts";
import { type Head, INORDER, SKIP } from "./head.ts";
import type { MemSeries } from "./series.ts";

export class HeadAppender implements Appender {
  private readonly head: Head;
  private readonly batch: number;
  private series: MemSeries[] = [];
  private refs: number[] = [];
  /** Timestamps and values (typed: JS arrays would lose stale-marker NaN bits). */
  private samples = new SampleBuf(64);
  /** 1 for samples that go to the out-of-order buffer. */
  private ooo: number[] = [];
  private unlogged: MemSeries[] = [];
  private done = false;

  constructor(head: Head) {
    this.head = head;
    this.batch = ++head.batches;
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    const head = this.head;
    let s = ref !== 0 ? head.series.get(ref) : undefined;
    if (s === undefined || s.deleted) {
      if (labels.size === 0) throw new StorageError("invalid_labels", "empty labelset");
      s = head.getOrCreate(labels);
    }
    if (s.pendingBatch !== this.batch) {
      s.pendingBatch = this.batch;
      s.pendingMaxT = s.maxT;
      s.pendingLastV = s.lastV;
      if (!s.logged) this.unlogged.push(s);
    }
    const kind = head.appendable(t, v, s.pendingMaxT, s.pendingLastV);
    if (kind === SKIP) return s.ref;
    if (kind === INORDER) {
      s.pendingMaxT = t;
      s.pendingLastV = v;
    }
    this.series.push(s);
    this.refs.push(s.ref);
    this.samples.push(t, v);
    this.ooo.push(kind);
    return s.ref;
  }

  commit(): void {
    if (this.done) return;
    this.done = true;
    const head = this.head;
    const n = this.series.length;
    if (head.wal !== null && (n > 0 || this.unlogged.length > 0)) {
      const recs: Uint8Array[] = [];
      if (this.unlogged.length > 0) {
        const enc = new Encbuf(64 * this.unlogged.length);
        encodeSeries(this.unlogged, enc);
        recs.push(enc.get());
      }
      if (n > 0) {
        const enc = new Encbuf(16 + 20 * n);
        encodeSamples(this.refs, this.samples.ts, this.samples.vs, n, enc);
        recs.push(enc.get());
      }
      try {
        head.wal.log(...recs);
      } catch (e) {
        this.clear();
        throw new StorageError("io", (e as Error).message, { cause: e });
      }
      for (const s of this.unlogged) s.logged = true;
    } else if (head.wal === null) for (const s of this.unlogged) s.logged = true;

    const appendId = ++head.iso.lastAppendId;
    const low = head.iso.openReaders() > 0 ? head.iso.lowWatermark() : appendId;
    const { series, ooo } = this;
    const { ts, vs } = this.samples;
    for (let i = 0; i < n; i++) {
      let s = series[i]!;
      // Truncation between append and commit may have removed the series.
      if (s.deleted) s = head.getOrCreate(s.labels, 0);
      const t = ts[i]!;
      if (ooo[i] === INORDER && t > s.maxT) {
        if (s.iso !== null || low < appendId) s.noteCommit(appendId, low);
        head.appendInOrder(s, t, vs[i]!);
      } else if (ooo[i] !== INORDER || (t < s.maxT && head.opts.oooTimeWindow > 0))
        head.appendOOO(s, t, vs[i]!);
      // Otherwise another batch committed a newer sample since this one was checked: dropped, as upstream.
    }
    this.clear();
  }

  rollback(): void {
    if (this.done) return;
    this.done = true;
    this.clear();
  }

  private clear(): void {
    for (const s of this.series) s.pendingBatch = 0;
    for (const s of this.unlogged) s.pendingBatch = 0;
    this.series = [];
    this.refs = [];
    this.samples.clear();
    this.ooo = [];
    this.unlogged = [];
  }
}
