/**
 * A block's consistency check: every series in label order with valid
 * labels, every chunk readable (checksums verified), its samples sorted,
 * inside the chunk's and the block's time range, and the counts in meta.json
 * equal to what is there. Returns the problems found; empty means healthy.
 */
import { Labels } from "../model/labels/labels.ts";
import { ValueType } from "../storage/interface.ts";
import { Block } from "./block.ts";
import type { ChunkMeta } from "./blockreader.ts";

export function verifyBlock(dir: string): string[] {
  const problems: string[] = [];
  let block: Block;
  try {
    block = Block.open(dir);
  } catch (e) {
    return [`open: ${(e as Error).message}`];
  }
  try {
    const { minTime, maxTime, stats } = block.meta;
    const ix = block.index();
    const cr = block.chunks();
    let prev: Labels | null = null;
    let series = 0;
    let chunks = 0;
    let samples = 0;
    const out: { labels?: Labels; chunks: ChunkMeta[] } = { chunks: [] };
    for (const ref of ix.allPostings()) {
      out.chunks = [];
      if (!ix.series(ref, out)) {
        problems.push(`series ${ref}: not found`);
        continue;
      }
      const labels = out.labels!;
      series++;
      if (prev !== null && Labels.compare(prev, labels) >= 0)
        problems.push(`series ${labels}: out of label order`);
      prev = labels;
      let lastT = -Infinity;
      for (const m of out.chunks) {
        chunks++;
        if (m.minT < minTime || m.maxT >= maxTime) {
          problems.push(
            `series ${labels}: chunk [${m.minT}, ${m.maxT}] outside block [${minTime}, ${maxTime})`,
          );
        }
        let it: ReturnType<typeof cr.iterator>;
        try {
          it = cr.iterator(m);
        } catch (e) {
          problems.push(`series ${labels}: chunk ${m.ref}: ${(e as Error).message}`);
          continue;
        }
        if (it === null) {
          problems.push(`series ${labels}: chunk ${m.ref} missing`);
          continue;
        }
        let first = true;
        while (it.next() !== ValueType.None) {
          const t = it.atT();
          samples++;
          if (first && t !== m.minT)
            problems.push(`series ${labels}: chunk starts at ${t}, meta says ${m.minT}`);
          first = false;
          if (t <= lastT) problems.push(`series ${labels}: sample at ${t} not after ${lastT}`);
          if (t > m.maxT) problems.push(`series ${labels}: sample at ${t} after chunk maxT ${m.maxT}`);
          lastT = t;
        }
        if (it.err() !== null) problems.push(`series ${labels}: chunk ${m.ref}: ${it.err()!.message}`);
        if (lastT !== m.maxT) problems.push(`series ${labels}: chunk ends at ${lastT}, meta says ${m.maxT}`);
      }
    }
    if (series !== stats.numSeries)
      problems.push(`meta.json numSeries ${stats.numSeries}, index has ${series}`);
    if (chunks !== stats.numChunks)
      problems.push(`meta.json numChunks ${stats.numChunks}, index has ${chunks}`);
    if (samples !== stats.numSamples)
      problems.push(`meta.json numSamples ${stats.numSamples}, chunks hold ${samples}`);
  } finally {
    block.close();
  }
  return problems;
}
