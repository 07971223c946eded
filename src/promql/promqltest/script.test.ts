import assert from "node:assert/strict";
import { test } from "node:test";
import { parseGoFloat, parseGoInt, parseGoNumber } from "../strconv.ts";
import {
  type Command,
  type EvalCmd,
  expectationMatches,
  isFail,
  isOrdered,
  type LoadCmd,
  parseScript,
  ScriptError,
} from "./script.ts";

function evals(cmds: Command[]): EvalCmd[] {
  return cmds.filter((c): c is EvalCmd => c.kind === "eval");
}

function one(script: string): EvalCmd {
  const e = evals(parseScript(script));
  assert.equal(e.length, 1);
  return e[0]!;
}

test("commands, blocks and comments", () => {
  const cmds = parseScript(`
# a comment
load 5m
  a{x="1"} 1 2
  b 3

load_with_nhcb 1m
  c_bucket{le="1"} 1
`);
  assert.deepEqual(
    cmds.map((c) => c.kind),
    ["load", "load"],
  );
  const l = cmds[0] as LoadCmd;
  assert.equal(l.stepMs, 300_000);
  assert.equal(l.withNHCB, false);
  assert.equal(l.series.length, 2);
  assert.equal(l.line, 3);
  assert.equal((cmds[1] as LoadCmd).withNHCB, true);

  // A comment line ends a block, so the series line after it is a bad command.
  assert.throws(() => parseScript("load 1m\n  a 1\n  # stop\n  b 2\n"), /script:4: invalid command "b 2"/);
  // A comment after an eval header closes it with an empty expectation.
  const e = evals(parseScript("eval instant at 0 a\n  # empty\n\nclear\n"));
  assert.equal(e[0]!.expected.size, 0);
  assert.equal(e[0]!.expectScalar, false);
  // `clear` and the command word are case-insensitive.
  assert.equal(parseScript("CLEAR\n")[0]!.kind, "clear");
});

test("a series defined twice in one load keeps the last definition", () => {
  const l = parseScript("load 1m\n  a 1\n  b 2\n  a 3 4\n")[0] as LoadCmd;
  assert.equal(l.series.length, 2);
  assert.equal(l.series[0]!.values.length, 2);
  assert.equal(l.series[0]!.line, 4);
});

test("eval headers", () => {
  const cases: [string, Partial<EvalCmd>][] = [
    ["eval instant at 50m sum(x)", { range: false, start: 3_000_000, end: 3_000_000, expr: "sum(x)" }],
    ["eval instant at 0 x", { start: 0, expr: "x" }],
    ["eval instant at 1h30m x offset 5m", { start: 5_400_000, expr: "x offset 5m" }],
    [
      "eval range from 0 to 10m step 1m rate(x[5m])",
      { range: true, start: 0, end: 600_000, step: 60_000, expr: "rate(x[5m])" },
    ],
    ["eval_fail instant at 0 x", { legacyFail: true }],
    ["eval_warn instant at 0 x", { legacyWarn: true }],
    ["eval_info range from 0 to 1m step 1m x", { legacyInfo: true, range: true }],
    ["eval_ordered instant at 0 sort(x)", { legacyOrdered: true }],
  ];
  for (const [header, want] of cases) {
    const ev = one(header);
    for (const [k, v] of Object.entries(want)) assert.equal(ev[k as keyof EvalCmd], v, `${header}: ${k}`);
  }
});

test("malformed scripts throw with file:line", () => {
  const cases: [string, RegExp][] = [
    ["bogus\n", /f\.test:1: invalid command/],
    ["\n\nload\n", /f\.test:3: invalid load command/],
    ["load 5x\n", /f\.test:1: invalid step definition/],
    ["eval instant  x\n", /f\.test:1: invalid timestamp definition ""/],
    ["eval instant x\n", /f\.test:1: invalid evaluation command/],
    ["eval foo at 0 x\n", /f\.test:1: invalid evaluation command/],
    ["eval range from 10m to 5m step 1m x\n", /end timestamp \(5m\) is before start timestamp \(10m\)/],
    ["eval_ordered range from 0 to 5m step 1m x\n", /invalid evaluation command/],
    [
      "eval instant at 0 x\n  a 1 2\n",
      /f\.test:2: expecting multiple values in instant evaluation not allowed/,
    ],
    ["eval instant at 0 x\n  expect warn\n  expect no_warn\n", /f\.test:3: .*warn and no_warn/],
    ["eval instant at 0 x\n  expect info\n  expect no_info\n", /info and no_info/],
    ["eval instant at 0 x\n  expect fail\n  expect fail msg: a\n", /multiple expect fail/],
    ["eval instant at 0 x\n  expect bogus\n", /invalid expect statement/],
    ["eval instant at 0 x\n  expect warn msg:\n", /invalid expect statement/],
    ["eval instant at 0 x\n  expect fail regex: (\n", /invalid regexp/],
    ["eval instant at 0 x\n  a{ 1\n", /f\.test:2:/],
  ];
  for (const [script, re] of cases) {
    assert.throws(
      () => parseScript(script, "f.test"),
      (e: unknown) => e instanceof ScriptError && re.test(e.message),
      script,
    );
  }
});

test("expect lines", () => {
  const ev = one(`eval range from 0 to 1m step 1m x
  expect warn msg: PromQL warning: something
  expect warn regex:   ^PromQL warning: (a|b)$
  expect info
  expect ordered
`);
  assert.equal(ev.expectWarn.length, 2);
  assert.ok(expectationMatches(ev.expectWarn[0]!, "PromQL warning: something"));
  assert.ok(!expectationMatches(ev.expectWarn[0]!, "PromQL warning: something else"));
  assert.ok(expectationMatches(ev.expectWarn[1]!, "PromQL warning: b"));
  assert.ok(!expectationMatches(ev.expectWarn[1]!, "PromQL warning: c"));
  // A bare `expect info` matches any info.
  assert.equal(ev.expectInfo.length, 1);
  assert.ok(expectationMatches(ev.expectInfo[0]!, "PromQL info: whatever"));
  assert.ok(isOrdered(ev));

  const f = one("eval instant at 0 x\n  expect fail regex: bad (thing|stuff)\n");
  assert.ok(isFail(f));
  // Unanchored search.
  assert.ok(expectationMatches(f.expectFail[0]!, "a bad stuff happened"));

  const nw = one("eval instant at 0 x\n  expect no_warn\n  expect no_info\n  {} 1\n");
  assert.ok(nw.expectNoWarn && nw.expectNoInfo);
  assert.equal(nw.expected.size, 1);
  // `expect` lines do not count as series positions.
  assert.equal([...nw.expected.values()][0]!.pos, 1);
});

test("legacy failure messages end the body", () => {
  const ev = one('eval_fail instant at 0 x\n  expected_fail_message invalid label name "a"\n');
  assert.equal(ev.expectedFailMessage, 'invalid label name "a"');
  const re = one("eval_fail instant at 0 x\n  expected_fail_regexp vector cannot .* labelset\n");
  assert.ok(
    re.expectedFailRegexp !== null &&
      expectationMatches(re.expectedFailRegexp, "vector cannot have labelset"),
  );
  // Only after eval_fail: otherwise the line is read as a series description and fails.
  assert.throws(() => parseScript("eval instant at 0 x\n  expected_fail_message boom\n"), ScriptError);
  // Lines after the message are commands again.
  assert.throws(
    () => parseScript("eval_fail instant at 0 x\n  expected_fail_message boom\n  {} 1\n"),
    /script:3: invalid command/,
  );
});

test("expected scalars and series", () => {
  const cases: [string, number][] = [
    ["2", 2],
    ["-2.5", -2.5],
    ["+Inf", Infinity],
    ["-Inf", -Infinity],
    ["0x10", 16],
    ["1e3", 1000],
  ];
  for (const [line, want] of cases) {
    const ev = one(`eval instant at 0 x\n  ${line}\n`);
    assert.ok(ev.expectScalar, line);
    assert.equal(ev.scalar, want, line);
  }
  assert.ok(Number.isNaN(one("eval instant at 0 x\n  NaN\n").scalar));

  const ev = one(`eval_ordered instant at 0 sort(x)
  x{a="2"} 1
  {b="1"} 2
  {} 3
`);
  assert.equal(ev.expectScalar, false);
  assert.deepEqual(
    [...ev.expected.values()].map((e) => [e.labels.toString(), e.pos]),
    [
      ['{__name__="x", a="2"}', 1],
      ['{b="1"}', 2],
      ["{}", 3],
    ],
  );
  const h = one("eval instant at 0 x\n  {} {{count:1}}\n");
  assert.ok(h.expectsHistograms);
});

test("durations: load steps and eval times are Prometheus durations", () => {
  const ok: [string, number][] = [
    ["0", 0],
    ["10s", 10_000],
    ["1h30m", 5_400_000],
    ["1d", 86_400_000],
    ["1w", 604_800_000],
    ["1y", 31_536_000_000],
    ["100ms", 100],
    ["1m30s500ms", 90_500],
  ];
  for (const [s, ms] of ok) {
    assert.equal((parseScript(`load ${s}\n  a 1\n`)[0] as LoadCmd).stepMs, ms, s);
    assert.equal(one(`eval instant at ${s} a\n`).start, ms, s);
  }
  const bad: [string, string][] = [
    ["1", 'not a valid duration string: "1"'],
    ["-1m", 'not a valid duration string: "-1m"'],
    ["1m1h", 'not a valid duration string: "1m1h"'],
    ["1.5h", 'unknown unit "." in duration "1.5h"'],
    ["1M", 'unknown unit "M" in duration "1M"'],
  ];
  for (const [s, msg] of bad) {
    assert.throws(
      () => parseScript(`load ${s}\n  a 1\n`),
      { name: "ScriptError", message: `script:1: invalid step definition "${s}": ${msg}` },
      s,
    );
  }
  assert.throws(() => parseScript("eval instant  x\n"), {
    message: 'script:1: invalid timestamp definition "": empty duration string',
  });
});

test("Go number syntax", () => {
  assert.equal(parseGoInt("0x1f"), 31n);
  assert.equal(parseGoInt("017"), 15n);
  assert.equal(parseGoInt("0b101"), 5n);
  assert.equal(parseGoInt("1_000"), 1000n);
  assert.equal(parseGoInt("1__0"), null);
  assert.equal(parseGoInt("09"), null);
  assert.equal(parseGoInt("9223372036854775808"), null);
  assert.equal(parseGoNumber("09"), 9);
  assert.equal(parseGoNumber("9223372036854775808"), 2 ** 63);
  assert.equal(parseGoFloat("0x1p-2"), 0.25);
  assert.equal(parseGoFloat("infinity"), Infinity);
  assert.equal(parseGoFloat("-inf"), -Infinity);
  assert.equal(parseGoFloat("+nan"), null);
  assert.equal(parseGoFloat("1e400"), null);
  assert.equal(parseGoFloat("1."), 1);
  assert.equal(parseGoFloat("abc"), null);
  assert.equal(parseGoFloat(""), null);
});
