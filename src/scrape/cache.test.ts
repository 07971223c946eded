import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import { ScrapeCache, type ScrapeCacheOptions } from "./cache.ts";

const noMetrics = { cacheFlushForced: { inc: () => {} } };

interface Cached {
  readonly lset: Labels;
  readonly ref: number;
}

/**
 * Drives a cache the way the append path does and checks every lookup
 * against a model: the keys of the last successful pass are found with
 * their labels and ref, any other key is not.
 */
class Driver {
  readonly cache: ScrapeCache;
  /** What the cache must hold: the keys of the last flushed pass. */
  model = new Map<string, Cached>();
  /** The keys tracked by the last pass, for the expected staleness markers. */
  tracked = new Set<string>();
  #nextRef = 1;

  constructor(opts: ScrapeCacheOptions) {
    this.cache = new ScrapeCache(noMetrics, opts);
  }

  /** One successful scrape of `keys`; returns the entry of each line and the stale keys. */
  pass(keys: readonly string[]): { entries: number[]; stale: string[] } {
    const c = this.cache;
    const body = Buffer.from(keys.join("\n"));
    const seen = new Map<string, Cached>();
    const entries: number[] = [];
    c.begin();
    let start = 0;
    for (const key of keys) {
      const end = start + key.length;
      let i = c.get(body, start, end);
      const want = this.model.get(key) ?? seen.get(key);
      if (want === undefined) {
        assert.equal(i, -1, `${key}: not cached, must not be found`);
        const lset = Labels.fromStrings("__name__", key);
        const ref = this.#nextRef++;
        i = c.add(body, start, end, c.lastHash, lset, ref);
        seen.set(key, { lset, ref });
      } else {
        assert.ok(i >= 0, `${key}: cached, must be found`);
        assert.equal(c.lset(i), want.lset, `${key}: labels of entry ${i}`);
        assert.equal(c.ref(i), want.ref, `${key}: ref of entry ${i}`);
        assert.equal(c.markSeen(i), !seen.has(key), `${key}: a second sight is a duplicate`);
        seen.set(key, want);
      }
      c.track(i);
      entries.push(i);
      start = end + 1;
    }
    const stale: string[] = [];
    c.forEachStale((lset) => {
      stale.push(lset.get("__name__"));
      return true;
    });
    c.iterDone(true);
    this.model = seen;
    this.tracked = new Set(keys);
    return { entries, stale: stale.sort() };
  }
}

/** Deterministic xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Keys of varied lengths sharing long prefixes; some over 400 bytes, so the arena grows and compacts. */
const KEYS = Array.from({ length: 300 }, (_, i) => `m{i="${i}",pad="${"x".repeat((i * 37) % 450)}"}`);

describe("ScrapeCache: entries against a model", () => {
  const cases: { name: string; opts: ScrapeCacheOptions }[] = [
    { name: "every key in one chain, one slot to start", opts: { maxBuckets: 1, initialSlots: 1 } },
    { name: "two buckets, four slots", opts: { maxBuckets: 2, initialSlots: 4 } },
    { name: "eight buckets", opts: { maxBuckets: 8 } },
    { name: "defaults", opts: {} },
  ];
  for (const { name, opts } of cases) {
    it(`adds, sweeps and reuses slots consistently: ${name}`, () => {
      const d = new Driver(opts);
      const rand = rng(42);
      let keys: string[] = [];
      for (let round = 0; round < 80; round++) {
        const r = rand();
        if (r < 0.3) {
          // The same lines in the same order: the position fast path.
        } else if (r < 0.5) {
          keys = [...keys].reverse();
        } else {
          // A random subset, in random order, with now and then a duplicate line.
          keys = KEYS.filter(() => rand() < 0.5).sort(() => rand() - 0.5);
          if (keys.length > 0 && rand() < 0.3) keys.push(keys[0]!);
        }
        const before = d.tracked;
        const { stale } = d.pass(keys);
        const now = new Set(keys);
        assert.deepEqual(stale, [...before].filter((k) => !now.has(k)).sort(), `round ${round}: stale`);
        assert.equal(d.cache.size, now.size, `round ${round}: size`);
      }
    });
  }
});

describe("ScrapeCache: slot reuse", () => {
  it("does not find a reused slot by its old key, and takes the fast path after reuse", () => {
    const d = new Driver({ maxBuckets: 1, initialSlots: 4 });
    const first = d.pass(["a", "b", "c", "d"]).entries;
    d.pass(["a", "b"]); // c and d are forgotten
    const reused = d.pass(["a", "b", "e", "f"]).entries;
    assert.deepEqual(reused.slice(2).sort(), first.slice(2).sort(), "e and f take the slots c and d left");
    // The fast path hits without hashing, so it leaves `lastHash` alone.
    const c = d.cache;
    c.begin();
    const body = Buffer.from("abef");
    for (let pos = 0; pos < 4; pos++) {
      c.lastHash = -1;
      assert.equal(c.get(body, pos, pos + 1), reused[pos], `position ${pos}`);
      assert.equal(c.lastHash, -1, `position ${pos}: compared with the previous pass's entry`);
      c.markSeen(reused[pos]!);
    }
    c.iterDone(true);
    d.pass(["a", "b", "e", "f"]);
    // c and d at the positions of e and f: the guess is the reused slot, which must not match.
    const back = d.pass(["a", "b", "c", "d"]).entries;
    assert.ok(back[3]! >= 4, "one slot past the initial four: the columns grew");
    assert.equal(d.cache.size, 4);
  });

  it("finds a key whose bucket neighbours were swept", () => {
    for (const maxBuckets of [1, 2, 4]) {
      const d = new Driver({ maxBuckets, initialSlots: 2 });
      const keys = KEYS.slice(0, 40);
      d.pass(keys);
      d.pass(keys.filter((_, i) => i % 3 === 0)); // unlinks two keys of three from every chain
      d.pass(keys.filter((_, i) => i % 3 === 0).reverse());
      d.pass(keys); // the rest come back through the free list
      assert.equal(d.cache.size, 40, `maxBuckets ${maxBuckets}`);
    }
  });
});

describe("ScrapeCache: staleness", () => {
  const lset = (n: string) => Labels.fromStrings("__name__", n);
  const body = Buffer.from("ab");

  it("tracks uncached series for one stale marker, then frees their slots", () => {
    const c = new ScrapeCache(noMetrics, { initialSlots: 4 });
    for (let round = 0; round < 50; round++) {
      c.begin();
      for (let i = 0; i < 3; i++) c.trackUncached(lset(`u${round}_${i}`));
      const stale: string[] = [];
      c.forEachStale((l) => {
        stale.push(l.get("__name__"));
        return true;
      });
      const want = round === 0 ? [] : [0, 1, 2].map((i) => `u${round - 1}_${i}`);
      assert.deepEqual(stale.sort(), want, `round ${round}`);
      c.iterDone(true);
    }
    assert.equal(c.size, 0, "uncached series are never cached");
    c.begin();
    assert.equal(c.get(body, 0, 1), -1);
    assert.ok(c.add(body, 0, 1, c.lastHash, lset("a"), 1) < 8, "released slots are reused");
  });

  it("after an aborted pass, every series of the previous scrape is stale once", () => {
    const c = new ScrapeCache(noMetrics);
    c.begin();
    for (const [s, e, n] of [
      [0, 1, "a"],
      [1, 2, "b"],
    ] as const) {
      c.get(body, s, e);
      c.track(c.add(body, s, e, c.lastHash, lset(n), 1));
    }
    c.trackUncached(lset("u"));
    c.iterDone(true);
    c.begin();
    const a = c.get(body, 0, 1);
    assert.ok(c.markSeen(a));
    c.track(a);
    c.trackUncached(lset("v"));
    c.abortPass();
    const staleNames = (): string[] => {
      const out: string[] = [];
      c.forEachStale((l) => {
        out.push(l.get("__name__"));
        return true;
      });
      return out.sort();
    };
    assert.deepEqual(staleNames(), ["a", "b", "u"]);
    c.iterDone(false); // the empty append that follows a failure
    assert.deepEqual(staleNames(), []);
    assert.equal(c.size, 2, "no flush: the cached entries stay");
    c.begin();
    const cd = Buffer.from("cd");
    const slots = [0, 1].map((s) => {
      assert.equal(c.get(cd, s, s + 1), -1);
      return c.add(cd, s, s + 1, c.lastHash, lset("cd"[s]!), 1);
    });
    assert.deepEqual(slots.sort(), [2, 3], "the slots of u and v are free again");
  });

  it("stops at the first false from the callback", () => {
    const c = new ScrapeCache(noMetrics);
    c.begin();
    for (const n of ["x", "y", "z"]) c.trackUncached(lset(n));
    c.iterDone(true);
    let calls = 0;
    c.forEachStale(() => ++calls < 2);
    assert.equal(calls, 2);
  });
});
