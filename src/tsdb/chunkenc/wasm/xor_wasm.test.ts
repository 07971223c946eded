import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "../../../testing/prng.ts";
import { decodeXOR, encodeXOR, xorWasmLoaded } from "../xor.ts";
import { assemble } from "./build.ts";
import { XOR_WASM_BASE64 } from "./xor_wasm.ts";

const STALE = new Float64Array(new Uint32Array([2, 0x7ff00000]).buffer)[0]!;

/** Series that exercise every delta-of-delta bucket and value window, plus special floats. */
function randomChunk(seed: number): { ts: Float64Array; vs: Float64Array } {
  const r = mulberry32(seed);
  const n = 1 + Math.floor(r() * 240);
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let t = Math.floor(r() * 2e12) - 1e12;
  let v = (r() - 0.5) * 1e6;
  for (let i = 0; i < n; i++) {
    const kind = r();
    // Gaps from 0 ms to ~2^40 ms cover the 0/14/17/20/64-bit buckets, both signs of the delta-of-delta.
    t +=
      kind < 0.5
        ? 15_000
        : kind < 0.7
          ? Math.floor(r() * 10_000)
          : kind < 0.9
            ? Math.floor(r() * 2e6)
            : Math.floor(r() * 2 ** 40);
    ts[i] = t;
    const vk = r();
    // Below 0.3 the value repeats.
    if (vk < 0.3) vs[i] = v;
    else if (vk < 0.6) v += Math.round(r() * 100) / 100;
    else if (vk < 0.7) v = r() * 1e300;
    else if (vk < 0.75) v = STALE;
    else if (vk < 0.8) v = [Number.NaN, Infinity, -Infinity, -0, 0][Math.floor(r() * 5)]!;
    else v = (r() - 0.5) * 2 ** Math.floor(r() * 60);
    vs[i] = v;
  }
  return { ts, vs };
}

function decodeBoth(bytes: Uint8Array, end = bytes.length) {
  const total = (bytes[0]! << 8) | bytes[1]!;
  const out = (wasm: boolean) => {
    const ts = new Float64Array(total + 1);
    const vs = new Float64Array(total + 1);
    const n = decodeXOR(bytes, 2, end, total, ts, vs, wasm);
    return { n, ts, vs };
  };
  return { wasm: out(true), js: out(false) };
}

function bits(vs: Float64Array): string {
  return Buffer.from(vs.buffer).toString("hex");
}

describe("WebAssembly XOR decoder", () => {
  it("is the assembly of xor.wat", async () => {
    assert.equal(Buffer.from(await assemble()).toString("base64"), XOR_WASM_BASE64);
  });

  it("loads", () => {
    assert.equal(xorWasmLoaded, true);
  });

  it("decodes exactly what the JS decoder does, bit for bit", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { ts, vs } = randomChunk(seed);
      const bytes = encodeXOR(ts, vs);
      const { wasm, js } = decodeBoth(bytes);
      assert.equal(wasm.n, ts.length, `seed ${seed}`);
      assert.equal(js.n, ts.length, `seed ${seed}`);
      assert.deepEqual(Array.from(wasm.ts.subarray(0, wasm.n)), Array.from(ts), `timestamps, seed ${seed}`);
      assert.equal(bits(wasm.vs.subarray(0, wasm.n).slice()), bits(vs), `value bits, seed ${seed}`);
      assert.equal(bits(js.vs.subarray(0, js.n).slice()), bits(vs), `value bits (JS), seed ${seed}`);
    }
  });

  it("reports truncation like the JS decoder, with the samples before it", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { ts, vs } = randomChunk(seed);
      const bytes = encodeXOR(ts, vs);
      for (const cut of [3, Math.floor(bytes.length / 2), bytes.length - 1]) {
        if (cut >= bytes.length || cut < 3) continue;
        const { wasm, js } = decodeBoth(bytes, cut);
        assert.equal(wasm.n, js.n, `seed ${seed} cut ${cut} of ${bytes.length}: wasm ${wasm.n} js ${js.n}`);
      }
    }
  });
});
