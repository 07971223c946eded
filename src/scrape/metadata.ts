/**
 * The metadata half of the scrape cache: the TYPE, HELP and UNIT a target
 * exposes, per metric family (upstream's `scrapeCache.metadata`), and the raw
 * metadata lines already applied, keyed by their bytes so an unchanged line
 * costs a hash and a compare instead of a decode. Per family, not per series.
 */
import type { MetricType } from "../exposition/types.ts";
import { hashBytes } from "./hash.ts";

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

function keyEquals(key: string, b: Uint8Array, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

/** A target's metadata; `ScrapeCache` drives its passes. Also the target's `MetadataStore`. */
export class MetadataCache {
  /** The key hash computed by the last `metaLineSeen` (reused by `addMetaLine` on a miss). */
  lastHash = 0;
  #iter = 0;
  readonly #metadata = new Map<string, MetaEntry>();
  /** Raw TYPE, HELP and UNIT lines by key hash, one table per kind. */
  readonly #metaLines = [
    new Map<number, MetaLine>(),
    new Map<number, MetaLine>(),
    new Map<number, MetaLine>(),
  ];
  #lastMeta: MetaEntry | null = null;
  #linesSeen = 0;
  #lines = 0;

  /** Starts parse pass `iter` (the series cache's). */
  begin(iter: number): void {
    this.#iter = iter;
    this.#linesSeen = 0;
  }

  /** Forgets families unseen for more than 10 passes and lines the current pass did not see. */
  prune(): void {
    const iter = this.#iter;
    for (const [name, m] of this.#metadata) if (((iter - m.lastIter) | 0) > 10) this.#metadata.delete(name);
    if (this.#linesSeen !== this.#lines) {
      for (const table of this.#metaLines) this.#lines -= pruneMetaLines(table, iter);
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
        if (l.lastIter !== this.#iter) this.#linesSeen++;
        l.lastIter = this.#iter;
        l.meta.lastIter = this.#iter;
        return true;
      }
    }
    return false;
  }

  /** Remembers the line that the last `set*` call applied (hash from the `metaLineSeen` that missed). */
  addMetaLine(kind: MetaKind, b: Uint8Array, start: number, end: number, hash: number): void {
    if (this.#lastMeta === null) return;
    const table = this.#metaLines[kind];
    const l = new MetaLine(latin1(b, start, end), this.#lastMeta, this.#iter);
    l.next = table.get(hash) ?? null;
    table.set(hash, l);
    this.#lines++;
    this.#linesSeen++;
  }

  /** Forgets the raw metadata lines (their meaning depends on the exposition format). */
  clearLines(): void {
    for (const table of this.#metaLines) table.clear();
    this.#lines = 0;
    this.#linesSeen = 0;
  }

  #meta(family: string): MetaEntry {
    let m = this.#metadata.get(family);
    if (m === undefined) {
      m = { type: "unknown", help: "", unit: "", lastIter: this.#iter };
      this.#metadata.set(family, m);
    }
    m.lastIter = this.#iter;
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

  /** Number of metric families. */
  get size(): number {
    return this.#metadata.size;
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
