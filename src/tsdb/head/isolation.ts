/**
 * Isolation bookkeeping: every commit takes the next append id; a reader
 * remembers the id current when it opened and must not see samples of later
 * commits. The low watermark is the oldest id any open reader holds; series
 * only keep per-commit history newer than it.
 */
export class Isolation {
  lastAppendId = 0;
  private readonly open = new Map<number, number>();
  private nextReader = 1;

  /** Registers a reader; returns its token and the append id it reads at. */
  openReader(): { token: number; readId: number } {
    const token = this.nextReader++;
    this.open.set(token, this.lastAppendId);
    return { token, readId: this.lastAppendId };
  }

  closeReader(token: number): void {
    this.open.delete(token);
  }

  /** The oldest read id of an open reader; the last append id when none is open. */
  lowWatermark(): number {
    if (this.open.size === 0) return this.lastAppendId;
    let low = Infinity;
    for (const id of this.open.values()) if (id < low) low = id;
    return low;
  }

  openReaders(): number {
    return this.open.size;
  }
}
