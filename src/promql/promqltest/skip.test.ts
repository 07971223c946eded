import assert from "node:assert/strict";
import { test } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { Matcher } from "../../model/labels/matcher.ts";
import type { Expr } from "../parser/ast.ts";
import { add, call, mat, sel, sub, sum } from "./ast_fixtures_test.ts";
import { type EvalCmd, parseScript } from "./script.ts";
import { histogramSkipReason, vectorSelectors } from "./skip.ts";

const plain = parseScript("eval instant at 0 x\n  {} 1\n")[0] as EvalCmd;
const hist = [
  Labels.fromStrings("__name__", "h", "job", "a"),
  Labels.fromStrings("__name__", "nhcb", "instance", "i1"),
];

test("vectorSelectors finds selectors everywhere", () => {
  const e = add(sum(sel("a")), call("max_over_time", sub(call("rate", mat(sel("b"))))));
  assert.deepEqual(
    vectorSelectors(e).map((s) => s.name),
    ["a", "b"],
  );
});

test("skip classification applies the selectors' matchers to histogram series", () => {
  const cases: [string, Expr, boolean][] = [
    ["float series only", sum(sel("a")), false],
    ["histogram series by name", sum(sel("h")), true],
    [
      "under a range selector in a subquery",
      call("max_over_time", sub(call("rate", mat(sel("nhcb"))))),
      true,
    ],
    ["non-matching label", sel("h", null, Matcher.create("=", "job", "b")), false],
    ["matching label", sel("h", null, Matcher.create("=", "job", "a")), true],
    ["regex on the name", sel("", null, Matcher.create("=~", "__name__", "n.*")), true],
    ["regex excluding", sel("", null, Matcher.create("=~", "__name__", "nh")), false],
    ["label only", sel("", null, Matcher.create("=", "instance", "i1")), true],
    ["absent label matched by empty", sel("h", null, Matcher.create("=", "instance", "")), true],
    ["classic bucket series of an nhcb", sel("nhcb_bucket"), false],
  ];
  for (const [what, expr, want] of cases) {
    assert.equal(histogramSkipReason(plain, expr, hist) !== null, want, what);
  }
  assert.equal(histogramSkipReason(plain, sel("h"), []), null);
});

test("a histogram literal in the expectation skips the eval", () => {
  const ev = parseScript("eval instant at 0 x\n  {} {{count:1}}\n")[0] as EvalCmd;
  assert.match(histogramSkipReason(ev, sel("x"), [])!, /expects native histogram/);
});
