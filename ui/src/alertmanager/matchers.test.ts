import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatFilter, fromSilenceMatcher, type Matcher, parseFilter, toSilenceMatcher } from "./matchers.ts";

describe("parseFilter", () => {
  const ok: [string, Matcher[]][] = [
    ["", []],
    ["{}", []],
    ['{alertname="Foo"}', [{ name: "alertname", op: "=", value: "Foo" }]],
    [
      '{ alertname = "Foo" , severity=~"crit|warn", team!="a,b}" }',
      [
        { name: "alertname", op: "=", value: "Foo" },
        { name: "severity", op: "=~", value: "crit|warn" },
        { name: "team", op: "!=", value: "a,b}" },
      ],
    ],
    [
      "job!~node.*, env=prod",
      [
        { name: "job", op: "!~", value: "node.*" },
        { name: "env", op: "=", value: "prod" },
      ],
    ],
    ['{a="q\\"uote"}', [{ name: "a", op: "=", value: 'q"uote' }]],
    ['{a=""}', [{ name: "a", op: "=", value: "" }]],
  ];
  for (const [text, want] of ok) {
    it(`parses ${JSON.stringify(text)}`, () =>
      assert.deepEqual(parseFilter(text), { ok: true, matchers: want }));
  }
  const bad: [string, string, number][] = [
    ['{alertname"x"}', "expected one of =, !=, =~, !~", 10],
    ['{a="x"', "expected }", 6],
    ['{a="x', "unterminated quoted value", 3],
    ['{a="x" b="y"}', "expected , or }", 7],
    ['a="x"}', "unexpected }", 5],
    ['{a="x"} b', "unexpected text after }", 7],
    ["{=x}", "expected a label name", 1],
  ];
  for (const [text, error, pos] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () =>
      assert.deepEqual(parseFilter(text), { ok: false, error, pos }));
  }
});

describe("matcher conversions", () => {
  it("formats and parses back", () => {
    const ms: Matcher[] = [
      { name: "a", op: "=~", value: 'x"y' },
      { name: "b", op: "!=", value: "" },
    ];
    assert.equal(formatFilter(ms), '{a=~"x\\"y", b!=""}');
    assert.deepEqual(parseFilter(formatFilter(ms)), { ok: true, matchers: ms });
  });
  for (const op of ["=", "!=", "=~", "!~"] as const) {
    it(`round-trips ${op} through the API's silence matcher`, () => {
      const m: Matcher = { name: "n", op, value: "v" };
      assert.deepEqual(fromSilenceMatcher(toSilenceMatcher(m)), m);
    });
  }
  it("treats a missing isEqual as equal (old silences)", () => {
    assert.equal(fromSilenceMatcher({ name: "n", value: "v", isRegex: true }).op, "=~");
  });
});
