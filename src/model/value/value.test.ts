import assert from "node:assert/strict";
import { test } from "node:test";
import { isStaleNaN, STALE_NAN } from "./value.ts";

test("isStaleNaN tells the marker from other NaNs and numbers", () => {
  // Through a typed array: an array literal would quiet the signalling NaN.
  const buf = new Float64Array(1);
  buf[0] = STALE_NAN;
  assert.equal(isStaleNaN(buf[0]!), true);
  assert.equal(isStaleNaN(STALE_NAN), true);
  assert.equal(isStaleNaN(Number.NaN), false);
  assert.equal(isStaleNaN(0), false);
  assert.equal(isStaleNaN(Number.POSITIVE_INFINITY), false);
  const bits = new Uint32Array(buf.buffer);
  assert.deepEqual([bits[1], bits[0]], [0x7ff00000, 2]);
});
