/**
 * Child process of the disk-full test, run inside its own small tmpfs
 * (argv[2]). Appends, fills the disk, checks that appends fail cleanly while
 * queries keep working, frees the space, checks that writing resumes and that
 * a reopened DB has every committed sample. Prints one JSON report line.
 */
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Labels } from "../../model/labels/labels.ts";
import { Matcher } from "../../model/labels/matcher.ts";
import { StorageError } from "../../storage/errors.ts";
import { DB } from "../db.ts";
import { readAll } from "./util.ts";

const root = process.argv[2]!;
const dataDir = join(root, "data");
const SERIES = 100;
const labels = Array.from({ length: SERIES }, (_, i) =>
  Labels.fromStrings("__name__", "disk_test", "i", String(i)),
);
const report: Record<string, unknown> = {};
let t = 0;
let committed = 0;

function batch(db: DB): void {
  const app = db.appender();
  for (const l of labels) app.append(0, l, t, t);
  app.commit();
  committed++;
  t += 10 * 60_000; // 20 batches span more than 1.5 block ranges: compaction is due.
}

function count(db: DB): number {
  let n = 0;
  for (const s of readAll(
    db.querier(-Infinity, Infinity),
    Matcher.create("=", "__name__", "disk_test"),
  ).values()) {
    n += s.length;
  }
  return n;
}

let db = DB.open(dataDir, { walSegmentSize: 128 * 1024 });
for (let i = 0; i < 20; i++) batch(db);

// Fill the file system.
const filler = join(root, "filler");
const fd = openSync(filler, "w");
const block = Buffer.alloc(16 * 1024, 1);
try {
  for (let i = 0; i < 100_000; i++) writeSync(fd, block);
} catch (e) {
  report.fillError = (e as NodeJS.ErrnoException).code;
}
closeSync(fd);

const errors = new Set<string>();
let failed = 0;
for (let i = 0; i < 200; i++) {
  try {
    batch(db);
  } catch (e) {
    if (!(e instanceof StorageError)) throw e;
    failed++;
    errors.add(`${e.kind}: ${e.message}`);
  }
}
report.failedWhileFull = failed;
report.errors = [...errors];
report.samplesWhileFull = count(db);
report.expectedWhileFull = committed * SERIES;
db.compact();
report.compactionError = db.lastCompactionError?.message ?? null;
report.blocksWhileFull = db.blocks().length;
report.queryAfterFailedCompaction = count(db);

rmSync(filler);
let resumed = 0;
for (let i = 0; i < 20; i++) {
  batch(db);
  resumed++;
}
report.resumed = resumed;
db.compact();
report.compactionErrorAfterFree = db.lastCompactionError?.message ?? null;
report.blocksAfterFree = db.blocks().length;
report.samplesAfterFree = count(db);
report.expectedAfterFree = committed * SERIES;
await db.close();
db = DB.open(dataDir, { walSegmentSize: 128 * 1024 });
report.samplesAfterReopen = count(db);
await db.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
