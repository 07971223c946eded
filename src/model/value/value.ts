/**
 * Prometheus' staleness marker: a NaN with a specific payload
 * (0x7ff0000000000002) that ends a series for lookback purposes. Other NaNs
 * are ordinary values. Keep it in typed arrays or plain locals: V8 may
 * canonicalise NaN payloads stored in JS arrays of doubles.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

u32[1] = STALE_NAN_HI;
u32[0] = STALE_NAN_LO;
/** The staleness marker (read back from a typed array, so its payload is intact). */
export const STALE_NAN: number = f64[0]!;

/** True when `v` is the staleness marker (not any other NaN). */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  f64[0] = v;
  return u32[1] === STALE_NAN_HI && u32[0] === STALE_NAN_LO;
}
