import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type BodyBuffer, releaseBodyBuffer, takeBodyBuffer } from "./fetch.ts";

/** Empties the shared pool, returning what it held. */
function drain(): BodyBuffer[] {
  const out: BodyBuffer[] = [];
  for (let b = takeBodyBuffer(); b.buf.length > 0 || b.used !== 0; b = takeBodyBuffer()) out.push(b);
  return out;
}

const sized = (n: number): BodyBuffer => ({ buf: Buffer.alloc(n), used: n });

describe("shared body buffers", () => {
  const cases: [hint: number, want: number][] = [
    [0, 1_000], // the smallest that holds nothing in particular
    [500, 1_000],
    [1_000, 1_000],
    [1_001, 64_000],
    [64_000, 64_000],
    [3_000_000, 4_000_000],
    [9_000_000, 4_000_000], // none holds it: the biggest
  ];
  for (const [hint, want] of cases) {
    it(`a loop whose last body took ${hint} bytes gets the ${want}-byte buffer`, () => {
      drain();
      for (const n of [64_000, 4_000_000, 1_000]) releaseBodyBuffer(sized(n));
      assert.equal(takeBodyBuffer(hint).buf.length, want);
      assert.equal(drain().length, 2, "the others stay pooled");
    });
  }

  it("an empty pool hands out a new buffer", () => {
    drain();
    const b = takeBodyBuffer(1 << 20);
    assert.equal(b.buf.length, 0);
    assert.equal(b.used, 0);
  });
});
