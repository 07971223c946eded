/**
 * One shard's FIFO of samples waiting to be sent: columnar typed arrays
 * (series ref, timestamp, value, sequence number) with a moving head, compacted
 * when the head passes half the buffer. `seq` orders samples across shards, so
 * the queue can tell which WAL position every shard has acknowledged.
 */
export class ShardQueue {
  refs: Float64Array;
  ts: Float64Array;
  vs: Float64Array;
  seqs: Float64Array;
  head = 0;
  tail = 0;
  /** Samples handed to a send that has not finished yet (from `head`). */
  inFlight = 0;
  /** When the oldest pending sample arrived (ms), for `batch_send_deadline`. */
  since = 0;
  private wake: (() => void) | null = null;

  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.refs = new Float64Array(c);
    this.ts = new Float64Array(c);
    this.vs = new Float64Array(c);
    this.seqs = new Float64Array(c);
  }

  /** Samples not yet acknowledged (pending and in flight). */
  get length(): number {
    return this.tail - this.head;
  }

  /** Sequence number of the oldest unacknowledged sample, Infinity when empty. */
  oldestSeq(): number {
    return this.tail > this.head ? this.seqs[this.head]! : Number.POSITIVE_INFINITY;
  }

  push(ref: number, t: number, v: number, seq: number, now: number): void {
    if (this.tail === this.refs.length) this.makeRoom();
    if (this.tail === this.head) {
      this.since = now;
      // An idle shard sleeps without a deadline: wake it to arm batch_send_deadline.
      this.wake?.();
    }
    const i = this.tail++;
    this.refs[i] = ref;
    this.ts[i] = t;
    this.vs[i] = v;
    this.seqs[i] = seq;
  }

  /** Drops `n` acknowledged samples from the head. */
  ack(n: number, now: number): void {
    this.head += n;
    this.inFlight = 0;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
    this.since = now;
  }

  /** Resolves on the next push or after `ms` (never when ms is Infinity). */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = Number.isFinite(ms) ? setTimeout(() => done(), Math.max(0, ms)) : null;
      const done = (): void => {
        if (t !== null) clearTimeout(t);
        this.wake = null;
        resolve();
      };
      this.wake = done;
    });
  }

  notify(): void {
    this.wake?.();
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    const grow = live * 2 > this.refs.length;
    const cap = grow ? this.refs.length * 2 : this.refs.length;
    const move = (a: Float64Array): Float64Array => {
      const b = grow ? new Float64Array(cap) : a;
      b.set(a.subarray(this.head, this.tail), 0);
      return b;
    };
    this.refs = move(this.refs);
    this.ts = move(this.ts);
    this.vs = move(this.vs);
    this.seqs = move(this.seqs);
    this.tail = live;
    this.head = 0;
  }
}
