/**
 * Every query of upstream's PromQL test scripts (../shared/conformance/promql/testdata)
 * must parse with experimental functions enabled, and print to text that parses
 * back to the same tree.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { dumpExpr } from "./dump.ts";
import { parseExpr } from "./parse.ts";
import { exprToString } from "./printer.ts";
import { evalQueries, TESTDATA_DIR, testdataFiles } from "./testdata_queries.ts";

describe("conformance testdata queries", { skip: existsSync(TESTDATA_DIR) ? false : "no testdata" }, () => {
  const files = testdataFiles();

  it("has the 17 files and their 1479 eval statements", () => {
    assert.equal(files.length, 17);
    const total = files.reduce((n, f) => n + evalQueries(readFileSync(TESTDATA_DIR + f, "utf8")).length, 0);
    assert.equal(total, 1479);
  });

  for (const file of files) {
    it(`${file}: every query parses and round-trips`, () => {
      const queries = evalQueries(readFileSync(TESTDATA_DIR + file, "utf8"));
      assert.ok(queries.length > 0);
      const sorted = { sortMatchers: true };
      for (const q of queries) {
        const first = parseExpr(q, { experimentalFunctions: true });
        const printed = exprToString(first);
        const again = parseExpr(printed, { experimentalFunctions: true });
        assert.equal(dumpExpr(again, sorted), dumpExpr(first, sorted), `${q}\nprinted as ${printed}`);
        assert.equal(exprToString(again), printed);
      }
    });
  }
});
