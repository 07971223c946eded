import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BlockMeta } from "./meta.ts";
import { blockRanges, type DirMeta, exponentialBlockRanges, plan, splitByRange } from "./plan.ts";

const H = 3600 * 1000;

function dm(dir: string, minTime: number, maxTime: number, extra: Partial<BlockMeta["stats"]> = {}): DirMeta {
  return {
    dir,
    meta: {
      ulid: dir,
      minTime,
      maxTime,
      stats: { numSamples: 1, numSeries: 10, numChunks: 1, ...extra },
      compaction: { level: 1, sources: [dir] },
      version: 1,
    },
  };
}

describe("compaction planning", () => {
  const ranges = [20, 60, 180, 540, 1620];
  const cases: { name: string; blocks: DirMeta[]; want: string[] }[] = [
    { name: "no blocks", blocks: [], want: [] },
    { name: "one block", blocks: [dm("1", 0, 20)], want: [] },
    { name: "two blocks, newest excluded", blocks: [dm("1", 0, 20), dm("2", 20, 40)], want: [] },
    {
      name: "three fill the 60 range but newest excluded",
      blocks: [dm("1", 0, 20), dm("2", 20, 40), dm("3", 40, 60)],
      want: [],
    },
    {
      name: "a full level-2 range once a newer block exists",
      blocks: [dm("1", 0, 20), dm("2", 20, 40), dm("3", 40, 60), dm("4", 60, 80)],
      want: ["1", "2", "3"],
    },
    {
      name: "gap: range before the newest block",
      blocks: [dm("1", 0, 20), dm("2", 20, 40), dm("4", 60, 80), dm("5", 80, 100)],
      want: ["1", "2"],
    },
    {
      name: "level 3 once level 2 blocks fill it",
      blocks: [dm("1", 0, 60), dm("2", 60, 120), dm("3", 120, 180), dm("4", 180, 200), dm("5", 200, 220)],
      want: ["1", "2", "3"],
    },
    {
      name: "overlapping blocks first",
      blocks: [dm("1", 0, 20), dm("2", 19, 40), dm("3", 40, 60)],
      want: ["1", "2"],
    },
    {
      name: "overlap chain",
      blocks: [dm("1", 0, 20), dm("2", 10, 30), dm("3", 25, 40), dm("4", 40, 60)],
      want: ["1", "2", "3"],
    },
    {
      name: "tombstone-heavy big block alone",
      blocks: [dm("1", 0, 540, { numTombstones: 5, numSeries: 10 }), dm("2", 540, 560)],
      want: ["1"],
    },
    {
      name: "fully deleted small block",
      blocks: [dm("1", 0, 20, { numTombstones: 10, numSeries: 10 }), dm("2", 540, 560)],
      want: ["1"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(plan(c.blocks, ranges), c.want));
  }

  it("splits by aligned range, skipping blocks larger than it", () => {
    const groups = splitByRange([dm("a", 0, 20), dm("b", 20, 80), dm("c", 120, 140), dm("d", 160, 180)], 60);
    assert.deepEqual(
      groups.map((g) => g.map((d) => d.dir)),
      [["a"], ["c", "d"]],
    );
  });

  it("derives upstream's default level ranges from retention", () => {
    assert.deepEqual(exponentialBlockRanges(2 * H, 3, 3), [2 * H, 6 * H, 18 * H]);
    // 15d retention: max block 1.5d, so 2h, 6h, 18h.
    assert.deepEqual(blockRanges(2 * H, 15 * 24 * H), [2 * H, 6 * H, 18 * H]);
    // Long retention: capped at 31d.
    assert.equal(blockRanges(2 * H, 3650 * 24 * H).at(-1), 486 * H);
  });
});
