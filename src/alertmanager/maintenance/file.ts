/** Snapshot file I/O shared by the notification log and the silences. */
import { open, readFile, rename } from "node:fs/promises";
import type { Summary } from "prom-client";

/** Writes `data` to `file` atomically (temp file, fsync, rename); returns the byte count. */
export async function writeFileAtomic(file: string, data: string): Promise<number> {
  const tmp = `${file}.${Math.floor(Math.random() * 2 ** 48).toString(16)}`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  return Buffer.byteLength(data);
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Encodes and writes a snapshot atomically, timed on `duration` (a `*_snapshot_duration_seconds` summary); returns its size. */
export async function writeSnapshot(file: string, encode: () => string, duration: Summary): Promise<number> {
  const end = duration.startTimer();
  try {
    return await writeFileAtomic(file, encode());
  } finally {
    end();
  }
}
