/**
 * The `tombstones` file of a block (tsdb/docs/format/tombstones.md):
 * magic 0x0130BA30 <4b>, format version 1 <1b>, then per interval
 * (series ref <uvarint>, mint <varint>, maxt <varint>), then a CRC32C over the
 * intervals (the version byte excluded, as upstream).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { crc32c } from "../encoding/crc32c.ts";
import { Encbuf } from "../encoding/encbuf.ts";
import { MemTombstones } from "./tombstones.ts";

export const TOMBSTONES_FILENAME = "tombstones";
export const MAGIC_TOMBSTONE = 0x0130ba30;
export const TOMBSTONE_FORMAT_V1 = 1;
const HEADER_SIZE = 5;
const CRC_SIZE = 4;

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** What can be written: anything that iterates series refs and their flattened intervals. */
export interface TombstoneSource {
  iter(fn: (ref: number, ivs: readonly number[]) => void): void;
}

/**
 * A zig-zag varint of an int64 timestamp. Beyond ±2^53 (e.g. the ±2^63
 * "everything" bounds of a deletion request) a JS number is inexact, so those
 * go through BigInt, clamped to the int64 range (±Infinity included).
 */
function putVarint64(e: Encbuf, v: number): void {
  if (Number.isSafeInteger(v)) {
    e.putVarint(v);
    return;
  }
  if (Number.isNaN(v)) throw new Error("tombstones: NaN timestamp");
  let x: bigint;
  if (v === Number.POSITIVE_INFINITY) x = MAX_INT64;
  else if (v === Number.NEGATIVE_INFINITY) x = MIN_INT64;
  else {
    x = BigInt(Math.trunc(v));
    if (x < MIN_INT64) x = MIN_INT64;
    if (x > MAX_INT64) x = MAX_INT64;
  }
  let u = x < 0n ? -2n * x - 1n : 2n * x;
  while (u >= 0x80n) {
    e.putByte(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  e.putByte(Number(u));
}

/** Encodes the intervals without magic or checksum: version byte, then the entries. */
export function encodeTombstones(src: TombstoneSource): Uint8Array {
  const e = new Encbuf(256);
  e.putByte(TOMBSTONE_FORMAT_V1);
  src.iter((ref, ivs) => {
    for (let i = 0; i < ivs.length; i += 2) {
      e.putUvarint(ref);
      putVarint64(e, ivs[i]!);
      putVarint64(e, ivs[i + 1]!);
    }
  });
  return e.get().slice();
}

/** A cursor over encoded entries; Go varints decoded exactly up to 2^53 and via BigInt beyond. */
class Reader {
  private readonly b: Uint8Array;
  pos: number;
  private readonly end: number;
  private readonly what: string;

  constructor(b: Uint8Array, pos: number, end: number, what: string) {
    this.b = b;
    this.pos = pos;
    this.end = end;
    this.what = what;
  }

  private uvarintBytes(): [number, number] {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error(`${this.what}: unexpected end of data`);
      if (this.b[this.pos++]! < 0x80) {
        if (i === 9 && this.b[this.pos - 1]! > 1) break;
        return [start, this.pos];
      }
    }
    throw new Error(`${this.what}: varint overflows 64 bits`);
  }

  uvarint(): number {
    const [s, e] = this.uvarintBytes();
    let x = 0;
    let mul = 1;
    for (let i = s; i < e; i++) {
      x += (this.b[i]! & 0x7f) * mul;
      mul *= 128;
    }
    return x;
  }

  varint(): number {
    const [s, e] = this.uvarintBytes();
    // Up to 7 bytes hold 49 bits: exact as a number.
    if (e - s <= 7) {
      let u = 0;
      let mul = 1;
      for (let i = s; i < e; i++) {
        u += (this.b[i]! & 0x7f) * mul;
        mul *= 128;
      }
      return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
    let u = 0n;
    for (let i = e - 1; i >= s; i--) u = (u << 7n) | BigInt(this.b[i]! & 0x7f);
    return Number(u & 1n ? -(u >> 1n) - 1n : u >> 1n);
  }
}

/** Decodes what {@link encodeTombstones} produced. `what` names the source in errors. */
export function decodeTombstones(b: Uint8Array, what = "tombstones"): MemTombstones {
  if (b.length < 1) throw new Error(`${what}: missing format version`);
  if (b[0] !== TOMBSTONE_FORMAT_V1)
    throw new Error(`${what}: invalid tombstone format ${b[0]!.toString(16)}`);
  const r = new Reader(b, 1, b.length, what);
  const t = new MemTombstones();
  while (r.pos < b.length) {
    const ref = r.uvarint();
    const mint = r.varint();
    const maxt = r.varint();
    if (maxt < mint)
      throw new Error(`${what}: interval [${mint}, ${maxt}] of series ${ref} ends before it starts`);
    t.addInterval(ref, { mint, maxt });
  }
  return t;
}

/**
 * Writes `dir/tombstones` atomically (a .tmp file, fsynced, then renamed and
 * the directory fsynced); returns the file's size in bytes.
 */
export function writeTombstoneFile(dir: string, src: TombstoneSource): number {
  const file = path.join(dir, TOMBSTONES_FILENAME);
  const tmp = `${file}.tmp`;
  const body = encodeTombstones(src);
  const out = Buffer.allocUnsafe(4 + body.length + CRC_SIZE);
  out.writeUInt32BE(MAGIC_TOMBSTONE, 0);
  out.set(body, 4);
  out.writeUInt32BE(crc32c(body, 1), 4 + body.length);
  try {
    const fd = fs.openSync(tmp, "w");
    try {
      let off = 0;
      while (off < out.length) off += fs.writeSync(fd, out, off, out.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(dir);
  return out.length;
}

function syncDir(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/** Reads `dir/tombstones`; a missing file means no tombstones. Corruption throws an error naming the file. */
export function readTombstones(dir: string): MemTombstones {
  const file = path.join(dir, TOMBSTONES_FILENAME);
  let b: Buffer;
  try {
    b = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new MemTombstones();
    throw e;
  }
  if (b.length < HEADER_SIZE + CRC_SIZE)
    throw new Error(`tombstones ${file}: file too short (${b.length} bytes)`);
  const magic = b.readUInt32BE(0);
  if (magic !== MAGIC_TOMBSTONE)
    throw new Error(`tombstones ${file}: invalid magic number ${magic.toString(16)}`);
  const end = b.length - CRC_SIZE;
  if (crc32c(b, HEADER_SIZE, end) !== b.readUInt32BE(end))
    throw new Error(`tombstones ${file}: checksum mismatch`);
  return decodeTombstones(b.subarray(4, end), `tombstones ${file}`);
}
