/**
 * Which blocks to compact next, as upstream's leveled compactor decides:
 * overlapping blocks first (vertical compaction), then groups that fill an
 * aligned range of the next level, then single blocks heavy with tombstones.
 */
import type { BlockMeta } from "./meta.ts";

export interface DirMeta {
  dir: string;
  meta: BlockMeta;
}

/** `minSize`, `minSize*stepSize`, … — `steps` ranges (upstream's ExponentialBlockRanges). */
export function exponentialBlockRanges(minSize: number, steps: number, stepSize: number): number[] {
  const out: number[] = [];
  let r = minSize;
  for (let i = 0; i < steps; i++) {
    out.push(r);
    r *= stepSize;
  }
  return out;
}

/** Level ranges for a retention: 2h × 3^i, none above 10% of retention or 31 days. */
export function blockRanges(minBlockMs: number, retentionMs: number, maxBlockMs?: number): number[] {
  const cap = maxBlockMs ?? Math.min(retentionMs > 0 ? retentionMs / 10 : Infinity, 31 * 24 * 3600 * 1000);
  const ranges = exponentialBlockRanges(minBlockMs, 10, 3);
  const kept = ranges.filter((r) => r <= cap);
  return kept.length > 0 ? kept : [minBlockMs];
}

export function plan(blocks: readonly DirMeta[], ranges: readonly number[]): string[] {
  const dms = [...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime);
  const overlapping = selectOverlappingDirs(dms);
  if (overlapping.length > 0) return overlapping;
  // Leave the newest block out: it was just cut from the head, and a full
  // range of time lets users back it up before it is compacted away.
  const older = dms.slice(0, -1);
  const picked = selectDirs(older, ranges);
  if (picked.length > 0) return picked.map((d) => d.dir);
  for (let i = older.length - 1; i >= 0; i--) {
    const m = older[i]!.meta;
    const tombstones = m.stats.numTombstones ?? 0;
    if (m.maxTime - m.minTime < ranges[Math.floor(ranges.length / 2)]!) {
      if (tombstones > 0 && tombstones >= m.stats.numSeries) return [older[i]!.dir];
      break;
    }
    if (tombstones / (m.stats.numSeries + 1) > 0.05) return [older[i]!.dir];
  }
  return [];
}

export function selectOverlappingDirs(ds: readonly DirMeta[]): string[] {
  if (ds.length < 2) return [];
  const out: string[] = [];
  let globalMaxt = ds[0]!.meta.maxTime;
  for (let i = 1; i < ds.length; i++) {
    const d = ds[i]!;
    if (d.meta.minTime < globalMaxt) {
      if (out.length === 0) out.push(ds[i - 1]!.dir);
      out.push(d.dir);
    } else if (out.length > 0) break;
    if (d.meta.maxTime > globalMaxt) globalMaxt = d.meta.maxTime;
  }
  return out;
}

export function selectDirs(ds: readonly DirMeta[], ranges: readonly number[]): DirMeta[] {
  if (ranges.length < 2 || ds.length < 1) return [];
  const highTime = ds[ds.length - 1]!.meta.minTime;
  for (const iv of ranges.slice(1)) {
    for (const p of splitByRange(ds, iv)) {
      if (p.some((d) => d.meta.compaction.failed === true)) continue;
      const mint = p[0]!.meta.minTime;
      const maxt = p[p.length - 1]!.meta.maxTime;
      // The whole range is covered, or a newer block exists after it: nothing more will join.
      if ((maxt - mint === iv || maxt <= highTime) && p.length > 1) return p;
    }
  }
  return [];
}

/** Groups consecutive blocks that fall inside one aligned range of width `tr`. */
export function splitByRange(ds: readonly DirMeta[], tr: number): DirMeta[][] {
  const out: DirMeta[][] = [];
  for (let i = 0; i < ds.length; ) {
    const m = ds[i]!.meta;
    const t0 = tr * Math.floor(m.minTime / tr);
    if (m.maxTime > t0 + tr) {
      i++;
      continue;
    }
    const group: DirMeta[] = [];
    for (; i < ds.length; i++) {
      if (ds[i]!.meta.maxTime > t0 + tr) break;
      group.push(ds[i]!);
    }
    if (group.length > 0) out.push(group);
  }
  return out;
}
