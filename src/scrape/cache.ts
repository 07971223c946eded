/**
 * The per-target scrape cache, upstream's `scrapeCache`: maps the raw bytes of
 * a series line (metric name and label set, as exposed) to what the last
 * parse made of them — the storage ref and the labels after target labels and
 * metric relabeling, or "dropped" — so an unchanged line costs a hash of its
 * bytes and one lookup instead of a label parse. It also tracks which series
 * each scrape saw, for staleness markers, and the metadata (TYPE, HELP, UNIT)
 * the target exposes.
 *
 * Keys are kept as bytes in one arena per target (no object per key) and
 * compared four bytes at a time. A steady target exposes its series in the
 * same order every scrape, so a line is first compared with the entry seen
 * at the same position in the previous pass; only when that fails is it
 * hashed (in place, murmur-style) and looked up. Hot path: guarded by
 * `npm run bench -- scrape`.
 */
import type { MetricType } from "../exposition/types.ts";
import type { Labels } from "../model/labels/labels.ts";
import type { SeriesRef } from "../storage/interface.ts";

/** What the cache remembers about one exposed series line. */
export class CacheEntry {
  /** Where the raw series bytes are in the cache's key arena; keyLen -1 once forgotten. */
  keyOff: number;
  keyLen: number;
  readonly keyHash: number;
  /** The final labels, or null when metric relabeling dropped the series. */
  readonly lset: Labels | null;
  ref: SeriesRef;
  /** The parse pass (`ScrapeCache.iter`) that last saw this line. */
  lastIter: number;
  /** The staleness cycle this series was last recorded in. */
  trackedCycle = -1;
  /** Next entry with the same key hash. */
  next: CacheEntry | null = null;

  constructor(
    keyOff: number,
    keyLen: number,
    keyHash: number,
    lset: Labels | null,
    ref: SeriesRef,
    iter: number,
  ) {
    this.keyOff = keyOff;
    this.keyLen = keyLen;
    this.keyHash = keyHash;
    this.lset = lset;
    this.ref = ref;
    this.lastIter = iter;
  }
}

/** One metric family's metadata as the target exposed it (upstream's `MetricMetadata`). */
export interface MetricMetadata {
  readonly metric: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

interface MetaEntry {
  type: MetricType;
  help: string;
  unit: string;
  lastIter: number;
}

/** Metadata entry kinds, for keying raw metadata lines. */
export const MetaKind = { Type: 0, Help: 1, Unit: 2 } as const;
export type MetaKind = (typeof MetaKind)[keyof typeof MetaKind];

/** A raw metadata line (family name through text) already applied to a family's entry. */
class MetaLine {
  readonly key: string;
  readonly meta: MetaEntry;
  lastIter: number;
  next: MetaLine | null = null;

  constructor(key: string, meta: MetaEntry, iter: number) {
    this.key = key;
    this.meta = meta;
    this.lastIter = iter;
  }
}

/** Counts forced flushes (`prometheus_target_scrapes_cache_flush_forced_total`). */
export interface CacheMetrics {
  readonly cacheFlushForced: { inc(): void };
}

/**
 * A 30-bit hash of `b[start, end)` (murmur-style mixing, four bytes per
 * step): a small non-negative integer that V8 keeps unboxed (a Smi), so
 * neither a cache entry nor the table's key costs a heap number.
 */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    h = Math.imul(h ^ Math.imul(w, 0xcc9e2d51), 0x1b873593);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 2;
}

function keyEquals(key: string, b: Uint8Array, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

/** Whether `a[ao, ao+n)` equals `b[bo, bo+n)`, four bytes per step. */
function bytesEqual(a: DataView, ao: number, b: DataView, bo: number, n: number): boolean {
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getUint32(ao + i) !== b.getUint32(bo + i)) return false;
  for (; i < n; i++) if (a.getUint8(ao + i) !== b.getUint8(bo + i)) return false;
  return true;
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
/** Initial key arena size; it doubles as needed and is compacted when half of it is forgotten keys. */
const ARENA_INITIAL = 64 * 1024;

/** See the module comment. Not shared between targets. */
export class ScrapeCache {
  /** The current parse pass; bumped by `begin()` before each non-empty body. */
  iter = 0;
  /** Entries by key hash, chained on collision. */
  readonly #table = new Map<number, CacheEntry>();
  #entries = 0;
  /** Series seen in the current and the previous scrape. */
  /**
   * Series tracked by the current and the previous pass, valid up to
   * `#curN`/`#prevN`: written by index and never shrunk, so steady scrapes
   * reuse the arrays instead of regrowing them (`length = 0` frees them in V8).
   */
  #cur: CacheEntry[] = [];
  #curN = 0;
  #prev: CacheEntry[] = [];
  #prevN = 0;
  #cycle = 0;
  #successfulCount = 0;
  readonly #metadata = new Map<string, MetaEntry>();
  /** Raw TYPE, HELP and UNIT lines by key hash, one table per kind. */
  readonly #metaLines = [
    new Map<number, MetaLine>(),
    new Map<number, MetaLine>(),
    new Map<number, MetaLine>(),
  ];
  #lastMeta: MetaEntry | null = null;
  readonly #metrics: CacheMetrics;
  /** The key hash computed by the last `get` (reused by `add` on a miss). */
  lastHash = 0;
  /** Series keys, back to back; `#arenaDead` bytes of it belong to forgotten entries. */
  #arena = new Uint8Array(ARENA_INITIAL);
  #arenaView = new DataView(this.#arena.buffer);
  #arenaUsed = 0;
  #arenaDead = 0;
  /** The body being parsed and a view of it, for key comparisons. */
  #body: Uint8Array | null = null;
  #bodyView: DataView<ArrayBufferLike> = EMPTY_VIEW;
  /** Entries by line position in the previous and the current pass (the sequential fast path). */
  #prevOrder: (CacheEntry | undefined)[] = [];
  #prevOrderN = 0;
  #curOrder: (CacheEntry | undefined)[] = [];
  #pos = 0;

  constructor(metrics: CacheMetrics) {
    this.#metrics = metrics;
  }

  /** Entries marked seen (`lastIter === iter`) in the current pass; when all are, a flush has nothing to drop. */
  seen = 0;
  #linesSeen = 0;
  #lines = 0;

  /** Starts a parse pass over a new body. */
  begin(): void {
    this.iter++;
    this.seen = 0;
    this.#linesSeen = 0;
    const prev = this.#prevOrder;
    this.#prevOrder = this.#curOrder;
    this.#prevOrderN = this.#pos;
    this.#curOrder = prev;
    this.#pos = 0;
  }

  /** Number of cached series lines (kept and dropped). */
  get size(): number {
    return this.#entries;
  }

  /**
   * The entry for the series bytes `b[start, end)`, or undefined. Does not
   * mark it seen: the caller compares `lastIter` with `iter` (a second sight
   * in one pass is a duplicate), then sets it and increments `seen`.
   */
  get(b: Uint8Array, start: number, end: number): CacheEntry | undefined {
    if (b !== this.#body) {
      this.#body = b;
      this.#bodyView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const len = end - start;
    const pos = this.#pos++;
    const guess = pos < this.#prevOrderN ? this.#prevOrder[pos] : undefined;
    if (guess !== undefined && guess.keyLen === len && this.#keyIs(guess, start, len)) {
      this.#curOrder[pos] = guess;
      return guess;
    }
    const h = hashBytes(b, start, end);
    this.lastHash = h;
    let e: CacheEntry | null = this.#table.get(h) ?? null;
    for (; e !== null; e = e.next) if (e.keyLen === len && this.#keyIs(e, start, len)) break;
    this.#curOrder[pos] = e ?? undefined;
    return e ?? undefined;
  }

  #keyIs(e: CacheEntry, start: number, len: number): boolean {
    return bytesEqual(this.#arenaView, e.keyOff, this.#bodyView, start, len);
  }

  /** Copies a key into the arena (growing it when full); returns its offset. */
  #storeKey(b: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (this.#arenaUsed + len > this.#arena.length) this.#resizeArena(len);
    const off = this.#arenaUsed;
    this.#arena.set(b.subarray(start, end), off);
    this.#arenaUsed += len;
    return off;
  }

  /** Moves the live keys into a fresh arena with room for `extra` more bytes. */
  #resizeArena(extra: number): void {
    const live = this.#arenaUsed - this.#arenaDead;
    let size = ARENA_INITIAL;
    while (size < (live + extra) * 1.5) size *= 2;
    const old = this.#arena;
    const next = new Uint8Array(size);
    let used = 0;
    for (const head of this.#table.values()) {
      for (let e: CacheEntry | null = head; e !== null; e = e.next) {
        next.set(old.subarray(e.keyOff, e.keyOff + e.keyLen), used);
        e.keyOff = used;
        used += e.keyLen;
      }
    }
    this.#arena = next;
    this.#arenaView = new DataView(next.buffer);
    this.#arenaUsed = used;
    this.#arenaDead = 0;
  }

  /**
   * Caches the series bytes `b[start, end)` with their final labels (null:
   * dropped) and ref; `hash` must be `lastHash` from the `get` that missed.
   */
  add(
    b: Uint8Array,
    start: number,
    end: number,
    hash: number,
    lset: Labels | null,
    ref: SeriesRef,
  ): CacheEntry {
    const e = new CacheEntry(this.#storeKey(b, start, end), end - start, hash, lset, ref, this.iter);
    this.#curOrder[this.#pos - 1] = e;
    const head = this.#table.get(hash);
    if (head !== undefined) e.next = head;
    this.#table.set(hash, e);
    this.#entries++;
    this.seen++;
    return e;
  }

  /** An entry that only takes part in staleness tracking (its append failed, so it has no ref). */
  uncached(lset: Labels): CacheEntry {
    return new CacheEntry(0, -1, 0, lset, 0, this.iter);
  }

  /** Records that the scrape in progress exposed this series (for staleness). */
  track(e: CacheEntry): void {
    if (e.trackedCycle === this.#cycle) return;
    e.trackedCycle = this.#cycle;
    this.#cur[this.#curN++] = e;
  }

  /**
   * Forgets what a failed pass recorded, so the empty append that follows
   * marks every series of the previous scrape stale (upstream would spare
   * the series parsed before the failure).
   */
  abortPass(): void {
    const cur = this.#cur;
    for (let i = 0; i < this.#curN; i++) cur[i]!.trackedCycle = -1;
    this.#curN = 0;
  }

  /** Calls `fn` with the labels of each series of the previous scrape that the current one lacks. */
  forEachStale(fn: (lset: Labels) => boolean): void {
    const cycle = this.#cycle;
    const prev = this.#prev;
    for (let i = 0; i < this.#prevN; i++) {
      const e = prev[i]!;
      if (e.trackedCycle !== cycle && e.lset !== null && !fn(e.lset)) return;
    }
  }

  /**
   * Ends a scrape: on success (`flush`), entries the last pass did not see
   * are forgotten (and metadata unseen for more than 10 passes); a failing
   * target whose cache grew past twice its last good size plus 1000 is
   * flushed too. The current series become the previous ones.
   */
  iterDone(flush: boolean): void {
    // The body's buffer goes back to the scrape loops' shared pool.
    this.#body = null;
    this.#bodyView = EMPTY_VIEW;
    const count = this.#entries + this.#metadata.size;
    if (flush) this.#successfulCount = count;
    else if (count > this.#successfulCount * 2 + 1000) {
      flush = true;
      this.#metrics.cacheFlushForced.inc();
    }
    if (flush) this.#flush();
    const prev = this.#prev;
    // Drop references past the new previous pass's end, so forgotten entries can be collected.
    if (this.#prevN > this.#curN) prev.fill(undefined as unknown as CacheEntry, this.#curN, this.#prevN);
    this.#prev = this.#cur;
    this.#prevN = this.#curN;
    this.#cur = prev;
    this.#curN = 0;
    this.#cycle++;
  }

  #flush(): void {
    const iter = this.iter;
    if (this.seen !== this.#entries) this.#sweep(iter);
    if (this.#arenaDead > ARENA_INITIAL && this.#arenaDead * 2 > this.#arenaUsed) this.#resizeArena(0);
    for (const [name, m] of this.#metadata) if (iter - m.lastIter > 10) this.#metadata.delete(name);
    if (this.#linesSeen !== this.#lines) {
      for (const table of this.#metaLines) this.#lines -= pruneMetaLines(table, iter);
    }
  }

  #sweep(iter: number): void {
    for (const [h, head] of this.#table) {
      let kept: CacheEntry | null = null;
      for (let e: CacheEntry | null = head; e !== null; ) {
        const next: CacheEntry | null = e.next;
        if (e.lastIter === iter) {
          e.next = kept;
          kept = e;
        } else {
          this.#entries--;
          this.#arenaDead += e.keyLen;
          e.keyLen = -1; // never matches again, even from an order array
        }
        e = next;
      }
      if (kept === null) this.#table.delete(h);
      else this.#table.set(h, kept);
    }
  }

  /**
   * Whether the metadata line whose family name and text span `b[start, end)`
   * was seen before; if so its family is marked seen and nothing else is
   * needed. On a miss, call `setType`/`setHelp`/`setUnit` then `addMetaLine`.
   */
  metaLineSeen(kind: MetaKind, b: Uint8Array, start: number, end: number): boolean {
    const h = hashBytes(b, start, end);
    this.lastHash = h;
    for (let l = this.#metaLines[kind].get(h) ?? null; l !== null; l = l.next) {
      if (keyEquals(l.key, b, start, end)) {
        if (l.lastIter !== this.iter) this.#linesSeen++;
        l.lastIter = this.iter;
        l.meta.lastIter = this.iter;
        return true;
      }
    }
    return false;
  }

  /** Remembers the line that the last `set*` call applied (hash from the `metaLineSeen` that missed). */
  addMetaLine(kind: MetaKind, b: Uint8Array, start: number, end: number, hash: number): void {
    if (this.#lastMeta === null) return;
    const table = this.#metaLines[kind];
    const l = new MetaLine(latin1(b, start, end), this.#lastMeta, this.iter);
    l.next = table.get(hash) ?? null;
    table.set(hash, l);
    this.#lines++;
    this.#linesSeen++;
  }

  /** Forgets the raw metadata lines (their meaning depends on the exposition format). */
  clearMetaLines(): void {
    for (const table of this.#metaLines) table.clear();
    this.#lines = 0;
    this.#linesSeen = 0;
  }

  #meta(family: string): MetaEntry {
    let m = this.#metadata.get(family);
    if (m === undefined) {
      m = { type: "unknown", help: "", unit: "", lastIter: this.iter };
      this.#metadata.set(family, m);
    }
    m.lastIter = this.iter;
    this.#lastMeta = m;
    return m;
  }

  setType(family: string, type: MetricType): void {
    this.#meta(family).type = type;
  }

  setHelp(family: string, help: string): void {
    this.#meta(family).help = help;
  }

  setUnit(family: string, unit: string): void {
    this.#meta(family).unit = unit;
  }

  /** Metadata of one metric family, or undefined. */
  getMetadata(metric: string): MetricMetadata | undefined {
    const m = this.#metadata.get(metric);
    return m === undefined ? undefined : { metric, type: m.type, help: m.help, unit: m.unit };
  }

  /** Metadata of every family the target exposed recently, in no particular order. */
  listMetadata(): MetricMetadata[] {
    const out: MetricMetadata[] = [];
    for (const [metric, m] of this.#metadata) out.push({ metric, type: m.type, help: m.help, unit: m.unit });
    return out;
  }

  /** Number of metadata entries (`prometheus_target_metadata_cache_entries`). */
  metadataLength(): number {
    return this.#metadata.size;
  }

  /** Bytes of metadata text, as upstream counts them (help + unit + type). */
  metadataBytes(): number {
    let n = 0;
    for (const m of this.#metadata.values()) {
      n += Buffer.byteLength(m.help) + Buffer.byteLength(m.unit) + m.type.length;
    }
    return n;
  }
}

/** Drops the lines not seen in pass `iter`; returns how many. */
function pruneMetaLines(table: Map<number, MetaLine>, iter: number): number {
  let dropped = 0;
  for (const [h, head] of table) {
    let kept: MetaLine | null = null;
    for (let l: MetaLine | null = head; l !== null; ) {
      const next: MetaLine | null = l.next;
      if (l.lastIter === iter) {
        l.next = kept;
        kept = l;
      } else dropped++;
      l = next;
    }
    if (kept === null) table.delete(h);
    else table.set(h, kept);
  }
  return dropped;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("latin1");
}
