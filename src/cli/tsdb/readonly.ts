/**
 * A database directory opened for reading only, as upstream's `DBReadOnly`
 * that promtool uses: persisted blocks, plus the head rebuilt in memory from
 * the WAL for queries. Unlike `DB.open` it takes no lock, deletes no
 * leftovers, repairs nothing and writes nothing, so it is safe on the data
 * directory of a running server.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Querier } from "../../storage/interface.ts";
import { Block } from "../../tsdb/block.ts";
import { Head } from "../../tsdb/head/head.ts";
import { RangeHead } from "../../tsdb/head/reader.ts";
import { applyWAL } from "../../tsdb/head/replay.ts";
import { BlockQuerier, MergeQuerier } from "../../tsdb/querier.ts";
import { isULID, ulidTime } from "../../tsdb/ulid.ts";
import { describeFsError } from "./format.ts";

/** Head chunk range for the replayed head (upstream's default block range). */
const HEAD_CHUNK_RANGE = 2 * 3600 * 1000;

export class ReadOnlyDB {
  readonly dir: string;
  private blockList: Block[] | null = null;
  /** Blocks opened one by one with {@link block}. */
  private opened: Block[] = [];
  private head: Head | null = null;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Checks that `dir` exists; nothing is read until asked for. */
  static open(dir: string): ReadOnlyDB {
    try {
      statSync(dir);
    } catch (e) {
      throw new Error(`opening the db dir: ${describeFsError(e, "stat", dir)}`);
    }
    return new ReadOnlyDB(dir);
  }

  /** Every block directory, opened, in order of their minimum time (then ULID). */
  blocks(): readonly Block[] {
    if (this.blockList !== null) return this.blockList;
    const opened: Block[] = [];
    const failed = new Map<string, string>();
    for (const name of blockDirNames(this.dir)) {
      try {
        opened.push(Block.open(join(this.dir, name)));
      } catch (e) {
        failed.set(name, (e as Error).message);
      }
    }
    // A broken block that a loaded block was compacted from is obsolete, not corrupt.
    for (const b of opened) for (const p of b.meta.compaction.parents ?? []) failed.delete(p.ulid);
    if (failed.size > 0) {
      for (const b of opened) b.close();
      const list = [...failed].map(([id, msg]) => `${id}:${msg}`).join(" ");
      throw new Error(`unexpected corrupted block:map[${list}]`);
    }
    opened.sort((a, b) => a.minTime - b.minTime || (a.meta.ulid < b.meta.ulid ? -1 : 1));
    this.blockList = opened;
    return opened;
  }

  /** The block whose ULID has the newest timestamp (upstream's `LastBlockID`). */
  lastBlockID(): string {
    let best = "";
    let bestTime = -1;
    for (const name of blockDirNames(this.dir)) {
      const t = ulidTime(name);
      if (t > bestTime) {
        bestTime = t;
        best = name;
      }
    }
    if (best === "") throw new Error("no blocks found");
    return best;
  }

  /** The block in directory `id` (opened on its own). */
  block(id: string): Block {
    const dir = join(this.dir, id);
    try {
      statSync(dir);
    } catch {
      throw new Error(`invalid block ID ${id}`);
    }
    const b = Block.open(dir);
    this.opened.push(b);
    return b;
  }

  /**
   * A querier over `[mint, maxt]`: the blocks overlapping it and, when the
   * newest block ends before `maxt`, the head replayed from the WAL (samples
   * older than the newest block's end are left out, as upstream does).
   */
  querier(mint: number, maxt: number): Querier {
    const blocks = this.blocks();
    const qs: Querier[] = [];
    for (const b of blocks) {
      if (b.minTime <= maxt && mint < b.maxTime) qs.push(new BlockQuerier(b, mint, maxt));
    }
    const maxBlockTime = blocks.length > 0 ? blocks[blocks.length - 1]!.maxTime : -Infinity;
    if (maxBlockTime <= maxt) {
      const head = this.loadHead(maxBlockTime);
      if (head.numSeries() > 0 && maxt >= head.minT) {
        qs.push(new BlockQuerier(new RangeHead(head, mint, maxt), mint, maxt));
      }
    }
    return new MergeQuerier(qs);
  }

  /** Rebuilds the head from `wal/` (a missing WAL is an empty one). */
  private loadHead(minValidTime: number): Head {
    if (this.head !== null) return this.head;
    // Out-of-order samples a server accepted are kept, whatever its window was.
    const head = new Head({ chunkRange: HEAD_CHUNK_RANGE, oooTimeWindow: Number.MAX_SAFE_INTEGER });
    head.minValidTime = minValidTime;
    const walDir = join(this.dir, "wal");
    let exists = true;
    try {
      exists = statSync(walDir).isDirectory();
    } catch {
      exists = false;
    }
    if (exists) {
      try {
        applyWAL(head, walDir, { samples: 0, records: 0, corruptions: 0 });
      } catch (e) {
        throw new Error(`read WAL: ${(e as Error).message}`, { cause: e });
      }
    }
    this.head = head;
    return head;
  }

  close(): void {
    for (const b of this.blockList ?? []) b.close();
    for (const b of this.opened) b.close();
    this.blockList = null;
    this.opened = [];
    this.head?.close();
    this.head = null;
  }
}

/** Names of the entries of `dir` that are block ULIDs, sorted. */
function blockDirNames(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && isULID(e.name)) out.push(e.name);
  }
  return out.sort();
}
