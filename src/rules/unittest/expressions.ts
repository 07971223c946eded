/**
 * `promql_expr_test`: instant queries over the test group's storage (input
 * series and rule results up to the last evaluation), compared with the
 * expected samples by label set and value (`fuzzy_compare` allows one ulp).
 */
import { formatDuration } from "../../config/units.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { Lexer, ParseError, T } from "../../promql/parser/index.ts";
import { describeItem } from "../../promql/parser/lex.ts";
import { parseSeriesDesc } from "../../promql/promqltest/series.ts";
import { comparePairs, pairsOf } from "../pairs.ts";
import { engineQueryFunc } from "../rule.ts";
import type { ExpSample, TestGroup } from "./file.ts";
import { type ParsedSample, samplesString } from "./format.ts";
import type { LazyLoader } from "./loader.ts";

/** Upstream's error for a matcher other than `=` (`1:24: parse error: unexpected <op:=~> in label set, …`). */
function checkEqualityOnly(text: string): void {
  const lx = new Lexer(text);
  let inBraces = false;
  for (let it = lx.next(); it.type !== T.EOF && it.type !== T.ERROR; it = lx.next()) {
    if (it.type === T.LEFT_BRACE) inBraces = true;
    else if (it.type === T.RIGHT_BRACE) inBraces = false;
    else if (inBraces && (it.type === T.NEQ || it.type === T.EQL_REGEX || it.type === T.NEQ_REGEX)) {
      const msg = `unexpected ${describeItem(it)} in label set, expected "="`;
      throw new ParseError(text, { start: it.pos, end: it.pos + it.val.length }, msg);
    }
  }
}

/** Upstream's `parser.ParseMetric`: a series selector with `=` matchers only. */
function parseMetric(text: string): ParsedSample["labels"] {
  checkEqualityOnly(text);
  const desc = parseSeriesDesc(text);
  if (desc.values.length > 0) throw new Error(`unexpected values after the label set in ${goQuote(text)}`);
  return pairsOf(desc.labels);
}

/** The next float64 after `x` towards `dir`. */
function nextAfter(x: number, dir: number): number {
  if (Number.isNaN(x) || x === dir) return x;
  if (x === 0) return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x < dir === x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

function sameValue(a: number, b: number, fuzzy: boolean): boolean {
  if (a === b) return true;
  return (
    fuzzy && (nextAfter(a, Number.NEGATIVE_INFINITY) === b || nextAfter(a, Number.POSITIVE_INFINITY) === b)
  );
}

function sameSamples(a: readonly ParsedSample[], b: readonly ParsedSample[], fuzzy: boolean): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => comparePairs(x.labels, b[i]!.labels) === 0 && sameValue(x.value, b[i]!.value, fuzzy))
  );
}

function bySeries(a: ParsedSample, b: ParsedSample): number {
  return comparePairs(a.labels, b.labels);
}

function expected(samples: readonly ExpSample[]): ParsedSample[] {
  return samples.map((s) => {
    if (s.histogram !== "")
      throw new Error(`labels ${goQuote(s.labels)}: native histograms are not supported`);
    try {
      return { labels: parseMetric(s.labels), value: s.value };
    } catch (err) {
      throw new Error(`labels ${goQuote(s.labels)}: ${(err as Error).message}`);
    }
  });
}

/** Runs every expression test of the group; returns the failures. */
export async function checkExpressions(tg: TestGroup, loader: LazyLoader, fuzzy: boolean): Promise<string[]> {
  const query = engineQueryFunc(loader.engine, loader.queryable);
  const errs: string[] = [];
  for (const tc of tg.promql_expr_test) {
    const head = `    expr: ${goQuote(tc.expr)}, time: ${formatDuration(tc.eval_time)}`;
    let got: ParsedSample[];
    let want: ParsedSample[];
    try {
      got = (await query(tc.expr, tc.eval_time)).map((s) => ({ labels: pairsOf(s.labels), value: s.v }));
      want = expected(tc.exp_samples);
    } catch (err) {
      errs.push(`${head}, err: ${(err as Error).message}`);
      continue;
    }
    got.sort(bySeries);
    want.sort(bySeries);
    if (!sameSamples(want, got, fuzzy)) {
      errs.push(`${head},\n        exp: ${samplesString(want)}\n        got: ${samplesString(got)}`);
    }
  }
  return errs;
}
