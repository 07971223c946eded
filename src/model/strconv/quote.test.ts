import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QuoteSyntaxError, unquote, unquoteBytes, unquoteChar } from "./quote.ts";

describe("unquote (strconv.Unquote)", () => {
  const ok: Array<[string, string]> = [
    ['""', ""],
    ['"abc"', "abc"],
    ['"a\\tb\\n"', "a\tb\n"],
    ['"\\a\\b\\f\\r\\v\\\\\\""', '\x07\b\f\r\v\\"'],
    ['"\\x41\\101\\u00e9\\U0001F600"', "AAé😀"],
    ['"\\xc3\\xa9"', "é"],
    ['"\\xff"', "\uFFFD"],
    ["'a'", "a"],
    ["'\\''", "'"],
    ["'\"'", '"'],
    ["`a\\nb`", "a\\nb"],
    ["`a\r\nb`", "a\nb"],
  ];
  for (const [q, want] of ok) it(`${q} unquotes`, () => assert.equal(unquote(q), want));

  const bad = [
    '"',
    '"a',
    "'ab'",
    "''",
    '"\\\'"',
    "'\\\"'",
    '"a"b"',
    '"\n"',
    '"\\q"',
    '"\\x4"',
    '"\\ud800"',
    '"\\400"',
    "`a`b`",
    "abc",
  ];
  for (const q of bad)
    it(`${JSON.stringify(q)} is a syntax error`, () => assert.throws(() => unquote(q), QuoteSyntaxError));

  it("singleQuotedStrings lets '…' hold a string", () => {
    assert.equal(unquote("'ab\\'c'", { singleQuotedStrings: true }), "ab'c");
    assert.equal(unquote("''", { singleQuotedStrings: true }), "");
  });
});

describe("unquoteBytes", () => {
  it("keeps byte escapes raw and encodes the rest as UTF-8", () => {
    assert.deepEqual(unquoteBytes('"\\xffé"'), [0xff, 0xc3, 0xa9]);
    assert.deepEqual(unquoteBytes('"é"'), [0xc3, 0xa9]);
  });
});

describe("unquoteChar", () => {
  it("decodes one unit and says where the next starts", () => {
    assert.deepEqual(unquoteChar("\\x41z", 0, "'"), { value: 0x41, isByte: true, next: 4 });
    assert.deepEqual(unquoteChar("😀z", 0, "'"), { value: 0x1f600, isByte: false, next: 2 });
    assert.throws(() => unquoteChar("'", 0, "'"), QuoteSyntaxError);
  });
});
