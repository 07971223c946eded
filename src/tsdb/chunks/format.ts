/**
 * Constants and references of a block's chunk segment files
 * (tsdb/docs/format/chunks.md): `chunks/000001`, `000002`, … each starting
 * with magic 0x85BD40DD, version 1 and three zero bytes, then chunks of
 * `uvarint(len(data)) | encoding byte | data | CRC32C(encoding, data) BE`.
 */
import { join } from "node:path";

export const MAGIC_CHUNKS = 0x85bd40dd;
export const CHUNKS_FORMAT_V1 = 1;
export const SEGMENT_HEADER_SIZE = 8;
/** The length field is at most a 32-bit uvarint. */
export const MAX_CHUNK_LENGTH_FIELD_SIZE = 5;
export const CHUNK_ENCODING_SIZE = 1;
export const CRC_SIZE = 4;
export const DEFAULT_CHUNK_SEGMENT_SIZE = 512 * 1024 * 1024;

const TWO32 = 4294967296;

/** A block chunk reference: segment index (0 for `000001`) in the high 32 bits, byte offset in the low. */
export function blockChunkRef(segment: number, offset: number): number {
  return segment * TWO32 + offset;
}

export function refSegment(ref: number): number {
  return Math.floor(ref / TWO32);
}

export function refOffset(ref: number): number {
  return ref >>> 0;
}

/** The path of segment file number `n` (1-based), as upstream names it. */
export function segmentFile(dir: string, n: number): string {
  return join(dir, String(n).padStart(6, "0"));
}

/** True for names upstream treats as segment files (parse as an unsigned integer). */
export function isSegmentName(name: string): boolean {
  return /^[0-9]+$/.test(name) && name.length <= 20;
}
