/**
 * A growable run of (timestamp, value) pairs in Float64Arrays. Values must
 * live in typed arrays, not JS arrays: V8 canonicalises NaNs stored in a
 * double array, which would turn Prometheus' stale marker (NaN with payload
 * 0x7ff0000000000002) into an ordinary NaN.
 */
import type { SampleRun } from "./interface.ts";

export class SampleBuf implements SampleRun {
  ts: Float64Array;
  vs: Float64Array;
  n = 0;

  constructor(capacity = 16) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    const vs = new Float64Array(this.vs.length * 2);
    ts.set(this.ts);
    vs.set(this.vs);
    this.ts = ts;
    this.vs = vs;
  }

  append(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    const k = to - from;
    if (k <= 0) return;
    while (this.n + k > this.ts.length) this.grow();
    this.ts.set(ts.subarray(from, to), this.n);
    this.vs.set(vs.subarray(from, to), this.n);
    this.n += k;
  }

  push(t: number, v: number): void {
    if (this.n === this.ts.length) this.grow();
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  /** Inserts keeping timestamps sorted; false (and nothing inserted) when `t` is already there. */
  insertSorted(t: number, v: number): boolean {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.n && this.ts[lo] === t) return false;
    if (this.n === this.ts.length) this.grow();
    this.ts.copyWithin(lo + 1, lo, this.n);
    this.vs.copyWithin(lo + 1, lo, this.n);
    this.ts[lo] = t;
    this.vs[lo] = v;
    this.n++;
    return true;
  }

  /** Drops the first `k` samples. */
  shift(k: number): void {
    if (k <= 0) return;
    this.ts.copyWithin(0, k, this.n);
    this.vs.copyWithin(0, k, this.n);
    this.n -= k;
  }

  clear(): void {
    this.n = 0;
  }

  first(): number {
    return this.ts[0]!;
  }

  last(): number {
    return this.ts[this.n - 1]!;
  }

  /** Copies the samples into a buffer of exact size (a snapshot for a reader). */
  snapshot(): SampleBuf {
    const s = new SampleBuf(Math.max(1, this.n));
    s.ts.set(this.ts.subarray(0, this.n));
    s.vs.set(this.vs.subarray(0, this.n));
    s.n = this.n;
    return s;
  }
}
