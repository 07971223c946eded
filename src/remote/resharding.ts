/**
 * Upstream's shard calculation (`QueueManager.calculateDesiredShards`): the
 * time one sample takes to send, times the rate samples must leave at (the
 * kept share of the incoming rate plus 5% of the backlog per second), rounded
 * up; changes within ±30% of the current count are ignored; clamped to
 * [min_shards, max_shards]. Rates are EWMAs (alpha 0.2) ticked every 10 s.
 */

/** An exponentially weighted moving rate, upstream's `ewmaRate`. */
export class Ewma {
  rate = 0;
  private init = false;
  private readonly alpha: number;

  constructor(alpha = 0.2) {
    this.alpha = alpha;
  }

  /** Folds in one interval's instant rate. */
  tick(instant: number): void {
    if (this.init) this.rate += this.alpha * (instant - this.rate);
    else if (instant > 0) {
      this.init = true;
      this.rate = instant;
    }
  }
}

/** Inputs of {@link desiredShards}; rates per second, `outDuration` in seconds spent sending per second. */
export interface ShardInputs {
  readonly current: number;
  readonly min: number;
  readonly max: number;
  readonly inRate: number;
  readonly outRate: number;
  readonly droppedRate: number;
  readonly outDuration: number;
  /** Highest timestamp read minus highest timestamp sent, seconds. */
  readonly delaySeconds: number;
}

const TOLERANCE = 0.3;
const BACKLOG_CATCHUP = 0.05;

/** The shard count upstream would pick. */
export function desiredShards(x: ShardInputs): number {
  if (x.outRate <= 0) return x.current;
  const keptRatio = x.droppedRate + x.outRate > 0 ? x.outRate / (x.droppedRate + x.outRate) : 1;
  const pending = x.delaySeconds * x.inRate * keptRatio;
  const timePerSample = x.outDuration / x.outRate;
  let desired = timePerSample * (x.inRate * keptRatio + BACKLOG_CATCHUP * pending);
  const lower = x.current * (1 - TOLERANCE);
  const upper = x.current * (1 + TOLERANCE);
  desired = Math.ceil(desired);
  if (lower <= desired && desired <= upper) return x.current;
  return Math.min(Math.max(desired, Math.max(1, x.min)), x.max);
}
