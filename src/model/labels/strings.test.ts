import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareUTF8, goQuote } from "./strings.ts";

describe("compareUTF8", () => {
  const cases: [string, string, number][] = [
    ["a", "b", -1],
    ["b", "a", 1],
    ["a", "a", 0],
    ["a", "ab", -1],
    ["", "a", -1],
    ["Z", "_", -1],
    ["_", "a", -1],
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8 order,
    // although its UTF-16 code unit 0xFF5E is above the surrogate 0xD83D.
    ["\uFF5E", "😀", -1],
    ["😀", "\uFF5E", 1],
    ["\uE000", "\uD800\uDC00", -1],
    ["\uD7FF", "\uD800\uDC00", -1],
  ];
  for (const [a, b, want] of cases) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => {
      assert.equal(Math.sign(compareUTF8(a, b)), want);
      const bytes = Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
      assert.equal(Math.sign(compareUTF8(a, b)), bytes, "agrees with UTF-8 byte order");
    });
  }
});

describe("goQuote (strconv.Quote)", () => {
  const cases: [string, string][] = [
    ["", '""'],
    ["abc", '"abc"'],
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
    ["a\nb", '"a\\nb"'],
    ["\t\r\x07\x08\x0b\x0c", '"\\t\\r\\a\\b\\v\\f"'],
    ["\x00\x1b\x7f", '"\\x00\\x1b\\x7f"'],
    ["héllo ✓ 😀", '"héllo ✓ 😀"'],
    ["\u00a0", '"\\u00a0"'],
    ["\u200b", '"\\u200b"'],
    ["\u{e0001}", '"\\U000e0001"'],
    ["\uD800", '"\uFFFD"'],
  ];
  for (const [input, want] of cases) {
    it(`quotes ${JSON.stringify(input)}`, () => assert.equal(goQuote(input), want));
  }
});
