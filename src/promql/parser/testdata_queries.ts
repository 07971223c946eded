/**
 * The queries of upstream's PromQL test scripts (../shared/conformance/promql/testdata),
 * for the parser's tests: the text after `eval … at <time>` or `eval … step <dur>`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

/** Where the scripts live, relative to this repository. */
export const TESTDATA_DIR = new URL("../../../../shared/conformance/promql/testdata/", import.meta.url)
  .pathname;

const INSTANT = /^eval\S*\s+instant\s+at\s+\S+\s+(.*)$/i;
const RANGE = /^eval\S*\s+range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+\s+(.*)$/i;

/** The query of every `eval` line of a script. */
export function evalQueries(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!/^eval/i.test(line)) continue;
    const m = INSTANT.exec(line) ?? RANGE.exec(line);
    if (m === null) throw new Error(`unrecognised eval line: ${line}`);
    out.push(m[1]!);
  }
  return out;
}

/** The script files (`*.test`), or none when the directory is absent. */
export function testdataFiles(): string[] {
  if (!existsSync(TESTDATA_DIR)) return [];
  return readdirSync(TESTDATA_DIR)
    .filter((f) => f.endsWith(".test"))
    .sort();
}

/** Every eval query of every script, in file order. */
export function allEvalQueries(): string[] {
  return testdataFiles().flatMap((f) => evalQueries(readFileSync(TESTDATA_DIR + f, "utf8")));
}
