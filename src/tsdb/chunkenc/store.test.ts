import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueType } from "../../storage/interface.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { ChunkStore } from "./store.ts";
import { encodeXOR, floatFromBits, floatHi, floatLo } from "./xor.ts";

const STALE_NAN = floatFromBits(0x7ff00000, 0x00000002);

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
}

function sameBits(a: number, b: number): boolean {
  return floatHi(a) === floatHi(b) && floatLo(a) === floatLo(b);
}

/** Growable columns; values in a Float64Array so NaN payloads survive. */
class Samples {
  ts = new Float64Array(16);
  vs = new Float64Array(16);
  n = 0;
  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      const vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n++] = v;
  }
  encode(): Uint8Array {
    return encodeXOR(this.ts.subarray(0, this.n), this.vs.subarray(0, this.n));
  }
}

type Gen = (r: () => number, s: Samples) => [number, number];
const patterns: [string, Gen][] = [
  [
    "regular counter",
    (r, s) => [s.n === 0 ? 0 : s.ts[s.n - 1]! + 15_000, (s.n && s.vs[s.n - 1]!) + Math.floor(r() * 10)],
  ],
  [
    "jittered gauge",
    (r, s) => [(s.n === 0 ? -1e9 : s.ts[s.n - 1]!) + 14_900 + Math.floor(r() * 200), r() * 100],
  ],
  [
    "random floats, wild gaps, stale markers",
    (r, s) => [
      (s.n === 0 ? 1.7e12 : s.ts[s.n - 1]!) + 1 + Math.floor(r() ** 5 * 1e8),
      r() < 0.1 ? STALE_NAN : (r() - 0.5) * 10 ** Math.floor(r() * 30),
    ],
  ],
  ["constant", (_r, s) => [s.n * 1000, 1]],
];

describe("ChunkStore", () => {
  it("produces encodeXOR's bytes for interleaved random append sequences", () => {
    for (const seed of [1, 2, 3]) {
      const r = mulberry32(seed);
      const store = new ChunkStore();
      const live: { h: number; s: Samples; gen: Gen; name: string }[] = [];
      for (let i = 0; i < 60; i++) {
        const [name, gen] = patterns[i % patterns.length]!;
        live.push({ h: store.open(), s: new Samples(), gen, name });
      }
      for (let step = 0; step < 20_000; step++) {
        const c = live[Math.floor(r() * live.length)]!;
        const [t, v] = c.gen(r, c.s);
        c.s.push(t, v);
        c.h = store.append(c.h, t, v);
        assert.ok(!ChunkStore.isSealed(c.h));
        if (step % 997 === 0) assert.equal(hex(store.bytes(c.h)), hex(c.s.encode()), `${c.name} at ${step}`);
      }
      for (const c of live) {
        const want = hex(c.s.encode());
        const what = `seed ${seed} ${c.name}`;
        assert.equal(hex(store.bytes(c.h)), want, what);
        assert.equal(store.numSamples(c.h), c.s.n, what);
        assert.equal(store.byteLength(c.h), want.length / 2, what);
        if (c.s.n > 0) {
          assert.equal(store.lastT(c.h), c.s.ts[c.s.n - 1], what);
          assert.ok(sameBits(store.lastV(c.h), c.s.vs[c.s.n - 1]!), `${what}: lastV bits`);
        }
        const sealed = store.seal(c.h);
        assert.ok(ChunkStore.isSealed(sealed));
        assert.equal(hex(store.bytes(sealed)), want, `${what} sealed`);
        assert.equal(store.numSamples(sealed), c.s.n);
        assert.equal(store.byteLength(sealed), want.length / 2);
        assert.equal(store.seal(sealed), sealed, "sealing twice is a no-op");
        store.free(sealed);
      }
      assert.equal(store.stats().bytesUsed, 0);
    }
  });

  it("grows an open chunk through the size classes", () => {
    const store = new ChunkStore();
    const r = mulberry32(9);
    const s = new Samples();
    let h = store.open();
    const first = store.stats().bytesUsed;
    // The slot size of each class the chunk went through (handles may repeat: emptied slabs are reused).
    const slots = new Set([first]);
    for (let i = 0; i < 3000; i++) {
      const v = r() * 1e6;
      s.push(i * 1000, v);
      h = store.append(h, i * 1000, v);
      slots.add(store.stats().bytesUsed);
    }
    // ~6.5 bytes a sample: 64 B -> ~20 KiB, one move per class on the way.
    assert.ok(slots.size >= 15, `moved ${slots.size - 1} times`);
    assert.ok(store.byteLength(h) > 15_000);
    assert.ok(store.stats().bytesUsed > first * 200);
    assert.ok(store.stats().bytesUsed >= store.byteLength(h) + 32);
    assert.equal(hex(store.bytes(h)), hex(s.encode()));
    const sealed = store.seal(h);
    assert.equal(hex(store.bytes(sealed)), hex(s.encode()));
    // The sealed slot is the smallest class that fits: at most 1.5x the bytes.
    assert.ok(store.stats().bytesUsed <= store.byteLength(sealed) * 1.5);
  });

  it("reuses freed slots, last freed first", () => {
    const store = new ChunkStore();
    store.open(); // keeps the slab in use
    const a = store.open();
    const b = store.open();
    store.free(a);
    store.free(b);
    assert.equal(store.open(), b);
    assert.equal(store.open(), a);
    const c = store.add(new Uint8Array(40).fill(1));
    const lo = c % 2 ** 32;
    store.free(c);
    const d = store.add(new Uint8Array(40).fill(2));
    assert.equal(d % 2 ** 32, lo, "same slot");
    assert.equal(hex(store.bytes(d)), "02".repeat(40));
    assert.equal(store.stats().slabs, 2, "one slab per class used");
  });

  it("releases slabs of one slot", () => {
    const store = new ChunkStore();
    const before = store.stats();
    const big = store.add(new Uint8Array(1_500_000).fill(7));
    const mid = store.stats();
    assert.equal(mid.slabs, before.slabs + 1);
    assert.ok(mid.bytesReserved >= 1_500_000);
    assert.equal(store.byteLength(big), 1_500_000);
    store.free(big);
    assert.deepEqual(store.stats(), before);
    assert.throws(() => store.free(big), /not allocated/);
  });

  it("reports memory", () => {
    const store = new ChunkStore();
    assert.deepEqual(store.stats(), { slabs: 0, bytesReserved: 0, bytesUsed: 0 });
    const hs = Array.from({ length: 1000 }, () => store.open());
    const s = store.stats();
    assert.equal(s.slabs, 1);
    assert.equal(s.bytesReserved, 1 << 20);
    assert.equal(s.bytesUsed, 1000 * 64);
    for (const h of hs) store.free(h);
    assert.deepEqual(
      store.stats(),
      { slabs: 0, bytesReserved: 1 << 20, bytesUsed: 0 },
      "the emptied slab is let go but kept as the spare",
    );
    store.add(new Uint8Array(100));
    assert.deepEqual(store.stats(), { slabs: 1, bytesReserved: 1 << 20, bytesUsed: 128 }, "spare reused");
  });

  it("lets go of the classes open chunks grew out of (all series a sample per scrape)", () => {
    const store = new ChunkStore();
    let hs = Array.from({ length: 20_000 }, () => store.open());
    for (let i = 0; i < 60; i++) {
      // Random values: ~10 bytes a sample, so the chunks climb through several classes.
      hs = hs.map((h, j) => store.append(h, i * 15_000, Math.sin(i * 7919 + j) * 1e6));
    }
    const { slabs, bytesReserved, bytesUsed } = store.stats();
    assert.ok(bytesUsed >= 20_000 * 600, `chunks grew: ${bytesUsed}`);
    // Live slots plus at most a partly used slab per class and the spare.
    assert.ok(
      bytesReserved <= bytesUsed * 1.1 + 4 * (1 << 20),
      `reserved ${bytesReserved}, used ${bytesUsed}`,
    );
    assert.ok(slabs <= Math.ceil(bytesUsed / (1 << 20)) + 3, `slabs ${slabs}`);
    for (const [j, h] of hs.entries()) {
      assert.equal(store.numSamples(h), 60);
      if (j % 5000 === 0) {
        const it = store.iterator(h);
        for (let i = 0; i < 60; i++) {
          it.next();
          assert.equal(it.atV(), Math.sin(i * 7919 + j) * 1e6);
        }
      }
    }
    for (const h of hs) store.free(h);
    assert.deepEqual(store.stats(), { slabs: 0, bytesReserved: 1 << 20, bytesUsed: 0 });
  });

  it("refuses appends to sealed chunks and past 65535 samples", () => {
    const store = new ChunkStore();
    let h = store.open();
    for (let i = 0; i < 65535; i++) h = store.append(h, i * 15_000, i % 7);
    assert.equal(store.numSamples(h), 65535);
    assert.throws(() => store.append(h, 65535 * 15_000, 0), /65535/);
    assert.equal(store.numSamples(h), 65535);
    const ts = Float64Array.from({ length: 65535 }, (_, i) => i * 15_000);
    const vs = Float64Array.from({ length: 65535 }, (_, i) => i % 7);
    assert.equal(hex(store.bytes(h)), hex(encodeXOR(ts, vs)));
    const sealed = store.seal(h);
    assert.throws(() => store.append(sealed, 1e12, 0), /sealed/);
  });

  it("iterates a copy that survives appends, moves and slot reuse", () => {
    const store = new ChunkStore();
    let h = store.open();
    for (let i = 1; i <= 5; i++) h = store.append(h, i * 1000, i * 10);
    const it = store.iterator(h);
    for (let i = 6; i <= 200; i++) h = store.append(h, i * 1000, Math.random());
    store.free(h);
    let other = store.open();
    for (let i = 0; i < 50; i++) other = store.append(other, i, -1);
    const got: number[] = [];
    while (it.next() === ValueType.Float) got.push(it.atT(), it.atV());
    assert.deepEqual(got, [1000, 10, 2000, 20, 3000, 30, 4000, 40, 5000, 50]);
    assert.equal(it.err(), null);
    // Recycled for another chunk.
    assert.equal(store.iterator(other, it), it);
    assert.equal(it.seek(25), ValueType.Float);
    assert.deepEqual([it.atT(), it.atV()], [25, -1]);
  });

  it("seeks over open and sealed chunks like upstream", () => {
    const store = new ChunkStore();
    let h = store.open();
    for (const t of [10, 20, 30]) h = store.append(h, t, t / 10);
    for (const seal of [false, true]) {
      // Sealing frees the open chunk: its handle is not used after that.
      const handle = seal ? store.seal(h) : h;
      const it = store.iterator(handle);
      assert.equal(it.seek(15), ValueType.Float);
      assert.equal(it.atT(), 20);
      assert.equal(it.seek(5), ValueType.Float, "does not go back");
      assert.equal(it.atT(), 20);
      assert.equal(it.seek(31), ValueType.None);
    }
  });

  it("iterates an empty open chunk as no samples", () => {
    const store = new ChunkStore();
    const h = store.open();
    assert.equal(store.numSamples(h), 0);
    assert.equal(hex(store.bytes(h)), "0000");
    assert.equal(store.iterator(h).next(), ValueType.None);
    assert.equal(hex(store.bytes(store.seal(h))), "0000");
  });
});
