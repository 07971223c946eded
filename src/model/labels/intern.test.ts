import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultInterner, intern, StringInterner } from "./intern.ts";

// String identity is not observable in JavaScript: these tests check pooling, bounds and
// accounting, which are.
describe("StringInterner", () => {
  it("pools each distinct string once", () => {
    const pool = new StringInterner();
    assert.equal(pool.intern("instance"), "instance");
    assert.equal(pool.intern(["inst", "ance"].join("")), "instance");
    assert.equal(pool.size, 1);
    assert.ok(pool.has("instance"));
    assert.ok(!pool.has("job"));
    assert.equal(pool.retainedBytes, 2 * "instance".length);
  });

  it("does not pool strings above maxStringLength", () => {
    const pool = new StringInterner({ maxStringLength: 4 });
    assert.equal(pool.intern("abcdef"), "abcdef");
    assert.equal(pool.size, 0);
    pool.intern("abcd");
    assert.equal(pool.size, 1);
  });

  it("stays bounded and keeps recently used strings", () => {
    const pool = new StringInterner({ maxEntriesPerGeneration: 10 });
    for (let i = 0; i < 1000; i++) {
      pool.intern("hot");
      pool.intern(`cold-${i}`);
      assert.ok(pool.size <= 20, `size ${pool.size} within bound`);
      assert.ok(pool.has("hot"), `hot string kept at step ${i}`);
    }
    assert.ok(!pool.has("cold-0"), "old cold string evicted");
    assert.ok(pool.has("cold-999"));
  });

  it("clear empties the pool", () => {
    const pool = new StringInterner();
    pool.intern("a");
    pool.clear();
    assert.equal(pool.size, 0);
    assert.equal(pool.retainedBytes, 0);
  });

  it("default instance backs intern()", () => {
    assert.equal(intern("vigil-intern-test"), "vigil-intern-test");
    assert.ok(defaultInterner.has("vigil-intern-test"));
  });
});
