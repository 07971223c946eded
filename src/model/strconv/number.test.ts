import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIntLiteral, underscoresOK } from "./number.ts";

describe("parseIntLiteral", () => {
  const cases: Array<[string, boolean, bigint | null]> = [
    ["42", true, 42n],
    ["-0x1F", true, -31n],
    ["-0x1F", false, null],
    ["0o17", true, 15n],
    ["017", true, 15n],
    ["0b101", true, 5n],
    ["1_000", true, 1000n],
    ["0x_ff", true, 255n],
    ["1__0", true, null],
    ["08", true, null],
    ["99999999999999999999", true, 99999999999999999999n],
    ["", true, null],
    ["1.5", true, null],
  ];
  for (const [s, sign, want] of cases) {
    it(`${s} (sign ${sign})`, () => assert.equal(parseIntLiteral(s, sign), want));
  }
});

describe("underscoresOK", () => {
  for (const [s, want] of [
    ["1_0", true],
    ["_1", false],
    ["1_", false],
    ["0x_1", true],
    ["1_.5", false],
  ] as const) {
    it(s, () => assert.equal(underscoresOK(s), want));
  }
});
