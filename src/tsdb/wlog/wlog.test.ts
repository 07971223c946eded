import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { mulberry32 } from "../../testing/prng.ts";
import { crc32c } from "../encoding/crc32c.ts";
import { CorruptionError, readSegments, WalReader } from "./reader.ts";
import { repair } from "./repair.ts";
import { PAGE_SIZE, segmentName, type WriteFn } from "./segment.ts";
import { WL } from "./wlog.ts";

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-wlog-"));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let dirCount = 0;
const newDir = (): string => path.join(tmpRoot, `wal${dirCount++}`);

function randomRecord(rnd: () => number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

/** All records of `dir` (copies) and the corruption, if any. */
function readAll(dir: string): { recs: Uint8Array[]; err: CorruptionError | null } {
  const recs: Uint8Array[] = [];
  try {
    readSegments(dir, -1, -1, (r) => recs.push(r.slice()));
  } catch (e) {
    if (e instanceof CorruptionError) return { recs, err: e };
    throw e;
  }
  return { recs, err: null };
}

function assertRecords(got: Uint8Array[], want: Uint8Array[], msg = ""): void {
  assert.equal(got.length, want.length, `${msg} record count`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Buffer.from(got[i]!).equals(Buffer.from(want[i]!)), `${msg} record ${i} differs`);
  }
}

function sizes(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .sort()
    .map((n) => fs.statSync(path.join(dir, n)).size);
}

/** Start and end offsets of each record of one segment. */
function recordBounds(dir: string, seg: number): { start: number; end: number }[] {
  const r = new WalReader([{ dir, index: seg }]);
  const out: { start: number; end: number }[] = [];
  while (r.next()) out.push({ start: r.recordStart, end: r.recordEnd });
  r.close();
  return out;
}

describe("WL round trip", () => {
  it("keeps every record across pages and segments, in order, over reopenings", () => {
    const rnd = mulberry32(7);
    const dir = newDir();
    const segmentSize = 4 * PAGE_SIZE;
    const want: Uint8Array[] = [];
    for (let session = 0; session < 3; session++) {
      const w = WL.open(dir, { segmentSize });
      for (let call = 0; call < 300; call++) {
        const batch: Uint8Array[] = [];
        const k = 1 + Math.floor(rnd() * 4);
        for (let j = 0; j < k; j++) {
          const x = rnd();
          const size =
            x < 0.6
              ? Math.floor(rnd() * 200)
              : x < 0.9
                ? Math.floor(rnd() * 20_000)
                : x < 0.98
                  ? PAGE_SIZE + Math.floor(rnd() * 2 * PAGE_SIZE)
                  : segmentSize + Math.floor(rnd() * PAGE_SIZE);
          batch.push(randomRecord(rnd, size));
        }
        w.log(...batch);
        want.push(...batch);
      }
      w.close();
      const { recs, err } = readAll(dir);
      assert.equal(err, null);
      assertRecords(recs, want, `session ${session}`);
    }
    const all = sizes(dir);
    assert.ok(all.length > 10, "many segments");
    // Closed segments end on a page boundary; only oversized records make a segment bigger than segmentSize.
    for (const s of all) assert.equal(s % PAGE_SIZE, 0);
    assert.ok(all.some((s) => s > segmentSize));
  });

  it("writes a call's records with one write per segment touched", () => {
    const dir = newDir();
    let writes = 0;
    const write: WriteFn = (fd, buf, off, len, pos) => {
      writes++;
      return fs.writeSync(fd, buf, off, len, pos);
    };
    const w = WL.open(dir, { segmentSize: 8 * PAGE_SIZE, write });
    const recs = Array.from({ length: 100 }, (_, i) => new Uint8Array(1000).fill(i));
    w.log(...recs);
    assert.equal(writes, 1);
    w.log(new Uint8Array(7 * PAGE_SIZE)); // does not fit: seals segment 0, goes to segment 1
    assert.equal(writes, 3);
    assert.equal(w.activeSegment, 1);
    w.close();
    assertRecords(readAll(dir).recs, [...recs, new Uint8Array(7 * PAGE_SIZE)]);
  });

  it("reads a range of segments and reports progress per segment", () => {
    const dir = newDir();
    const w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE });
    for (let i = 0; i < 4; i++) {
      if (i > 0) w.nextSegment();
      w.log(Uint8Array.of(i, 0), Uint8Array.of(i, 1));
    }
    w.close();
    const got: string[] = [];
    const progress: string[] = [];
    const n = readSegments(dir, 1, 2, (rec, seg) => got.push(`${seg}:${rec.join(".")}`), {
      onProgress: (seg, last) => progress.push(`${seg}/${last}`),
    });
    assert.equal(n, 4);
    assert.deepEqual(got, ["1:1.0", "1:1.1", "2:2.0", "2:2.1"]);
    assert.deepEqual(progress, ["1/2", "2/2"]);
    assert.equal(
      readSegments(dir, 3, -1, () => {}),
      2,
    );
  });

  it("makes logged data visible to a reader before close (no buffering in the process)", () => {
    const dir = newDir();
    const w = WL.open(dir, { segmentSize: PAGE_SIZE * 4 });
    const rec = Uint8Array.of(1, 2, 3);
    w.log(rec);
    assertRecords(readAll(dir).recs, [rec]);
    w.close();
  });
});

describe("segment layout", () => {
  it("matches the documented byte layout (golden segment)", () => {
    const dir = newDir();
    const w = WL.open(dir, { segmentSize: 8 * PAGE_SIZE });
    const a = Buffer.from("abc");
    const b = new Uint8Array(0);
    const c = new Uint8Array(PAGE_SIZE - 17 - 7 - 3).fill(0xcc); // leaves 3 bytes: page padding
    const d = new Uint8Array(PAGE_SIZE).fill(0xdd); // first fragment fills page 1, last goes to page 2
    w.log(a, b);
    w.log(c);
    w.log(d);
    w.close();

    const want = new Uint8Array(3 * PAGE_SIZE);
    const header = (at: number, type: number, data: Uint8Array, crc = crc32c(data)): number => {
      want[at] = type;
      want[at + 1] = data.length >> 8;
      want[at + 2] = data.length & 0xff;
      new DataView(want.buffer).setUint32(at + 3, crc);
      want.set(data, at + 7);
      return at + 7 + data.length;
    };
    let at = header(0, 1, a, 0x364b3fb7); // CRC32C("abc"), an independent check value
    at = header(at, 1, b, 0);
    at = header(at, 1, c);
    assert.equal(at, PAGE_SIZE - 3);
    at = header(PAGE_SIZE, 2, d.subarray(0, PAGE_SIZE - 7));
    assert.equal(at, 2 * PAGE_SIZE);
    header(at, 4, d.subarray(PAGE_SIZE - 7));

    const got = fs.readFileSync(segmentName(dir, 0));
    assert.equal(got.length, want.length);
    assert.ok(got.equals(want));
    assert.equal(path.basename(segmentName(dir, 0)), "00000000");
  });

  it("starts a new segment when a record does not fit the rest of the current one", () => {
    const dir = newDir();
    const w = WL.open(dir, { segmentSize: 2 * PAGE_SIZE });
    w.log(new Uint8Array(10));
    // 2 pages hold 2 * (PAGE - 7) - 17 more bytes; one byte more moves on.
    const fits = 2 * (PAGE_SIZE - 7) - 17;
    w.log(new Uint8Array(fits));
    assert.equal(w.activeSegment, 0);
    w.log(new Uint8Array(1));
    assert.equal(w.activeSegment, 1);
    w.log(new Uint8Array(5 * PAGE_SIZE)); // larger than a segment: a segment of its own
    assert.equal(w.activeSegment, 2);
    w.log(new Uint8Array(1));
    assert.equal(w.activeSegment, 3);
    w.close();
    assert.deepEqual(sizes(dir), [2 * PAGE_SIZE, PAGE_SIZE, 6 * PAGE_SIZE, PAGE_SIZE]);
    assert.equal(readAll(dir).recs.length, 5);
  });

  it("reopening continues in a new segment after the last, like upstream", () => {
    const dir = newDir();
    let w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE });
    w.log(Uint8Array.of(1));
    w.nextSegment();
    w.log(Uint8Array.of(2));
    w.close();
    w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE });
    assert.equal(w.activeSegment, 2);
    assert.deepEqual(w.segments(), { first: 0, last: 2 });
    w.log(Uint8Array.of(3));
    assert.ok(w.size() >= 2 * PAGE_SIZE);
    w.truncate(2);
    assert.deepEqual(w.segments(), { first: 2, last: 2 });
    w.truncate(10); // never the active segment
    assert.deepEqual(w.segments(), { first: 2, last: 2 });
    w.close();
    assertRecords(readAll(dir).recs, [Uint8Array.of(3)]);
  });

  it("rejects segment sizes that are not whole pages", () => {
    assert.throws(() => WL.open(newDir(), { segmentSize: 1000 }), /invalid segment size/);
  });
});

describe("torn tails", () => {
  const cases: { name: string; last: number; step: number }[] = [
    { name: "single-fragment last record, every byte", last: 120, step: 1 },
    { name: "multi-page last record", last: 3 * PAGE_SIZE, step: 613 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rnd = mulberry32(c.last);
      const base = newDir();
      const w = WL.open(base, { segmentSize: 16 * PAGE_SIZE });
      const good = Array.from({ length: 12 }, () => randomRecord(rnd, Math.floor(rnd() * 3000)));
      w.log(...good);
      const last = randomRecord(rnd, c.last);
      w.log(last);
      w.close(); // a crash would leave the same bytes, minus the padding
      const bounds = recordBounds(base, 0);
      const { start, end } = bounds[bounds.length - 1]!;
      const full = fs.readFileSync(segmentName(base, 0));
      const cuts = new Set<number>([start + 1, start + 6, start + 7, start + 8, end - 1]);
      for (let cut = start + 1; cut < end; cut += c.step) cuts.add(cut);
      for (let k = 1; k < 4; k++) {
        const boundary = Math.ceil(start / PAGE_SIZE) * PAGE_SIZE + (k - 1) * PAGE_SIZE;
        if (boundary < end) cuts.add(boundary);
      }
      const dir = newDir();
      for (const cut of cuts) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        fs.writeFileSync(segmentName(dir, 0), full.subarray(0, cut));
        const read = readAll(dir);
        assertRecords(read.recs, good, `cut ${cut}`);
        assert.ok(read.err !== null, `cut ${cut}: corruption reported`);
        assert.equal(read.err.segment, 0);
        assert.equal(read.err.offset, start, `cut ${cut}: offset of the torn record`);

        // Repair through an open log, which had already started segment 1.
        const wl = WL.open(dir, { segmentSize: 16 * PAGE_SIZE });
        assert.equal(wl.activeSegment, 1);
        wl.repair(read.err);
        assert.equal(wl.activeSegment, 1);
        wl.log(Uint8Array.of(42));
        wl.close();
        const after = readAll(dir);
        assert.equal(after.err, null, `cut ${cut}: readable after repair`);
        assertRecords(after.recs, [...good, Uint8Array.of(42)], `cut ${cut} after repair`);
      }
      // Cuts at record boundaries are clean ends, not corruption.
      for (const cut of [start, end]) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        fs.writeFileSync(segmentName(dir, 0), full.subarray(0, cut));
        const read = readAll(dir);
        assert.equal(read.err, null);
        assert.equal(read.recs.length, cut === start ? good.length : good.length + 1);
      }
    });
  }
});

describe("flipped bytes", () => {
  it("are caught (CRC, header or padding checks) and repair keeps the good prefix", () => {
    const rnd = mulberry32(99);
    const base = newDir();
    const w = WL.open(base, { segmentSize: 16 * PAGE_SIZE });
    const recs = Array.from({ length: 40 }, () => randomRecord(rnd, 1 + Math.floor(rnd() * 5000)));
    w.log(...recs.slice(0, 20));
    w.log(...recs.slice(20));
    w.close();
    const full = fs.readFileSync(segmentName(base, 0));
    const bounds = recordBounds(base, 0);
    // Every header byte, the first data bytes, page ends and padding, plus random positions.
    const positions = new Set<number>();
    for (const { start } of bounds) for (let i = 0; i < 9; i++) positions.add(start + i);
    for (let p = PAGE_SIZE; p < full.length; p += PAGE_SIZE)
      for (let i = -8; i < 2; i++) positions.add(p + i);
    positions.add(full.length - 1);
    for (let i = 0; i < 150; i++) positions.add(Math.floor(rnd() * full.length));

    const dir = newDir();
    for (const pos of positions) {
      if (pos < 0 || pos >= full.length) continue;
      for (const mask of [0x01, 0x80, 0x20]) {
        const bad = Buffer.from(full);
        bad[pos]! ^= mask;
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        fs.writeFileSync(segmentName(dir, 0), bad);
        const read = readAll(dir);
        assert.ok(read.err !== null, `flip 0x${mask.toString(16)} at ${pos} went unnoticed`);
        // Records before the corruption are intact, and the corruption is at or before the flip.
        const kept = bounds.filter((b) => b.end <= read.err!.offset).length;
        assertRecords(read.recs, recs.slice(0, kept), `flip at ${pos}`);
        assert.ok(read.err.offset <= pos, `flip at ${pos}: reported at ${read.err.offset}`);
        repair(dir, read.err);
        const after = readAll(dir);
        assert.equal(after.err, null);
        assertRecords(after.recs, recs.slice(0, kept), `flip at ${pos} after repair`);
      }
    }
  });

  it("a corruption in an early segment drops the later segments on repair", () => {
    const dir = newDir();
    const w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE });
    w.log(Uint8Array.of(1), Uint8Array.of(2));
    w.nextSegment();
    w.log(Uint8Array.of(3));
    w.nextSegment();
    w.log(Uint8Array.of(4));
    w.close();
    const f = segmentName(dir, 0);
    const b = fs.readFileSync(f);
    b[8 + 7]! ^= 0xff; // data byte of the second record
    fs.writeFileSync(f, b);
    const read = readAll(dir);
    assert.equal(read.recs.length, 1);
    assert.match(read.err?.message ?? "", /corruption in segment .*00000000 at 8: unexpected checksum/);
    const warnings: string[] = [];
    repair(dir, read.err!, { info() {}, warn: (m) => warnings.push(m), error() {} });
    assert.ok(warnings.includes("Deleting all segments newer than corrupted segment"));
    assert.deepEqual(sizes(dir), [PAGE_SIZE]);
    assertRecords(readAll(dir).recs, [Uint8Array.of(1)]);
  });
});

describe("compressed records", () => {
  function segmentWith(type: number, data: Uint8Array): string {
    const dir = newDir();
    fs.mkdirSync(dir);
    const seg = new Uint8Array(7 + data.length);
    seg[0] = type;
    seg[1] = data.length >> 8;
    seg[2] = data.length & 0xff;
    new DataView(seg.buffer).setUint32(3, crc32c(data));
    seg.set(data, 7);
    fs.writeFileSync(segmentName(dir, 0), seg);
    return dir;
  }

  it("decodes snappy-flagged records", () => {
    // Snappy block: length 12, literal "abc", copy offset 3 length 9.
    const dir = segmentWith(0x09, Uint8Array.from([12, 0x08, 0x61, 0x62, 0x63, 0x15, 0x03]));
    assertRecords(readAll(dir).recs, [Buffer.from("abcabcabcabc")]);
  });

  it("refuses zstd-flagged records with a clear error", () => {
    const dir = segmentWith(0x11, Uint8Array.from([1, 2, 3]));
    assert.throws(() => readAll(dir), /zstd-compressed record, which Vigil cannot read/);
  });

  it("reports corrupt snappy data as corruption", () => {
    const dir = segmentWith(0x09, Uint8Array.from([12, 0x08, 0x61]));
    const read = readAll(dir);
    assert.match(read.err?.message ?? "", /snappy/);
  });
});

describe("write failures", () => {
  /** A write function that fails (after writing `partial` bytes) while `fail` is set. */
  function flaky(code: string): { write: WriteFn; set: (on: boolean) => void } {
    let fail = false;
    const write: WriteFn = (fd, buf, off, len, pos) => {
      if (!fail) return fs.writeSync(fd, buf, off, len, pos);
      if (len > 100) return fs.writeSync(fd, buf, off, Math.floor(len / 2), pos); // a partial write first
      throw Object.assign(new Error(`${code}: injected`), { code });
    };
    return { write, set: (on) => (fail = on) };
  }

  it("ENOSPC: the call leaves no trace, the error is clear, later calls succeed", () => {
    const dir = newDir();
    const io = flaky("ENOSPC");
    const w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE, write: io.write });
    const before = [Uint8Array.of(1), new Uint8Array(5000).fill(2)];
    w.log(...before);
    const sizeBefore = sizes(dir);
    io.set(true);
    assert.throws(
      () => w.log(new Uint8Array(3000).fill(3), new Uint8Array(PAGE_SIZE).fill(4)),
      /^Error: write-ahead log: no space left on device writing segment .*00000000$/,
    );
    assert.deepEqual(sizes(dir), sizeBefore);
    let read = readAll(dir);
    assert.equal(read.err, null);
    assertRecords(read.recs, before);
    // A failure in a call that moved on to a new segment removes that segment too.
    assert.throws(() => w.log(new Uint8Array(4 * PAGE_SIZE)), /no space left on device/);
    assert.deepEqual(sizes(dir), sizeBefore);
    assert.equal(w.activeSegment, 0);
    io.set(false);
    const later = new Uint8Array(3000).fill(5);
    w.log(later);
    w.close();
    read = readAll(dir);
    assert.equal(read.err, null);
    assertRecords(read.recs, [...before, later]);
  });

  it("other errors name the cause", () => {
    const dir = newDir();
    const io = flaky("EIO");
    const w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE, write: io.write });
    io.set(true);
    assert.throws(
      () => w.log(Uint8Array.of(1)),
      /write-ahead log: writing segment .*00000000: EIO: injected/,
    );
    io.set(false);
    w.log(Uint8Array.of(2));
    w.close();
    assertRecords(readAll(dir).recs, [Uint8Array.of(2)]);
  });

  it("refuses writes after close", () => {
    const w = WL.open(newDir(), { segmentSize: 4 * PAGE_SIZE });
    w.close();
    assert.throws(() => w.log(Uint8Array.of(1)), /closed/);
  });
});
