/**
 * Runs the exposition conformance corpus (../shared/conformance/exposition)
 * through Vigil's parser in both modes and prints `N passed, M failed`:
 * - strict mode must match the specification's verdict (OpenMetrics suite
 *   `shouldParse`, expfmt's verdict for the classic format);
 * - scrape mode must match what Prometheus 3.5.3's scraper did, including the
 *   number of samples it scraped from each accepted input.
 * Exit status 1 when any case fails. `--verbose` lists every case.
 */
import { parseFamilies } from "../../src/exposition/families.ts";
import { ParseError } from "../../src/exposition/parser.ts";
import { type Case, loadCorpus, type Verdict } from "./corpus.ts";
import { DISPUTED } from "./disputed.ts";

interface Outcome {
  readonly verdict: Verdict;
  readonly samples: number;
  readonly error: string;
}

function run(c: Case, mode: "strict" | "scrape"): Outcome {
  try {
    const fams = parseFamilies(c.body, c.format, { mode });
    return { verdict: "accept", samples: fams.reduce((n, f) => n + f.samples.length, 0), error: "" };
  } catch (e) {
    if (!(e instanceof ParseError)) throw new Error(`${c.name}: parser threw a non-ParseError`, { cause: e });
    return { verdict: "reject", samples: 0, error: e.message };
  }
}

const verbose = process.argv.includes("--verbose");
let passed = 0;
let failed = 0;
let skipped = 0;
for (const c of loadCorpus()) {
  const strict = run(c, "strict");
  const scrape = run(c, "scrape");
  const checks: [string, boolean, string][] = [
    [
      "spec",
      strict.verdict === c.spec,
      `strict mode ${strict.verdict}s, the specification says ${c.spec} ${strict.error}`,
    ],
    [
      "prometheus",
      scrape.verdict === c.prometheus && (c.prometheus === "reject" || scrape.samples === c.samples),
      `scrape mode ${scrape.verdict}s with ${scrape.samples} samples, Prometheus 3.5.3 ${c.prometheus}s with ${c.samples} ${scrape.error}`,
    ],
  ];
  for (const [what, ok, why] of checks) {
    const dispute = DISPUTED.find((d) => d.name === c.name && d.check === what);
    if (dispute !== undefined) {
      skipped++;
      console.log(`SKIP ${c.name} [${what}] (${ok ? "now agrees" : why}): ${dispute.reason}`);
      continue;
    }
    if (ok) passed++;
    else failed++;
    if (!ok || verbose) console.log(`${ok ? "ok  " : "FAIL"} ${c.name} [${what}]${ok ? "" : `: ${why}`}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 ? 0 : 1;
