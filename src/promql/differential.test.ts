/**
 * Differential test against the reference Prometheus: a generated dataset is
 * written as OpenMetrics, backfilled into blocks by promtool, and served both
 * by `prometheus` (over HTTP) and by Vigil's engine (in process, on a copy of
 * the same blocks). Hundreds of generated queries are evaluated by both, as
 * instant queries at several times and as range queries, and the results
 * compared. Set DIFFTEST_OUT=<file> to also write every mismatch as JSON.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ReadOnlyDB } from "../cli/tsdb/readonly.ts";
import {
  type CompareOptions,
  compareOutcomes,
  type Diff,
  defaultCompareOptions,
  describeOutcome,
} from "./difftest/compare.ts";
import { generateDataset, writeOpenMetrics } from "./difftest/dataset.ts";
import { PrometheusServer, referenceAvailable } from "./difftest/prometheus.ts";
import { createBlocksFromOpenMetrics } from "./difftest/promtool.ts";
import { generateQueries } from "./difftest/queries.ts";
import { describeMode, type EvalMode, runPrometheus, runVigil } from "./difftest/runner.ts";
import { Engine } from "./engine.ts";
import type { QueryValue } from "./value.ts";

const SEED = 20240611;
const HOURS = 3;
const MIN = 60_000;
/** Queries evaluated at once (Prometheus serves them concurrently; Vigil's engine interleaves them). */
const CONCURRENCY = 2;

interface Mismatch extends Diff {
  query: string;
  mode: string;
  vigil: string;
  reference: string;
}

test("differential: Vigil's engine agrees with Prometheus v3.5.3", { timeout: 180_000 }, async (t) => {
  if (!referenceAvailable()) {
    t.skip("reference prometheus/promtool not installed in .reference/bin");
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "vigil-difftest-"));
  let prom: PrometheusServer | null = null;
  let db: ReadOnlyDB | null = null;
  try {
    const t0 = performance.now();
    const ds = generateDataset(SEED, HOURS);
    const om = join(work, "data.om");
    writeOpenMetrics(ds, om);
    const blocks = join(work, "blocks");
    createBlocksFromOpenMetrics(om, blocks);
    rmSync(om);
    // Each side gets its own copy: Prometheus locks and writes its data dir.
    const vigilDir = join(work, "vigil");
    cpSync(blocks, vigilDir, { recursive: true });
    db = ReadOnlyDB.open(vigilDir);
    prom = await PrometheusServer.start({ dataDir: blocks, lookbackDelta: "5m" });
    const setupMs = performance.now() - t0;

    // The server's defaults: delayed name removal and experimental functions off.
    const engine = new Engine({
      lookbackDelta: 5 * MIN,
      enableDelayedNameRemoval: false,
      experimentalFunctions: false,
      noStepSubqueryIntervalMs: MIN,
    });
    const { start, end } = ds;
    const modes: EvalMode[] = [
      { kind: "instant", t: start - MIN },
      { kind: "instant", t: start + 7.5 * MIN },
      { kind: "instant", t: start + 60 * MIN + 500 },
      { kind: "instant", t: start + 120 * MIN },
      { kind: "instant", t: end - 1000 },
      { kind: "instant", t: end + 4 * MIN },
      { kind: "range", start, end, step: MIN },
      { kind: "range", start: start + 60 * MIN + 7000, end: start + 97 * MIN, step: 15_000 },
      { kind: "range", start: start - 10 * MIN, end: start + 20 * MIN, step: 37_000 },
    ];
    const queries = generateQueries(start, end);
    const mismatches: Mismatch[] = [];
    const errorTypeDiffs: string[] = [];
    const annotationDiffs: string[] = [];
    let evaluations = 0;
    let nonEmpty = 0;
    const queriesWithMismatch = new Set<string>();

    const one = async (query: string, ordered: boolean): Promise<void> => {
      const results = await Promise.all(
        modes.map(async (m) => {
          const [v, p] = await Promise.all([runVigil(engine, db!, query, m), runPrometheus(prom!, query, m)]);
          return { m, v, p };
        }),
      );
      for (const { m, v, p } of results) {
        evaluations++;
        if (p.ok && !isEmpty(p.value)) nonEmpty++;
        const o: CompareOptions = { ...defaultCompareOptions, ordered: ordered && m.kind === "instant" };
        const diff = compareOutcomes(v, p, o);
        const mode = describeMode(m, start);
        if (diff !== null) {
          queriesWithMismatch.add(query);
          mismatches.push({ ...diff, query, mode, vigil: describeOutcome(v), reference: describeOutcome(p) });
        } else if (!v.ok && !p.ok && v.errorType !== p.errorType) {
          errorTypeDiffs.push(`${query} [${mode}]: vigil ${v.errorType}, reference ${p.errorType}`);
        } else if (v.ok && p.ok) {
          const a = [...v.warnings, ...v.infos].sort().join(" | ");
          const b = [...p.warnings, ...p.infos].sort().join(" | ");
          if (a !== b) annotationDiffs.push(`${query} [${mode}]: vigil {${a}} vs reference {${b}}`);
        }
      }
    };
    const t1 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < queries.length) {
          const q = queries[next++]!;
          await one(q.query, q.ordered);
        }
      }),
    );
    const evalMs = performance.now() - t1;

    const byCause = new Map<string, number>();
    for (const m of mismatches) byCause.set(m.cause, (byCause.get(m.cause) ?? 0) + 1);
    t.diagnostic(
      `${queries.length} queries (${evaluations} evaluations), ${mismatches.length} mismatches in ${queriesWithMismatch.size} queries`,
    );
    t.diagnostic(`by cause: ${JSON.stringify(Object.fromEntries(byCause))}`);
    t.diagnostic(
      `name-removal-only differences: ${byCause.get("name-removal") ?? 0}; error-type differences: ${errorTypeDiffs.length}; annotation differences: ${annotationDiffs.length}`,
    );
    t.diagnostic(
      `${ds.series.length} series; ${nonEmpty} non-empty reference results; setup ${Math.round(setupMs)} ms, evaluation ${Math.round(evalMs)} ms`,
    );
    for (const d of errorTypeDiffs.slice(0, 5)) t.diagnostic(`error type: ${d}`);
    for (const d of annotationDiffs.slice(0, 5)) t.diagnostic(`annotations: ${d}`);
    const out = process.env.DIFFTEST_OUT;
    if (out !== undefined && out !== "") {
      writeFileSync(out, JSON.stringify({ mismatches, errorTypeDiffs, annotationDiffs }, null, 1));
    }

    // The dataset must actually exercise the engine: most evaluations return data.
    assert.ok(queries.length >= 300, `only ${queries.length} queries`);
    assert.ok(nonEmpty > evaluations / 2, `only ${nonEmpty} of ${evaluations} reference results hold data`);
    const shown = mismatches
      .slice(0, 25)
      .map(
        (m) =>
          `- [${m.cause}] ${m.query}  (${m.mode})\n    ${m.detail}\n    vigil:     ${m.vigil}\n    reference: ${m.reference}`,
      )
      .join("\n");
    assert.equal(
      mismatches.length,
      0,
      `${mismatches.length} of ${evaluations} evaluations differ (${queriesWithMismatch.size} of ${queries.length} queries); first:\n${shown}`,
    );
    // Warnings and infos (with their positions) and error types must agree too.
    assert.deepEqual(
      annotationDiffs.slice(0, 10),
      [],
      `${annotationDiffs.length} evaluations differ in annotations`,
    );
    assert.deepEqual(
      errorTypeDiffs.slice(0, 10),
      [],
      `${errorTypeDiffs.length} evaluations differ in error type`,
    );
  } finally {
    await prom?.stop();
    db?.close();
    rmSync(work, { recursive: true, force: true });
  }
});

function isEmpty(v: QueryValue): boolean {
  return (v.type === "vector" && v.samples.length === 0) || (v.type === "matrix" && v.series.length === 0);
}
