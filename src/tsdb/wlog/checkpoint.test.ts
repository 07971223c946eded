import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { Encbuf } from "../encoding/encbuf.ts";
import {
  decodeExemplars,
  decodeMetadata,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeExemplars,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  RecordType,
  RefSamples,
  recordType,
} from "../record/record.ts";
import { checkpoint, checkpointDir, lastCheckpoint, replay } from "./checkpoint.ts";
import { readSegments } from "./reader.ts";
import { PAGE_SIZE } from "./segment.ts";
import { WL } from "./wlog.ts";

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-checkpoint-"));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let dirCount = 0;
const newDir = (): string => path.join(tmpRoot, `wal${dirCount++}`);

interface Content {
  series: number[];
  samples: [number, number][]; // [ref, t]
  tombstones: [number, number, number][];
  exemplars: [number, number][];
  metadata: [number, string][]; // [ref, help]
  other: number;
}

function collect(read: (cb: (rec: Uint8Array) => void) => void): Content {
  const c: Content = { series: [], samples: [], tombstones: [], exemplars: [], metadata: [], other: 0 };
  const s = new RefSamples();
  read((rec) => {
    switch (recordType(rec)) {
      case RecordType.Series:
        for (const x of decodeSeries(rec)) c.series.push(x.ref);
        break;
      case RecordType.Samples:
        decodeSamples(rec, s);
        for (let i = 0; i < s.n; i++) {
          c.samples.push([s.refs[i]!, s.ts[i]!]);
          assert.equal(s.vs[i], s.refs[i]! * 1000 + s.ts[i]!, "value travels with its sample");
        }
        break;
      case RecordType.Tombstones:
        for (const x of decodeTombstones(rec)) c.tombstones.push([x.ref, x.mint, x.maxt]);
        break;
      case RecordType.Exemplars:
        for (const x of decodeExemplars(rec)) c.exemplars.push([x.ref, x.t]);
        break;
      case RecordType.Metadata:
        for (const x of decodeMetadata(rec)) c.metadata.push([x.ref, x.help]);
        break;
      default:
        c.other++;
    }
  });
  return c;
}

/** Segment i holds series 10i+1..10i+4, samples t=100i..100i+99 of every series so far, and more. */
function writeWal(dir: string, segments: number): void {
  const w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE });
  const e = new Encbuf();
  const refs: number[] = [];
  for (let seg = 0; seg < segments; seg++) {
    if (seg > 0) w.nextSegment();
    const series = [1, 2, 3, 4].map((k) => ({
      ref: 10 * seg + k,
      labels: Labels.fromStrings("s", String(10 * seg + k)),
    }));
    e.reset();
    encodeSeries(series, e);
    w.log(e.get().slice());
    refs.push(...series.map((s) => s.ref));
    for (let t = 100 * seg; t < 100 * seg + 100; t += 10) {
      e.reset();
      const ts = refs.map(() => t);
      encodeSamples(
        refs,
        ts,
        refs.map((r) => r * 1000 + t),
        refs.length,
        e,
      );
      w.log(e.get());
    }
    e.reset();
    encodeTombstones(
      refs.map((r) => ({ ref: r, mint: 100 * seg, maxt: 100 * seg + 5 })),
      e,
    );
    w.log(e.get());
    e.reset();
    encodeExemplars(
      refs.map((r) => ({ ref: r, t: 100 * seg + 1, v: 1, labels: Labels.fromStrings("trace_id", "x") })),
      e,
    );
    w.log(e.get());
    e.reset();
    encodeMetadata(
      refs.map((r) => ({ ref: r, type: 2, unit: "", help: `seg${seg}` })),
      e,
    );
    w.log(e.get());
    w.log(Uint8Array.of(RecordType.MmapMarkers)); // a type the checkpoint cannot filter
  }
  w.close();
}

describe("checkpoint", () => {
  it("keeps kept series and their data from mint on, and replays before later segments", () => {
    const dir = newDir();
    writeWal(dir, 4); // segments 0..3 (plus nothing else: the log was opened once)
    const keep = (ref: number): boolean => ref % 2 === 0;
    fs.mkdirSync(`${checkpointDir(dir, 0)}.tmp`); // a leftover of an interrupted run
    const stats = checkpoint(dir, 0, 2, keep, 150);
    assert.deepEqual(lastCheckpoint(dir), { dir: checkpointDir(dir, 2), index: 2 });
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith("checkpoint.")),
      ["checkpoint.00000002"],
    );

    const cp = collect((cb) => readSegments(checkpointDir(dir, 2), -1, -1, cb));
    assert.deepEqual(cp.series, [2, 4, 12, 14, 22, 24]);
    assert.ok(cp.samples.length > 0);
    assert.ok(cp.samples.every(([r, t]) => r % 2 === 0 && t >= 150));
    // Samples of segment 1 at t >= 150 and all of segment 2 survive, for every kept series that existed then.
    assert.equal(cp.samples.length, 5 * 4 + 10 * 6);
    assert.deepEqual(
      cp.tombstones.map(([r, , maxt]) => [r, maxt]),
      [2, 4, 12, 14, 22, 24].map((r) => [r, 205]),
    );
    assert.deepEqual(
      cp.exemplars,
      [2, 4, 12, 14, 22, 24].map((r) => [r, 201]),
    );
    assert.deepEqual(
      cp.metadata.sort((a, b) => a[0] - b[0]),
      [2, 4, 12, 14, 22, 24].map((r) => [r, "seg2"]),
    );
    assert.equal(cp.other, 0);
    assert.equal(stats.totalSeries, 12);
    assert.equal(stats.droppedSeries, 6);
    assert.equal(stats.droppedOther, 3);
    assert.equal(stats.totalSamples - stats.droppedSamples, cp.samples.length);

    // Replay: the checkpoint first, then segment 3 only (segments 0..2 still exist but are covered).
    const order: [number, boolean][] = [];
    const all = collect((cb) =>
      replay(dir, (rec, seg, fromCp) => {
        if (
          order.length === 0 ||
          order[order.length - 1]![0] !== seg ||
          order[order.length - 1]![1] !== fromCp
        ) {
          order.push([seg, fromCp]);
        }
        cb(rec);
      }),
    );
    assert.deepEqual(order, [
      [0, true],
      [3, false],
    ]);
    assert.equal(all.series.length, 6 + 4);
  });

  it("folds the previous checkpoint into the next and deletes it", () => {
    const dir = newDir();
    writeWal(dir, 4);
    checkpoint(dir, 0, 1, () => true, 0);
    const w = WL.open(dir, { segmentSize: 4 * PAGE_SIZE });
    w.truncate(2);
    w.close();
    // `from` below the last checkpoint's successor is fine; the checkpoint covers it.
    checkpoint(dir, 0, 3, (ref) => ref !== 1, 0);
    assert.deepEqual(lastCheckpoint(dir)?.index, 3);
    assert.equal(fs.existsSync(checkpointDir(dir, 1)), false);
    const cp = collect((cb) => readSegments(checkpointDir(dir, 3), -1, -1, cb));
    assert.equal(cp.series.length, 15);
    assert.ok(!cp.series.includes(1));
    assert.equal(cp.samples.length, 10 * (4 + 8 + 12 + 16) - 40);
  });

  it("refuses a gap after the last checkpoint and leaves nothing behind", () => {
    const dir = newDir();
    writeWal(dir, 4);
    checkpoint(dir, 0, 0, () => true, 0);
    assert.throws(
      () => checkpoint(dir, 2, 3, () => true, 0),
      /unexpected gap to last checkpoint: expected 1, requested 2/,
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith("checkpoint.")),
      ["checkpoint.00000000"],
    );
  });

  it("fails on corrupted input instead of dropping series silently", () => {
    const dir = newDir();
    writeWal(dir, 2);
    const f = path.join(dir, "00000000");
    const b = fs.readFileSync(f);
    b[20]! ^= 0xff;
    fs.writeFileSync(f, b);
    assert.throws(() => checkpoint(dir, 0, 1, () => true, 0), /corruption in segment/);
    assert.equal(lastCheckpoint(dir), null);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith("checkpoint.")),
      [],
    );
  });

  it("replay refuses a missing segment after the checkpoint", () => {
    const dir = newDir();
    writeWal(dir, 4);
    checkpoint(dir, 0, 0, () => true, 0);
    fs.rmSync(path.join(dir, "00000000"));
    fs.rmSync(path.join(dir, "00000001"));
    assert.throws(() => replay(dir, () => {}), /segment 1 after checkpoint 0 is missing/);
  });
});
