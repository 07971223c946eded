/**
 * String interning for label names and values, so the same string repeated across many
 * series (`job`, `instance`, `"node"`, …) is held once.
 *
 * The pool is bounded with two generations: lookups hit the current generation, then the
 * previous one (promoting the hit). When the current generation is full it becomes the
 * previous one and the old previous one is dropped, so memory stays under about twice
 * the generation bound while hot strings survive. Dropping an entry never breaks
 * anything: strings already handed out stay valid, they just may be duplicated later.
 *
 * Do not intern slices of a large string (`big.slice(a, b)`): V8 may keep a sliced string
 * pointing into its parent, and the pool would keep the whole parent alive. Decode from
 * bytes (`buf.toString("utf8", a, b)`) or accept the duplicate instead.
 */

/** Options of a {@link StringInterner}. */
export interface StringInternerOptions {
  /** Maximum number of strings in one generation (the pool holds at most twice this). */
  readonly maxEntriesPerGeneration?: number;
  /** Strings longer than this (UTF-16 code units) are returned as is, never pooled. */
  readonly maxStringLength?: number;
}

/** A bounded string pool. Not thread-shared: one per worker/isolate. */
export class StringInterner {
  readonly #maxEntries: number;
  readonly #maxLength: number;
  #current = new Map<string, string>();
  #previous = new Map<string, string>();
  #currentChars = 0;
  #previousChars = 0;

  constructor(options: StringInternerOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntriesPerGeneration ?? 1 << 17);
    this.#maxLength = options.maxStringLength ?? 1024;
  }

  /**
   * Returns the pooled string equal to `s`, pooling `s` itself if absent. Strings longer
   * than `maxStringLength` are returned unchanged without being pooled.
   */
  intern(s: string): string {
    const hit = this.#current.get(s);
    if (hit !== undefined) return hit;
    if (s.length > this.#maxLength) return s;
    const old = this.#previous.get(s);
    const pooled = old ?? s;
    if (this.#current.size >= this.#maxEntries) this.#rotate();
    this.#current.set(pooled, pooled);
    this.#currentChars += pooled.length;
    return pooled;
  }

  /** True when a string equal to `s` is pooled (in either generation). */
  has(s: string): boolean {
    return this.#current.has(s) || this.#previous.has(s);
  }

  #rotate(): void {
    this.#previous = this.#current;
    this.#previousChars = this.#currentChars;
    this.#current = new Map();
    this.#currentChars = 0;
  }

  /** Number of pooled entries across both generations (a string may be counted twice). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /**
   * Approximate bytes retained by pooled string contents (2 bytes per code unit), not
   * counting map overhead (~50–80 bytes per entry in V8).
   */
  get retainedBytes(): number {
    return 2 * (this.#currentChars + this.#previousChars);
  }

  /** Empties the pool. */
  clear(): void {
    this.#current = new Map();
    this.#previous = new Map();
    this.#currentChars = 0;
    this.#previousChars = 0;
  }
}

/** The process-wide default pool used by parsers that intern label strings. */
export const defaultInterner: StringInterner = new StringInterner();

/** Interns `s` in {@link defaultInterner}. */
export function intern(s: string): string {
  return defaultInterner.intern(s);
}
