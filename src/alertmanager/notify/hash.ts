/**
 * The alert hash the notification log records (upstream's `hashAlert`):
 * xxHash64 (seed 0) over the label names and values sorted by name, each
 * followed by a 0xff byte. Deliberately not the label-set fingerprint (FNV):
 * nflog entries written by upstream carry these hashes.
 */
import { compareUTF8 } from "../../model/labels/strings.ts";
import type { Alert, LabelSet } from "../types/types.ts";

const M = 0xffffffffffffffffn;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M;
}

function round(acc: bigint, input: bigint): bigint {
  return (rotl((acc + input * P2) & M, 31n) * P1) & M;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  return ((((acc ^ round(0n, val)) * P1) & M) + P4) & M;
}

/** xxHash64 of `b` with seed 0, as `github.com/cespare/xxhash/v2.Sum64`. */
export function xxhash64(b: Uint8Array): bigint {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = b.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (P1 + P2) & M;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & M;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, view.getBigUint64(i, true));
      v2 = round(v2, view.getBigUint64(i + 8, true));
      v3 = round(v3, view.getBigUint64(i + 16, true));
      v4 = round(v4, view.getBigUint64(i + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(n)) & M;
  for (; i + 8 <= n; i += 8) {
    h ^= round(0n, view.getBigUint64(i, true));
    h = (rotl(h, 27n) * P1 + P4) & M;
  }
  if (i + 4 <= n) {
    h ^= (BigInt(view.getUint32(i, true)) * P1) & M;
    h = (rotl(h, 23n) * P2 + P3) & M;
    i += 4;
  }
  for (; i < n; i++) {
    h ^= (BigInt(b[i]!) * P5) & M;
    h = (rotl(h, 11n) * P1) & M;
  }
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h;
}

const encoder = new TextEncoder();

/** Upstream's `hashAlert` over a label set. */
export function hashLabels(labels: LabelSet): bigint {
  const parts: string[] = [];
  for (const name of Object.keys(labels).sort(compareUTF8)) parts.push(name, labels[name]!);
  const chunks = parts.map((p) => encoder.encode(p));
  const buf = new Uint8Array(chunks.reduce((s, c) => s + c.length + 1, 0));
  let off = 0;
  for (const c of chunks) {
    buf.set(c, off);
    off += c.length;
    buf[off++] = 0xff;
  }
  return xxhash64(buf);
}

/** Upstream's `hashAlert`: {@link hashLabels} of the alert's labels. */
export function hashAlert(a: Alert): bigint {
  return hashLabels(a.labels);
}
