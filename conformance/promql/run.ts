/**
 * Runs upstream's PromQL test scripts (../shared/conformance/promql/testdata,
 * Prometheus v3.5.3) through Vigil's engine and prints, per file,
 * `name.test: N passed, M failed, K skipped`, then the totals as the last
 * line. Evals touching native histograms are skipped. Exit status 1 when any
 * eval fails.
 *
 * Usage: run.ts [--verbose] [--keep-going] [file.test…]
 *   --verbose     details of every failure (file:line, query, variant, reason)
 *   --keep-going  run the parsable evals of files with unparsable queries
 *                 (upstream rejects such a file as a whole)
 *   --skips       list skipped evals and why
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultRunOptions, runScript } from "../../src/promql/promqltest/run.ts";

const here = dirname(fileURLToPath(import.meta.url));
const TESTDATA = resolve(here, "../../../shared/conformance/promql/testdata");

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const listSkips = args.includes("--skips");
const keepGoing = args.includes("--keep-going");
const named = args.filter((a) => !a.startsWith("--"));
const files =
  named.length > 0
    ? named.map((n) => (n.includes("/") ? n : join(TESTDATA, n.endsWith(".test") ? n : `${n}.test`)))
    : readdirSync(TESTDATA)
        .filter((f) => f.endsWith(".test"))
        .sort()
        .map((f) => join(TESTDATA, f));

const opts = { ...defaultRunOptions(), keepGoing };
let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of files) {
  const name = basename(path);
  const r = await runScript(readFileSync(path, "utf8"), name, opts);
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  console.log(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  if (r.error !== null) console.log(`  file error: ${r.error}`);
  for (const e of r.evals) {
    if (verbose && e.status === "fail") {
      console.log(`  FAIL ${name}:${e.line}: ${e.expr}`);
      if (e.variant !== "") console.log(`       in ${e.variant}`);
      console.log(`       ${e.reason.replaceAll("\n", "\n       ")}`);
    } else if (listSkips && e.status === "skip") {
      console.log(`  SKIP ${name}:${e.line}: ${e.expr} (${e.reason})`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 ? 0 : 1;
