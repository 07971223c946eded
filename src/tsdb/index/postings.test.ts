import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { contains, gallop, intersect, MemPostings, merge, without } from "./postings.ts";

function sortedList(rand: () => number, n: number, max: number): Uint32Array {
  const s = new Set<number>();
  while (s.size < n && s.size < max) s.add(Math.floor(rand() * max));
  return Uint32Array.from(s).sort();
}

function naiveIntersect(lists: Uint32Array[]): number[] {
  if (lists.length === 0) return [];
  const sets = lists.map((l) => new Set(l));
  return [...lists[0]!].filter((x) => sets.every((s) => s.has(x)));
}

function naiveMerge(lists: Uint32Array[]): number[] {
  const s = new Set<number>();
  for (const l of lists) for (const x of l) s.add(x);
  return [...s].sort((a, b) => a - b);
}

function naiveWithout(a: Uint32Array, b: Uint32Array): number[] {
  const sb = new Set(b);
  return [...a].filter((x) => !sb.has(x));
}

const u = (...xs: number[]) => Uint32Array.from(xs);

describe("gallop", () => {
  const a = u(1, 3, 5, 7, 9, 11, 13, 15, 17);
  const cases: [number, number, number][] = [
    [0, 0, 0],
    [0, 1, 0],
    [0, 2, 1],
    [0, 17, 8],
    [0, 18, 9],
    [3, 2, 3],
    [3, 8, 4],
    [9, 100, 9],
  ];
  for (const [lo, x, want] of cases) it(`lo=${lo} x=${x}`, () => assert.equal(gallop(a, lo, x), want));
  it("contains", () => {
    assert.equal(contains(a, 7), true);
    assert.equal(contains(a, 8), false);
    assert.equal(contains(u(), 0), false);
  });
});

describe("postings set operations: edge cases", () => {
  const big = Uint32Array.from({ length: 100_000 }, (_, i) => i * 3);
  const cases: { name: string; lists: Uint32Array[] }[] = [
    { name: "no lists", lists: [] },
    { name: "one empty", lists: [u()] },
    { name: "empty and non-empty", lists: [u(1, 2, 3), u()] },
    { name: "disjoint", lists: [u(1, 3, 5), u(2, 4, 6)] },
    { name: "disjoint ranges", lists: [u(10, 11, 12), u(1, 2, 3)] },
    { name: "identical", lists: [u(1, 5, 9), u(1, 5, 9), u(1, 5, 9)] },
    { name: "single", lists: [u(4, 8)] },
    { name: "huge and tiny", lists: [big, u(0, 4, 299_997, 299_999, 400_000)] },
    { name: "tiny and huge", lists: [u(3, 6, 7), big] },
    { name: "max u32", lists: [u(0, 0xffffffff), u(0xfffffffe, 0xffffffff)] },
  ];
  for (const c of cases) {
    it(`intersect: ${c.name}`, () => assert.deepEqual([...intersect(c.lists)], naiveIntersect(c.lists)));
    it(`merge: ${c.name}`, () => assert.deepEqual([...merge(c.lists)], naiveMerge(c.lists)));
    if (c.lists.length === 2) {
      const [a, b] = c.lists as [Uint32Array, Uint32Array];
      it(`without: ${c.name}`, () => {
        assert.deepEqual([...without(a, b)], naiveWithout(a, b));
        assert.deepEqual([...without(b, a)], naiveWithout(b, a));
      });
    }
  }
});

describe("postings set operations: random against Set implementations", () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, () => {
      const rand = mulberry32(seed);
      const k = 1 + Math.floor(rand() * 5);
      const max = 10 + Math.floor(rand() * 5000);
      const lists: Uint32Array[] = [];
      for (let i = 0; i < k; i++) {
        // Mix of very sparse and dense lists so galloping takes long and short strides.
        const n = Math.floor(rand() * (rand() < 0.3 ? 10 : max));
        lists.push(sortedList(rand, n, max));
      }
      assert.deepEqual([...intersect(lists)], naiveIntersect(lists));
      assert.deepEqual([...merge(lists)], naiveMerge(lists));
      assert.deepEqual(
        [...without(lists[0]!, merge(lists.slice(1)))],
        naiveWithout(lists[0]!, merge(lists.slice(1))),
      );
    });
  }
});

describe("MemPostings", () => {
  const ls = (...flat: string[]) => Labels.fromStrings(...flat);

  it("indexes label pairs and the all key", () => {
    const p = new MemPostings();
    p.add(1, ls("__name__", "up", "job", "a"));
    p.add(2, ls("__name__", "up", "job", "b"));
    p.add(3, ls("__name__", "down", "job", "a", "zone", "z1"));
    assert.deepEqual([...p.get("__name__", "up")], [1, 2]);
    assert.deepEqual([...p.get("job", "a")], [1, 3]);
    assert.deepEqual([...p.get("job", "c")], []);
    assert.deepEqual([...p.get("nope", "x")], []);
    assert.deepEqual([...p.all()], [1, 2, 3]);
    assert.deepEqual(p.labelNames(), ["__name__", "job", "zone"]);
    assert.deepEqual(p.labelValues("__name__"), ["down", "up"]);
    assert.deepEqual(p.labelValues("nope"), []);
    const seen: [string, number[]][] = [];
    p.forEachValue("job", (v, ids) => seen.push([v, [...ids]]));
    seen.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    assert.deepEqual(seen, [
      ["a", [1, 3]],
      ["b", [2]],
    ]);
  });

  it("sorts label names and values in Go byte order", () => {
    const p = new MemPostings();
    // U+FF5E (3 UTF-8 bytes, 0xEF…) sorts before U+1F600 (4 bytes, 0xF0…) in Go, after it in UTF-16.
    p.add(1, ls("k", "\u{1F600}"));
    p.add(2, ls("k", "\uFF5E"));
    p.add(3, ls("\u{1F600}", "x", "\uFF5E", "y"));
    assert.deepEqual(p.labelValues("k"), ["\uFF5E", "\u{1F600}"]);
    assert.deepEqual(p.labelNames(), ["k", "\uFF5E", "\u{1F600}"]);
  });

  it("handles out-of-order and duplicate adds", () => {
    const rand = mulberry32(7);
    const p = new MemPostings();
    const want = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const id = Math.floor(rand() * 1000);
      want.add(id);
      p.add(id, ls("a", "b"));
    }
    const sorted = [...want].sort((a, b) => a - b);
    assert.deepEqual([...p.get("a", "b")], sorted);
    assert.deepEqual([...p.all()], sorted);
  });

  it("deletes ids, dropping empty lists and names", () => {
    for (const mode of ["set", "array", "affected"] as const) {
      const p = new MemPostings();
      const series = new Map<number, Labels>();
      for (let i = 0; i < 100; i++) {
        const l = ls("job", `j${i % 3}`, "inst", `i${i}`, ...(i === 42 ? ["only", "me"] : []));
        series.set(i, l);
        p.add(i, l);
      }
      const del = [0, 3, 42, 50, 99];
      const ids = mode === "array" ? Uint32Array.from(del) : new Set(del);
      p.delete(ids, mode === "affected" ? del.map((i) => series.get(i)!) : undefined);
      const left = [...Array(100).keys()].filter((i) => !del.includes(i));
      assert.deepEqual([...p.all()], left, mode);
      assert.deepEqual(
        [...p.get("job", "j0")],
        left.filter((i) => i % 3 === 0),
        mode,
      );
      assert.deepEqual([...p.get("inst", "i42")], [], mode);
      assert.equal(p.labelValues("inst").length, 95, mode);
      assert.deepEqual(p.labelNames(), ["inst", "job"], mode);
    }
  });
});
