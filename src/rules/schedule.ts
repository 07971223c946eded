/**
 * When a group evaluates: upstream spreads groups over their interval by an
 * offset derived from the group's identity, `labels.Hash` of the label set
 * `{file=…, name=…}` — in Prometheus 3.5's default `stringlabels` build,
 * `xxhash64` of each name and value prefixed by its length as a uvarint — so
 * a group keeps the time slots Prometheus would give it (checked against the
 * reference binary in `schedule.test.ts`).
 */
import { xxhash64 } from "../promql/signature.ts";

/** Go's `binary.AppendUvarint`. */
function uvarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** A string as `stringlabels` stores it: its UTF-8 length, then its bytes. */
function sized(s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([uvarint(b.length), b]);
}
const NS_PER_MS = 1_000_000n;

/** Upstream's `labels.Hash()` of `{file="<file>", name="<name>"}`, as an unsigned 64-bit integer. */
export function groupHash(file: string, name: string): bigint {
  const b = Buffer.concat([sized("file"), sized(file), sized("name"), sized(name)]);
  const out = new Uint32Array(2);
  xxhash64(b, b.length, out);
  return (BigInt(out[0]!) << 32n) | BigInt(out[1]!);
}

/**
 * Upstream's `Group.EvalTimestamp`: the latest evaluation slot at or before
 * `nowMs`, for a group with hash `hash` and interval `intervalMs` (> 0).
 * Returns ms (the slot's nanoseconds truncated, as sample timestamps are).
 */
export function evalTimestamp(hash: bigint, intervalMs: number, nowMs: number): number {
  const interval = BigInt(intervalMs) * NS_PER_MS;
  const offset = hash % interval;
  const adjNow = BigInt(Math.floor(nowMs)) * NS_PER_MS - offset;
  // Go's % truncates toward zero; times before the epoch are not a concern here.
  const base = adjNow - (adjNow % interval);
  return Number((base + offset) / NS_PER_MS);
}

/**
 * Upstream's count of missed iterations when a tick arrives at `nowMs` for
 * the slot after `lastSlotMs`: `since/interval - 1`, never negative.
 */
export function missedIterations(lastSlotMs: number, nowMs: number, intervalMs: number): number {
  return Math.max(0, Math.trunc((nowMs - lastSlotMs) / intervalMs) - 1);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, ms));
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
