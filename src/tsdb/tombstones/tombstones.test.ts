import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { mulberry32 } from "../../testing/prng.ts";
import { crc32c } from "../encoding/crc32c.ts";
import { readTombstones, TOMBSTONES_FILENAME, writeTombstoneFile } from "./file.ts";
import { addInterval, IntervalsChecker, isDeletedAt, isSubrange } from "./intervals.ts";
import { MemTombstones } from "./tombstones.ts";

function collect(t: MemTombstones): [number, number[]][] {
  const out: [number, number[]][] = [];
  t.iter((ref, ivs) => out.push([ref, [...ivs]]));
  return out;
}

describe("addInterval", () => {
  // [existing, added, want], intervals flattened.
  const cases: [string, number[], [number, number], number[]][] = [
    ["into empty", [], [1, 2], [1, 2]],
    ["after", [1, 2], [5, 6], [1, 2, 5, 6]],
    ["before", [5, 6], [1, 2], [1, 2, 5, 6]],
    ["between", [1, 2, 10, 12], [5, 6], [1, 2, 5, 6, 10, 12]],
    ["touching on the left merges", [5, 6], [1, 4], [1, 6]],
    ["touching on the right merges", [1, 4], [5, 6], [1, 6]],
    ["overlapping", [1, 4], [3, 8], [1, 8]],
    ["covering several", [1, 2, 4, 5, 7, 8, 20, 30], [3, 9], [1, 9, 20, 30]],
    ["inside", [1, 10], [3, 4], [1, 10]],
    ["bridging two", [1, 3, 5, 7], [4, 4], [1, 7]],
    ["negative times", [-100, -50], [-49, 10], [-100, 10]],
    ["unbounded", [1, 3, 10, 20], [-(2 ** 63), 2 ** 63], [-(2 ** 63), 2 ** 63]],
  ];
  for (const [name, ivs, [mint, maxt], want] of cases) {
    it(name, () => assert.deepEqual(addInterval(ivs.slice(), mint, maxt), want));
  }
  it("rejects maxt < mint", () => assert.throws(() => addInterval([], 5, 4), /less than mint/));

  it("agrees with a per-timestamp model on random input", () => {
    const rand = mulberry32(11);
    for (let round = 0; round < 200; round++) {
      const ivs: number[] = [];
      const deleted = new Set<number>();
      for (let k = 0; k < 6; k++) {
        const a = Math.floor(rand() * 100) - 20;
        const b = a + Math.floor(rand() * 10);
        addInterval(ivs, a, b);
        for (let t = a; t <= b; t++) deleted.add(t);
      }
      for (let i = 2; i < ivs.length; i += 2)
        assert.ok(ivs[i]! > ivs[i - 1]! + 1, "disjoint and not touching");
      const checker = new IntervalsChecker(ivs);
      for (let t = -30; t < 120; t++) {
        assert.equal(isDeletedAt(ivs, t), deleted.has(t), `t=${t}`);
        assert.equal(checker.isDeleted(t), deleted.has(t), `checker t=${t}`);
      }
      // Stepping back in time still answers correctly.
      for (const t of [100, 0, 50, -25, 7]) assert.equal(checker.isDeleted(t), deleted.has(t), `back t=${t}`);
    }
  });

  it("isSubrange and deletedUntil", () => {
    const ivs = [1, 10, 20, 30];
    assert.equal(isSubrange(ivs, 2, 9), true);
    assert.equal(isSubrange(ivs, 9, 21), false);
    const c = new IntervalsChecker(ivs);
    assert.equal(c.deletedUntil(5), 10);
    assert.ok(Number.isNaN(c.deletedUntil(15)));
    assert.equal(c.deletedUntil(20), 30);
  });
});

describe("MemTombstones", () => {
  it("merges, counts, iterates in ref order and truncates", () => {
    const t = new MemTombstones();
    t.addInterval(7, { mint: 10, maxt: 20 }, { mint: 21, maxt: 25 });
    t.addInterval(3, { mint: -5, maxt: 0 });
    t.addInterval(3, 100, 200);
    assert.deepEqual(t.get(7), [10, 25]);
    assert.equal(t.get(8), undefined);
    assert.equal(t.total(), 3);
    assert.equal(t.isDeletedAt(3, -5), true);
    assert.equal(t.isDeletedAt(3, 1), false);
    assert.deepEqual(collect(t), [
      [3, [-5, 0, 100, 200]],
      [7, [10, 25]],
    ]);
    t.truncateBefore(26);
    assert.deepEqual(collect(t), [[3, [100, 200]]]);
    t.deleteTombstones([3]);
    assert.equal(t.total(), 0);
    assert.throws(
      () => t.addInterval(9, { mint: 1, maxt: 2 }, { mint: 5, maxt: 4 }),
      /maxt 4 is less than mint 5/,
    );
    assert.equal(t.get(9), undefined);
  });
});

describe("tombstones file", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-tombstones-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = () => path.join(dir, TOMBSTONES_FILENAME);

  it("missing file reads as empty", () => {
    assert.equal(readTombstones(path.join(dir, "nowhere")).total(), 0);
  });

  it("round-trips, including int64 extremes", () => {
    const t = new MemTombstones();
    const rand = mulberry32(5);
    for (let i = 0; i < 500; i++) {
      const ref = Math.floor(rand() * 1e6) * 16;
      const mint = Math.floor((rand() - 0.5) * 1e13);
      t.addInterval(ref, { mint: mint, maxt: mint + Math.floor(rand() * 1e6) });
    }
    t.addInterval(2 ** 40, { mint: -(2 ** 63), maxt: 2 ** 63 - 1 });
    t.addInterval(2 ** 41, { mint: Number.NEGATIVE_INFINITY, maxt: -(2 ** 60) });
    const size = writeTombstoneFile(dir, t);
    assert.equal(size, fs.statSync(file()).size);
    assert.equal(fs.existsSync(`${file()}.tmp`), false);
    const got = readTombstones(dir);
    // ±Infinity and 2^63 are clamped to int64 on disk, which reads back as ±2^63.
    t.deleteTombstones([2 ** 40, 2 ** 41]);
    t.addInterval(2 ** 40, { mint: -(2 ** 63), maxt: 2 ** 63 });
    t.addInterval(2 ** 41, { mint: -(2 ** 63), maxt: -(2 ** 60) });
    assert.deepEqual(collect(got), collect(t));
  });

  it("writes an empty file like upstream (magic, version, CRC of nothing)", () => {
    const size = writeTombstoneFile(dir, new MemTombstones());
    assert.equal(size, 9);
    assert.deepEqual([...fs.readFileSync(file())], [0x01, 0x30, 0xba, 0x30, 0x01, 0, 0, 0, 0]);
  });

  it("reads a file built by hand from the format", () => {
    // series 1: [1, 2]; series 300: [-3, 5] and [10, 20]. Varints zig-zag encoded.
    const body = [0x01, 1, 2, 4, 0xac, 0x02, 5, 10, 0xac, 0x02, 20, 40];
    const crc = crc32c(Uint8Array.from(body), 1);
    const bytes = [
      0x01,
      0x30,
      0xba,
      0x30,
      ...body,
      crc >>> 24,
      (crc >>> 16) & 0xff,
      (crc >>> 8) & 0xff,
      crc & 0xff,
    ];
    fs.writeFileSync(file(), Uint8Array.from(bytes));
    assert.deepEqual(collect(readTombstones(dir)), [
      [1, [1, 2]],
      [300, [-3, 5, 10, 20]],
    ]);
    // And writing the same tombstones gives the same bytes.
    writeTombstoneFile(dir, readTombstones(dir));
    assert.deepEqual([...fs.readFileSync(file())], bytes);
  });

  it("detects corruption", () => {
    const t = new MemTombstones();
    t.addInterval(1, { mint: 1, maxt: 100 });
    writeTombstoneFile(dir, t);
    const good = fs.readFileSync(file());
    const flip = (b: Buffer, i: number): Buffer => {
      b[i] = b[i]! ^ 1;
      return b;
    };
    const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
      ["flipped body bit", (b) => flip(b, 6), /checksum mismatch/],
      ["flipped CRC bit", (b) => flip(b, b.length - 1), /checksum mismatch/],
      [
        "bad magic",
        (b) => {
          b.writeUInt32BE(0x12345678, 0);
          return b;
        },
        /invalid magic number 12345678/,
      ],
      ["truncated", (b) => b.subarray(0, 6), /too short/],
      [
        "bad version",
        (b) => {
          b[4] = 2;
          return b;
        },
        /invalid tombstone format/,
      ],
    ];
    for (const [name, mutate, re] of cases) {
      fs.writeFileSync(file(), mutate(Buffer.from(good)));
      assert.throws(
        () => readTombstones(dir),
        (e: Error) => re.test(e.message) && e.message.includes(file()),
        name,
      );
    }
  });
});
