import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { HashIndex } from "./hashindex.ts";

interface S {
  readonly ref: number;
  readonly labels: Labels;
  readonly hash: number;
}

const TWO_32 = 4294967296;
const MAX_HASH = 2 ** 53 - 1;

/** A deterministic PRNG (mulberry32): the random runs replay identically. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / TWO_32;
  };
}

/** An index over its own ref table, with the hash given per series so tests can force collisions. */
function setup(): { idx: HashIndex<S>; byRef: Map<number, S>; add(s: S): void; del(s: S): boolean } {
  const byRef = new Map<number, S>();
  const idx = new HashIndex<S>(byRef);
  return {
    idx,
    byRef,
    add(s) {
      byRef.set(s.ref, s);
      idx.add(s.hash, s.ref);
    },
    del(s) {
      byRef.delete(s.ref);
      return idx.delete(s.hash, s.ref);
    },
  };
}

const series = (ref: number, name: string, hash: number): S => ({
  ref,
  labels: Labels.fromStrings("n", name),
  hash,
});

describe("HashIndex", () => {
  const edgeCases: { name: string; entries: [number, string, number][] }[] = [
    {
      name: "zero and largest hash",
      entries: [
        [1, "a", 0],
        [2, "b", MAX_HASH],
      ],
    },
    {
      name: "full 53-bit collision",
      entries: [
        [1, "a", 12345],
        [2, "b", 12345],
        [3, "c", 12345],
      ],
    },
    {
      name: "same low 32 bits, different high bits",
      entries: [
        [1, "a", 7],
        [2, "b", 7 + TWO_32],
        [3, "c", 7 + 2 ** 52],
      ],
    },
    {
      name: "refs at and above 2^31",
      entries: [
        [2 ** 31, "a", 99],
        [TWO_32 - 1, "b", 99],
        [5, "c", 2 ** 40],
      ],
    },
  ];
  for (const tc of edgeCases) {
    it(`finds each entry and only it: ${tc.name}`, () => {
      const t = setup();
      const all = tc.entries.map(([r, n, h]) => series(r, n, h));
      for (const s of all) t.add(s);
      for (const s of all) assert.equal(t.idx.get(s.hash, s.labels), s);
      for (const s of all) assert.equal(t.idx.get(s.hash, Labels.fromStrings("n", "absent")), undefined);
      assert.equal(t.idx.get(all[0]!.hash + 1, all[0]!.labels), undefined, "labels under another hash");
      assert.equal(t.del(all[0]!), true);
      assert.equal(t.idx.delete(all[0]!.hash, all[0]!.ref), false, "deleted twice");
      assert.equal(t.idx.get(all[0]!.hash, all[0]!.labels), undefined);
      for (const s of all.slice(1)) assert.equal(t.idx.get(s.hash, s.labels), s);
      assert.equal(t.idx.size, all.length - 1);
    });
  }

  it("rejects refs outside [1, 2^32)", () => {
    const t = setup();
    for (const ref of [0, -1, TWO_32, 1.5]) assert.throws(() => t.idx.add(1, ref), RangeError);
  });

  it("grows by doubling at load 0.7 and shrinks when emptied", () => {
    const t = setup();
    const all = Array.from({ length: 10_000 }, (_, i) => series(i + 1, String(i), i * 2654435761));
    for (const s of all) {
      t.add(s);
      assert.ok(t.idx.size <= t.idx.capacity * 0.7);
    }
    assert.equal(t.idx.capacity, 16384);
    for (const s of all) assert.equal(t.idx.get(s.hash, s.labels), s);
    for (const s of all.slice(0, 9990)) t.del(s);
    assert.ok(t.idx.capacity <= 128, `capacity ${t.idx.capacity} after deleting most`);
    for (const s of all.slice(9990)) assert.equal(t.idx.get(s.hash, s.labels), s);
    t.idx.clear();
    assert.equal(t.idx.size, 0);
    assert.equal(t.idx.get(all[9999]!.hash, all[9999]!.labels), undefined);
  });

  // Random add/delete/get against a Map model. Few distinct hashes force long
  // collision runs and probe chains that wrap around the table's end.
  const randomCases = [
    { seed: 1, ops: 5000, hashes: 3, names: 50 },
    { seed: 2, ops: 20_000, hashes: 40, names: 400 },
    { seed: 3, ops: 20_000, hashes: 5000, names: 3000 },
    { seed: 4, ops: 10_000, hashes: 2, names: 2000 },
  ];
  for (const tc of randomCases) {
    it(`matches a Map model: seed ${tc.seed}, ${tc.ops} ops, ${tc.hashes} hashes, ${tc.names} label sets`, () => {
      const rand = rng(tc.seed);
      const hashes = Array.from({ length: tc.hashes }, () => Math.floor(rand() * 2 ** 53));
      const t = setup();
      const model = new Map<string, S>();
      const usedRefs = new Set<number>();
      for (let op = 0; op < tc.ops; op++) {
        const name = String(Math.floor(rand() * tc.names));
        const labels = Labels.fromStrings("n", name);
        const hash = hashes[Number(name) % hashes.length]!;
        const have = model.get(name);
        const r = rand();
        if (r < 0.45) {
          if (have === undefined) {
            // Refs anywhere in [1, 2^32): half of them above 2^31.
            let ref = 0;
            while (ref === 0 || usedRefs.has(ref)) ref = 1 + Math.floor(rand() * (TWO_32 - 1));
            usedRefs.add(ref);
            const s = series(ref, name, hash);
            t.add(s);
            model.set(name, s);
          }
        } else if (r < 0.75) {
          if (have !== undefined) {
            assert.equal(t.del(have), true);
            model.delete(name);
          } else assert.equal(t.idx.delete(hash, 1), false);
        }
        assert.equal(t.idx.get(hash, labels), model.get(name));
        assert.equal(t.idx.size, model.size);
        if (op % 997 === 0) for (const s of model.values()) assert.equal(t.idx.get(s.hash, s.labels), s);
      }
      for (const s of model.values()) assert.equal(t.idx.get(s.hash, s.labels), s);
      assert.ok(
        [...usedRefs].some((r) => r > 2 ** 31),
        "refs above 2^31 exercised",
      );
    });
  }
});
