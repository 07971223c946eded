/**
 * Writes a block from one or more sources (the head, or blocks being
 * compacted): series merged by labels, chunks copied as they are when they
 * fit the range untouched, otherwise samples merged, trimmed, stripped of
 * deleted ranges and re-encoded. The block is built in `<ulid>.tmp-for-creation`
 * and renamed into place only when complete, so a crash never leaves half a block.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Labels } from "../model/labels/labels.ts";
import { compareUTF8 } from "../model/labels/strings.ts";
import { ValueType } from "../storage/interface.ts";
import { SampleBuf } from "../storage/samplebuf.ts";
import type { BlockReader, ChunkMeta, ChunkReader, SeriesEntry } from "./blockreader.ts";
import { Encoding, encodeXOR } from "./chunkenc/xor.ts";
import { ChunkWriter } from "./chunks/writer.ts";
import { IndexWriter } from "./index/writer.ts";
import { ChunkSeriesIterator } from "./iterators.ts";
import { type BlockDesc, type BlockMeta, META_VERSION, writeMeta } from "./meta.ts";
import { writeTombstoneFile } from "./tombstones/file.ts";
import { MemTombstones } from "./tombstones/tombstones.ts";
import { ulid as newULID } from "./ulid.ts";

export interface WriteBlockOptions {
  /** Compaction level of the result: 1 for head blocks, parents' max + 1 otherwise. */
  level: number;
  sources: string[];
  parents?: BlockDesc[];
  hints?: string[];
  /** Chunk segment size (tests use small ones). */
  segmentSize?: number;
  /** Samples per re-encoded chunk. */
  samplesPerChunk?: number;
  ulid?: string;
}

const SAMPLES_PER_CHUNK = 120;

/** A series in the output: its labels, and per source the chunks to take. */
interface Pending {
  labels: Labels;
  parts: { src: number; metas: ChunkMeta[]; deleted: readonly number[] | undefined }[];
}

/**
 * Writes the samples of `sources` in `[mint, maxt)` as a new block under
 * `dbDir`; returns its meta, or null (and writes nothing) when there are no samples.
 */
export function writeBlock(
  dbDir: string,
  sources: readonly BlockReader[],
  mint: number,
  maxt: number,
  opts: WriteBlockOptions,
): BlockMeta | null {
  const id = opts.ulid ?? newULID();
  const tmp = join(dbDir, `${id}.tmp-for-creation`);
  const final = join(dbDir, id);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "chunks"), { recursive: true });
  try {
    const meta = writeInto(tmp, id, sources, mint, maxt, opts);
    if (meta === null) {
      rmSync(tmp, { recursive: true, force: true });
      return null;
    }
    syncDir(tmp);
    renameSync(tmp, final);
    syncDir(dbDir);
    return meta;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function writeInto(
  dir: string,
  id: string,
  sources: readonly BlockReader[],
  mint: number,
  maxt: number,
  opts: WriteBlockOptions,
): BlockMeta | null {
  const perChunk = opts.samplesPerChunk ?? SAMPLES_PER_CHUNK;
  const pending = mergeSeries(sources, mint, maxt);
  const chunkReaders = sources.map((s) => s.chunks());
  const cw = new ChunkWriter(
    join(dir, "chunks"),
    opts.segmentSize !== undefined ? { segmentSize: opts.segmentSize } : {},
  );
  // Upstream's symbol tables always hold "" (the all-postings key's name and value).
  const symbols = new Set<string>([""]);
  const out: { labels: Labels; chunks: ChunkMeta[] }[] = [];
  let numSamples = 0;
  let numChunks = 0;
  try {
    for (const p of pending) {
      const chunks = canCopy(p, mint, maxt)
        ? copyChunks(p, chunkReaders, cw)
        : reencode(p, chunkReaders, cw, mint, maxt - 1, perChunk);
      if (chunks.metas.length === 0) continue;
      numSamples += chunks.samples;
      numChunks += chunks.metas.length;
      p.labels.forEach((n, v) => {
        symbols.add(n);
        symbols.add(v);
      });
      out.push({ labels: p.labels, chunks: chunks.metas });
    }
  } finally {
    cw.close();
  }
  if (out.length === 0) return null;

  const iw = IndexWriter.create(join(dir, "index"));
  try {
    for (const s of [...symbols].sort(compareUTF8)) iw.addSymbol(s);
    let ref = 0;
    for (const s of out) iw.addSeries(++ref, s.labels, s.chunks);
  } finally {
    iw.close();
  }
  writeTombstoneFile(dir, new MemTombstones());

  const meta: BlockMeta = {
    ulid: id,
    minTime: mint,
    maxTime: maxt,
    stats: { numSamples, numSeries: out.length, numChunks },
    compaction: { level: opts.level, sources: [...new Set(opts.sources)].sort() },
    version: META_VERSION,
  };
  if (opts.parents !== undefined && opts.parents.length > 0) meta.compaction.parents = opts.parents;
  if (opts.hints !== undefined && opts.hints.length > 0) meta.compaction.hints = opts.hints;
  writeMeta(dir, meta);
  return meta;
}

/** Every series of every source with chunks in range, merged by labels in sorted order. */
function mergeSeries(sources: readonly BlockReader[], mint: number, maxt: number): Pending[] {
  const byKey = new Map<string, Pending>();
  const all: Pending[] = [];
  sources.forEach((src, si) => {
    const ix = src.index();
    const tomb = src.tombstones();
    const entry: SeriesEntry = { labels: Labels.EMPTY, chunks: [] };
    for (const ref of ix.sortedPostings(ix.allPostings())) {
      entry.chunks = [];
      if (!ix.series(ref, entry)) continue;
      const metas = entry.chunks.filter((c) => c.maxT >= mint && c.minT < maxt);
      if (metas.length === 0) continue;
      const part = { src: si, metas, deleted: tomb.get(ref) };
      if (sources.length === 1) {
        all.push({ labels: entry.labels, parts: [part] });
        continue;
      }
      const key = entry.labels.flat().join("\xff");
      let p = byKey.get(key);
      if (p === undefined) {
        p = { labels: entry.labels, parts: [] };
        byKey.set(key, p);
        all.push(p);
      }
      p.parts.push(part);
    }
  });
  if (sources.length > 1) all.sort((a, b) => Labels.compare(a.labels, b.labels));
  return all;
}

/** Chunks can be copied byte for byte: one source, inside the range, disjoint, nothing deleted. */
function canCopy(p: Pending, mint: number, maxt: number): boolean {
  if (p.parts.length !== 1) return false;
  const part = p.parts[0]!;
  if (part.deleted !== undefined && part.deleted.length > 0) return false;
  let prevMax = -Infinity;
  for (const m of part.metas) {
    if (m.minT < mint || m.maxT >= maxt || m.minT <= prevMax) return false;
    prevMax = m.maxT;
  }
  return true;
}

function copyChunks(
  p: Pending,
  readers: ChunkReader[],
  cw: ChunkWriter,
): { metas: ChunkMeta[]; samples: number } {
  const part = p.parts[0]!;
  const cr = readers[part.src]!;
  const metas: ChunkMeta[] = [];
  let samples = 0;
  for (const m of part.metas) {
    const c = cr.chunk(m);
    if (c === null) continue;
    if (c.encoding !== Encoding.XOR) throw new Error(`chunk encoding ${c.encoding} is not supported`);
    // The chunk's maxT may have been capped for isolation; recount from the bytes.
    samples += (c.data[0]! << 8) | c.data[1]!;
    metas.push({ ref: cw.writeChunk(c.encoding, c.data), minT: m.minT, maxT: m.maxT });
  }
  return { metas, samples };
}

function reencode(
  p: Pending,
  readers: ChunkReader[],
  cw: ChunkWriter,
  mint: number,
  maxt: number,
  perChunk: number,
): { metas: ChunkMeta[]; samples: number } {
  const its = p.parts.map(
    (part) => new ChunkSeriesIterator(part.metas, readers[part.src]!, mint, maxt, part.deleted),
  );
  // Merge the parts by time; the first source wins on equal timestamps.
  const state = its.map((it) => it.next());
  const metas: ChunkMeta[] = [];
  const buf = new SampleBuf(perChunk);
  let samples = 0;
  const flush = (): void => {
    if (buf.n === 0) return;
    const data = encodeXOR(buf.ts.subarray(0, buf.n), buf.vs.subarray(0, buf.n));
    metas.push({ ref: cw.writeChunk(Encoding.XOR, data), minT: buf.first(), maxT: buf.last() });
    buf.clear();
  };
  for (;;) {
    let best = -1;
    let bt = Infinity;
    for (let i = 0; i < its.length; i++) {
      if (state[i] !== ValueType.None && its[i]!.atT() < bt) {
        bt = its[i]!.atT();
        best = i;
      }
    }
    if (best < 0) break;
    const v = its[best]!.atV();
    for (let i = 0; i < its.length; i++) {
      if (state[i] !== ValueType.None && its[i]!.atT() === bt) state[i] = its[i]!.next();
    }
    buf.push(bt, v);
    samples++;
    if (buf.n >= perChunk) flush();
  }
  flush();
  for (const it of its) {
    const e = it.err();
    if (e !== null) throw e;
  }
  return { metas, samples };
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
