import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Format } from "../../src/exposition/types.ts";

/** Where ../shared lives relative to the repository root. */
export const SHARED = new URL("../../../shared/", import.meta.url).pathname;
export const CORPUS = join(SHARED, "conformance/exposition");

export type Verdict = "accept" | "reject";

/** One input of the corpus with what the specification and Prometheus 3.5.3 do with it. */
export interface Case {
  readonly name: string;
  readonly format: Format;
  readonly body: Buffer;
  /** The suite's verdict (OpenMetrics `shouldParse`, or the expfmt parser's). */
  readonly spec: Verdict;
  /** What the reference Prometheus 3.5.3 scraper did. */
  readonly prometheus: Verdict;
  /** Samples the reference scraped (meaningful when it accepted). */
  readonly samples: number;
  readonly prometheusError: string;
}

/** All cases of `prometheus-3.5.3-observed.tsv`, with their input bytes. */
export function loadCorpus(): Case[] {
  const tsv = readFileSync(join(CORPUS, "prometheus-3.5.3-observed.tsv"), "utf8");
  const cases: Case[] = [];
  for (const line of tsv.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [name, format, spec, prometheus, samples, error] = line.split("\t");
    const file = name.startsWith("openmetrics-suite/") ? join(CORPUS, name, "metrics") : join(CORPUS, name);
    cases.push({
      name,
      format: format === "openmetrics" ? "openmetrics" : "prometheus-text",
      body: readFileSync(file),
      spec: spec as Verdict,
      prometheus: prometheus as Verdict,
      samples: Number(samples),
      prometheusError: error ?? "",
    });
  }
  checkSuiteVerdicts(cases);
  return cases;
}

/** Cross-checks the table against the suite's own test.json files, so a stale table is noticed. */
function checkSuiteVerdicts(cases: readonly Case[]): void {
  const dir = join(CORPUS, "openmetrics-suite/parsers");
  const names = readdirSync(dir);
  for (const n of names) {
    const json = JSON.parse(readFileSync(join(dir, n, "test.json"), "utf8")) as { shouldParse: boolean };
    const c = cases.find((x) => x.name === `openmetrics-suite/parsers/${n}`);
    if (c === undefined) throw new Error(`corpus table lacks openmetrics case ${n}`);
    if ((c.spec === "accept") !== json.shouldParse)
      throw new Error(`corpus table disagrees with ${n}/test.json`);
  }
}
