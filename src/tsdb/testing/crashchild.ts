/**
 * Child process of the crash test: opens the DB in argv[2], appends batches
 * (one sample per series, 15 s apart, continuing after what is stored) as
 * fast as it can, compacting now and then, and after every commit writes
 * `ack <t>` to stdout — the promise that samples up to t survive a SIGKILL.
 */
import { writeSync } from "node:fs";
import { Labels } from "../../model/labels/labels.ts";
import { DB } from "../db.ts";

const dir = process.argv[2]!;
const numSeries = Number(process.argv[3] ?? "50");
const db = DB.open(dir, { walSegmentSize: 256 * 1024 });
const labels = Array.from({ length: numSeries }, (_, i) =>
  Labels.fromStrings("__name__", "crash_test", "instance", `host-${i}`, "job", "crash"),
);
const refs = new Array<number>(numSeries).fill(0);
let t = db.head.maxT === -Infinity ? 0 : db.head.maxT + 15_000;
for (const b of db.blocks()) if (b.maxTime > t) t = b.maxTime;
writeSync(1, `ready ${t}\n`);
for (let batch = 0; batch < 1_000_000; batch++) {
  const app = db.appender();
  for (let i = 0; i < numSeries; i++) refs[i] = app.append(refs[i]!, labels[i]!, t, t / 1000 + i);
  app.commit();
  writeSync(1, `ack ${t}\n`);
  t += 15_000;
  if (batch % 100 === 99) db.compact();
}
